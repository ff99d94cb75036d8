import KubeClient
import Synchronization

/// A timed change: when it was sent.
protocol TimedProbe: Sendable {
    var sent: ContinuousClock.Instant { get }
}

/// Watches one resource on every remote directly, from its current version (no initial ADDED events): the floor
/// under a benchmark's latency. A probe expected under `<remote index>/<key>` is timed by the first MODIFIED object
/// that lists `key` (``keys``) and shows the probe's change (``arrived``).
final class FloorObserver<Watched: KubernetesResource, Probe: TimedProbe>: Sendable {
    private let keys: @Sendable (Watched) -> [String]
    private let arrived: @Sendable (Probe, Watched, _ key: String) -> Bool
    private let state = Mutex<(probes: [String: Probe], latencies: [Duration])>(([:], []))

    init(keys: @escaping @Sendable (Watched) -> [String], arrived: @escaping @Sendable (Probe, Watched, _ key: String) -> Bool) {
        self.keys = keys
        self.arrived = arrived
    }

    var latencies: [Duration] { state.withLock { $0.latencies } }

    /// `key` is `<remote index>/<key of the object>`.
    func expect(_ key: String, _ probe: Probe) { state.withLock { $0.probes[key] = probe } }

    func resetLatencies() { state.withLock { $0 = ([:], []) } }

    func watch(_ remotes: [KubeClient]) async throws {
        try await withThrowingDiscardingTaskGroup { group in
            for (index, client) in remotes.enumerated() {
                group.addTask {
                    let objects = client.resource(Watched.self)
                    let version = try await objects.list(ListOptions(limit: 1)).metadata.resourceVersion
                    for try await event in try await objects.watch(WatchOptions(resourceVersion: version, timeoutSeconds: WatchOptions.maxTimeoutSeconds)) {
                        guard case .modified(let object) = event else { continue }
                        let now = ContinuousClock.now
                        self.state.withLock { state in
                            for key in self.keys(object) {
                                let probeKey = "\(index)/\(key)"
                                if let probe = state.probes[probeKey], self.arrived(probe, object, key) {
                                    state.latencies.append(now - probe.sent)
                                    state.probes[probeKey] = nil
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
