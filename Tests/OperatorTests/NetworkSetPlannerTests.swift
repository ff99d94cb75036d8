import Operator
import Testing

/// How remote endpoints become Calico network sets (issue 6, first part): grouping, placement, sharding, names.
@Suite("Network set planner")
struct NetworkSetPlannerTests {
    static func pod(_ name: String, _ ip: String, namespace: String = "shop", app: String = "web") -> RemoteEndpoint {
        RemoteEndpoint(cluster: "east", kind: .workload, namespace: namespace, name: name, node: "n1", ips: [ip],
                       labels: EffectiveLabels.workload(cluster: "east", podLabels: ["app": app], namespace: namespace, serviceAccount: "",
                                                        namespaceLabels: [:], serviceAccountLabels: nil))
    }

    @Test func endpointsWithTheSameIdentityShareOneSetInTheirLocalNamespace() {
        let sets = NetworkSetPlanner.plan(cluster: "east", endpoints: [
            Self.pod("web-1", "10.1.0.2"), Self.pod("web-2", "10.1.0.1"), Self.pod("db-1", "10.1.0.9", app: "db"),
            Self.pod("web-x", "10.1.1.1", namespace: "remote-only"),
        ], localNamespaces: ["shop"])
        #expect(sets.map(\.kind) == ["GlobalNetworkSet", "NetworkSet", "NetworkSet"])
        let web = sets.first { $0.labels["app"] == "web" && $0.namespace == "shop" }
        #expect(web?.nets == ["10.1.0.1/32", "10.1.0.2/32"])
        #expect(web?.labels == [
            "app": "web", "projectcalico.org/namespace": "shop", "projectcalico.org/orchestrator": "k8s",
            "pcns.projectcalico.org/name": "shop", "federation.tigera.io/remoteClusterName": "east",
            "app.kubernetes.io/managed-by": "federation-operator",
        ])
        #expect(web?.name.hasPrefix("east-") == true && web?.name.count == "east-".count + 16)
        #expect(sets.first { $0.namespace == nil }?.labels["projectcalico.org/namespace"] == "remote-only",
                "a namespace that does not exist locally is published globally, still selectable by namespace")
    }

    @Test func theSameInputInAnyOrderGivesTheSameSetsAndMembershipChangesKeepTheName() {
        let pods = (0..<20).map { Self.pod("web-\($0)", "10.1.0.\($0)") }
        let forward = NetworkSetPlanner.plan(cluster: "east", endpoints: pods, localNamespaces: ["shop"])
        #expect(NetworkSetPlanner.plan(cluster: "east", endpoints: pods.reversed(), localNamespaces: ["shop"]) == forward)
        let fewer = NetworkSetPlanner.plan(cluster: "east", endpoints: Array(pods.dropFirst(5)), localNamespaces: ["shop"])
        #expect(fewer.map(\.name) == forward.map(\.name))
        #expect(fewer.first?.nets.count == 15)
    }

    @Test func fifteenHundredIdenticalPodsShardIntoTwoObjects() {
        let pods = (0..<1500).map { Self.pod("web-\($0)", "10.2.\($0 / 256).\($0 % 256)") }
        let sets = NetworkSetPlanner.plan(cluster: "east", endpoints: pods, localNamespaces: ["shop"])
        #expect(sets.map(\.nets.count) == [1000, 500])
        #expect(sets[1].name == sets[0].name + "-1")
        #expect(Set(sets[0].nets).isDisjoint(with: sets[1].nets))
    }

    @Test func ipv6HostEndpointsExclusionsAndUnwritableLabels() {
        var host = RemoteEndpoint(cluster: "east", kind: .host, namespace: "", name: "node-1-eth0", node: "node-1",
                                  ips: ["fd00::1", "192.168.0.1"], labels: EffectiveLabels.host(cluster: "east", labels: ["role": "edge"]))
        host.labels["bad key!"] = "x"
        host.labels["note"] = String(repeating: "v", count: 64)
        let finished = RemoteEndpoint(cluster: "east", kind: .workload, namespace: "shop", name: "done", node: "n", ips: [], labels: [:])
        let sets = NetworkSetPlanner.plan(cluster: "east", endpoints: [host, finished, Self.pod("dup", "10.9.9.9")],
                                          localNamespaces: ["shop"], excludedIPs: ["10.9.9.9"])
        #expect(sets.count == 1, "finished pods and excluded addresses publish nothing")
        #expect(sets.first?.namespace == nil)
        #expect(sets.first?.nets == ["192.168.0.1/32", "fd00::1/128"])
        #expect(sets.first?.labels["bad key!"] == nil && sets.first?.labels["note"] == nil)
        #expect(sets.first?.labels["role"] == "edge")
    }

    @Test func labelRulesFollowKubernetes() {
        #expect(KubernetesLabel.isValidKey("app"))
        #expect(KubernetesLabel.isValidKey("pcns.projectcalico.org/name"))
        #expect(!KubernetesLabel.isValidKey("Upper.Case/name"))
        #expect(!KubernetesLabel.isValidKey("a/b/c"))
        #expect(!KubernetesLabel.isValidKey("-leading"))
        #expect(KubernetesLabel.isValidValue(""))
        #expect(KubernetesLabel.isValidValue("v1.2_3-x"))
        #expect(!KubernetesLabel.isValidValue("has space"))
    }
}
