/// Splits a selector into tokens by Calico's lexical rules (`calico-federation.md` §5.1).
///
/// Only space and tab separate tokens; labels are runs of `[A-Za-z0-9_./-]` up to 512 bytes; strings run to the
/// next identical quote with no escapes; `contains`, `starts with`, `ends with`, `in` and `not in` are operators
/// only right after a label (multi-word ones with any blanks, or none, between the words) and must end at a word
/// boundary; `has(`, `all(` and `global(` are functions only when the parenthesis follows directly.
struct SelectorTokenizer {
    /// Calico's `tokenizer.MaxLabelLength`.
    static let maximumLabelLength = 512

    private let bytes: [UInt8]
    private var position = 0
    private var tokens: [SelectorToken] = []

    private init(_ text: String) {
        bytes = Array(text.utf8)
    }

    static func tokenize(_ text: String) throws(SelectorParseError) -> [SelectorToken] {
        var tokenizer = SelectorTokenizer(text)
        try tokenizer.run()
        return tokenizer.tokens
    }

    private mutating func run() throws(SelectorParseError) {
        while true {
            skipBlanks()
            let start = position
            guard position < bytes.count else {
                tokens.append(SelectorToken(kind: .end, offset: start))
                return
            }
            let kind = try nextKind(start: start)
            tokens.append(SelectorToken(kind: kind, offset: start))
        }
    }

    private mutating func nextKind(start: Int) throws(SelectorParseError) -> SelectorToken.Kind {
        let byte = bytes[position]
        switch byte {
        case UInt8(ascii: "("): position += 1; return .leftParen
        case UInt8(ascii: ")"): position += 1; return .rightParen
        case UInt8(ascii: "{"): position += 1; return .leftBrace
        case UInt8(ascii: "}"): position += 1; return .rightBrace
        case UInt8(ascii: ","): position += 1; return .comma
        case UInt8(ascii: "\""), UInt8(ascii: "'"): return .string(try quotedString(quote: byte))
        case UInt8(ascii: "="):
            guard cut("==") else { throw error(.expected("\"==\""), at: start) }
            return .comparison(.equal)
        case UInt8(ascii: "!"):
            if cut("!=") { return .comparison(.notEqual) }
            position += 1
            return .not
        case UInt8(ascii: "&"):
            guard cut("&&") else { throw error(.expected("\"&&\""), at: start) }
            return .and
        case UInt8(ascii: "|"):
            guard cut("||") else { throw error(.expected("\"||\""), at: start) }
            return .or
        default:
            if case .label(let label) = tokens.last?.kind { return try wordOperator(after: label, start: start) }
            if cut("has(") {
                skipBlanks()
                let label = try identifier()
                skipBlanks()
                guard cut(")") else { throw error(.expected("\")\" to close \"has(\""), at: position) }
                return .has(label)
            }
            if cut("all(") {
                skipBlanks()
                guard cut(")") else { throw error(.expected("\")\" to close \"all(\""), at: position) }
                return .all
            }
            if cut("global(") {
                skipBlanks()
                guard cut(")") else { throw error(.expected("\")\" to close \"global(\""), at: position) }
                return .global
            }
            guard Self.isLabelByte(byte) else { throw error(.unexpectedCharacter(character(at: start)), at: start) }
            return .label(try identifier())
        }
    }

    private mutating func wordOperator(after label: String, start: Int) throws(SelectorParseError) -> SelectorToken.Kind {
        if cutWords(["contains"]) { return .comparison(.contains) }
        if cutWords(["starts", "with"]) { return .comparison(.startsWith) }
        if cutWords(["ends", "with"]) { return .comparison(.endsWith) }
        if cutWords(["not", "in"]) { return .notIn }
        if cutWords(["in"]) { return .in }
        var end = start
        while end < bytes.count, Self.isLabelByte(bytes[end]) { end += 1 }
        let found = end > start ? String(decoding: bytes[start..<end], as: UTF8.self) : character(at: start)
        throw error(.expected("an operator after label \"\(label)\"", found: SelectorParseError.show(found)), at: start)
    }

    private mutating func quotedString(quote: UInt8) throws(SelectorParseError) -> String {
        let start = position
        guard let end = bytes[(start + 1)...].firstIndex(of: quote) else {
            throw error(.unterminatedString, at: start)
        }
        position = end + 1
        return String(decoding: bytes[(start + 1)..<end], as: UTF8.self)
    }

    private mutating func identifier() throws(SelectorParseError) -> String {
        let start = position
        while position < bytes.count, Self.isLabelByte(bytes[position]) { position += 1 }
        let length = position - start
        guard length > 0 else { throw error(.expected("a label"), at: start) }
        guard length <= Self.maximumLabelLength else { throw error(.labelTooLong(length: length), at: start) }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// Consumes `words` with any blanks between them, if they are next and the last one ends at a word boundary.
    private mutating func cutWords(_ words: [String]) -> Bool {
        let saved = position
        for (index, word) in words.enumerated() {
            guard cut(word) else { position = saved; return false }
            if index < words.count - 1 { skipBlanks() }
        }
        if position < bytes.count, Self.isLabelByte(bytes[position]) {
            position = saved
            return false
        }
        return true
    }

    private mutating func cut(_ literal: String) -> Bool {
        let utf8 = literal.utf8
        guard bytes.count - position >= utf8.count, bytes[position...].starts(with: utf8) else { return false }
        position += utf8.count
        return true
    }

    private mutating func skipBlanks() {
        while position < bytes.count, bytes[position] == UInt8(ascii: " ") || bytes[position] == UInt8(ascii: "\t") {
            position += 1
        }
    }

    /// The whole character starting at `offset`, for messages.
    private func character(at offset: Int) -> String {
        var end = offset + 1
        while end < bytes.count, bytes[end] & 0b1100_0000 == 0b1000_0000 { end += 1 }
        return String(decoding: bytes[offset..<end], as: UTF8.self)
    }

    private func error(_ reason: SelectorParseError.Reason, at offset: Int) -> SelectorParseError {
        SelectorParseError(reason: reason, byteOffset: offset, in: bytes)
    }

    /// `[A-Za-z0-9_./-]`, Calico's `identifierChar`.
    static func isLabelByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
