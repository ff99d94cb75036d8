/// A string hashed and compared by its UTF-8 bytes, for byte-exact set membership.
struct ByteString: Hashable, Sendable {
    let string: String

    static func == (lhs: ByteString, rhs: ByteString) -> Bool { ByteOrder.equal(lhs.string, rhs.string) }

    func hash(into hasher: inout Hasher) {
        var copy = string
        copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
