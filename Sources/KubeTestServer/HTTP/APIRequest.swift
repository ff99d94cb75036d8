import NIOHTTP1

/// An HTTP request as the API handler sees it: the target split into path and query, the whole body, and the user
/// the transport authenticated (by client certificate) if any.
public struct APIRequest: Sendable {
    public var method: HTTPMethod
    /// The percent-decoded path, e.g. `/api/v1/namespaces/default/pods`.
    public var path: String
    /// Query parameters; the first value wins when one is repeated.
    public var query: [String: String]
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The user named by the connection's client certificate.
    public var certificateUser: UserInfo?

    public init(method: HTTPMethod, target: String, headers: HTTPHeaders = [:], body: [UInt8] = [], certificateUser: UserInfo? = nil) {
        self.method = method
        self.headers = headers
        self.body = body
        self.certificateUser = certificateUser
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = Self.percentDecoded(parts.first.map(String.init) ?? "/")
        var query: [String: String] = [:]
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let nameValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = Self.percentDecoded(String(nameValue[0]), plusIsSpace: true)
                if query[name] == nil {
                    query[name] = nameValue.count > 1 ? Self.percentDecoded(String(nameValue[1]), plusIsSpace: true) : ""
                }
            }
        }
        self.query = query
    }

    /// The bearer token of the `Authorization` header.
    var bearerToken: String? {
        guard let header = headers.first(name: "authorization") else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingSpaces
    }

    /// The media type of the body, without parameters.
    var contentType: String {
        let value = headers.first(name: "content-type") ?? "application/json"
        return String(value.split(separator: ";").first ?? "").trimmingSpaces.lowercased()
    }

    private static func percentDecoded(_ text: String, plusIsSpace: Bool = false) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusIsSpace && $0 == UInt8(ascii: "+")) }) else { return text }
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
               let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else if plusIsSpace, byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
