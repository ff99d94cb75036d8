/// A string literal from a selector, compared with label values byte for byte.
///
/// Swift's `==` follows Unicode canonical equivalence; Calico compares bytes. When the literal is ASCII, `==` plus
/// equal UTF-8 lengths already implies equal bytes (the only non-ASCII characters canonically equivalent to ASCII
/// ones are single scalars such as U+212A KELVIN SIGN, which take more bytes), so only non-ASCII literals pay for
/// a byte-by-byte comparison.
struct ByteLiteral: Sendable, Hashable {
    let string: String
    let isASCII: Bool

    init(_ string: String) {
        self.string = string
        self.isASCII = string.utf8.allSatisfy { $0 < 0x80 }
    }

    @inline(__always)
    func equals(_ value: String) -> Bool {
        guard value == string, value.utf8.count == string.utf8.count else { return false }
        return isASCII || value.utf8.elementsEqual(string.utf8)
    }
}
