/// One token of a selector, with the byte offset where it starts.
struct SelectorToken: Equatable {
    enum Kind: Equatable {
        case label(String)
        case string(String)
        case has(String)
        case all
        case global
        case leftParen, rightParen, leftBrace, rightBrace, comma
        case not, and, or
        case comparison(SelectorComparison)
        case `in`, notIn
        case end
    }

    let kind: Kind
    /// Byte offset of the token's first character in the selector.
    let offset: Int

    /// How the token reads in an error message.
    var quoted: String {
        switch kind {
        case .label(let label): "label \"\(label)\""
        case .string(let value): "string \"\(value)\""
        case .has(let label): "\"has(\(label))\""
        case .all: "\"all()\""
        case .global: "\"global()\""
        case .leftParen: "\"(\""
        case .rightParen: "\")\""
        case .leftBrace: "\"{\""
        case .rightBrace: "\"}\""
        case .comma: "\",\""
        case .not: "\"!\""
        case .and: "\"&&\""
        case .or: "\"||\""
        case .comparison(let comparison): "\"\(comparison.rawValue)\""
        case .in: "\"in\""
        case .notIn: "\"not in\""
        case .end: "the end of the selector"
        }
    }
}
