import Foundation
import KubeClient
import KubeRuntime
import KubeTestServer
import Operator

/// The operator (issue 5) against 10 remote clusters of 10,000 pods each, every cluster a kube-test-server in a child
/// process (so this process's memory is the operator's): time from start to every RCC `InSync`, resident memory
/// after sync, and the latency from a remote pod label change to the FederationCache notification, beside the bare
/// watch delivery from the same server in the same run.
func runOperatorBenchmarks() async throws {
    let remoteCount = 10, podsPerRemote = 10_000, changes = 300
    let fleet = try await BenchmarkFleet.start(remotes: remoteCount, podsPerRemote: podsPerRemote)
    defer { fleet.stop() }
    try await fleet.createRCCs()
    let local = try fleet.client("local")

    let rssBefore = currentRSSMiB()
    let policy = RemoteCredentialPolicy(credentialsDirectory: fleet.directory, operatorNamespace: "calico-system")
    let federation = FederationOperator(client: local, configuration: .init(policy: policy, instance: "bench"))
    let start = ContinuousClock.now
    let running = Task { await federation.run() }
    let syncTime = try await fleet.waitForInSync(since: start)
    let endpoints = fleet.remotes.compactMap { federation.federation.counts(of: $0)?.endpoints }.reduce(0, +)
    // Let the last status writes and list buffers settle before reading memory.
    try await Task.sleep(for: .seconds(2))
    let rssAfter = currentRSSMiB()

    // The writer is not rate limited: its requests are what is timed.
    let writer = try fleet.client("cluster-0", unthrottled: true)
    let (floor, toCache) = try await changeLatencies(remote: writer, cache: federation.federation, count: changes)
    running.cancel()
    await running.value

    print("| measure | result |")
    print("|---|---|")
    print("| operator start to all \(remoteCount) RCCs `InSync` (\(endpoints) endpoints) | \(String(format: "%.2f", syncTime.seconds)) s |")
    print("| resident memory after sync: total / growth over the process before the operator started | \(String(format: "%.0f", rssAfter)) / \(String(format: "%.0f", rssAfter - rssBefore)) MiB |")
    print("| remote pod label change to FederationCache notification, p50 / p99 / max of \(toCache.count) | \(ms(toCache, 0.5)) / \(ms(toCache, 0.99)) / \(ms(toCache, 1.0)) ms |")
    print("| floor: the same change's bare watch delivery from the same server, p50 / p99 / max | \(ms(floor, 0.5)) / \(ms(floor, 0.99)) / \(ms(floor, 1.0)) ms |")
}

/// For `count` label patches of one remote pod: the time until a plain watch on that pod delivers the change (the
/// floor), and until the FederationCache notifies its subscriber; both sorted.
private func changeLatencies(remote: KubeClient, cache: FederationCache, count: Int) async throws -> (floor: [Duration], toCache: [Duration]) {
    let pods = remote.resource(core.v1.Pod.self, namespace: "ns-0")
    let key = "cluster-0/ns-0/pod-0"
    // From now (the seeded history is long compacted): the current pod arrives as ADDED, then each change.
    let watch = try await pods.watch(WatchOptions(fieldSelector: "metadata.name=pod-0"))
    let (watchArrivals, watchArrived) = AsyncStream<ContinuousClock.Instant>.makeStream()
    let watcher = Task {
        for try await event in watch {
            switch event {
            case .modified: watchArrived.yield(.now)
            case .error(let status): throw BenchmarkError("watch failed: \(status.message ?? "")")
            default: continue
            }
        }
        watchArrived.finish()
    }
    let subscription = cache.subscribe()
    let (cacheArrivals, cacheArrived) = AsyncStream<ContinuousClock.Instant>.makeStream()
    let subscriber = Task {
        while let change = await subscription.next() { if change.endpoints.contains(key) { cacheArrived.yield(.now) } }
    }
    var watchIterator = watchArrivals.makeAsyncIterator()
    var cacheIterator = cacheArrivals.makeAsyncIterator()
    var floor: [Duration] = [], toCache: [Duration] = []
    for index in 0..<count {
        let sent = ContinuousClock.now
        _ = try await pods.patch("pod-0", .merge(["metadata": ["labels": ["round": "\(index)"]]]))
        guard let watched = await watchIterator.next(), let cached = await cacheIterator.next() else { break }
        floor.append(watched - sent)
        toCache.append(cached - sent)
    }
    watcher.cancel()
    subscriber.cancel()
    subscription.cancel()
    return (floor.sorted(), toCache.sorted())
}
