import Foundation

/// Standard base64 (RFC 4648 with padding), the encoding of Secret data and kubeconfig `*-data` fields.
enum Base64 {
    /// The decoded bytes, or `nil` when `text` is not valid standard base64.
    static func decode(_ text: String) -> [UInt8]? {
        Data(base64Encoded: text).map { [UInt8]($0) }
    }

    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }
}
