/// A patch body and its content type.
public struct Patch: Sendable, Hashable {
    public var contentType: String
    public var body: [UInt8]

    public init(contentType: String, body: [UInt8]) {
        self.contentType = contentType
        self.body = body
    }

    /// `application/merge-patch+json` (RFC 7386): members replace, `null` deletes.
    public static func merge(_ value: some Encodable) throws -> Patch {
        Patch(contentType: "application/merge-patch+json", body: try encode(value))
    }

    /// `application/json-patch+json` (RFC 6902).
    public static func json(_ operations: [JSONPatchOperation]) throws -> Patch {
        Patch(contentType: "application/json-patch+json", body: try encode(operations))
    }

    /// `application/strategic-merge-patch+json` (built-in resources only).
    public static func strategicMerge(_ value: some Encodable) throws -> Patch {
        Patch(contentType: "application/strategic-merge-patch+json", body: try encode(value))
    }

    /// Server-side apply of a full intent object (`application/apply-patch+yaml`; JSON is valid YAML).
    /// The request must name a `fieldManager`.
    public static func apply(_ object: some Encodable) throws -> Patch {
        Patch(contentType: "application/apply-patch+yaml", body: try encode(object))
    }

    var isApply: Bool { contentType == "application/apply-patch+yaml" }

    private static func encode(_ value: some Encodable) throws -> [UInt8] {
        Array(try JSONCoding.encoder.encode(value))
    }
}

/// One operation of a JSON patch.
public struct JSONPatchOperation: Sendable, Hashable, Encodable {
    public var op: String
    /// A JSON pointer, e.g. `/metadata/labels/app`.
    public var path: String
    public var value: JSONValue?
    public var from: String?

    public static func add(_ path: String, _ value: JSONValue) -> Self { .init(op: "add", path: path, value: value) }
    public static func replace(_ path: String, _ value: JSONValue) -> Self {
        .init(op: "replace", path: path, value: value)
    }
    public static func remove(_ path: String) -> Self { .init(op: "remove", path: path) }
    public static func test(_ path: String, _ value: JSONValue) -> Self { .init(op: "test", path: path, value: value) }
    public static func move(from: String, to path: String) -> Self { .init(op: "move", path: path, from: from) }
    public static func copy(from: String, to path: String) -> Self { .init(op: "copy", path: path, from: from) }

    init(op: String, path: String, value: JSONValue? = nil, from: String? = nil) {
        self.op = op
        self.path = path
        self.value = value
        self.from = from
    }

    enum CodingKeys: String, CodingKey { case op, path, value, from }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(op, forKey: .op)
        try container.encode(path, forKey: .path)
        if let value { try container.encode(value, forKey: .value) }
        try container.encodeIfPresent(from, forKey: .from)
    }
}
