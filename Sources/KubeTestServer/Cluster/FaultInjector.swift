import Synchronization

/// Faults a test asks the server to inject before requests reach the cluster: failing the next requests with a
/// status (and `Retry-After`), adding latency, or holding every request while paused.
public final class FaultInjector: Sendable {
    private struct State {
        var failures: [(code: Int, retryAfterSeconds: Int?)] = []
        var latency: Duration = .zero
        var paused = false
    }

    private let state = Mutex(State())

    public init() {}

    /// Fails the next `count` requests with `code` (429, 500 or 503 are the usual), answering with kube-apiserver's
    /// Status for that code.
    public func failNext(_ count: Int, code: Int, retryAfterSeconds: Int? = 1) {
        state.withLock { $0.failures += Array(repeating: (code, retryAfterSeconds), count: count) }
    }

    /// Delays every request by `latency` (zero to stop).
    public func setLatency(_ latency: Duration) { state.withLock { $0.latency = latency } }

    /// Holds every request until ``resume()``.
    public func pause() { state.withLock { $0.paused = true } }
    public func resume() { state.withLock { $0.paused = false } }

    /// Applies the faults to one request: waits out the latency and any pause, then returns the failure to answer
    /// with, if one is due.
    func beforeRequest() async -> APIResponse? {
        while state.withLock({ $0.paused }), !Task.isCancelled { try? await Task.sleep(for: .milliseconds(10)) }
        let latency = state.withLock { $0.latency }
        if latency > .zero { try? await Task.sleep(for: latency) }
        guard let failure = state.withLock({ $0.failures.isEmpty ? nil : $0.failures.removeFirst() }) else { return nil }
        return .failure(Self.status(code: failure.code, retryAfterSeconds: failure.retryAfterSeconds))
    }

    private static func status(code: Int, retryAfterSeconds: Int?) -> StoreError {
        let (reason, message) = switch code {
        case 429: ("TooManyRequests", "Too many requests, please try again later.")
        case 503: ("ServiceUnavailable", "The server is currently unable to handle the request")
        case 504: ("Timeout", "The server was unable to return a response in the time allotted, but may still be processing the request")
        default: ("InternalError", "Internal error occurred: injected fault")
        }
        return StoreError(code: code, reason: reason, message: message, details: .init(retryAfterSeconds: retryAfterSeconds))
    }
}
