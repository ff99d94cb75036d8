import KubeClient

/// A Kubernetes `labelSelector` query parameter (`app=web,tier!=db,env in (a,b),!legacy,release`), parsed and
/// matched as apimachinery's `labels.Parse` does.
public struct LabelSelectorQuery: Sendable, Equatable {
    /// One comma-separated requirement.
    public enum Requirement: Sendable, Equatable {
        case exists(String)
        case doesNotExist(String)
        case equals(String, String)
        case notEquals(String, String)
        case `in`(String, Set<String>)
        case notIn(String, Set<String>)
        case greaterThan(String, Int64)
        case lessThan(String, Int64)
    }

    public let requirements: [Requirement]

    /// - Throws: a `400 BadRequest` ``StoreError`` naming the requirement that does not parse.
    public init(parsing text: String) throws(StoreError) {
        var requirements: [Requirement] = []
        var scanner = RequirementScanner(text)
        while !scanner.atEnd {
            requirements.append(try scanner.requirement())
            scanner.skipSpaces()
            if scanner.atEnd { break }
            guard scanner.take(",") else { throw scanner.failure("expected ','") }
        }
        self.requirements = requirements
    }

    /// Whether an object's `metadata.labels` satisfy the query.
    public func matches(_ object: JSONValue) -> Bool {
        matches(object.labels)
    }

    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { requirement in
            switch requirement {
            case .exists(let key): labels[key] != nil
            case .doesNotExist(let key): labels[key] == nil
            case .equals(let key, let value): labels[key] == value
            case .notEquals(let key, let value): labels[key] != value
            case .in(let key, let values): labels[key].map(values.contains) ?? false
            case .notIn(let key, let values): !(labels[key].map(values.contains) ?? false)
            case .greaterThan(let key, let bound): labels[key].flatMap { Int64($0) }.map { $0 > bound } ?? false
            case .lessThan(let key, let bound): labels[key].flatMap { Int64($0) }.map { $0 < bound } ?? false
            }
        }
    }
}

/// Reads label selector requirements one at a time.
private struct RequirementScanner {
    private let text: String
    private let characters: [Character]
    private var position = 0

    init(_ text: String) {
        self.text = text
        self.characters = Array(text)
        skipSpaces()
    }

    var atEnd: Bool { position >= characters.count }

    mutating func skipSpaces() {
        while position < characters.count, characters[position].isWhitespace { position += 1 }
    }

    mutating func take(_ literal: String) -> Bool {
        let wanted = Array(literal)
        guard position + wanted.count <= characters.count, Array(characters[position..<(position + wanted.count)]) == wanted else {
            return false
        }
        position += wanted.count
        return true
    }

    /// Letters, digits and `-_./` (what label keys and values are made of).
    mutating func word() -> String {
        skipSpaces()
        let start = position
        while position < characters.count,
              characters[position].isLetter || characters[position].isNumber || "-_./".contains(characters[position]) {
            position += 1
        }
        return String(characters[start..<position])
    }

    mutating func requirement() throws(StoreError) -> LabelSelectorQuery.Requirement {
        skipSpaces()
        if take("!") {
            let key = word()
            guard !key.isEmpty else { throw failure("expected a label key after '!'") }
            return .doesNotExist(key)
        }
        let key = word()
        guard !key.isEmpty else { throw failure("expected a label key") }
        skipSpaces()
        if atEnd || characters[position] == "," { return .exists(key) }
        if take("==") || take("=") { return .equals(key, word()) }
        if take("!=") { return .notEquals(key, word()) }
        if take(">") { return .greaterThan(key, try integer(for: key)) }
        if take("<") { return .lessThan(key, try integer(for: key)) }
        let operation = word()
        switch operation {
        case "in": return .in(key, try valueSet())
        case "notin": return .notIn(key, try valueSet())
        default: throw failure("unexpected '\(operation)' after key '\(key)': expected one of '=', '==', '!=', 'in', 'notin', '>', '<'")
        }
    }

    private mutating func integer(for key: String) throws(StoreError) -> Int64 {
        let value = word()
        guard let number = Int64(value) else { throw failure("for '\(key)', '\(value)' is not an integer") }
        return number
    }

    private mutating func valueSet() throws(StoreError) -> Set<String> {
        skipSpaces()
        guard take("(") else { throw failure("expected '(' to start a set of values") }
        var values: Set<String> = []
        while true {
            values.insert(word())
            skipSpaces()
            if take(")") { return values }
            guard take(",") else { throw failure("expected ',' or ')' in a set of values") }
        }
    }

    func failure(_ why: String) -> StoreError {
        .badRequest("unable to parse requirement: \(why) at position \(position) in \"\(text)\"")
    }
}
