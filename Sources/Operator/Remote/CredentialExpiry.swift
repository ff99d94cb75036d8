import Foundation
import KubeClient
import NIOSSL

/// When a remote connection's credentials stop working: a bearer token's JWT `exp`, a client certificate's
/// `notAfter`. Feeds the `CredentialsExpiring` condition (issue 5 §5).
public struct CredentialExpiry: Sendable, Equatable {
    /// How long before expiry the condition warns.
    public static let warningWindow: TimeInterval = 7 * 24 * 3600

    /// `token` or `client certificate`.
    public var credential: String
    public var expiresAt: Date

    public init(credential: String, expiresAt: Date) {
        self.credential = credential
        self.expiresAt = expiresAt
    }

    /// The first of the connection's credentials to expire; nil when none carries an expiry.
    public static func earliest(in connection: ClusterConnection) -> CredentialExpiry? {
        var found: [CredentialExpiry] = []
        if case .bearerToken(let token) = connection.credentials, let date = jwtExpiry(token) {
            found.append(CredentialExpiry(credential: "token", expiresAt: date))
        }
        for source in connection.tls?.certificateChain.prefix(1) ?? [] {
            if case .certificate(let certificate) = source {
                found.append(CredentialExpiry(credential: "client certificate",
                                              expiresAt: Date(timeIntervalSince1970: TimeInterval(certificate.notValidAfter))))
            }
        }
        return found.min { $0.expiresAt < $1.expiresAt }
    }

    /// The `exp` claim of a JWT (`header.payload.signature`, base64url); nil for opaque tokens.
    public static func jwtExpiry(_ token: String) -> Date? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        var payload = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        payload += String(repeating: "=", count: (4 - payload.count % 4) % 4)
        guard let data = Data(base64Encoded: payload),
              let claims = try? JSONSerialization.jsonObject(with: data) as? [String: Any],  // Not a JWT: no expiry.
              let exp = claims["exp"] as? NSNumber else { return nil }
        return Date(timeIntervalSince1970: exp.doubleValue)
    }

    /// Whether the warning applies at `now`.
    public func isWithinWarningWindow(now: Date) -> Bool {
        expiresAt.timeIntervalSince(now) < Self.warningWindow
    }
}
