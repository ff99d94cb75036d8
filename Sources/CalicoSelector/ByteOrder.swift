/// String comparisons on UTF-8 bytes, as Go's `strings` package makes them.
///
/// Swift's `String` comparisons follow Unicode canonical equivalence ("é" written as one scalar equals "e"
/// followed by a combining accent); Calico compares bytes, so selectors must too.
enum ByteOrder {
    /// Whether `a` and `b` have the same UTF-8 bytes.
    @inline(__always)
    static func equal(_ a: String, _ b: String) -> Bool {
        // Byte-equal strings are always `==`, and `==` is a byte comparison when both are ASCII, its fast path.
        guard a == b else { return false }
        return a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8)
    }

    /// Whether `a` and `b` have the same UTF-8 bytes, when `a` is known to be ASCII: then `==` with equal byte
    /// lengths is byte equality (the only non-ASCII characters canonically equivalent to ASCII ones are single
    /// scalars such as U+212A KELVIN SIGN, which take more bytes), and no byte-by-byte pass is needed.
    @inline(__always)
    static func equal(_ a: String, _ b: String, firstIsASCII: Bool) -> Bool {
        guard a == b, a.utf8.count == b.utf8.count else { return false }
        return firstIsASCII || a.utf8.elementsEqual(b.utf8)
    }

    /// Whether every byte of `s` is ASCII.
    static func isASCII(_ s: String) -> Bool {
        s.utf8.allSatisfy { $0 < 0x80 }
    }

    /// Whether `a` sorts before `b` by UTF-8 bytes (Go's `sort.Strings` order).
    static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    static func hasPrefix(_ s: String, _ prefix: String) -> Bool {
        s.utf8.starts(with: prefix.utf8)
    }

    static func hasSuffix(_ s: String, _ suffix: String) -> Bool {
        s.utf8.reversed().starts(with: suffix.utf8.reversed())
    }

    static func contains(_ s: String, _ part: String) -> Bool {
        let haystack = s.utf8, needle = part.utf8
        guard let first = needle.first else { return true }
        var start = haystack.startIndex
        while let found = haystack[start...].firstIndex(of: first) {
            if haystack[found...].starts(with: needle) { return true }
            start = haystack.index(after: found)
        }
        return false
    }
}
