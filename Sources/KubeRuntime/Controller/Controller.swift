import Logging
import Synchronization

/// Runs a ``Reconciler`` over a ``WorkQueue`` with a number of workers, as controller-runtime's controller does:
/// a key is reconciled by one worker at a time; `done` forgets its back-off, `requeue(after:)` looks again later,
/// an error requeues it rate-limited. Every log line carries the key.
public struct Controller<R: Reconciler>: Sendable {
    /// Reconciles by outcome (controller-runtime's `controller_runtime_reconcile_total{result}`).
    public struct Metrics: Sendable, Equatable {
        public var success = 0
        public var requeueAfter = 0
        public var error = 0
    }

    public let name: String
    public let queue: WorkQueue<R.Key>
    public let reconciler: R
    public let workers: Int
    private let logger: Logger
    private let counters = MetricsBox()

    /// Holds the counters; a class so the struct stays copyable.
    private final class MetricsBox: Sendable {
        let value = Mutex(Metrics())
    }

    /// Reconciles so far, by outcome.
    public var metrics: Metrics { counters.value.withLock { $0 } }

    public init(name: String, reconciler: R, queue: WorkQueue<R.Key> = WorkQueue(), workers: Int = 2,
                logger: Logger = Logger(label: "controller")) {
        self.name = name
        self.reconciler = reconciler
        self.queue = queue
        self.workers = workers
        var logger = logger
        logger[metadataKey: "controller"] = "\(name)"
        self.logger = logger
    }

    /// Runs the workers until the task is cancelled; then shuts the queue down, lets running reconciles finish and
    /// returns.
    public func run() async {
        let queue = self.queue
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                for worker in 0..<workers {
                    group.addTask { await self.work(worker) }
                }
            }
        } onCancel: {
            Task { await queue.shutDown(drain: false) }
        }
    }

    /// Queues the keys `map` derives from each informer event (the object's own key, its owner's, a label's value...)
    /// until the events end.
    public func enqueue<Object>(from events: AsyncStream<InformerEvent<Object>>,
                                mapping map: @escaping @Sendable (InformerEvent<Object>) -> [R.Key]) async {
        for await event in events {
            for key in map(event) { await queue.add(key) }
        }
    }

    private func work(_ worker: Int) async {
        while let key = await queue.next() {
            var logger = self.logger
            logger[metadataKey: "key"] = "\(key)"
            logger[metadataKey: "worker"] = "\(worker)"
            do {
                switch try await reconciler.reconcile(key) {
                case .done:
                    counters.value.withLock { $0.success += 1 }
                    await queue.forget(key)
                case .requeue(let delay):
                    counters.value.withLock { $0.requeueAfter += 1 }
                    await queue.forget(key)
                    await queue.add(key, after: delay)
                    logger.debug("requeued", metadata: ["after": "\(delay)"])
                }
            } catch {
                counters.value.withLock { $0.error += 1 }
                let retries = await queue.retries(of: key)
                logger.warning("reconcile failed; retrying with back-off", metadata: ["error": "\(error)", "retries": "\(retries)"])
                await queue.addRateLimited(key)
            }
            await queue.done(key)
        }
    }
}
