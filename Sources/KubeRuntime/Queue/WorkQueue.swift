/// A controller's queue of keys to reconcile, with client-go's workqueue guarantees:
/// - a key waiting in the queue is there once, however often it is added;
/// - a key is never handed to two workers at once: added while being processed, it is queued again when ``done(_:)``
///   is called for it, so the change is not lost and the worker that holds it finishes first;
/// - `add(_:after:)` delays a key (the earliest of several delays wins); `addRateLimited` delays it by the
///   ``RateLimiter`` (per-key back-off and an overall rate), and `forget` resets its back-off;
/// - ``shutDown(drain:)`` stops accepting keys; with `drain` the keys already queued are still handed out, without it
///   they are dropped; ``next()`` returns nil once nothing more will come.
public actor WorkQueue<Key: Hashable & Sendable> {
    /// Counters for metrics and tests.
    public struct Metrics: Sendable, Equatable {
        /// Keys waiting now.
        public var depth = 0
        /// `add` calls that queued a key (not those that found it already waiting).
        public var adds = 0
        /// `addRateLimited` calls.
        public var retries = 0
        /// Keys handed to workers.
        public var handedOut = 0
        /// The longest a key waited between being queued and handed out.
        public var longestWait: Duration = .zero
        /// Total time workers held keys (from `next` to `done`).
        public var workTime: Duration = .zero
    }

    private var waiting: [Key] = []
    private var head = 0
    private var dirty: Set<Key> = []
    private var processing: [Key: ContinuousClock.Instant] = [:]
    private var queuedAt: [Key: ContinuousClock.Instant] = [:]
    private var workers: [CheckedContinuation<Key?, Never>] = []
    private var delayed: [Key: (deadline: ContinuousClock.Instant, task: Task<Void, Never>)] = [:]
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []
    private var shuttingDown = false
    private var drainsOnShutdown = true
    private var limiter: RateLimiter<Key>
    private var counters = Metrics()

    /// The counters, with the depth as it is now.
    public var metrics: Metrics {
        var metrics = counters
        metrics.depth = waiting.count - head
        return metrics
    }

    public init(rateLimiter: RateLimiter<Key> = RateLimiter()) {
        limiter = rateLimiter
    }

    /// Queues `key` unless it is already waiting (or the queue is shutting down).
    public func add(_ key: Key) {
        guard !shuttingDown, !dirty.contains(key) else { return }
        dirty.insert(key)
        counters.adds += 1
        queuedAt[key] = .now
        if processing[key] == nil { enqueue(key) }
    }

    /// Queues `key` after `delay`; a key already delayed to an earlier time keeps that time.
    public func add(_ key: Key, after delay: Duration) {
        guard !shuttingDown else { return }
        guard delay > .zero else { return add(key) }
        let deadline = ContinuousClock.now + delay
        if let existing = delayed[key], existing.deadline <= deadline { return }
        delayed[key]?.task.cancel()
        let task = Task { [weak self] in
            try? await Task.sleep(until: deadline, clock: .continuous)
            guard !Task.isCancelled else { return }
            await self?.fireDelayed(key, deadline: deadline)
        }
        delayed[key] = (deadline, task)
    }

    /// Queues `key` after the rate limiter's delay for it: one more failure.
    public func addRateLimited(_ key: Key) {
        guard !shuttingDown else { return }
        counters.retries += 1
        add(key, after: limiter.delay(for: key))
    }

    /// Resets `key`'s back-off, after it was processed successfully.
    public func forget(_ key: Key) { limiter.forget(key) }

    /// How many rate-limited retries `key` has had since it was last forgotten.
    public func retries(of key: Key) -> Int { limiter.retries(of: key) }

    /// The next key to process, waiting until there is one; nil once the queue is shut down and empty.
    /// Every key returned must be given back with ``done(_:)``.
    public func next() async -> Key? {
        if let key = dequeue() { return begin(key) }
        if shuttingDown { return nil }
        return await withCheckedContinuation { workers.append($0) }
    }

    /// Ends processing of `key`; if it was added meanwhile, it is queued again.
    public func done(_ key: Key) {
        if let started = processing.removeValue(forKey: key) { counters.workTime += .now - started }
        if dirty.contains(key) { enqueue(key) }
        if processing.isEmpty, waiting.count == head || !drainsOnShutdown {
            for waiter in idleWaiters { waiter.resume() }
            idleWaiters.removeAll()
        }
    }

    /// Stops accepting keys. With `drain`, queued keys are still handed out; without, they are dropped. Returns once
    /// no worker holds a key.
    public func shutDown(drain: Bool = true) async {
        shuttingDown = true
        drainsOnShutdown = drain
        for (_, entry) in delayed { entry.task.cancel() }
        delayed.removeAll()
        if !drain {
            waiting.removeAll()
            head = 0
            dirty.removeAll()
        }
        for worker in workers { worker.resume(returning: nil) }
        workers.removeAll()
        if processing.isEmpty, waiting.count == head { return }
        await withCheckedContinuation { idleWaiters.append($0) }
    }

    public var isShuttingDown: Bool { shuttingDown }

    // MARK: Internals

    private func fireDelayed(_ key: Key, deadline: ContinuousClock.Instant) {
        guard delayed[key]?.deadline == deadline else { return }
        delayed[key] = nil
        add(key)
    }

    private func enqueue(_ key: Key) {
        if !workers.isEmpty {
            workers.removeFirst().resume(returning: begin(key))
        } else {
            waiting.append(key)
        }
    }

    private func dequeue() -> Key? {
        guard head < waiting.count else { return nil }
        let key = waiting[head]
        head += 1
        if head > 1024, head * 2 > waiting.count {
            waiting.removeFirst(head)
            head = 0
        }
        return key
    }

    private func begin(_ key: Key) -> Key {
        dirty.remove(key)
        let now = ContinuousClock.now
        processing[key] = now
        if let queued = queuedAt.removeValue(forKey: key) { counters.longestWait = max(counters.longestWait, now - queued) }
        counters.handedOut += 1
        return key
    }
}
