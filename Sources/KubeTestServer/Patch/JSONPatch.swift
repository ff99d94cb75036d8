import KubeClient

/// JSON patch (RFC 6902), `application/json-patch+json`: a list of `add`, `remove`, `replace`, `move`, `copy` and
/// `test` operations on JSON pointers (RFC 6901), applied in order; the first failure rejects the whole patch.
public enum JSONPatch {
    /// - Throws: `400 BadRequest` for a malformed patch document, `422 Invalid` for an operation that cannot apply.
    public static func apply(_ patch: JSONValue, to target: JSONValue) throws(StoreError) -> JSONValue {
        guard case .array(let operations) = patch else {
            throw .badRequest("json patch must be a JSON array of operations")
        }
        var document = target
        for (index, operation) in operations.enumerated() {
            guard let op = operation["op"]?.stringValue, let path = operation["path"]?.stringValue else {
                throw .badRequest("json patch operation \(index) needs string members \"op\" and \"path\"")
            }
            let pointer = try Pointer(path)
            switch op {
            case "add":
                document = try pointer.insert(try value(of: operation, index), into: document, replacing: false)
            case "replace":
                _ = try pointer.read(document, operation: index)
                document = try pointer.insert(try value(of: operation, index), into: document, replacing: true)
            case "remove":
                document = try pointer.remove(from: document, operation: index)
            case "move", "copy":
                guard let fromPath = operation["from"]?.stringValue else {
                    throw .badRequest("json patch operation \(index) (\(op)) needs a string member \"from\"")
                }
                let from = try Pointer(fromPath)
                let moved = try from.read(document, operation: index)
                if op == "move" { document = try from.remove(from: document, operation: index) }
                document = try pointer.insert(moved, into: document, replacing: false)
            case "test":
                guard try pointer.read(document, operation: index) == (try value(of: operation, index)) else {
                    throw unprocessable("testing value \(path) failed")
                }
            default:
                throw .badRequest("json patch operation \(index): unknown op \"\(op)\"")
            }
        }
        return document
    }

    private static func value(of operation: JSONValue, _ index: Int) throws(StoreError) -> JSONValue {
        guard case .object(let members) = operation, let value = members["value"] else {
            throw .badRequest("json patch operation \(index) needs a member \"value\"")
        }
        return value
    }

    static func unprocessable(_ message: String) -> StoreError {
        StoreError(code: 422, reason: "Invalid", message: "the server rejected our request due to an error in our request: \(message)")
    }

    /// An RFC 6901 pointer such as `/metadata/labels/app~1name`.
    struct Pointer {
        let tokens: [String]
        let text: String

        init(_ text: String) throws(StoreError) {
            self.text = text
            guard text.isEmpty || text.hasPrefix("/") else { throw .badRequest("json patch path \"\(text)\" must start with \"/\"") }
            tokens = text.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map {
                $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            }
        }

        func read(_ document: JSONValue, operation: Int) throws(StoreError) -> JSONValue {
            var current = document
            for token in tokens {
                switch current {
                case .object(let members):
                    guard let next = members[token] else { throw missing(operation) }
                    current = next
                case .array(let elements):
                    guard let index = Int(token), elements.indices.contains(index) else { throw missing(operation) }
                    current = elements[index]
                default:
                    throw missing(operation)
                }
            }
            return current
        }

        func insert(_ value: JSONValue, into document: JSONValue, replacing: Bool) throws(StoreError) -> JSONValue {
            try edit(document, at: tokens[...]) { (container: JSONValue, last: String) throws(StoreError) -> JSONValue in
                switch container {
                case .object(var members):
                    members[last] = value
                    return .object(members)
                case .array(var elements):
                    if last == "-", !replacing { elements.append(value); return .array(elements) }
                    guard let index = Int(last), index >= 0, index <= elements.count - (replacing ? 1 : 0) else {
                        throw unprocessable("index \(last) is out of range in \(text)")
                    }
                    if replacing { elements[index] = value } else { elements.insert(value, at: index) }
                    return .array(elements)
                default:
                    throw unprocessable("\(text): the parent is not an object or array")
                }
            }
        }

        func remove(from document: JSONValue, operation: Int) throws(StoreError) -> JSONValue {
            _ = try read(document, operation: operation)
            return try edit(document, at: tokens[...]) { (container: JSONValue, last: String) throws(StoreError) -> JSONValue in
                switch container {
                case .object(var members):
                    members[last] = nil
                    return .object(members)
                case .array(var elements):
                    guard let index = Int(last), elements.indices.contains(index) else { throw missing(operation) }
                    elements.remove(at: index)
                    return .array(elements)
                default:
                    throw missing(operation)
                }
            }
        }

        /// Rebuilds `document` with `change` applied to the container of the last token.
        private func edit(
            _ document: JSONValue, at path: ArraySlice<String>,
            _ change: (JSONValue, String) throws(StoreError) -> JSONValue
        ) throws(StoreError) -> JSONValue {
            guard let first = path.first else {
                throw JSONPatch.unprocessable("the whole document cannot be the target of this operation")
            }
            if path.count == 1 { return try change(document, first) }
            switch document {
            case .object(var members):
                guard let child = members[first] else { throw JSONPatch.unprocessable("doc is missing path: \(text)") }
                members[first] = try edit(child, at: path.dropFirst(), change)
                return .object(members)
            case .array(var elements):
                guard let index = Int(first), elements.indices.contains(index) else {
                    throw JSONPatch.unprocessable("doc is missing path: \(text)")
                }
                elements[index] = try edit(elements[index], at: path.dropFirst(), change)
                return .array(elements)
            default:
                throw JSONPatch.unprocessable("doc is missing path: \(text)")
            }
        }

        private func missing(_ operation: Int) -> StoreError {
            JSONPatch.unprocessable("doc is missing path: \(text) (operation \(operation))")
        }
    }
}
