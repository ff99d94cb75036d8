import CalicoSelector

/// A deterministic random source (SplitMix64) so a failing seed can be replayed.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random selector texts, each with an independent model of what it means, over a small vocabulary so that
/// random label sets hit both sides of every comparison.
struct RandomSelectors {
    static let labels = ["a", "b", "c", "app", "in", "has"]
    static let values = ["", "x", "y", "xy", "web", "it's", "say \"hi\""]

    var random: SeededRandom

    /// Text written with random spacing, quotes and redundant parentheses, and the model's verdict function.
    mutating func selector(depth: Int = 0) -> (text: String, meaning: @Sendable ([String: String]) -> Bool) {
        let roll = Int.random(in: 0..<(depth >= 3 ? 6 : 10), using: &random)
        switch roll {
        case 0:
            return ("all()", { _ in true })
        case 1:
            let label = pick(Self.labels)
            return ("has(\(blank())\(label)\(blank()))", { $0[label] != nil })
        case 2, 3:
            let label = pick(Self.labels), value = pick(Self.values)
            let comparison = pick(SelectorComparison.allCases)
            let spelled = spell(comparison)
            let meaning: @Sendable ([String: String]) -> Bool = { labels in
                guard let actual = labels[label] else { return comparison == .notEqual }
                switch comparison {
                case .equal: return actual == value
                case .notEqual: return actual != value
                case .contains: return value.isEmpty || actual.contains(value)
                case .startsWith: return actual.hasPrefix(value)
                case .endsWith: return actual.hasSuffix(value)
                }
            }
            return ("\(label)\(blank())\(spelled)\(blank(atLeastOne: comparison != .equal && comparison != .notEqual))\(quote(value))", meaning)
        case 4, 5:
            let label = pick(Self.labels)
            let members = (0..<Int.random(in: 0...3, using: &random)).map { _ in pick(Self.values) }
            let negated = Bool.random(using: &random)
            let trailingComma = !members.isEmpty && Bool.random(using: &random)
            let body = members.map { quote($0) }.joined(separator: "\(blank()),\(blank())") + (trailingComma ? "," : "")
            let op = negated ? pick(["not in", "notin", "not \t in"]) : "in"
            return ("\(label) \(op)\(blank()){\(blank())\(body)\(blank())}", { labels in
                guard let actual = labels[label] else { return negated }
                return members.contains(actual) != negated
            })
        case 6:
            let inner = selector(depth: depth + 1)
            let bangs = Int.random(in: 1...3, using: &random)
            let text = String(repeating: "!", count: bangs) + blank() + "(" + inner.text + ")"
            return (text, { bangs % 2 == 1 ? !inner.meaning($0) : inner.meaning($0) })
        case 7:
            let inner = selector(depth: depth + 1)
            return ("(\(blank())\(inner.text)\(blank()))", inner.meaning)
        default:
            let count = Int.random(in: 2...3, using: &random)
            let parts = (0..<count).map { _ in selector(depth: depth + 1) }
            let isAnd = roll == 8
            let text = parts.map { "(" + $0.text + ")" }.joined(separator: blank() + (isAnd ? "&&" : "||") + blank())
            return (text, { labels in
                isAnd ? parts.allSatisfy { $0.meaning(labels) } : parts.contains { $0.meaning(labels) }
            })
        }
    }

    mutating func labelSet() -> [String: String] {
        var labels: [String: String] = [:]
        for label in Self.labels where Int.random(in: 0..<3, using: &random) == 0 {
            labels[label] = pick(Self.values)
        }
        return labels
    }

    mutating func pick<T>(_ options: [T]) -> T { options[Int.random(in: 0..<options.count, using: &random)] }

    private mutating func blank(atLeastOne: Bool = false) -> String {
        let blanks = [" ", "\t", "  "]
        if atLeastOne { return pick(blanks) }
        return Bool.random(using: &random) ? "" : pick(blanks)
    }

    private mutating func spell(_ comparison: SelectorComparison) -> String {
        switch comparison {
        case .equal: "=="
        case .notEqual: "!="
        case .contains: " contains"
        case .startsWith: pick([" starts with", " startswith", " starts\twith"])
        case .endsWith: pick([" ends with", " endswith"])
        }
    }

    private mutating func quote(_ value: String) -> String {
        if value.contains("\"") { return "'\(value)'" }
        if value.contains("'") { return "\"\(value)\"" }
        return Bool.random(using: &random) ? "\"\(value)\"" : "'\(value)'"
    }
}
