/// Recursive-descent parser for Calico's selector grammar (`calico-federation.md` §5.2):
///
/// ```
/// selector := ε | or
/// or       := and ("||" and)*
/// and      := unary ("&&" unary)*
/// unary    := "!"* primary                    (an odd number of "!" negates)
/// primary  := "(" or ")" | "all()" | "global()" | "has(" LABEL ")"
///           | LABEL ("==" | "!=" | "contains" | "starts with" | "ends with") STRING
///           | LABEL ("in" | "not in") "{" [STRING ("," STRING)* [","]] "}"
/// ```
struct SelectorParser {
    private let tokens: [SelectorToken]
    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    static func parse(_ text: String) throws(SelectorParseError) -> SelectorExpression {
        var parser = SelectorParser(tokens: try SelectorTokenizer.tokenize(text), bytes: Array(text.utf8))
        return try parser.parseSelector()
    }

    private init(tokens: [SelectorToken], bytes: [UInt8]) {
        self.tokens = tokens
        self.bytes = bytes
    }

    private var current: SelectorToken { tokens[index] }

    private mutating func parseSelector() throws(SelectorParseError) -> SelectorExpression {
        if current.kind == .end { return .all }
        let expression = try parseOr()
        guard current.kind == .end else { throw expected("\"&&\", \"||\" or the end of the selector") }
        return expression
    }

    private mutating func parseOr() throws(SelectorParseError) -> SelectorExpression {
        try parseJoined(by: .or, operand: { (parser: inout SelectorParser) throws(SelectorParseError) in try parser.parseAnd() }, group: SelectorExpression.or)
    }

    private mutating func parseAnd() throws(SelectorParseError) -> SelectorExpression {
        try parseJoined(by: .and, operand: { (parser: inout SelectorParser) throws(SelectorParseError) in try parser.parseUnary() }, group: SelectorExpression.and)
    }

    /// One or more operands separated by `separator`; a single operand stands alone, more form a group.
    private mutating func parseJoined(
        by separator: SelectorToken.Kind,
        operand: (inout SelectorParser) throws(SelectorParseError) -> SelectorExpression,
        group: ([SelectorExpression]) -> SelectorExpression
    ) throws(SelectorParseError) -> SelectorExpression {
        var operands = [try operand(&self)]
        while current.kind == separator {
            index += 1
            operands.append(try operand(&self))
        }
        return operands.count == 1 ? operands[0] : group(operands)
    }

    private mutating func parseUnary() throws(SelectorParseError) -> SelectorExpression {
        var negated = false
        while current.kind == .not {
            negated.toggle()
            index += 1
        }
        let primary = try parsePrimary()
        return negated ? .not(primary) : primary
    }

    private mutating func parsePrimary() throws(SelectorParseError) -> SelectorExpression {
        let token = current
        switch token.kind {
        case .all:
            index += 1
            return .all
        case .global:
            index += 1
            return .global
        case .has(let label):
            index += 1
            return .has(label: label)
        case .label(let label):
            index += 1
            return try parseMatch(label: label)
        case .leftParen:
            guard depth < Selector.maximumNestingDepth else {
                throw SelectorParseError(reason: .nestedTooDeeply, byteOffset: token.offset, in: bytes)
            }
            depth += 1
            index += 1
            let inner = try parseOr()
            guard current.kind == .rightParen else { throw expected("\")\" to close the \"(\" at offset \(characterOffset(token))") }
            index += 1
            depth -= 1
            return inner
        default:
            throw expected("an expression (a label comparison, \"has(\", \"all()\", \"global()\", \"!\" or \"(\")")
        }
    }

    private mutating func parseMatch(label: String) throws(SelectorParseError) -> SelectorExpression {
        let operatorToken = current
        switch operatorToken.kind {
        case .comparison(let comparison):
            index += 1
            guard case .string(let value) = current.kind else { throw expected("a quoted string after \(operatorToken.quoted)") }
            index += 1
            return .compare(label: label, comparison, value: value)
        case .in, .notIn:
            index += 1
            guard current.kind == .leftBrace else { throw expected("\"{\" after \(operatorToken.quoted)") }
            index += 1
            let members = try parseSetMembers()
            return .set(label: label, members: members, negated: operatorToken.kind == .notIn)
        default:
            throw expected("an operator after label \"\(label)\"")
        }
    }

    /// Members up to and including the closing brace; a trailing comma is allowed, a leading or doubled one is not.
    private mutating func parseSetMembers() throws(SelectorParseError) -> [String] {
        var members: [String] = []
        while case .string(let member) = current.kind {
            members.append(member)
            index += 1
            guard current.kind == .comma else {
                guard current.kind == .rightBrace else { throw expected("\",\" or \"}\"") }
                break
            }
            index += 1
        }
        guard current.kind == .rightBrace else { throw expected("a quoted string or \"}\"") }
        index += 1
        return members
    }

    private func expected(_ what: String) -> SelectorParseError {
        SelectorParseError(reason: .expected(what, found: current.quoted), byteOffset: current.offset, in: bytes)
    }

    private func characterOffset(_ token: SelectorToken) -> Int {
        SelectorParseError.characterOffset(byteOffset: token.offset, in: bytes)
    }
}
