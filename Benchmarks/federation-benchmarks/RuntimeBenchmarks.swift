import Foundation
import KubeClient
import KubeRuntime

/// KubeRuntime (issue 3): the informer cache's memory for pod projections and whole pods, how fast it applies
/// changes, and work queue throughput.
func runRuntimeBenchmarks() async throws {
    let podCount = 100_000
    // 1. Memory: 100,000 pods cached as the federation projection, then as the decoded Pod model. Each pod is decoded
    //    and dropped as it is cached, as an informer does, so the cache owns all it holds.
    let projections = try measureCache(podCount, project: PodIdentity.init)
    let whole = try measureCache(podCount) { $0 }

    let decoder = JSONDecoder()
    let pods = try (0..<podCount).map { try decoder.decode(core.v1.Pod.self, from: Data(podJSON($0).utf8)) }

    // 2. Applying changes: one core, projected updates of 100,000 cached pods with namespace and label indexes.
    let cache = ObjectCache<PodIdentity>(indexes: ["namespace": { [$0.namespace] }, "app": { [$0.labels["app"] ?? ""] }])
    let identities = pods.map(PodIdentity.init)
    for identity in identities { cache.put(identity.key, identity) }
    let updates = 1_000_000
    let applyTime = ContinuousClock().measure {
        for index in 0..<updates {
            var changed = identities[index % podCount]
            changed.labels["version"] = "v\(index % 13)"
            cache.put(changed.key, changed)
        }
    }

    // 3. Work queue: one producer adding 1,000,000 adds over 10,000 keys; then 200,000 distinct keys through 4 workers.
    let queue = WorkQueue<Int>()
    let addTime = await ContinuousClock().measure {
        for index in 0..<1_000_000 { await queue.add(index % 10_000) }
    }
    await queue.shutDown(drain: false)
    let throughputQueue = WorkQueue<Int>()
    let keys = 200_000
    let processTime = await ContinuousClock().measure {
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    while let key = await throughputQueue.next() { await throughputQueue.done(key) }
                }
            }
            for key in 0..<keys { await throughputQueue.add(key) }
            await throughputQueue.shutDown(drain: true)
        }
    }

    print("| measure | result |")
    print("|---|---|")
    print("| 100,000 pods cached as `PodIdentity` projections (name, namespace, labels, IPs, node) | \(String(format: "%.1f", projections)) MB RSS, \(String(format: "%.0f", projections * 1_000_000 / Double(podCount))) bytes each |")
    print("| 100,000 pods cached as decoded `core.v1.Pod` | \(String(format: "%.1f", whole)) MB RSS, \(String(format: "%.0f", whole * 1_000_000 / Double(podCount))) bytes each |")
    print("| projected updates applied to the cache (2 indexes), one core | \(String(format: "%.0f", Double(updates) / applyTime.seconds)) /s |")
    print("| work queue adds, 1,000,000 over 10,000 keys (deduplicated) | \(String(format: "%.0f", 1_000_000 / addTime.seconds)) /s |")
    print("| work queue, 200,000 keys through 4 workers (next + done) | \(String(format: "%.0f", Double(keys) / processTime.seconds)) keys/s |")
}

/// What the operator keeps of a remote pod for endpoint identity.
struct PodIdentity: Sendable, Equatable {
    var namespace: String
    var name: String
    var labels: [String: String]
    var ips: [String]
    var node: String
    var serviceAccount: String

    var key: String { "\(namespace)/\(name)" }

    init(_ pod: core.v1.Pod) {
        namespace = pod.metadata.namespace ?? ""
        name = pod.metadata.name ?? ""
        labels = pod.metadata.labels ?? [:]
        ips = pod.status?.podIPs?.map(\.ip) ?? []
        node = pod.spec?.nodeName ?? ""
        serviceAccount = pod.spec?.serviceAccountName ?? ""
    }
}

/// The resident memory (MB) 100,000 cached values take: RSS after filling a cache minus before.
private func measureCache<Value: Sendable>(_ count: Int, project: (core.v1.Pod) -> Value) throws -> Double {
    let decoder = JSONDecoder()
    let before = currentRSSMiB()
    let cache = ObjectCache<Value>()
    for index in 0..<count {
        let pod = try decoder.decode(core.v1.Pod.self, from: Data(podJSON(index).utf8))
        cache.put(pod.key, project(pod))
    }
    let after = currentRSSMiB()
    withExtendedLifetime(cache) {}
    return (after - before) * 1.048576
}
