import Foundation
import KubeClient

/// What the API handler answers: a status, headers, and either a whole body or a stream of chunks (watches).
public struct APIResponse: Sendable {
    public enum Body: Sendable {
        case bytes([UInt8])
        /// Chunks sent as they come, each flushed at once; the response ends when the stream finishes.
        case stream(AsyncStream<[UInt8]>)
    }

    public var status: Int
    public var headers: [(String, String)]
    public var body: Body

    public init(status: Int, headers: [(String, String)] = [], body: Body) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON body.
    static func json(_ bytes: [UInt8], status: Int = 200) -> APIResponse {
        APIResponse(status: status, headers: [("Content-Type", "application/json")], body: .bytes(bytes))
    }

    /// A value encoded as JSON.
    static func json(encoding value: some Encodable, status: Int = 200) -> APIResponse {
        json(JSONWriter.bytes(encoding: value), status: status)
    }

    /// A failure answered with its `Status`.
    static func failure(_ error: StoreError) -> APIResponse {
        var response = json(encoding: error.status, status: error.code)
        if let seconds = error.status.details?.retryAfterSeconds { response.headers.append(("Retry-After", String(seconds))) }
        return response
    }

    /// The body, when it is not a stream.
    public var bodyBytes: [UInt8] {
        if case .bytes(let bytes) = body { return bytes }
        return []
    }
}
