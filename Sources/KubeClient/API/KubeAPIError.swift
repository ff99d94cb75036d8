/// A request the API server answered with a failure `Status`: not found, conflict, forbidden, ...
///
/// `reason` is the typed form of `Status.reason` (falling back to the HTTP code when the server sent
/// none); `request` is the verb and path, without query parameters or credentials.
public struct KubeAPIError: Error, Sendable, CustomStringConvertible {
    public var status: meta.v1.Status
    public var code: Int
    public var reason: Reason
    /// `GET /api/v1/namespaces/x/pods/y`.
    public var request: String
    /// From `Retry-After` or `details.retryAfterSeconds`.
    public var retryAfter: Duration?

    /// The `Status.reason` values of kube-apiserver.
    public enum Reason: String, Sendable, Hashable {
        case badRequest = "BadRequest"
        case unauthorized = "Unauthorized"
        case forbidden = "Forbidden"
        case notFound = "NotFound"
        case alreadyExists = "AlreadyExists"
        case conflict = "Conflict"
        case gone = "Gone"
        case expired = "Expired"
        case invalid = "Invalid"
        case methodNotAllowed = "MethodNotAllowed"
        case notAcceptable = "NotAcceptable"
        case requestEntityTooLarge = "RequestEntityTooLarge"
        case unsupportedMediaType = "UnsupportedMediaType"
        case tooManyRequests = "TooManyRequests"
        case internalError = "InternalError"
        case serviceUnavailable = "ServiceUnavailable"
        case timeout = "Timeout"
        case serverTimeout = "ServerTimeout"
        case unknown = "Unknown"
    }

    public init(status: meta.v1.Status, httpCode: Int, request: String, retryAfter: Duration? = nil) {
        self.status = status
        self.code = status.code ?? httpCode
        self.request = request
        self.reason = status.reason.flatMap(Reason.init(rawValue:)) ?? Self.reason(forCode: self.code)
        self.retryAfter = retryAfter ?? status.details?.retryAfterSeconds.map { .seconds($0) }
    }

    /// The reason kube-apiserver would give for a bare HTTP code.
    static func reason(forCode code: Int) -> Reason {
        switch code {
        case 400: return .badRequest
        case 401: return .unauthorized
        case 403: return .forbidden
        case 404: return .notFound
        case 405: return .methodNotAllowed
        case 406: return .notAcceptable
        case 409: return .conflict
        case 410: return .gone
        case 413: return .requestEntityTooLarge
        case 415: return .unsupportedMediaType
        case 422: return .invalid
        case 429: return .tooManyRequests
        case 500: return .internalError
        case 503: return .serviceUnavailable
        case 504: return .timeout
        default: return .unknown
        }
    }

    public var isNotFound: Bool { reason == .notFound }
    public var isAlreadyExists: Bool { reason == .alreadyExists }
    public var isConflict: Bool { reason == .conflict }
    /// The resourceVersion asked for is no longer available: relist (`410 Gone` / `Expired`).
    public var isGone: Bool { reason == .gone || reason == .expired || code == 410 }
    public var isForbidden: Bool { reason == .forbidden }
    public var isUnauthorized: Bool { reason == .unauthorized }
    public var isInvalid: Bool { reason == .invalid }
    public var isTooManyRequests: Bool { reason == .tooManyRequests }

    /// Field errors of an `Invalid` answer.
    public var causes: [meta.v1.StatusCause] { status.details?.causes ?? [] }

    public var description: String {
        "\(request): \(code) \(reason.rawValue): \(status.message ?? "no message")"
    }

    /// A label without values, for metrics.
    public var reasonLabel: String { reason.rawValue }
}
