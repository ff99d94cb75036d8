import Foundation
import KubeClient
import KubeTestServer
import Operator
import Testing

/// The operator in-process against a local and remote (test) API servers: RCCs become syncers, status tells the
/// truth, and deleting or breaking an RCC removes what it brought.
@Suite("RemoteClusterConfiguration controller", .timeLimit(.minutes(2)))
struct RemoteClusterControllerTests {
    typealias RCC = projectcalico.v3.RemoteClusterConfiguration

    @Test func anRCCReachesInSyncWithCountsAndItsDeletionPurgesItsData() async throws {
        try await withKubeTestServer(name: "local") { local in
            try await withKubeTestServer(name: "remote-a") { remote in
                let fixture = try ClusterSeeder(remote)
                try await fixture.namespace("shop")
                try await fixture.pod("shop", "cart-1", ip: "10.1.0.5", labels: ["app": "cart"])
                try await fixture.pod("shop", "cart-2", ip: "10.1.0.6", labels: ["app": "cart"])
                try await fixture.service("shop", "cart", ips: ["10.1.0.5", "10.1.0.6"])

                let harness = try await OperatorHarness(local: local)
                try await harness.running {
                    _ = try await harness.rccs.create(try OperatorHarness.inlineRCC("cluster-a", remote: remote))
                    #expect(try await eventually { try await harness.status("cluster-a")?.state == "InSync" })
                    let status = try #require(try await harness.status("cluster-a"))
                    #expect(status.remoteEndpoints == 2)
                    #expect(status.remoteServices == 1)
                    #expect(status.remoteVersion?.hasPrefix("v1.") == true)
                    #expect(status.lastSyncTime != nil)
                    #expect(status.observedGeneration == 1)
                    #expect(status.conditions?.map(\.type) == ["Ready", "ConfigValid", "Connected", "Synced", "IdentityPublished"])
                    #expect(status.conditions?.prefix(4).allSatisfy { $0.status == "True" } == true)
                    #expect(status.conditions?.last?.reason == "CalicoCRDsMissing", "this local cluster has no Calico CRDs; Ready is not affected")
                    #expect(try await harness.rccs.get("cluster-a").metadata.finalizers == [RemoteClusterReconciler.finalizer])
                    #expect(harness.federation.federation.counts(of: "cluster-a")?.endpoints == 2)

                    try await fixture.pod("shop", "cart-3", ip: "10.1.0.7", labels: ["app": "cart"])
                    #expect(try await eventually { try await harness.status("cluster-a")?.remoteEndpoints == 3 })

                    try await harness.rccs.delete("cluster-a")
                    #expect(try await eventually {
                        do { _ = try await harness.rccs.get("cluster-a"); return false } catch let error as KubeAPIError { return error.isNotFound }
                    }, "the finalizer is removed once the data is purged")
                    #expect(harness.federation.federation.counts(of: "cluster-a") == nil)
                    #expect(await harness.federation.registry.clusters.isEmpty)
                }
            }
        }
    }

    @Test func aMissingSecretIsConfigIncompleteUntilItIsCreated() async throws {
        try await withKubeTestServer(name: "local") { local in
            try await withKubeTestServer(name: "remote-b") { remote in
                let harness = try await OperatorHarness(local: local)
                try await harness.running {
                    var spec = RCC.Spec()
                    spec.clusterAccessSecret = core.v1.ObjectReference(kind: "Secret", name: "remote-b-access")
                    _ = try await harness.rccs.create(RCC(metadata: .init(name: "cluster-b"), spec: spec))
                    #expect(try await eventually { try await harness.status("cluster-b")?.state == "ConfigIncomplete" })
                    let configValid = try #require(try await harness.condition("cluster-b", "ConfigValid"))
                    #expect(configValid.status == "False")
                    #expect(configValid.reason == "SecretNotFound")
                    #expect(configValid.message?.contains("calico-system/remote-b-access") == true)
                    #expect(try await harness.condition("cluster-b", "Ready")?.status == "False")

                    let kubeconfig = try remote.kubeconfig()
                    let secret = core.v1.Secret(metadata: .init(name: "remote-b-access", namespace: OperatorHarness.operatorNamespace),
                                                data: ["datastoreType": Array("kubernetes".utf8), "kubeconfig": Array(kubeconfig.utf8)])
                    _ = try await harness.client.resource(core.v1.Secret.self, namespace: OperatorHarness.operatorNamespace).create(secret)
                    #expect(try await eventually { try await harness.status("cluster-b")?.state == "InSync" }, "recovers by itself")
                    #expect(try await harness.condition("cluster-b", "ConfigValid")?.status == "True")
                }
            }
        }
    }

    @Test func anEditToAnotherClusterReplacesTheDataWithoutMixing() async throws {
        try await withKubeTestServer(name: "local") { local in
            try await withKubeTestServer(name: "remote-old") { old in
                try await withKubeTestServer(name: "remote-new") { new in
                    try await ClusterSeeder(old).namespace("shop")
                    try await ClusterSeeder(old).pod("shop", "old-pod", ip: "10.1.0.1", labels: [:])
                    try await ClusterSeeder(new).namespace("shop")
                    try await ClusterSeeder(new).pod("shop", "new-pod", ip: "10.2.0.1", labels: [:])
                    let harness = try await OperatorHarness(local: local)
                    try await harness.running {
                        _ = try await harness.rccs.create(try OperatorHarness.inlineRCC("cluster", remote: old))
                        let cache = harness.federation.federation
                        #expect(try await eventually { cache.endpoint("cluster/shop/old-pod") != nil })
                        // Watches what the cache holds through the switch, after every notification.
                        let subscription = cache.subscribe()
                        let watcher = Task {
                            var seen: Set<[String]> = []
                            while await subscription.next() != nil {
                                seen.insert(cache.endpoints(of: "cluster").map(\.name).sorted())
                                if seen.contains(["new-pod"]) { break }
                            }
                            return seen
                        }

                        _ = try await harness.rccs.patch("cluster", .merge(["spec": ["kubeconfigInline": try new.kubeconfig()]]))
                        #expect(try await eventually { cache.endpoint("cluster/shop/new-pod") != nil })
                        #expect(cache.endpoints(of: "cluster").map(\.name) == ["new-pod"])
                        let seen = await watcher.value
                        #expect(seen.isSubset(of: [["old-pod"], ["new-pod"]]) && seen.contains(["new-pod"]),
                                "the old data was replaced in one step, never mixed or emptied: \(seen)")
                        #expect(try await eventually { try await harness.status("cluster")?.observedGeneration == 2 })
                        #expect(try await eventually { await harness.federation.registry.syncerCount(for: "cluster") == 1 },
                                "the replaced syncer stops")
                    }
                }
            }
        }
    }

    @Test func anInvalidatedRCCStopsAndPurges() async throws {
        try await withKubeTestServer(name: "local") { local in
            try await withKubeTestServer(name: "remote-d") { remote in
                try await ClusterSeeder(remote).namespace("shop")
                try await ClusterSeeder(remote).pod("shop", "p", ip: "10.4.0.1", labels: [:])
                let harness = try await OperatorHarness(local: local)
                try await harness.running {
                    _ = try await harness.rccs.create(try OperatorHarness.inlineRCC("cluster-d", remote: remote))
                    #expect(try await eventually { try await harness.status("cluster-d")?.remoteEndpoints == 1 })
                    _ = try await harness.rccs.patch("cluster-d", .merge(["spec": ["kubeconfigInline": "clusters: [not a kubeconfig"]]))
                    #expect(try await eventually { try await harness.status("cluster-d")?.state == "ConfigIncomplete" })
                    let configValid = try await harness.condition("cluster-d", "ConfigValid")
                    #expect(configValid?.reason == "InvalidKubeconfig")
                    #expect(configValid?.message?.contains("spec.kubeconfigInline") == true, "\(configValid?.message ?? "")")
                    #expect(try await harness.status("cluster-d")?.remoteEndpoints == 0)
                    #expect(harness.federation.federation.counts(of: "cluster-d") == nil)
                }
            }
        }
    }
}
