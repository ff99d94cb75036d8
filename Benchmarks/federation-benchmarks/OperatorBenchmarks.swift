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
    let directory = NSTemporaryDirectory() + "operator-bench-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }  // A leftover temporary directory is harmless.

    let names = ["local"] + (0..<remoteCount).map { "cluster-\($0)" }
    let children = try names.enumerated().map { index, name in
        try ChildProcess(executable: CommandLine.arguments[0], arguments: [
            "serve-cluster", name, index == 0 ? "0" : "\(podsPerRemote)", "\(index)", "\(directory)/\(name).kubeconfig",
        ])
    }
    defer { children.forEach { $0.terminate() } }
    let setupStart = ContinuousClock.now
    for name in names {
        while !FileManager.default.fileExists(atPath: "\(directory)/\(name).kubeconfig") {
            try await Task.sleep(for: .milliseconds(50))
            if ContinuousClock.now - setupStart > .seconds(300) { throw BenchmarkError("cluster \(name) did not start") }
        }
    }
    func client(_ name: String) throws -> KubeClient {
        KubeClient(connection: try KubeConfigLoader.load(path: "\(directory)/\(name).kubeconfig").connection())
    }
    let local = try client("local")
    try await installCRD(local)
    _ = try await local.resource(core.v1.Namespace.self).create(core.v1.Namespace(metadata: .init(name: "calico-system")))
    typealias RCC = projectcalico.v3.RemoteClusterConfiguration
    for name in names.dropFirst() {
        var spec = RCC.Spec()
        spec.datastoreType = "kubernetes"
        spec.kubeconfigInline = try String(contentsOfFile: "\(directory)/\(name).kubeconfig", encoding: .utf8)
        _ = try await local.resource(RCC.self).create(RCC(metadata: .init(name: name), spec: spec))
    }
    print("setup: \(remoteCount) remote clusters x \(podsPerRemote) pods in \(String(format: "%.1f", (ContinuousClock.now - setupStart).seconds)) s")

    let rssBefore = currentRSSMiB()
    let policy = RemoteCredentialPolicy(credentialsDirectory: directory, operatorNamespace: "calico-system")
    let federation = FederationOperator(client: local, configuration: .init(policy: policy, instance: "bench"))
    let start = ContinuousClock.now
    let running = Task { await federation.run() }
    var syncTime = Duration.zero
    while true {
        let states = try await local.resource(RCC.self).list().items.map { $0.status?.state }
        if states.allSatisfy({ $0 == "InSync" }) { syncTime = ContinuousClock.now - start; break }
        if ContinuousClock.now - start > .seconds(300) { throw BenchmarkError("not in sync after 300 s: \(states)") }
        try await Task.sleep(for: .milliseconds(20))
    }
    let endpoints = names.dropFirst().compactMap { federation.federation.counts(of: $0)?.endpoints }.reduce(0, +)
    // Let the last status writes and list buffers settle before reading memory.
    try await Task.sleep(for: .seconds(2))
    let rssAfter = currentRSSMiB()

    // The writer is not rate limited: its requests are what is timed.
    let writer = KubeClient(connection: try KubeConfigLoader.load(path: "\(directory)/cluster-0.kubeconfig").connection(),
                            options: KubeClientOptions(qps: 100_000, burst: 100_000))
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

private func installCRD(_ local: KubeClient) async throws {
    let path = "config/crd/remoteclusterconfigurations.projectcalico.org.yaml"
    guard let yaml = try? String(contentsOfFile: path, encoding: .utf8) else { throw BenchmarkError("run from the repository root: \(path) not found") }
    try await ClusterSeeder(client: local).create(yaml: yaml, as: apiextensions.v1.CustomResourceDefinition.resource)
}

/// `federation-benchmarks serve-cluster NAME PODS SUBNET KUBECONFIG`: a seeded test cluster in this child process.
func serveCluster(_ arguments: [String]) async throws {
    guard arguments.count == 4, let pods = Int(arguments[1]), let subnet = Int(arguments[2]) else {
        throw BenchmarkError("usage: serve-cluster NAME PODS SUBNET KUBECONFIG")
    }
    let server = try KubeTestServer(name: arguments[0])
    try await server.cluster.seed(pods: pods, namespaces: 100, subnet: subnet)
    _ = try await server.start()
    try server.kubeconfig().write(toFile: arguments[3], atomically: true, encoding: .utf8)
    // Serves until the parent terminates this process.
    while true { try await Task.sleep(for: .seconds(3600)) }
}

/// A benchmark that could not run.
struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
