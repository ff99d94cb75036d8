import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
#if canImport(Glibc)
import Glibc
#endif

/// Sends requests to one API server: rate limiting, authentication (including re-authentication after
/// a 401), retries by ``RetryPolicy``, deadlines, and mapping of failures to ``KubeAPIError`` and
/// ``KubeClientError``.
///
/// Connections are pooled by the shared `HTTPClient` (HTTP/2 when the server offers it through ALPN);
/// the cluster's TLS settings travel with each request, so one `HTTPClient` serves every cluster.
final class HTTPTransport: Sendable {
    let connection: ClusterConnection
    let options: KubeClientOptions
    private let httpClient: HTTPClient
    private let rateLimiter: RateLimiter
    private let authenticator: Authenticator
    private let logger: Logger

    init(connection: ClusterConnection, options: KubeClientOptions, httpClient: HTTPClient, logger: Logger) {
        self.connection = connection
        self.options = options
        self.httpClient = httpClient
        self.rateLimiter = RateLimiter(qps: options.qps, burst: options.burst)
        self.authenticator = Authenticator(connection.credentials)
        self.logger = logger
    }

    /// A request to send: method, path, query and optional body.
    struct Request: Sendable {
        var method: HTTPMethod
        var path: String
        var query: [(String, String)] = []
        var body: [UInt8]?
        var contentType: String = "application/json"
        var accept: String = "application/json"

        /// `GET /api/v1/pods`, for messages and logs (no query: it may hold selectors, never secrets,
        /// but keeps messages short).
        var summary: String { "\(method.rawValue) \(path)" }
    }

