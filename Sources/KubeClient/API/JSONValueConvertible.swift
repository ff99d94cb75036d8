import NIOCore

/// A model converted to and from ``JSONValue`` by hand instead of through `Codable`, for the models the operator
/// reads and writes at every remote change (Endpoints, EndpointSlices, and the ``DynamicObject``s of Calico's
/// network sets and host endpoints). Parsing into `JSONValue` and picking the
/// members out costs about a third of what `JSONDecoder` spends on the same bytes, and ``JSONWriter`` writes the
/// value back several times faster than `JSONEncoder` (federation-benchmarks `codec`, BENCHMARKS.md).
///
/// Reads, lists, watches and writes of a ``ResourceClient`` take this path for a conforming model. The result must
/// equal what `Codable` gives: absent and `null` members are nil, nil members are left out.
public protocol JSONValueConvertible {
    init(json: JSONValue) throws(JSONShapeError)
    var json: JSONValue { get }
}

/// A JSON document whose shape does not fit a model: which member, and what it should have been.
public struct JSONShapeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var expected: String
    public var description: String { "\(field): expected \(expected)" }
}

/// The members of one JSON object, read for a model's `init(json:)`: absent and `null` members read as nil, a member
/// of the wrong type throws naming it.
public struct JSONFields {
    private let members: [String: JSONValue]
    private let path: String

    public init(_ value: JSONValue, path: String = "") throws(JSONShapeError) {
        guard case .object(let members) = value else { throw JSONShapeError(field: path.isEmpty ? "(document)" : path, expected: "an object") }
        self.members = members
        self.path = path
    }

    private func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private func value(_ key: String) -> JSONValue? {
        guard let value = members[key], value != .null else { return nil }
        return value
    }

    public func string(_ key: String) throws(JSONShapeError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else { throw JSONShapeError(field: field(key), expected: "a string") }
        return text
    }

    public func requiredString(_ key: String) throws(JSONShapeError) -> String {
        guard let text = try string(key) else { throw JSONShapeError(field: field(key), expected: "a string") }
        return text
    }

    public func bool(_ key: String) throws(JSONShapeError) -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .bool(let flag) = value else { throw JSONShapeError(field: field(key), expected: "a boolean") }
        return flag
    }

    public func integer<Number: FixedWidthInteger>(_ key: String, as type: Number.Type = Number.self) throws(JSONShapeError) -> Number? {
        guard let value = value(key) else { return nil }
        switch value {
        case .int(let number): if let exact = Number(exactly: number) { return exact }
        case .double(let number): if let exact = Number(exactly: number) { return exact }
        default: break
        }
        throw JSONShapeError(field: field(key), expected: "an integer that fits \(Number.self)")
    }

    public func strings(_ key: String) throws(JSONShapeError) -> [String]? {
        guard let value = value(key) else { return nil }
        guard case .array(let items) = value else { throw JSONShapeError(field: field(key), expected: "an array of strings") }
        var strings: [String] = []
        strings.reserveCapacity(items.count)
        for item in items {
            guard case .string(let text) = item else { throw JSONShapeError(field: field(key), expected: "an array of strings") }
            strings.append(text)
        }
        return strings
    }

    public func stringMap(_ key: String) throws(JSONShapeError) -> [String: String]? {
        guard let value = value(key) else { return nil }
        guard case .object(let members) = value else { throw JSONShapeError(field: field(key), expected: "an object of strings") }
        var map: [String: String] = [:]
        map.reserveCapacity(members.count)
        for (name, member) in members {
            guard case .string(let text) = member else { throw JSONShapeError(field: "\(field(key)).\(name)", expected: "a string") }
            map[name] = text
        }
        return map
    }

    public func object<Model: JSONValueConvertible>(_ key: String, as type: Model.Type = Model.self) throws(JSONShapeError) -> Model? {
        guard let value = value(key) else { return nil }
        return try Model(json: value)
    }

    public func requiredObject<Model: JSONValueConvertible>(_ key: String, as type: Model.Type = Model.self) throws(JSONShapeError) -> Model {
        guard let model = try object(key, as: type) else { throw JSONShapeError(field: field(key), expected: "an object") }
        return model
    }

    public func objects<Model: JSONValueConvertible>(_ key: String, as type: Model.Type = Model.self) throws(JSONShapeError) -> [Model]? {
        guard let value = value(key) else { return nil }
        guard case .array(let items) = value else { throw JSONShapeError(field: field(key), expected: "an array") }
        var models: [Model] = []
        models.reserveCapacity(items.count)
        for item in items { models.append(try Model(json: item)) }
        return models
    }
}

/// The members of a model's JSON object, nil ones left out (as `Codable`'s `encodeIfPresent` leaves them).
public struct JSONMembers {
    public private(set) var members: [String: JSONValue] = [:]

    public init() {}

    public mutating func set(_ key: String, _ value: String?) { if let value { members[key] = .string(value) } }
    public mutating func set(_ key: String, _ value: Bool?) { if let value { members[key] = .bool(value) } }
    public mutating func set<Number: BinaryInteger>(_ key: String, _ value: Number?) { if let value { members[key] = .int(Int64(value)) } }
    public mutating func set(_ key: String, _ value: [String]?) { if let value { members[key] = .array(value.map { .string($0) }) } }
    public mutating func set(_ key: String, _ value: [String: String]?) { if let value { members[key] = .object(value.mapValues { .string($0) }) } }
    public mutating func set(_ key: String, _ value: (some JSONValueConvertible)?) { if let value { members[key] = value.json } }
    public mutating func set(_ key: String, _ value: [some JSONValueConvertible]?) { if let value { members[key] = .array(value.map(\.json)) } }

    public var json: JSONValue { .object(members) }
}

/// Decoding with the hand-written path when the model has one.
enum JSONModelDecoding {
    /// `type` decoded from `buffer`'s readable bytes: by ``JSONValueConvertible`` when it (or a list's item type)
    /// conforms, else by `JSONDecoder`.
    static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        func parsed() throws -> JSONValue { try JSONValue(parsing: Array(buffer.readableBytesView)) }
        if let convertible = type as? JSONValueConvertible.Type { return try convertible.init(json: parsed()) as! T }
        if let list = type as? JSONValueListDecodable.Type { return try list.init(listJSON: parsed()) as! T }
        return try JSONCoding.decoder.decode(type, from: buffer)
    }
}

/// A list whose items have a hand-written path (see ``meta/v1/List``).
protocol JSONValueListDecodable {
    init(listJSON: JSONValue) throws
}
