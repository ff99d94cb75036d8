/// A string literal from a selector, compared with label values byte for byte; whether it is ASCII is worked out
/// once, so only non-ASCII literals pay for a byte-by-byte comparison (``ByteOrder/equal(_:_:firstIsASCII:)``).
struct ByteLiteral: Sendable, Hashable {
    let string: String
    let isASCII: Bool

    init(_ string: String) {
        self.string = string
        self.isASCII = ByteOrder.isASCII(string)
    }

    @inline(__always)
    func equals(_ value: String) -> Bool {
        ByteOrder.equal(string, value, firstIsASCII: isASCII)
    }
}
