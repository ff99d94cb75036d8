/// Tunables of a ``KubeClient``; the defaults suit a controller.
public struct KubeClientOptions: Sendable {
    /// Sustained requests per second (controller-runtime's default client uses 20).
    public var qps: Double
    /// Requests allowed at once above the sustained rate (controller-runtime: 30).
    public var burst: Int
    /// Deadline of one non-watch request, including reading its body.
    public var requestTimeout: Duration
    public var retry: RetryPolicy
    public var userAgent: String
    /// Largest response body read for a non-watch request.
    public var maxResponseBytes: Int
    /// Largest single watch event accepted.
    public var maxWatchEventBytes: Int

    public init(
        qps: Double = 20, burst: Int = 30, requestTimeout: Duration = .seconds(30), retry: RetryPolicy = .default,
        userAgent: String = "federation-operator/\(FederationOperatorVersion.current)",
        maxResponseBytes: Int = 1 << 30, maxWatchEventBytes: Int = 64 << 20
    ) {
        self.qps = qps
        self.burst = burst
        self.requestTimeout = requestTimeout
        self.retry = retry
        self.userAgent = userAgent
        self.maxResponseBytes = maxResponseBytes
        self.maxWatchEventBytes = maxWatchEventBytes
    }
}

/// The version of this build, sent in `User-Agent`.
public enum FederationOperatorVersion {
    public static let current = "0.1.0"
}
