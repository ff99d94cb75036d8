import KubeClient

/// Why a remote cluster could not be read, classified for the `Connected` condition: the reason is bounded (for
/// conditions and metrics), the message names the request and the cause (refused, TLS, 401, the permission a 403
/// lacks...) and never a credential.
public struct RemoteConnectionFailure: Sendable, Equatable, CustomStringConvertible {
    /// `Unreachable`, `TLSHandshakeFailed`, `Timeout`, `Unauthorized`, `Forbidden` or `RemoteError`.
    public var reason: String
    public var message: String

    public init(reason: String, message: String) {
        self.reason = reason
        self.message = message
    }

    public init(_ error: any Error) {
        switch error {
        case let error as KubeAPIError where error.isUnauthorized:
            reason = "Unauthorized"
            message = "the remote API server rejected the credentials (401) for \(error.request); check the token or client certificate"
        case let error as KubeAPIError where error.isForbidden:
            reason = "Forbidden"
            message = "\(error.status.message ?? error.description); grant the remote ClusterRole of config/rbac/remote-cluster-reader.yaml"
        case let error as KubeAPIError:
            reason = "RemoteError"
            message = error.description
        case let error as KubeClientError:
            switch error {
            case .connect: reason = "Unreachable"
            case .tls(let request, let underlying):
                reason = "TLSHandshakeFailed"
                message = Self.tlsMessage(request: request, underlying: underlying)
                return
            case .timeout: reason = "Timeout"
            default: reason = "RemoteError"
            }
            message = error.description
        default:
            reason = "RemoteError"
            message = "\(error)"
        }
    }

    public var description: String { "\(reason): \(message)" }

    /// BoringSSL's reason code (`CERTIFICATE_VERIFY_FAILED`) and what to check, without the library's source paths.
    static func tlsMessage(request: String, underlying: any Error) -> String {
        let text = "\(underlying)"
        let code = text.firstMatch(of: /([A-Z][A-Z0-9_]{7,})\b/).map { String($0.1) }
        let advice = code == "CERTIFICATE_VERIFY_FAILED"
            ? "the server's certificate is not signed by the CA the kubeconfig trusts; check certificate-authority(-data)"
            : "check the kubeconfig's certificate-authority and client certificate"
        return "\(request): TLS handshake failed (\(code ?? "handshake error")): \(advice)"
    }
}
