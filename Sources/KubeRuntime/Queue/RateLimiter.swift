/// How long a failed key waits before it is retried: per-key exponential back-off (base doubled per failure, capped),
/// and an overall token bucket so that many failing keys together cannot exceed a steady retry rate. The longer of
/// the two wins, as client-go's default controller rate limiter does (5 ms to 1000 s per key; 10 per second with a
/// burst of 100 overall).
public struct RateLimiter<Key: Hashable & Sendable>: Sendable {
    public var base: Duration
    public var cap: Duration
    /// Retries per second the bucket allows on average, and how many it allows at once.
    public var ratePerSecond: Double
    public var burst: Int

    private var failures: [Key: Int] = [:]
    private var tokens: Double
    private var refilledAt: ContinuousClock.Instant

    public init(base: Duration = .milliseconds(5), cap: Duration = .seconds(1000), ratePerSecond: Double = 10, burst: Int = 100) {
        self.base = base
        self.cap = cap
        self.ratePerSecond = ratePerSecond
        self.burst = burst
        tokens = Double(burst)
        refilledAt = .now
    }

    /// The delay before `key`'s next retry; counts one more failure for it.
    public mutating func delay(for key: Key, now: ContinuousClock.Instant = .now) -> Duration {
        let count = failures[key, default: 0]
        failures[key] = count + 1
        let exponent = min(count, 62)
        let perKey = base * Double(1 << exponent)
        return max(min(perKey, cap), bucketDelay(now: now))
    }

    /// Clears `key`'s failures: its next retry starts from the base delay again.
    public mutating func forget(_ key: Key) {
        failures[key] = nil
    }

    /// How many retries `key` has had since it was last forgotten.
    public func retries(of key: Key) -> Int {
        failures[key] ?? 0
    }

    /// Takes a token, returning how long until it is available (zero while the burst lasts).
    private mutating func bucketDelay(now: ContinuousClock.Instant) -> Duration {
        let elapsed = (now - refilledAt).seconds
        tokens = min(Double(burst), tokens + elapsed * ratePerSecond)
        refilledAt = now
        tokens -= 1
        return tokens >= 0 ? .zero : .seconds(-tokens / ratePerSecond)
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
