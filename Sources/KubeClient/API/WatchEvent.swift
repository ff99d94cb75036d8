import NIOCore

/// One event of a watch stream.
public enum WatchEvent<Object: Sendable>: Sendable {
    case added(Object)
    case modified(Object)
    case deleted(Object)
    /// No object changed; the stream has seen everything up to `resourceVersion`.
    case bookmark(resourceVersion: String)
    /// The server ended the watch with a failure, typically `410 Gone` (relist needed).
    case error(meta.v1.Status)
}

extension WatchEvent: Decodable where Object: Decodable {
    enum CodingKeys: String, CodingKey { case type, object }

    /// The only member of a BOOKMARK's object that matters.
    private struct Bookmark: Decodable {
        struct Metadata: Decodable { var resourceVersion: String? }
        var metadata: Metadata?
    }

    /// Decodes `{"type": "...", "object": {...}}`, choosing the object's type by the event type, in one pass.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "ADDED": self = .added(try container.decode(Object.self, forKey: .object))
        case "MODIFIED": self = .modified(try container.decode(Object.self, forKey: .object))
        case "DELETED": self = .deleted(try container.decode(Object.self, forKey: .object))
        case "BOOKMARK":
            let bookmark = try container.decode(Bookmark.self, forKey: .object)
            self = .bookmark(resourceVersion: bookmark.metadata?.resourceVersion ?? "")
        case "ERROR": self = .error(try container.decode(meta.v1.Status.self, forKey: .object))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container, debugDescription: "unknown watch event type \"\(type)\"")
        }
    }
}

extension WatchEvent where Object: Decodable {
    /// An ADDED, MODIFIED or DELETED event of a ``JSONValueConvertible`` model, decoded by hand; nil for other
    /// models and other event types (which `Decodable` handles).
    static func decodedByHand(_ line: ByteBuffer) throws -> WatchEvent? {
        guard let model = Object.self as? JSONValueConvertible.Type else { return nil }
        let event = try JSONValue(parsing: Array(line.readableBytesView))
        guard case .string(let type) = event["type"], let object = event["object"] else { return nil }
        switch type {
        case "ADDED": return .added(try model.init(json: object) as! Object)
        case "MODIFIED": return .modified(try model.init(json: object) as! Object)
        case "DELETED": return .deleted(try model.init(json: object) as! Object)
        default: return nil
        }
    }
}

extension WatchEvent {
    /// The object of an ADDED, MODIFIED or DELETED event.
    public var object: Object? {
        switch self {
        case .added(let object), .modified(let object), .deleted(let object): return object
        case .bookmark, .error: return nil
        }
    }
}
