import KubeClient

/// The part of kubectl's JSONPath that printer columns use: `.a.b`, `['a.b']`, `[0]`, `[*]` and filters
/// `[?(@.type=="Ready")]` (`==` and `!=`). Nil for anything it does not understand.
struct JSONPathQuery: Sendable {
    enum Step: Sendable {
        case member(String)
        case index(Int)
        case all
        case filter(path: [String], value: String, equal: Bool)
    }

    let steps: [Step]

    init?(_ expression: String) {
        var text = Substring(expression.trimmingSpaces)
        if text.hasPrefix("{"), text.hasSuffix("}") { text = text.dropFirst().dropLast() }
        var steps: [Step] = []
        while !text.isEmpty {
            if text.hasPrefix(".") {
                text = text.dropFirst()
                let name = text.prefix { $0 != "." && $0 != "[" }
                guard !name.isEmpty else { return nil }
                steps.append(.member(String(name)))
                text = text.dropFirst(name.count)
            } else if text.hasPrefix("[") {
                guard let close = text.firstIndex(of: "]") else { return nil }
                var inside = text[text.index(after: text.startIndex)..<close]
                if inside.hasPrefix("?(") {
                    // A filter may contain "]" only inside quotes; find the real end ")]".
                    guard let end = text.range(of: ")]") else { return nil }
                    inside = text[text.index(text.startIndex, offsetBy: 3)..<end.lowerBound]
                    guard let filter = Self.filter(inside) else { return nil }
                    steps.append(filter)
                    text = text[end.upperBound...]
                    continue
                }
                if inside == "*" {
                    steps.append(.all)
                } else if let index = Int(inside) {
                    steps.append(.index(index))
                } else if inside.count >= 2, let quote = inside.first, quote == "'" || quote == "\"", inside.last == quote {
                    steps.append(.member(String(inside.dropFirst().dropLast())))
                } else {
                    return nil
                }
                text = text[text.index(after: close)...]
            } else {
                return nil
            }
        }
        self.steps = steps
    }

    /// `@.a.b=="v"` or `@.a!='v'`.
    private static func filter(_ text: Substring) -> Step? {
        let equal = !text.contains("!=")
        let parts = text.components(separatedBy: equal ? "==" : "!=")
        guard parts.count == 2, parts[0].hasPrefix("@.") else { return nil }
        let path = parts[0].dropFirst(2).trimmingSpaces.split(separator: ".").map(String.init)
        var value = parts[1].trimmingSpaces
        if let quote = value.first, quote == "'" || quote == "\"", value.count >= 2, value.last == quote {
            value = String(value.dropFirst().dropLast())
        }
        return .filter(path: path, value: value, equal: equal)
    }

    func values(in object: JSONValue) -> [JSONValue] {
        var current = [object]
        for step in steps {
            var next: [JSONValue] = []
            for value in current {
                switch step {
                case .member(let name):
                    if let member = value[name] { next.append(member) }
                case .index(let index):
                    if let items = value.arrayValue, items.indices.contains(index) { next.append(items[index]) }
                case .all:
                    if let items = value.arrayValue { next.append(contentsOf: items) } else if let members = value.objectValue {
                        next.append(contentsOf: members.keys.sorted().compactMap { members[$0] })
                    }
                case .filter(let path, let expected, let equal):
                    for item in value.arrayValue ?? [] {
                        var field: JSONValue? = item
                        for name in path { field = field?[name] }
                        let actual = field.map { Self.text([$0]) }
                        if (actual == expected) == equal, actual != nil || !equal { next.append(item) }
                    }
                }
            }
            current = next
        }
        return current
    }

    /// Values as kubectl prints them: strings bare, anything else as JSON, joined by spaces.
    static func text(_ values: [JSONValue]) -> String {
        values.map { value in
            if case .string(let text) = value { return text }
            return String(decoding: JSONWriter.bytes(value), as: UTF8.self)
        }.joined(separator: " ")
    }
}
