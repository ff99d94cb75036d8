import Foundation
import KubeClient
import KubeTestServer
import Operator
import Testing

/// What the identity publisher leaves out (IPs used twice) and how it shapes what it publishes (shards, host
/// endpoints, service-account labels, owners, outages), against local clusters with Calico's CRDs (issue 6).
@Suite("Identity publisher: overlaps and shapes", .timeLimit(.minutes(2)))
struct IdentityOverlapAndShapeTests {
    /// `cluster/app -> nets` of the published sets.
    static func summary(_ harness: OperatorHarness) async throws -> [String: [String]] {
        Dictionary(try await IdentityPublisherTests.sets(harness).map { set in
            ("\(set.cluster ?? "-")/\(set.labels["app"] ?? set.labels["role"] ?? "-")", set.nets)
        }, uniquingKeysWith: { $0 + $1 })
    }

    @Test func ipsUsedLocallyOrByAnotherRemoteAreLeftOutAndReported() async throws {
        try await withKubeTestServer(name: "local") { local in
            try await withKubeTestServer(name: "east") { east in
                try await withKubeTestServer(name: "west") { west in
                    let localSeeder = try ClusterSeeder(local)
                    try await localSeeder.installCalicoNetworkSetCRDs()
                    try await localSeeder.namespace("shop")
                    try await localSeeder.pod("shop", "web-local", ip: "10.7.0.1", labels: ["app": "web"])
                    let eastSeeder = try ClusterSeeder(east)
                    try await eastSeeder.namespace("shop")
                    try await eastSeeder.pod("shop", "web-1", ip: "10.7.0.1", labels: ["app": "web"])
                    try await eastSeeder.pod("shop", "web-2", ip: "10.7.0.2", labels: ["app": "web"])
                    try await eastSeeder.pod("shop", "web-3", ip: "10.7.0.3", labels: ["app": "web"])
                    let westSeeder = try ClusterSeeder(west)
                    try await westSeeder.namespace("shop")
                    try await westSeeder.pod("shop", "api-1", ip: "10.7.0.3", labels: ["app": "api"])
                    try await westSeeder.pod("shop", "api-2", ip: "10.7.0.4", labels: ["app": "api"])
                    let harness = try await OperatorHarness(local: local)
                    try await harness.running {
                        _ = try await harness.rccs.create(try OperatorHarness.inlineRCC("east", remote: east))
                        _ = try await harness.rccs.create(try OperatorHarness.inlineRCC("west", remote: west))
                        #expect(try await eventually { try await Self.summary(harness) == ["east/web": ["10.7.0.2/32"], "west/api": ["10.7.0.4/32"]] })
                        #expect(try await eventually { try await harness.condition("east", "IPOverlap")?.reason == "OverlappingIPs" })
                        let condition = try #require(try await harness.condition("east", "IPOverlap"))
                        #expect(condition.status == "True")
                        #expect(condition.message?.hasPrefix("2 remote endpoint IPs are also used elsewhere: 10.7.0.1 (local shop/web-local), 10.7.0.3 (remote cluster west);") == true)
                        #expect(try await eventually { try await harness.condition("west", "IPOverlap")?.message?.contains("10.7.0.3 (remote cluster east)") == true })
                        let events = try await harness.client.resource(events.v1.Event.self, namespace: "default").list().items
                        #expect(events.contains { $0.reason == "IPOverlap" && $0.type == "Warning" && $0.regarding?.name == "east" })
                        let metrics = await harness.federation.metrics().text
                        #expect(metrics.contains(#"federation_ip_overlaps{remote_cluster_name="east"} 2"#))
                        #expect(metrics.contains(#"federation_ip_overlaps{remote_cluster_name="west"} 1"#))

                        // The local pod goes: its IP is east's alone now.
                        try await localSeeder.client.resource(core.v1.Pod.self, namespace: "shop").delete("web-local")
                        #expect(try await eventually { try await Self.summary(harness)["east/web"] == ["10.7.0.1/32", "10.7.0.2/32"] })
                        // West goes: the IP both used is published for east, and east overlaps no more.
                        try await harness.rccs.delete("west")
                        #expect(try await eventually { try await Self.summary(harness) == ["east/web": ["10.7.0.1/32", "10.7.0.2/32", "10.7.0.3/32"]] })
                        #expect(try await eventually { try await harness.condition("east", "IPOverlap")?.status == "False" })
                        #expect(try await harness.condition("east", "IPOverlap")?.reason == "NoOverlap")
                    }
                }
            }
        }
    }

