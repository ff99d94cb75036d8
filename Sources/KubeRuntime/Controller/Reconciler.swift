/// What a reconcile asks of the queue afterwards.
public enum ReconcileResult: Sendable, Equatable {
    /// The key is in its desired state; its back-off is reset.
    case done
    /// Look again after `after` (e.g. to poll a remote cluster), without counting a failure.
    case requeue(after: Duration)
}

/// Brings one key's world to its desired state. Throwing requeues the key with rate-limited back-off.
public protocol Reconciler: Sendable {
    associatedtype Key: Hashable & Sendable
    func reconcile(_ key: Key) async throws -> ReconcileResult
}
