import Synchronization

/// A subscriber's view of ``FederationCache`` changes: ``next()`` returns everything that changed since the last
/// call, merged, so a slow subscriber gets fewer, larger batches and memory stays bounded by distinct keys.
///
/// One task consumes it. Releasing it (or calling ``cancel()``) unsubscribes.
public final class FederationSubscription: Sendable {
    /// Where the cache posts changes for one subscriber.
    final class Inbox: Sendable {
        private let pending = Mutex<(change: FederationChange, posted: Bool, closed: Bool)>((FederationChange(), false, false))
        let doorbell: AsyncStream<Void>
        private let ring: AsyncStream<Void>.Continuation

        init() {
            (doorbell, ring) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
        }

        func post(_ change: FederationChange) {
            let wasEmpty = pending.withLock { state -> Bool in
                guard !state.closed else { return false }
                defer { state.change.merge(change); state.posted = true }
                return !state.posted
            }
            if wasEmpty { ring.yield() }
        }

        func take() -> FederationChange? {
            pending.withLock { state in
                guard state.posted else { return nil }
                defer { state.change = FederationChange(); state.posted = false }
                return state.change
            }
        }

        func close() {
            pending.withLock { $0.closed = true }
            ring.finish()
        }
    }

    private let inbox: Inbox
    private let unsubscribe: @Sendable () -> Void

    init(inbox: Inbox, unsubscribe: @escaping @Sendable () -> Void) {
        self.inbox = inbox
        self.unsubscribe = unsubscribe
    }

    deinit { cancel() }

    /// Waits for changes and returns all of them; nil once cancelled (or when the waiting task is).
    public func next() async -> FederationChange? {
        if let change = inbox.take() { return change }
        for await _ in inbox.doorbell {
            if let change = inbox.take() { return change }
        }
        return nil
    }

    /// Changes posted so far, without waiting; nil when there are none.
    public func poll() -> FederationChange? { inbox.take() }

    public func cancel() {
        unsubscribe()
        inbox.close()
    }
}
