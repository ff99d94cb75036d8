import Foundation
import KubeClient
import KubeTestServer
import Logging
import Operator
import Synchronization
import Testing

/// The operator over time: restarts at any moment converge, many RCC lifetimes leave nothing behind, and no
/// credential ever reaches status, Events, metrics or logs.
@Suite("RemoteClusterConfiguration lifecycle", .timeLimit(.minutes(3)))
struct RemoteClusterLifecycleTests {
    typealias RCC = projectcalico.v3.RemoteClusterConfiguration

    @Test func restartsAtRandomMomentsConvergeWithoutDuplicates() async throws {
        try await withKubeTestServer(name: "local") { local in
            try await withKubeTestServer(name: "remote") { remote in
                try await ClusterSeeder(remote).namespace("shop")
                try await ClusterSeeder(remote).pod("shop", "p", ip: "10.6.0.1", labels: [:])
                var harness = try await OperatorHarness(local: local)
                var generator = SystemRandomNumberGenerator()
                for round in 0..<6 {
                    // Change the world while the operator may be anywhere in its work, then stop it.
                    let running = harness.federation
                    let task = Task { await running.run() }
                    _ = try await harness.rccs.create(try OperatorHarness.inlineRCC("rcc-\(round)", remote: remote))
                    if round >= 2 { try await harness.rccs.delete("rcc-\(round - 2)") }
                    try await Task.sleep(for: .milliseconds(Int.random(in: 0...250, using: &generator)))
                    task.cancel()
                    await task.value
                    harness = harness.restarted()
                }
                let final = harness
                try await final.running {
                    let harness = final
                    // rcc-0..3 were deleted (some while no operator ran); rcc-4 and rcc-5 remain.
                    #expect(try await eventually(timeout: .seconds(20)) {
                        let items = try await harness.rccs.list().items
                        return items.map { $0.metadata.name ?? "" }.sorted() == ["rcc-4", "rcc-5"] && items.allSatisfy { $0.status?.state == "InSync" }
                    })
                    for rcc in try await harness.rccs.list().items {
                        #expect(rcc.metadata.finalizers == [RemoteClusterReconciler.finalizer], "one finalizer, never duplicated")
                        #expect(rcc.status?.remoteEndpoints == 1)
                    }
                    #expect(Set(await harness.federation.registry.clusters) == ["rcc-4", "rcc-5"])
                }
            }
        }
    }

    @Test func twoHundredLifetimesLeaveNoSyncerWatchOrDataBehind() async throws {
        try await withKubeTestServer(name: "local") { local in
            try await withKubeTestServer(name: "remote") { remote in
                try await ClusterSeeder(remote).namespace("shop")
                try await ClusterSeeder(remote).pod("shop", "p", ip: "10.5.0.1", labels: [:])
                let harness = try await OperatorHarness(local: local)
                try await harness.running {
                    let parallel = 10
                    for round in 0..<20 {
                        let names = (0..<parallel).map { "cycle-\(round)-\($0)" }
                        for name in names { _ = try await harness.rccs.create(try OperatorHarness.inlineRCC(name, remote: remote)) }
                        #expect(try await eventually(timeout: .seconds(20)) {
                            try await harness.rccs.list().items.filter { $0.status?.state == "InSync" }.count == parallel
                        }, "round \(round)")
                        for name in names { try await harness.rccs.delete(name) }
                        #expect(try await eventually(timeout: .seconds(20)) { try await harness.rccs.list().items.isEmpty }, "round \(round)")
                    }
                    #expect(await harness.federation.registry.clusters.isEmpty)
                    #expect(harness.federation.federation.clusters.isEmpty)
                    #expect(try await eventually { await remote.cluster.openWatchCount == 0 }, "every syncer's watches were closed")
                    let states = await harness.federation.metrics().text
                    #expect(!states.contains("remote_cluster_name=\"cycle-"), "deleted RCCs leave no metric series")
                }
            }
        }
    }

    @Test func noCredentialReachesStatusEventsMetricsOrLogs() async throws {
        let logs = LogCapture()
        try await withKubeTestServer(name: "local") { local in
            try await withKubeTestServer(name: "remote") { remote in
                let harness = try await OperatorHarness(local: local, logger: Logger(label: "operator") { _ in logs })
                let secretToken = "s3cr3t-token-value-0123456789"
                let certificateKubeconfig = try remote.kubeconfig()
                let clientKey = try #require(certificateKubeconfig.split(separator: "\n").first { $0.contains("client-key-data:") })
                    .split(separator: ": ")[1]
                try await harness.running {
                    // One that works with a client certificate, one refused (401) with a token, one broken by a bad key.
                    _ = try await harness.rccs.create(RemoteClusterFaultTests.rcc("by-certificate", kubeconfig: certificateKubeconfig))
                    _ = try await harness.rccs.create(RemoteClusterFaultTests.rcc("by-token", kubeconfig: try remote.kubeconfig(token: secretToken)))
                    _ = try await harness.rccs.create(RemoteClusterFaultTests.rcc(
                        "bad-key", kubeconfig: certificateKubeconfig.replacingOccurrences(of: String(clientKey), with: "bm90IGEga2V5")))
                    #expect(try await eventually {
                        let states = try await harness.rccs.list().items.map { $0.status?.state ?? "" }.sorted()
                        return states == ["ConfigIncomplete", "ConnectionFailed", "InSync"]
                    })
                    let statuses = String(decoding: try JSONEncoder().encode(try await harness.rccs.list().items.map(\.status)), as: UTF8.self)
                    let events = try await harness.client.resource(events.v1.Event.self, namespace: "default").list().items
                    let eventText = events.map { "\($0.note ?? "") \($0.reason ?? "")" }.joined(separator: "\n")
                    let metrics = await harness.federation.metrics().text
                    #expect(!events.isEmpty)
                    for (place, text) in [("status", statuses), ("events", eventText), ("metrics", metrics), ("logs", logs.text)] {
                        #expect(!text.contains(secretToken), "token in \(place)")
                        #expect(!text.contains(String(clientKey.prefix(40))), "client key in \(place)")
                        #expect(!text.contains("BEGIN"), "PEM in \(place)")
                    }
                }
            }
        }
    }
}

/// Collects every log line (message and metadata) in memory.
final class LogCapture: LogHandler, @unchecked Sendable {
    // `lines` is guarded by its Mutex; the LogHandler requirements below are set before use and never raced.
    private let lines = Mutex<[String]>([])
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let line = "\(event.level) \(event.message) \(metadata.merging(event.metadata ?? [:]) { $1 })"
        lines.withLock { $0.append(line) }
    }

    var text: String { lines.withLock { $0.joined(separator: "\n") } }
}
