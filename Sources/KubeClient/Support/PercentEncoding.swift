/// Percent-encoding of URL path segments and query components (RFC 3986).
enum PercentEncoding {
    /// Encodes every byte except the unreserved characters (`A-Z a-z 0-9 - . _ ~`) and `alsoAllowed`.
    static func encode(_ text: String, alsoAllowed: Set<UInt8> = []) -> String {
        var out = ""
        for byte in text.utf8 {
            if isUnreserved(byte) || alsoAllowed.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += hex.count == 1 ? "%0" + hex : "%" + hex
            }
        }
        return out
    }

    /// `:` and `@` may stand unencoded in a path segment.
    static let pathSegmentExtras: Set<UInt8> = [UInt8(ascii: ":"), UInt8(ascii: "@")]

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
