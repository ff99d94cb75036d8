@testable import Operator
import Testing

/// The incremental plan (endpoint by endpoint) always equals a plan made from scratch, and the overlap index names
/// exactly the clusters whose overlaps changed (issue 6).
@Suite("Cluster identity plan and IP overlap index")
struct ClusterIdentityPlanTests {
    static func pod(_ index: Int, app: String, ip: String?, namespace: String) -> RemoteEndpoint {
        RemoteEndpoint(cluster: "east", kind: .workload, namespace: namespace, name: "pod-\(index)", node: "n1", ips: ip.map { [$0] } ?? [],
                       labels: EffectiveLabels.workload(cluster: "east", podLabels: ["app": app], namespace: namespace, serviceAccount: "",
                                                        namespaceLabels: [:], serviceAccountLabels: nil))
    }

    @Test func incrementalUpdatesEqualAFreshPlanAfterEveryBatch() {
        var generator = SystemRandomNumberGenerator()
        var endpoints: [String: RemoteEndpoint] = [:]
        var plan = ClusterIdentityPlan(cluster: "east")
        var inputs = ClusterIdentityPlan.Inputs(localNamespaces: ["a"], excludedIPs: [], owner: nil)
        for batch in 0..<40 {
            for _ in 0..<25 {
                let index = Int.random(in: 0..<60, using: &generator)
                let namespace = ["a", "b"][index % 2]
                let key = "east/\(namespace)/pod-\(index)"
                // Deleted pods, finished pods (no IP) and shared IPs (two pods, one address) are all exercised.
                let endpoint: RemoteEndpoint? = Int.random(in: 0..<5, using: &generator) == 0 ? nil : Self.pod(
                    index, app: ["web", "db", "api"].randomElement(using: &generator)!,
                    ip: Int.random(in: 0..<8, using: &generator) == 0 ? nil : "10.0.0.\(Int.random(in: 0..<80, using: &generator))",
                    namespace: namespace)
                endpoints[key] = endpoint
                _ = plan.update(key, endpoint)
            }
            if batch % 10 == 9 { inputs.localNamespaces = batch % 20 == 9 ? ["a", "b"] : ["a"] }
            if batch % 7 == 6 { inputs.excludedIPs = ["10.0.0.\(batch)"] }
            plan.replan(inputs)
            let fresh = NetworkSetPlanner.plan(cluster: "east", endpoints: Array(endpoints.values), localNamespaces: inputs.localNamespaces,
                                               excludedIPs: inputs.excludedIPs)
            #expect(plan.desired.values.sorted { $0.id < $1.id } == fresh.sorted { $0.id < $1.id }, "batch \(batch)")
        }
    }

    @Test func overlapsFollowUsersAndNameTheClustersThatChanged() {
        let index = IPOverlapIndex()
        #expect(index.setCluster("east", ips: ["10.0.0.1", "10.0.0.2"]).isEmpty)
        #expect(index.setCluster("west", ips: ["10.0.0.2", "10.0.0.3"]) == ["east"], "east's 10.0.0.2 now overlaps")
        #expect(index.overlaps(of: "east") == ["10.0.0.2": "remote cluster west"])
        #expect(index.overlaps(of: "west") == ["10.0.0.2": "remote cluster east"])
        #expect(index.setLocal("/shop/web", ips: ["10.0.0.3"]) == ["west"])
        #expect(index.overlaps(of: "west") == ["10.0.0.2": "remote cluster east", "10.0.0.3": "local shop/web"])
        #expect(index.setLocal("/shop/web", ips: ["10.0.0.3"]).isEmpty, "unchanged")
        #expect(index.updateCluster("east", added: [], removed: ["10.0.0.2"]) == ["west"])
        #expect(index.overlaps(of: "east").isEmpty)
        #expect(index.setLocal("/shop/web", ips: []) == ["west"])
        #expect(index.overlaps(of: "west").isEmpty)
        #expect(index.removeCluster("west").isEmpty)
    }
}
