/// Why a selector did not parse, and where: `expected "}" at offset 9, found the end of the selector`.
///
/// `offset` counts characters from the start of the selector (0-based), so it points at the problem in what the
/// user typed even when the selector contains non-ASCII strings.
public struct SelectorParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Sendable, Equatable {
        /// Something else was required here, described for a reader: `"}"`, `a label`, `an operator after label "a"`.
        case expected(String, found: String? = nil)
        /// A quote with no closing quote of the same kind (there are no escapes).
        case unterminatedString
        /// A label longer than 512 bytes.
        case labelTooLong(length: Int)
        /// A character that cannot start any token.
        case unexpectedCharacter(String)
        /// More than ``Selector/maximumNestingDepth`` parentheses open at once.
        case nestedTooDeeply
    }

    /// What went wrong.
    public let reason: Reason
    /// Characters before the problem.
    public let offset: Int

    init(reason: Reason, byteOffset: Int, in bytes: [UInt8]) {
        self.reason = reason
        self.offset = Self.characterOffset(byteOffset: byteOffset, in: bytes)
    }

    /// The number of characters in the first `byteOffset` bytes of `bytes`.
    static func characterOffset(byteOffset: Int, in bytes: [UInt8]) -> Int {
        String(decoding: bytes[..<min(byteOffset, bytes.count)], as: UTF8.self).count
    }

    /// A bounded label for metrics: the kind of problem without any part of the selector.
    public var reasonLabel: String {
        switch reason {
        case .expected: "Expected"
        case .unterminatedString: "UnterminatedString"
        case .labelTooLong: "LabelTooLong"
        case .unexpectedCharacter: "UnexpectedCharacter"
        case .nestedTooDeeply: "NestedTooDeeply"
        }
    }

    public var description: String {
        switch reason {
        case .expected(let what, let found):
            "expected \(what) at offset \(offset)" + (found.map { ", found \($0)" } ?? "")
        case .unterminatedString:
            "unterminated string starting at offset \(offset) (strings have no escapes; use the other quote kind)"
        case .labelTooLong(let length):
            "label too long at offset \(offset): \(length) characters, at most \(SelectorTokenizer.maximumLabelLength)"
        case .unexpectedCharacter(let character):
            "unexpected character \(Self.show(character)) at offset \(offset)"
        case .nestedTooDeeply:
            "parentheses nested more than \(Selector.maximumNestingDepth) deep at offset \(offset)"
        }
    }

    /// Quotes a character (or word), spelling out the invisible ones (a newline is not whitespace in a selector).
    static func show(_ character: String) -> String {
        switch character {
        case "\n": "newline (only spaces and tabs may separate tokens)"
        case "\r": "carriage return (only spaces and tabs may separate tokens)"
        default:
            character.unicodeScalars.allSatisfy { $0.properties.generalCategory != .control }
                ? "\"\(character)\"" : "U+" + character.unicodeScalars.map { String($0.value, radix: 16, uppercase: true) }.joined(separator: " U+")
        }
    }
}
