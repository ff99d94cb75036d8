/// Exponential back-off with jitter for retrying a failing list or watch: each delay doubles up to `maximum`, and a
/// random extra of up to `jitter` times the delay keeps many clients from retrying in step.
public struct Backoff: Sendable {
    public var initial: Duration
    public var maximum: Duration
    public var jitter: Double
    private var current: Duration

    public init(initial: Duration = .milliseconds(800), maximum: Duration = .seconds(30), jitter: Double = 0.5) {
        self.initial = initial
        self.maximum = maximum
        self.jitter = jitter
        current = initial
    }

    /// The delay before the next attempt.
    public mutating func next() -> Duration {
        let base = min(current, maximum)
        current = min(current * 2, maximum)
        return base + base * Double.random(in: 0...jitter)
    }

    /// After a success: the next failure waits `initial` again.
    public mutating func reset() { current = initial }
}