    /// A buffered answer with a 2xx status.
    struct Response: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: ByteBuffer
    }

    /// Sends a request and reads the whole body within ``KubeClientOptions/requestTimeout``; non-2xx
    /// answers throw.
    func send(_ request: Request) async throws -> Response {
        let deadline = NIODeadline.now() + TimeAmount(options.requestTimeout)
        return try await withRetries(request) { response in
            // AsyncHTTPClient's deadline ends with the response head; the body gets the rest of ours.
            let body = try await Self.collect(response.body, upTo: self.options.maxResponseBytes, before: deadline) {
                KubeClientError.timeout(request: request.summary)
            }
            return Response(status: Int(response.status.code), headers: response.headers, body: body)
        } deadline: { deadline }
    }

    /// Reads a whole body, giving up (and so cancelling the request) at `deadline`.
    private static func collect(
        _ body: HTTPClientResponse.Body, upTo limit: Int, before deadline: NIODeadline,
        timeoutError: @escaping @Sendable () -> KubeClientError
    ) async throws -> ByteBuffer {
        try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask { try await body.collect(upTo: limit) }
            group.addTask {
                let remaining = deadline - .now()
                try await Task.sleep(for: .nanoseconds(max(0, remaining.nanoseconds)))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let body = first else { throw timeoutError() }
            return body
        }
    }

    /// Opens a streaming request (a watch): returns the response once its head says 200; the caller
    /// reads the body. Failures before the stream starts are retried like any request.
    func open(_ request: Request, deadline: NIODeadline) async throws -> HTTPClientResponse {
        try await withRetries(request) { response in response } deadline: { deadline }
    }

    private func withRetries<T: Sendable>(
        _ request: Request, onSuccess: (HTTPClientResponse) async throws -> T, deadline: () -> NIODeadline
    ) async throws -> T {
        var attempt = 0
        var reauthenticated = false
        while true {
            try await rateLimiter.acquire()
            let authorization = try await authenticator.authorization()
            let outcome: RetryPolicy.Outcome
            let failure: any Error
            do {
                let response = try await httpClient.execute(
                    makeRequest(request, authorization), deadline: deadline(), logger: logger)
                let code = Int(response.status.code)
                if (200..<300).contains(code) { return try await onSuccess(response) }
                let body = try await response.body.collect(upTo: 1 << 20)
                if code == 401, !reauthenticated, await authenticator.rejected(authorization) {
                    reauthenticated = true
                    continue
                }
                let apiError = Self.apiError(code: code, headers: response.headers, body: body, request: request)
                outcome = .status(code, retryAfter: apiError.retryAfter)
                failure = apiError
            } catch let error as KubeClientError {
                throw error
            } catch {
                let classified = classify(error, request)
                switch classified {
                case .connect: outcome = .connectFailed
                case .timeout, .tls: throw classified
                default: outcome = .connectionBroken
                }
                failure = classified
            }
            // A retry that could not finish before the deadline is not worth waiting for.
            guard
                let delay = options.retry.delay(
                    afterAttempt: attempt, method: request.method.rawValue, outcome: outcome,
                    jitter: Double.random(in: 0..<1)),
                NIODeadline.now() + TimeAmount(delay) < deadline()
            else { throw failure }
            attempt += 1
            logger.debug(
                "retrying request",
                metadata: ["request": "\(request.summary)", "attempt": "\(attempt)", "delay": "\(delay)", "error": "\(failure)"])
            try await Task.sleep(for: delay)
        }
    }

    private func makeRequest(_ request: Request, _ authorization: Authenticator.Authorization) -> HTTPClientRequest {
        var url = connection.server + request.path
        if !request.query.isEmpty {
            url += "?" + request.query.map { "\(PercentEncoding.encode($0.0))=\(PercentEncoding.encode($0.1))" }.joined(separator: "&")
        }
        var http = HTTPClientRequest(url: url)
        http.method = request.method
        http.headers.add(name: "User-Agent", value: options.userAgent)
        http.headers.add(name: "Accept", value: request.accept)
        if let header = authorization.header { http.headers.add(name: "Authorization", value: header) }
        if let body = request.body {
            http.headers.add(name: "Content-Type", value: request.contentType)
            http.body = .bytes(body)
        }
        if var tls = connection.tls {
            if let key = authorization.clientKey {
                tls.certificateChain = authorization.clientCertificateChain.map { .certificate($0) }
                tls.privateKey = .privateKey(key)
            }
            http.tlsConfiguration = tls
        }
        return http
    }

    static func apiError(code: Int, headers: HTTPHeaders, body: ByteBuffer, request: Request) -> KubeAPIError {
        let retryAfter = headers.first(name: "Retry-After").flatMap(Int.init).map { Duration.seconds($0) }
        let status: meta.v1.Status
        if let decoded = try? JSONCoding.decoder.decode(meta.v1.Status.self, from: body), decoded.kind == "Status" {
            status = decoded
        } else {
            // Not a Kubernetes Status (a proxy or load balancer answered): keep a short excerpt of the body.
            let excerpt = String(decoding: body.readableBytesView.prefix(200), as: UTF8.self)
            status = meta.v1.Status(
                message: excerpt.isEmpty ? "HTTP \(code)" : excerpt, reason: nil, code: code)
        }
        return KubeAPIError(status: status, httpCode: code, request: request.summary, retryAfter: retryAfter)
    }

    private func classify(_ error: any Error, _ request: Request) -> KubeClientError {
        let summary = request.summary
        switch error {
        case let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout:
            return .timeout(request: summary)
        case let error as HTTPClientError where error == .connectTimeout:
            return .connect(request: summary, underlying: error)
        case let error as NIOSSLError:
            return .tls(request: summary, underlying: error)
        case let error as BoringSSLError:
            return .tls(request: summary, underlying: error)
        case let error as NIOConnectionError:
            return .connect(request: summary, underlying: error)
        case let error as ChannelError:
            if case .connectTimeout = error { return .connect(request: summary, underlying: error) }
            return .transport(request: summary, underlying: error)
        case let error as IOError where [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH].contains(error.errnoCode):
            return .connect(request: summary, underlying: error)
        case let error as HTTPClientError:
            return .transport(request: summary, underlying: error)
        default:
            return .transport(request: summary, underlying: SendableErrorDescription(error))
        }
    }
}

/// An error of a type that is not `Sendable` (such as `DecodingError`), kept as its description; for a
/// decoding error that is the field path and the problem.
struct SendableErrorDescription: Error, Sendable, CustomStringConvertible {
    var description: String

    init(_ error: any Error) {
        guard let decoding = error as? DecodingError else {
            description = "\(error)"
            return
        }
        switch decoding {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            description = Self.describe(context)
        case .keyNotFound(let key, let context):
            description = "\(KubeConfigFile.fieldPath(context.codingPath + [key])): required field missing"
        @unknown default:
            description = "\(error)"
        }
    }

    private static func describe(_ context: DecodingError.Context) -> String {
        let underlying = context.underlyingError.map { " (\($0))" } ?? ""
        return "\(KubeConfigFile.fieldPath(context.codingPath)): \(context.debugDescription)\(underlying)"
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
