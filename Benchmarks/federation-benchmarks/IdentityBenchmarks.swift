import Foundation
import KubeClient
import KubeTestServer
import Operator
import Synchronization

/// The identity publisher (issue 6) with 100,000 remote pods in 10 clusters and 2,000 distinct label sets (200 per
/// cluster, two per namespace): the time from operator start until every pod IP is in a local network set and the
/// API writes that took; then a churn of 1,000 remote pod label changes a second for 30 s (and 200 a second for
/// 10 s), each moving a pod to the other label set of its namespace: the write rate, and the latency from a remote
/// change to the local network set that holds the pod's IP under its new labels, beside the floor (the same
/// change's bare watch delivery from the remote server).
func runIdentityBenchmarks() async throws {
    let remoteCount = 10, podsPerRemote = 10_000, labelSets = 200
    let changesPerSecond = 1000, seconds = 30, probeEvery = 10
    let fleet = try await BenchmarkFleet.start(remotes: remoteCount, podsPerRemote: podsPerRemote, labelSets: labelSets)
    defer { fleet.stop() }
    let local = try fleet.client("local", unthrottled: true)
    try await ClusterSeeder(client: local).installCalicoNetworkSetCRDs()
    try await fleet.createRCCs()
    let sets = NetworkSetObserver()
    let watchers = Task { try await sets.watch(local) }
    defer { watchers.cancel() }
    try await Task.sleep(for: .milliseconds(500))  // The watches are open before anything is written.

    let policy = RemoteCredentialPolicy(credentialsDirectory: fleet.directory, operatorNamespace: "calico-system")
    // Not rate limited: what is measured is how many writes the publisher needs, not a client's throttle.
    let federation = FederationOperator(client: local, configuration: .init(policy: policy, instance: "bench"))
    let start = ContinuousClock.now
    let running = Task { await federation.run() }
    defer { running.cancel() }
    let total = remoteCount * podsPerRemote
    while sets.netCount < total {
        if ContinuousClock.now - start > .seconds(300) { throw BenchmarkError("\(sets.netCount) of \(total) IPs published after 300 s") }
        try await Task.sleep(for: .milliseconds(20))
    }
    let coldStart = ContinuousClock.now - start
    let coldWrites = sets.writes
    let objectCount = sets.objectCount
    try await Task.sleep(for: .seconds(2))  // Status writes and late reconciles settle.

    // `<remote>/pod-<n>` arrives when the pod carries the probe's label set.
    let floors = FloorObserver<core.v1.Pod, Probe>(keys: { [$0.metadata.name ?? ""] }) { probe, pod, _ in
        probe.hash == pod.metadata.labels?["pod-template-hash"]
    }
    let remoteWatchers = Task { try await floors.watch(try fleet.remotes.map { try fleet.client($0, unthrottled: true) }) }
    defer { remoteWatchers.cancel() }
    try await Task.sleep(for: .milliseconds(500))
    var moved = Array(repeating: [Bool](repeating: false, count: podsPerRemote), count: remoteCount)
    var rows: [String] = []
    for (rate, duration) in [(changesPerSecond, seconds), (changesPerSecond / 5, 10)] {
        let churn = try await churn(fleet, sets: sets, floors: floors, moved: &moved, rate: rate, seconds: duration,
                                    labelSets: labelSets, probeEvery: probeEvery)
        rows += churn
    }

    print("| measure | result |")
    print("|---|---|")
    print("| operator start to all \(total) remote IPs in local network sets (\(objectCount) objects) | \(String(format: "%.2f", coldStart.seconds)) s |")
    print("| API writes for that cold start (creates + updates + deletes of network sets) | \(coldWrites) |")
    rows.forEach { print($0) }
}

