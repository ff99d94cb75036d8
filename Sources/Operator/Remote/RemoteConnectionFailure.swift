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
            case .tls: reason = "TLSHandshakeFailed"
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
}
