import Foundation

/// Where a ``RemoteClusterSyncer`` is, in Calico's state names (calico-federation.md §2.1), with the cause of a
/// failure and what it learned of the remote.
public struct RemoteSyncStatus: Sendable, Equatable {
    /// Calico's remote cluster states that a syncer reports (`ConfigIncomplete` is the controller's).
    public enum State: String, Sendable {
        case connecting = "Connecting"
        case connectionFailed = "ConnectionFailed"
        case resyncInProgress = "ResyncInProgress"
        case inSync = "InSync"
    }

    public var state: State = .connecting
    /// Why the connection failed: a bounded reason and a message naming the request and the cause.
    public var failure: RemoteConnectionFailure?
    /// The remote's `gitVersion`.
    public var remoteVersion: String?
    /// When the syncer first reached `InSync`.
    public var syncedAt: Date?
    /// Whether this syncer's data is the cluster's published data.
    public var published = false
    /// Since when the remote cannot be read (the state has been `ConnectionFailed`); nil while it can.
    public var failingSince: ContinuousClock.Instant?

    public init() {}
}
