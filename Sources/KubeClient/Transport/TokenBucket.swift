import Synchronization

/// Client-side rate limiting by a token bucket: `qps` tokens a second, at most `burst` saved up.
///
/// The pure core (``TokenBucket/reserve(at:)``) takes the time as an argument, so its arithmetic is
/// tested without a clock; a request that finds the bucket empty reserves a future token and waits for it,
/// which keeps callers in arrival order (like Go's `rate.Limiter` used by client-go).
public struct TokenBucket: Sendable {
    public let qps: Double
    public let burst: Int
    private var tokens: Double
    private var last: Duration

    /// `qps <= 0` disables limiting.
    public init(qps: Double, burst: Int, now: Duration = .zero) {
        self.qps = qps
        self.burst = max(1, burst)
        self.tokens = Double(self.burst)
        self.last = now
    }

    /// Takes one token at `now` and returns how long the caller must wait before using it.
    public mutating func reserve(at now: Duration) -> Duration {
        guard qps > 0 else { return .zero }
        if now > last {
            tokens = min(Double(burst), tokens + (now - last).seconds * qps)
            last = now
        }
        tokens -= 1
        return tokens >= 0 ? .zero : .seconds(-tokens / qps)
    }
}

/// The shared, clock-driven wrapper the transport awaits before each request.
final class RateLimiter: Sendable {
    private let bucket: Mutex<TokenBucket>
    private let origin = ContinuousClock.now

    init(qps: Double, burst: Int) {
        bucket = Mutex(TokenBucket(qps: qps, burst: burst))
    }

    func acquire() async throws {
        let now = ContinuousClock.now - origin
        let wait = bucket.withLock { $0.reserve(at: now) }
        if wait > .zero { try await Task.sleep(for: wait) }
    }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
