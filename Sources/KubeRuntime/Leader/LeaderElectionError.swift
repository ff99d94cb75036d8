/// Why leader election cannot run.
public enum LeaderElectionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The timings cannot give the one-leader guarantee (client-go's rule: lease duration > renew deadline >
    /// 1.2 × retry period > 0), or a name is empty.
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let reason): "invalid leader election configuration: \(reason)"
        }
    }

    /// A bounded label for metrics.
    public var reasonLabel: String { "invalid_configuration" }
}
