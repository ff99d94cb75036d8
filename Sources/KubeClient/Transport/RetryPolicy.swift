/// When a failed request is tried again, and after how long.
///
/// - `429 Too Many Requests`: any verb (the server did not act on it), after `Retry-After` when given;
/// - `5xx` and broken connections: only reads (`GET`, `HEAD`), since a write may have happened;
/// - failure to connect: any verb (nothing was sent);
/// - otherwise exponential back-off from ``initialBackoff`` doubling to ``maxBackoff``, with "equal
///   jitter" (half fixed, half random) so many clients do not retry in step.
public struct RetryPolicy: Sendable, Hashable {
    public var maxRetries: Int
    public var initialBackoff: Duration
    public var maxBackoff: Duration
    /// `Retry-After` values above this are capped.
    public var maxRetryAfter: Duration

    /// client-go's request retry budget is in the same range (10 for 429s); 5 attempts with back-off up
    /// to 10 s span about 20 s, inside the default 30 s request timeout of a controller.
    public static let `default` = RetryPolicy(
        maxRetries: 5, initialBackoff: .milliseconds(200), maxBackoff: .seconds(10), maxRetryAfter: .seconds(60))
    /// Never retry.
    public static let none = RetryPolicy(
        maxRetries: 0, initialBackoff: .zero, maxBackoff: .zero, maxRetryAfter: .zero)

    public init(maxRetries: Int, initialBackoff: Duration, maxBackoff: Duration, maxRetryAfter: Duration) {
        self.maxRetries = maxRetries
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.maxRetryAfter = maxRetryAfter
    }

    /// What happened to one attempt.
    public enum Outcome: Sendable, Hashable {
        case status(Int, retryAfter: Duration?)
        case connectFailed
        case connectionBroken
    }

    /// The delay before retry number `attempt + 1`, or `nil` to give up. `jitter` is in `0..<1`.
    public func delay(afterAttempt attempt: Int, method: String, outcome: Outcome, jitter: Double) -> Duration? {
        guard attempt < maxRetries else { return nil }
        let idempotent = method == "GET" || method == "HEAD"
        switch outcome {
        case .status(429, let retryAfter):
            if let retryAfter { return min(retryAfter, maxRetryAfter) }
        case .status(let code, let retryAfter) where (500...599).contains(code) && code != 501:
            guard idempotent else { return nil }
            if let retryAfter { return min(retryAfter, maxRetryAfter) }
        case .status:
            return nil
        case .connectFailed:
            break
        case .connectionBroken:
            guard idempotent else { return nil }
        }
        return backoff(attempt: attempt, jitter: jitter)
    }

    func backoff(attempt: Int, jitter: Double) -> Duration {
        var delay = initialBackoff
        for _ in 0..<min(attempt, 30) where delay < maxBackoff { delay *= 2 }
        delay = min(delay, maxBackoff)
        return delay / 2 + delay / 2 * jitter
    }
}
