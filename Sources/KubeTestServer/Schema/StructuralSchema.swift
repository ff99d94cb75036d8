import Foundation
import KubeClient

/// A CRD version's structural OpenAPI v3 schema, applied as kube-apiserver applies it to custom objects: unknown
/// fields are pruned (except under `x-kubernetes-preserve-unknown-fields` or `additionalProperties`), then the
/// object is validated (type, required, enum, pattern, minimum/maximum, length and item limits, nullable,
/// `x-kubernetes-int-or-string`) with one field error per violation, worded as kube-apiserver words them.
/// `apiVersion`, `kind` and `metadata` at the root are the server's and never pruned or validated here.
public struct StructuralSchema: Sendable, Hashable {
    public let root: JSONValue

    public init(_ root: JSONValue) { self.root = root }

    /// What conforming an object found.
    public struct Outcome: Sendable {
        /// The object with unknown fields removed.
        public var object: JSONValue
        /// Field errors of what remains.
        public var errors: [meta.v1.StatusCause]
        /// The paths of the fields removed, e.g. `spec.colour`.
        public var prunedFields: [String]
    }

    public func prunedAndValidated(_ object: JSONValue) -> Outcome {
        var outcome = Outcome(object: object, errors: [], prunedFields: [])
        guard case .object(var members) = object else { return outcome }
        let system = ["apiVersion", "kind", "metadata"]
        let kept = members.filter { system.contains($0.key) }
        for name in system { members[name] = nil }
        let rest = prune(.object(members), root, path: "", pruned: &outcome.prunedFields)
        validate(rest, root, path: "", errors: &outcome.errors, atRoot: true)
        guard case .object(var result) = rest else { return outcome }
        result.merge(kept) { _, system in system }
        outcome.object = .object(result)
        outcome.prunedFields.sort()
        return outcome
    }

    private func prune(_ value: JSONValue, _ schema: JSONValue, path: String, pruned: inout [String]) -> JSONValue {
        switch value {
        case .object(let members):
            if let properties = schema["properties"]?.objectValue {
                let preserve = schema["x-kubernetes-preserve-unknown-fields"] == true
                var result: [String: JSONValue] = [:]
                for (name, member) in members {
                    if let child = properties[name] {
                        result[name] = prune(member, child, path: Self.join(path, name), pruned: &pruned)
                    } else if preserve {
                        result[name] = member
                    } else {
                        pruned.append(Self.join(path, name))
                    }
                }
                return .object(result)
            }
            if let additional = schema["additionalProperties"], additional.objectValue != nil {
                var result: [String: JSONValue] = [:]
                for (name, member) in members { result[name] = prune(member, additional, path: Self.join(path, name), pruned: &pruned) }
                return .object(result)
            }
            let preserve = schema["x-kubernetes-preserve-unknown-fields"] == true || schema["additionalProperties"] == true
            if !preserve { pruned += members.keys.map { Self.join(path, $0) } }
            return preserve ? value : .object([:])
        case .array(let items):
            guard let itemSchema = schema["items"] else { return value }
            return .array(items.enumerated().map { prune($1, itemSchema, path: "\(path)[\($0)]", pruned: &pruned) })
        default:
            return value
        }
    }

