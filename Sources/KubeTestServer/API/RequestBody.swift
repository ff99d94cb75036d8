import Foundation
import KubeClient
import Yams

/// Reads request bodies (JSON, or YAML for server-side apply) into `JSONValue`, answering malformed ones with
/// kube-apiserver's `400 BadRequest` that quotes the parser's complaint.
enum RequestBody {
    static func json(_ bytes: [UInt8]) throws(StoreError) -> JSONValue {
        guard !bytes.isEmpty else { throw .badRequest("the request body is empty") }
        do {
            return try JSONValue(parsing: bytes)
        } catch {
            throw .badRequest("the body of the request was in an unknown format: json parse error: \(error)")
        }
    }

    /// YAML or JSON (JSON is YAML), as `application/apply-patch+yaml` bodies come.
    static func yaml(_ bytes: [UInt8]) throws(StoreError) -> JSONValue {
        let text = String(decoding: bytes, as: UTF8.self)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw .badRequest("error converting YAML to JSON: \(error)")
        }
        guard let node else { throw .badRequest("the request body is empty") }
        return try value(of: node)
    }

    /// A JSON object that must be a Kubernetes object: an object with `metadata` an object when present.
    static func object(_ request: APIRequest) throws(StoreError) -> JSONValue {
        let value = request.contentType == ProtobufObjects.mediaType ? try ProtobufObjects.json(request.body) : try json(request.body)
        guard case .object = value else { throw .badRequest("the body of the request must be a JSON object, not \(value.typeName)") }
        if let metadata = value["metadata"], metadata.objectValue == nil, metadata != .null {
            throw .badRequest("metadata must be an object, not \(metadata.typeName)")
        }
        return value
    }

    private static func value(of node: Node) throws(StoreError) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain {
                if let bool = Bool.construct(from: scalar) { return .bool(bool) }
                if let int = Int.construct(from: scalar) { return .int(Int64(int)) }
                if let double = Double.construct(from: scalar) { return .double(double) }
                if NSNull.construct(from: scalar) != nil { return .null }
            }
            return .string(scalar.string)
        case .sequence(let sequence):
            var items: [JSONValue] = []
            for item in sequence { items.append(try value(of: item)) }
            return .array(items)
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, item) in mapping {
                guard let name = key.string else { throw .badRequest("error converting YAML to JSON: map keys must be strings") }
                members[name] = try value(of: item)
            }
            return .object(members)
        case .alias:
            throw .badRequest("error converting YAML to JSON: aliases are not supported")
        }
    }
}

extension JSONValue {
    /// The JSON type's name, for messages.
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int, .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
