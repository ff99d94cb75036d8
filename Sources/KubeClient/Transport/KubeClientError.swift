/// A request that failed before or outside the API server's answer: connection, TLS, timeout,
/// credentials, or a response the client could not read. Descriptions carry the request's verb and
/// path (never its credentials).
public enum KubeClientError: Error, Sendable, CustomStringConvertible {
    /// Could not connect (DNS, refused, unreachable).
    case connect(request: String, underlying: any Error & Sendable)
    /// TLS handshake failed (unknown CA, wrong host name, bad client certificate).
    case tls(request: String, underlying: any Error & Sendable)
    /// No complete answer within the deadline.
    case timeout(request: String)
    /// Any other transport failure (connection reset mid-response, ...).
    case transport(request: String, underlying: any Error & Sendable)
    /// The body did not decode into the expected type.
    case decoding(request: String, type: String, underlying: any Error & Sendable)
    /// A response that is neither success nor a Kubernetes `Status` (a proxy's HTML page, ...).
    case invalidResponse(request: String, status: Int, body: String)
    /// Credentials could not be obtained (token file, exec plugin).
    case credentials(String)
    /// The request itself is wrong (e.g. a namespaced write without a namespace).
    case invalidRequest(String)
    /// A watch line exceeded the size limit.
    case watchLineTooLong(request: String, limit: Int)

    public var description: String {
        switch self {
        case .connect(let request, let underlying):
            return "\(request): cannot connect: \(underlying)"
        case .tls(let request, let underlying):
            return "\(request): TLS handshake failed: \(underlying)"
        case .timeout(let request):
            return "\(request): timed out"
        case .transport(let request, let underlying):
            return "\(request): \(underlying)"
        case .decoding(let request, let type, let underlying):
            return "\(request): cannot decode \(type): \(underlying)"
        case .invalidResponse(let request, let status, let body):
            return "\(request): unexpected HTTP \(status): \(body)"
        case .credentials(let message):
            return "credentials: \(message)"
        case .invalidRequest(let message):
            return "invalid request: \(message)"
        case .watchLineTooLong(let request, let limit):
            return "\(request): watch event larger than \(limit) bytes"
        }
    }

    /// A label without values, for metrics.
    public var reasonLabel: String {
        switch self {
        case .connect: return "connect"
        case .tls: return "tls"
        case .timeout: return "timeout"
        case .transport: return "transport"
        case .decoding: return "decoding"
        case .invalidResponse: return "invalid_response"
        case .credentials: return "credentials"
        case .invalidRequest: return "invalid_request"
        case .watchLineTooLong: return "watch_line_too_long"
        }
    }
}