    private func validate(_ value: JSONValue, _ schema: JSONValue, path: String, errors: inout [meta.v1.StatusCause], atRoot: Bool = false) {
        let field = path.isEmpty ? "<root>" : path
        if value == .null {
            if schema["nullable"] != true, schema["type"] != nil, !atRoot {
                errors.append(.init(reason: "FieldValueTypeInvalid", message: "Invalid value: \"null\": \(field) in body must be of type \(schema["type"]?.stringValue ?? "object"): \"null\"", field: path))
            }
            return
        }
        if schema["x-kubernetes-int-or-string"] == true {
            if value.intValue == nil, value.stringValue == nil {
                errors.append(.init(reason: "FieldValueTypeInvalid", message: "Invalid value: \(Self.show(value)): \(field) in body must be of type integer-or-string: \(Self.typeName(value))", field: path))
            }
            return
        }
        if let type = schema["type"]?.stringValue, !Self.has(value, type: type) {
            errors.append(.init(reason: "FieldValueTypeInvalid", message: "Invalid value: \"\(Self.typeName(value))\": \(field) in body must be of type \(type): \"\(Self.typeName(value))\"", field: path))
            return
        }
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) {
            let supported = allowed.map(Self.show).joined(separator: ", ")
            errors.append(.init(reason: "FieldValueNotSupported", message: "Unsupported value: \(Self.show(value)): supported values: \(supported)", field: path))
        }
        switch value {
        case .string(let text):
            if let pattern = schema["pattern"]?.stringValue, let regex = try? NSRegularExpression(pattern: pattern),
               regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
                errors.append(.init(reason: "FieldValueInvalid", message: "Invalid value: \(Self.show(value)): \(field) in body should match '\(pattern)'", field: path))
            }
            if let limit = schema["maxLength"]?.intValue, text.count > limit {
                errors.append(.init(reason: "FieldValueTooLong", message: "Too long: may not be more than \(limit) bytes", field: path))
            }
            if let limit = schema["minLength"]?.intValue, text.count < limit {
                errors.append(.init(reason: "FieldValueInvalid", message: "Invalid value: \(Self.show(value)): \(field) in body should be at least \(limit) chars long", field: path))
            }
        case .int, .double:
            let number = value.intValue.map(Double.init) ?? (value.doubleValue ?? 0)
            if let minimum = schema["minimum"]?.numberValue {
                let exclusive = schema["exclusiveMinimum"] == true
                if exclusive ? number <= minimum : number < minimum {
                    errors.append(.init(reason: "FieldValueInvalid", message: "Invalid value: \(Self.show(value)): \(field) in body should be greater than \(exclusive ? "" : "or equal to ")\(Self.show(schema["minimum"]!))", field: path))
                }
            }
            if let maximum = schema["maximum"]?.numberValue {
                let exclusive = schema["exclusiveMaximum"] == true
                if exclusive ? number >= maximum : number > maximum {
                    errors.append(.init(reason: "FieldValueInvalid", message: "Invalid value: \(Self.show(value)): \(field) in body should be less than \(exclusive ? "" : "or equal to ")\(Self.show(schema["maximum"]!))", field: path))
                }
            }
        case .array(let items):
            if let limit = schema["maxItems"]?.intValue, items.count > limit {
                errors.append(.init(reason: "FieldValueTooMany", message: "Too many: \(items.count): must have at most \(limit) items", field: path))
            }
            if let limit = schema["minItems"]?.intValue, items.count < limit {
                errors.append(.init(reason: "FieldValueInvalid", message: "Invalid value: \(items.count): \(field) in body should have at least \(limit) items", field: path))
            }
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() { validate(item, itemSchema, path: "\(path)[\(index)]", errors: &errors) }
            }
        case .object(let members):
            for name in (schema["required"]?.arrayValue ?? []).compactMap(\.stringValue) where members[name] == nil {
                errors.append(.init(reason: "FieldValueRequired", message: "Required value", field: Self.join(path, name)))
            }
            let properties = schema["properties"]?.objectValue ?? [:]
            let additional = schema["additionalProperties"]
            for name in members.keys.sorted() {
                guard let member = members[name] else { continue }
                if let child = properties[name] {
                    validate(member, child, path: Self.join(path, name), errors: &errors)
                } else if let additional, additional.objectValue != nil {
                    validate(member, additional, path: Self.join(path, name), errors: &errors)
                }
            }
        default:
            break
        }
    }

    private static func join(_ path: String, _ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    private static func has(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("integer", .int), ("number", .int), ("number", .double):
            true
        case ("integer", .double(let number)):
            number.rounded() == number
        default:
            false
        }
    }

    private static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .int: "integer"
        case .double: "number"
        case .bool: "boolean"
        default: value.typeName
        }
    }

    /// A value as Go's `%v`-style field errors quote it: strings in quotes, numbers bare.
    private static func show(_ value: JSONValue) -> String {
        if case .string(let text) = value { return "\"\(text)\"" }
        return String(decoding: JSONWriter.bytes(value), as: UTF8.self)
    }
}

extension JSONValue {
    /// An integer or floating-point member as a Double.
    var numberValue: Double? {
        switch self {
        case .int(let number): Double(number)
        case .double(let number): number
        default: nil
        }
    }

    var doubleValue: Double? {
        if case .double(let number) = self { return number }
        return nil
    }
}
