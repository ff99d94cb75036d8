import Foundation
import KubeClient
import KubeTestServer
import Operator
import Testing

/// Remote identities published as Calico network sets on a local cluster that has Calico's CRDs (issue 6).
@Suite("Identity publisher", .timeLimit(.minutes(2)))
struct IdentityPublisherTests {
    static func sets(_ harness: OperatorHarness) async throws -> [PublishedNetworkSet] {
        let namespaced = try await harness.client.dynamic(PublishedNetworkSet.networkSets).list().items
        let global = try await harness.client.dynamic(PublishedNetworkSet.globalNetworkSets).list().items
        return (namespaced + global).map(PublishedNetworkSet.init)
    }

    /// `namespace/app -> nets` of the published sets, for compact comparisons.
    static func summary(_ harness: OperatorHarness) async throws -> [String: [String]] {
        Dictionary(try await sets(harness).map { ("\($0.namespace ?? "*")/\($0.labels["app"] ?? "-")", $0.nets) }, uniquingKeysWith: { $0 + $1 })
    }

    @Test func identitiesBecomeNetworkSetsThatFollowRemoteChangesAndGoWithTheirRCC() async throws {
        try await withKubeTestServer(name: "local") { local in
            try await withKubeTestServer(name: "remote") { remote in
                try await ClusterSeeder(local).installCalicoNetworkSetCRDs()
                let seeder = try ClusterSeeder(remote)
                try await seeder.namespace("shop", labels: ["team": "blue"])
                try await seeder.pod("shop", "web-1", ip: "10.1.0.1", labels: ["app": "web"])
                try await seeder.pod("shop", "web-2", ip: "10.1.0.2", labels: ["app": "web"])
                try await seeder.pod("shop", "db-1", ip: "10.1.0.9", labels: ["app": "db"])
                let harness = try await OperatorHarness(local: local)
                try await ClusterSeeder(local).namespace("shop")
                try await harness.running {
                    _ = try await harness.rccs.create(try OperatorHarness.inlineRCC("east", remote: remote))
                    #expect(try await eventually { try await Self.summary(harness) == ["shop/web": ["10.1.0.1/32", "10.1.0.2/32"], "shop/db": ["10.1.0.9/32"]] })
                    let web = try #require(try await Self.sets(harness).first { $0.labels["app"] == "web" })
                    #expect(web.labels["pcns.team"] == "blue")
                    #expect(web.labels["federation.tigera.io/remoteClusterName"] == "east")
                    #expect(web.labels["app.kubernetes.io/managed-by"] == "federation-operator")

                    // A label change moves the pod's IP to the other group's set.
                    try await seeder.labelPod("shop", "web-2", ["app": "db"])
                    #expect(try await eventually { try await Self.summary(harness) == ["shop/web": ["10.1.0.1/32"], "shop/db": ["10.1.0.2/32", "10.1.0.9/32"]] })

                    // A manual edit of a managed set is reverted.
                    let db = try #require(try await Self.sets(harness).first { $0.labels["app"] == "db" })
                    _ = try await harness.client.dynamic(PublishedNetworkSet.networkSets, namespace: "shop")
                        .patch(db.name, .merge(["spec": ["nets": ["1.2.3.4/32"]]]))
                    #expect(try await eventually { try await Self.summary(harness)["shop/db"] == ["10.1.0.2/32", "10.1.0.9/32"] })

                    // Namespace labels are inherited: a new value republishes every group under the new pcns label.
                    try await seeder.labelNamespace("shop", ["team": "green"])
                    #expect(try await eventually { try await Self.sets(harness).map { $0.labels["pcns.team"] } == ["green", "green"] })
                    // A deleted pod's IP leaves its set; an emptied group's set goes.
                    try await seeder.client.resource(core.v1.Pod.self, namespace: "shop").delete("web-1")
                    #expect(try await eventually { try await Self.summary(harness) == ["shop/db": ["10.1.0.2/32", "10.1.0.9/32"]] })

                    // Deleting the RCC removes its sets before the RCC is gone.
                    try await harness.rccs.delete("east")
                    #expect(try await eventually {
                        do { _ = try await harness.rccs.get("east"); return false } catch let error as KubeAPIError { return error.isNotFound }
                    })
                    #expect(try await Self.sets(harness).isEmpty)
                }
            }
        }
    }

    @Test func withoutTheCalicoCRDsStatusSaysSoAndPublishingStartsWhenTheyAppear() async throws {
        try await withKubeTestServer(name: "local") { local in
            try await withKubeTestServer(name: "remote") { remote in
                try await ClusterSeeder(remote).namespace("shop")
                try await ClusterSeeder(remote).pod("shop", "web-1", ip: "10.5.0.1", labels: ["app": "web"])
                let harness = try await OperatorHarness(local: local)
                try await harness.running {
                    _ = try await harness.rccs.create(try OperatorHarness.inlineRCC("south", remote: remote))
                    #expect(try await eventually { try await harness.condition("south", "IdentityPublished")?.reason == "CalicoCRDsMissing" })
                    #expect(try await harness.condition("south", "IdentityPublished")?.status == "False")
                    #expect(try await eventually { try await harness.status("south")?.state == "InSync" }, "the remote is synced all the same")
                    #expect(try await harness.condition("south", "IdentityPublished")?.reason == "CalicoCRDsMissing")

                    try await ClusterSeeder(local).installCalicoNetworkSetCRDs()
                    #expect(try await eventually { try await harness.condition("south", "IdentityPublished")?.status == "True" })
                    #expect(try await eventually { try await Self.summary(harness) == ["*/web": ["10.5.0.1/32"]] })
                }
            }
        }
    }

    @Test func aNamespaceCreatedLocallyMovesItsGroupFromGlobalToNamespaced() async throws {
        try await withKubeTestServer(name: "local") { local in
            try await withKubeTestServer(name: "remote") { remote in
                try await ClusterSeeder(local).installCalicoNetworkSetCRDs()
                try await ClusterSeeder(remote).namespace("billing")
                try await ClusterSeeder(remote).pod("billing", "inv-1", ip: "10.2.0.1", labels: ["app": "invoices"])
                let harness = try await OperatorHarness(local: local)
                try await harness.running {
                    _ = try await harness.rccs.create(try OperatorHarness.inlineRCC("west", remote: remote))
                    #expect(try await eventually { try await Self.summary(harness) == ["*/invoices": ["10.2.0.1/32"]] })
                    try await ClusterSeeder(local).namespace("billing")
                    #expect(try await eventually { try await Self.summary(harness) == ["billing/invoices": ["10.2.0.1/32"]] })
                }
            }
        }
    }

    @Test func aRestartedOperatorLeavesSetsUntouchedAndConvergesWithoutRewriting() async throws {
        try await withKubeTestServer(name: "local") { local in
            try await withKubeTestServer(name: "remote") { remote in
                try await ClusterSeeder(local).installCalicoNetworkSetCRDs()
                try await ClusterSeeder(remote).namespace("shop")
                try await ClusterSeeder(remote).pod("shop", "web-1", ip: "10.4.0.1", labels: ["app": "web"])
                let first = try await OperatorHarness(local: local)
                try await first.running {
                    _ = try await first.rccs.create(try OperatorHarness.inlineRCC("north", remote: remote))
                    #expect(try await eventually { try await Self.summary(first) == ["*/web": ["10.4.0.1/32"]] })
                }
                let before = try await Self.sets(first)
                let second = first.restarted()
                try await second.running {
                    #expect(try await eventually { try await second.status("north")?.state == "InSync" })
                    // Give the publisher time to act on the in-sync cluster: it must find nothing to change.
                    try await Task.sleep(for: .milliseconds(500))
                    #expect(try await Self.sets(second) == before, "same objects, same resourceVersions: never deleted or rewritten")
                }
            }
        }
    }
}
