import NIOSSL

/// Turns ``Credentials`` into what one request carries: an `Authorization` header and, for exec plugins
/// that return certificates, a client identity.
final class Authenticator: Sendable {
    private let source: Source

    private enum Source: Sendable {
        case none
        case header(String)
        case tokenFile(TokenFileReader)
        case exec(ExecCredentialProvider)
    }

    /// The authentication of one attempt; handed back on 401 so only that credential is dropped.
    struct Authorization: Sendable {
        var header: String?
        var clientCertificateChain: [NIOSSLCertificate] = []
        var clientKey: NIOSSLPrivateKey?
        fileprivate var execCredential: ExecCredential?
    }

    init(_ credentials: Credentials) {
        switch credentials {
        case .none:
            source = .none
        case .bearerToken(let token):
            source = .header("Bearer \(token)")
        case .basic(let username, let password):
            source = .header("Basic \(Base64.encode(Array("\(username):\(password)".utf8)))")
        case .tokenFile(let path):
            source = .tokenFile(TokenFileReader(path: path))
        case .exec(let configuration):
            source = .exec(ExecCredentialProvider(configuration: configuration))
        }
    }

    func authorization() async throws -> Authorization {
        switch source {
        case .none:
            return Authorization()
        case .header(let header):
            return Authorization(header: header)
        case .tokenFile(let reader):
            return Authorization(header: "Bearer \(try reader.token())")
        case .exec(let provider):
            let credential = try await provider.credential()
            var authorization = Authorization(execCredential: credential)
            if let token = credential.token { authorization.header = "Bearer \(token)" }
            if let certificate = credential.clientCertificatePEM, let key = credential.clientKeyPEM {
                do {
                    authorization.clientCertificateChain = try NIOSSLCertificate.fromPEMBytes(Array(certificate.utf8))
                    authorization.clientKey = try NIOSSLPrivateKey(bytes: Array(key.utf8), format: .pem)
                } catch {
                    await provider.invalidate(credential)
                    throw KubeClientError.credentials(
                        "exec plugin \"\(provider.configuration.command)\" returned an unreadable client certificate or key")
                }
            }
            return authorization
        }
    }

    /// Called after a 401: drops the rejected credential if it can be renewed. Returns whether a retry
    /// with fresh credentials makes sense (exec plugins and rotated token files).
    func rejected(_ authorization: Authorization) async -> Bool {
        switch source {
        case .none, .header:
            return false
        case .tokenFile:
            return true
        case .exec(let provider):
            if let credential = authorization.execCredential { await provider.invalidate(credential) }
            return true
        }
    }
}