/// `rate` remote pod label changes a second for `seconds`, one worker per remote, each change moving a pod to the
/// other label set of its namespace; every `probeEvery`th change is timed. Returns the table rows.
private func churn(_ fleet: BenchmarkFleet, sets: NetworkSetObserver, floors: FloorObserver<core.v1.Pod, Probe>, moved: inout [[Bool]],
                   rate: Int, seconds: Int, labelSets: Int, probeEvery: Int) async throws -> [String] {
    sets.resetLatencies()
    floors.resetLatencies()
    let writesBefore = sets.writes
    let podsPerRemote = moved.first?.count ?? 0
    let (made, elapsed) = try await ScheduledChurn.run(fleet, rate: rate, seconds: seconds, states: &moved) { remoteIndex, change, state, remote in
        let pod = (change * 7919 + remoteIndex * 13) % podsPerRemote
        state[pod].toggle()
        let labels = TestCluster.seedLabels(set: (pod % labelSets + (state[pod] ? labelSets / 2 : 0)) % labelSets)
        if change % probeEvery == 0 {
            let probe = Probe(sent: .now, hash: labels["pod-template-hash"] ?? "")
            sets.expect("10.\(remoteIndex + 1).\(pod / 256 % 256).\(pod % 256)/32", probe)
            floors.expect("\(remoteIndex)/pod-\(pod)", probe)
        }
        _ = try await remote.resource(core.v1.Pod.self, namespace: "ns-\(pod % 100)").patch("pod-\(pod)", .merge(["metadata": ["labels": labels]]))
    }
    try await ScheduledChurn.settle { sets.pendingProbes }
    return ScheduledChurn.rows(rate: rate, seconds: seconds, made: made, elapsed: elapsed, writes: sets.writes - writesBefore, writesOf: "network set",
                               target: "local network set", latencies: sets.latencies.sorted(), unseen: sets.pendingProbes, floor: floors.latencies.sorted())
}

/// One timed change: when it was sent and the label set the pod moved to.
struct Probe: TimedProbe {
    var sent: ContinuousClock.Instant
    /// The `pod-template-hash` of the new label set.
    var hash: String
}

/// Watches the local network sets: counts writes and published nets, and times probes (a set whose
/// `pod-template-hash` is the probe's that lists the probe's net).
final class NetworkSetObserver: Sendable {
    private struct State {
        var nets: [String: Int] = [:]
        var writes = 0
        var probes: [String: Probe] = [:]
        var latencies: [Duration] = []
    }
    private let state = Mutex(State())

    var netCount: Int { state.withLock { $0.nets.values.reduce(0, +) } }
    var objectCount: Int { state.withLock { $0.nets.count } }
    var writes: Int { state.withLock { $0.writes } }
    var pendingProbes: Int { state.withLock { $0.probes.count } }
    var latencies: [Duration] { state.withLock { $0.latencies } }

    func expect(_ net: String, _ probe: Probe) { state.withLock { $0.probes[net] = probe } }

    func resetLatencies() { state.withLock { $0.latencies = []; $0.probes = [:] } }

    func watch(_ client: KubeClient) async throws {
        try await withThrowingDiscardingTaskGroup { group in
            for resource in [PublishedNetworkSet.networkSets, PublishedNetworkSet.globalNetworkSets] {
                group.addTask {
                    for try await event in try await client.dynamic(resource).watch(WatchOptions(timeoutSeconds: WatchOptions.maxTimeoutSeconds)) {
                        let now = ContinuousClock.now
                        switch event {
                        case .added(let object), .modified(let object): self.record(PublishedNetworkSet(object), at: now, deleted: false)
                        case .deleted(let object): self.record(PublishedNetworkSet(object), at: now, deleted: true)
                        case .bookmark: continue
                        case .error(let status): throw BenchmarkError("network set watch failed: \(status.message ?? "")")
                        }
                    }
                }
            }
        }
    }

    private func record(_ set: PublishedNetworkSet, at now: ContinuousClock.Instant, deleted: Bool) {
        state.withLock { state in
            state.writes += 1
            state.nets["\(set.namespace ?? "")/\(set.name)"] = deleted ? nil : set.nets.count
            guard !deleted, !state.probes.isEmpty, let hash = set.labels["pod-template-hash"] else { return }
            for net in set.nets {
                if let probe = state.probes[net], probe.hash == hash {
                    state.latencies.append(now - probe.sent)
                    state.probes[net] = nil
                }
            }
        }
    }
}
