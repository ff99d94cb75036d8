import Logging

/// Runs one ``RemoteClusterSyncer`` per RCC, as child tasks of ``run()``.
///
/// Guarantees:
/// - ``ensure(_:connection:makeSyncer:)`` keeps a running syncer whose connection is unchanged; a changed connection
///   starts a new syncer beside the old one, which keeps its data published until the new one has replaced it
///   (``retireReplaced(_:)``) (DESIGN §6.3).
/// - ``stop(_:)`` cancels every syncer of a cluster; ``run()`` returning has stopped all of them.
///
/// Caveats: syncers start only while ``run()`` runs; one started before is queued until then.
public actor RemoteClusterRegistry {
    struct Entry {
        let syncer: RemoteClusterSyncer
        let connection: ResolvedRemote
        let stop: AsyncStream<Void>.Continuation
    }

    private var current: [String: Entry] = [:]
    private var replaced: [String: [Entry]] = [:]
    private let starts: AsyncStream<(RemoteClusterSyncer, AsyncStream<Void>)>
    private let startContinuation: AsyncStream<(RemoteClusterSyncer, AsyncStream<Void>)>.Continuation
    private let logger: Logger

    public init(logger: Logger = Logger(label: "remote-cluster-registry")) {
        self.logger = logger
        (starts, startContinuation) = AsyncStream.makeStream()
    }

    /// Runs the syncers until cancelled; then stops them all and returns once they have.
    public func run() async {
        let starts = self.starts
        await withDiscardingTaskGroup { group in
            for await (syncer, stopSignal) in starts {
                group.addTask {
                    await withDiscardingTaskGroup { inner in
                        inner.addTask { await syncer.run() }
                        // Ends when the syncer is stopped, or when the registry's task is cancelled.
                        for await _ in stopSignal {}
                        inner.cancelAll()
                    }
                }
            }
            group.cancelAll()
        }
        stopAll()
    }

    /// The syncer that serves `cluster`'s current connection.
    public func syncer(for cluster: String) -> RemoteClusterSyncer? { current[cluster]?.syncer }

    /// The clusters with a running syncer.
    public var clusters: [String] { Array(current.keys) }

    /// How many syncers run for `cluster`: the current one and those it is replacing.
    public func syncerCount(for cluster: String) -> Int {
        (current[cluster] == nil ? 0 : 1) + (replaced[cluster]?.count ?? 0)
    }

    /// Returns the running syncer of `cluster` when it uses `connection`; otherwise starts one from `makeSyncer`.
    /// A syncer with another connection is kept running, publishing, until ``retireReplaced(_:)``.
    public func ensure(_ cluster: String, connection: ResolvedRemote,
                       makeSyncer: @Sendable () -> RemoteClusterSyncer) -> RemoteClusterSyncer {
        if let entry = current[cluster], entry.connection.isSameConnection(as: connection) { return entry.syncer }
        if let old = current[cluster] {
            logger.info("connection changed; starting a new syncer beside the old one", metadata: ["cluster": "\(cluster)"])
            replaced[cluster, default: []].append(old)
        }
        let syncer = makeSyncer()
        let (stopSignal, stop) = AsyncStream<Void>.makeStream()
        current[cluster] = Entry(syncer: syncer, connection: connection, stop: stop)
        startContinuation.yield((syncer, stopSignal))
        return syncer
    }

    /// Stops the syncers that a newer one of `cluster` replaced (call once the newer one published its data).
    public func retireReplaced(_ cluster: String) {
        for entry in replaced.removeValue(forKey: cluster) ?? [] { entry.stop.finish() }
    }

    /// Stops every syncer of `cluster`.
    public func stop(_ cluster: String) {
        retireReplaced(cluster)
        current.removeValue(forKey: cluster)?.stop.finish()
    }

    private func stopAll() {
        for cluster in Array(current.keys) + Array(replaced.keys) { stop(cluster) }
        startContinuation.finish()
    }
}