    @Test func largeGroupsShardHostEndpointsAndServiceAccountsArePublishedAndOwnedByTheirRCC() async throws {
        try await withKubeTestServer(name: "local") { local in
            try await withKubeTestServer(name: "remote") { remote in
                try await ClusterSeeder(local).installCalicoNetworkSetCRDs()
                // Unthrottled: 3,000 writes at a production client's 20 requests/s would take minutes.
                let seeder = ClusterSeeder(client: KubeClient(connection: try remote.client().connection, options: KubeClientOptions(qps: 5000, burst: 5000)))
                try await seeder.namespace("bulk")
                try await seeder.serviceAccount("bulk", "batch", labels: ["tier": "backend"])
                try await withThrowingTaskGroup { group in
                    for worker in 0..<6 {
                        group.addTask {
                            for index in stride(from: worker, to: 1500, by: 6) {
                                try await seeder.pod("bulk", "job-\(index)", ip: "10.\(20 + index / 250).0.\(index % 250 + 1)",
                                                     labels: ["app": "bulk"], serviceAccount: "batch")
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                try await seeder.installCalicoCRD(plural: "hostendpoints", kind: "HostEndpoint", namespaced: false)
                _ = try await seeder.client.dynamic(HostEndpointProjection.resource).create(DynamicObject(
                    apiVersion: "crd.projectcalico.org/v1", kind: "HostEndpoint", metadata: .init(name: "node-1-eth0", labels: ["role": "ingress"]),
                    content: ["spec": ["node": "node-1", "interfaceName": "eth0", "expectedIPs": ["192.168.1.10", "fd00::10"]]]))
                let harness = try await OperatorHarness(local: local)
                try await harness.running {
                    let rcc = try await harness.rccs.create(try OperatorHarness.inlineRCC("big", remote: remote))
                    #expect(try await eventually(timeout: .seconds(30)) {
                        try await IdentityPublisherTests.sets(harness).map(\.nets.count).sorted() == [2, 500, 1000]
                    })
                    let sets = try await IdentityPublisherTests.sets(harness)
                    let bulk = sets.filter { $0.labels["app"] == "bulk" }.sorted { $0.name < $1.name }
                    #expect(bulk.count == 2)
                    #expect(bulk.allSatisfy { $0.namespace == nil }, "no local namespace bulk: global sets")
                    #expect(bulk.last?.name == (bulk.first?.name ?? "") + "-1")
                    #expect(Set(bulk.flatMap(\.nets)).count == 1500)
                    #expect(bulk.first?.labels["pcsa.tier"] == "backend")
                    #expect(bulk.first?.labels["projectcalico.org/serviceaccount"] == "batch")
                    #expect(bulk.first?.labels["pcsa.projectcalico.org/name"] == "batch")
                    let host = try #require(sets.first { $0.labels["role"] == "ingress" })
                    #expect(host.nets == ["192.168.1.10/32", "fd00::10/128"])
                    #expect(host.labels == ["role": "ingress", "federation.tigera.io/remoteClusterName": "big",
                                            "app.kubernetes.io/managed-by": "federation-operator"])
                    let owner = try #require(rcc.metadata.uid)
                    #expect(sets.allSatisfy { $0.ownerReferences.map(\.uid) == [owner] && $0.ownerReferences.first?.kind == "RemoteClusterConfiguration" })
                }
            }
        }
    }

    @Test func anUnreachableRemoteKeepsItsSetsAndItsStatusSaysSo() async throws {
        try await withKubeTestServer(name: "local") { local in
            try await ClusterSeeder(local).installCalicoNetworkSetCRDs()
            let remote = try KubeTestServer(name: "away")
            _ = try await remote.start()
            try await ClusterSeeder(remote).namespace("shop")
            try await ClusterSeeder(remote).pod("shop", "web-1", ip: "10.8.0.1", labels: ["app": "web"])
            let harness = try await OperatorHarness(local: local)
            try await harness.running {
                _ = try await harness.rccs.create(try OperatorHarness.inlineRCC("away", remote: remote))
                #expect(try await eventually { try await Self.summary(harness) == ["away/web": ["10.8.0.1/32"]] })
                let before = try await IdentityPublisherTests.sets(harness)
                await remote.stop()
                #expect(try await eventually { try await harness.status("away")?.state == "ConnectionFailed" })
                #expect(try await harness.condition("away", "Synced")?.message?.contains("is kept") == true)
                try await Task.sleep(for: .milliseconds(300))
                #expect(try await IdentityPublisherTests.sets(harness) == before, "identities stay published while the remote is away")
            }
        }
    }
}
