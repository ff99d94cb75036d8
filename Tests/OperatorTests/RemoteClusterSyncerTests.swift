import Foundation
import KubeClient
import KubeRuntime
import KubeTestServer
import Operator
import Synchronization
import Testing

/// The syncer against a real (test) remote API server: what it publishes, how it follows changes, and the status
/// it reports when the remote cannot be read.
@Suite("Remote cluster syncer", .timeLimit(.minutes(2)))
struct RemoteClusterSyncerTests {
    static let fast = RemoteClusterSyncer.Options(
        connectBackoff: Backoff(initial: .milliseconds(50), maximum: .milliseconds(200)),
        informer: InformerOptions(backoff: Backoff(initial: .milliseconds(50), maximum: .milliseconds(200))))

    /// Runs a syncer for `cluster` until `body` returns.
    static func withSyncer(_ cluster: String, client: KubeClient, cache: FederationCache,
                           _ body: (RemoteClusterSyncer) async throws -> Void) async throws {
        let syncer = RemoteClusterSyncer(cluster: cluster, client: client, cache: cache, options: fast) { _ in }
        let running = Task { await syncer.run() }
        defer { running.cancel() }
        try await body(syncer)
        running.cancel()
        await running.value
    }

    @Test func publishesEffectiveIdentitiesAndServicesThenFollowsChanges() async throws {
        try await withKubeTestServer(name: "remote-a") { server in
            let remote = try ClusterSeeder(server)
            try await remote.namespace("shop", labels: ["team": "blue"])
            try await remote.serviceAccount("shop", "cart", labels: ["tier": "gold"])
            try await remote.pod("shop", "cart-1", ip: "10.1.0.5", labels: ["app": "cart", "pcns.team": "forged"], serviceAccount: "cart")
            try await remote.pod("shop", "node-agent", ip: "192.168.0.9", labels: ["app": "agent"], hostNetwork: true)
            try await remote.service("shop", "cart", ips: ["10.1.0.5"], labels: ["federate": "yes"])

            let cache = FederationCache()
            let subscription = cache.subscribe()
            try await Self.withSyncer("cluster-a", client: try server.client(), cache: cache) { syncer in
                #expect(try await eventually { syncer.status.state == .inSync })
                #expect(syncer.status.remoteVersion?.hasPrefix("v1.") == true)
                let first = await subscription.next()
                #expect(first?.endpoints == ["cluster-a/shop/cart-1"], "host-network pods are not endpoints")
                #expect(first?.services == ["cluster-a/shop/cart"])

                let endpoint = try #require(cache.endpoint("cluster-a/shop/cart-1"))
                #expect(endpoint.ips == ["10.1.0.5"])
                #expect(endpoint.labels == [
                    "app": "cart", "projectcalico.org/namespace": "shop", "projectcalico.org/orchestrator": "k8s",
                    "projectcalico.org/serviceaccount": "cart", "pcns.projectcalico.org/name": "shop", "pcns.team": "blue",
                    "pcsa.projectcalico.org/name": "cart", "pcsa.tier": "gold", "federation.tigera.io/remoteClusterName": "cluster-a",
                ])
                let service = try #require(cache.service("cluster-a/shop/cart"))
                #expect(service.ports == [ServicePortSpec(name: "http", protocol: "TCP", port: 80)])
                #expect(service.endpointGroups.flatMap(\.addresses).map(\.ip) == ["10.1.0.5"])

                try await remote.labelPod("shop", "cart-1", ["app": "checkout"])
                #expect(try await eventually { cache.endpoint("cluster-a/shop/cart-1")?.labels["app"] == "checkout" })
                try await remote.labelNamespace("shop", ["team": "red"])
                #expect(try await eventually { cache.endpoint("cluster-a/shop/cart-1")?.labels["pcns.team"] == "red" })
                _ = try await server.client().resource(core.v1.Pod.self, namespace: "shop").delete("cart-1")
                #expect(try await eventually { cache.endpoint("cluster-a/shop/cart-1") == nil })
                #expect(cache.counts(of: "cluster-a")?.endpoints == 0)
            }
        }
    }

    @Test func reportsAMissingPermissionAndRecoversWhenItIsGranted() async throws {
        try await withKubeTestServer(name: "remote-b") { server in
            let reader = UserInfo(name: "federation")
            let everythingButPods = ["namespaces", "serviceaccounts", "services", "endpointslices", "endpoints"]
            await server.cluster.addUser(reader, token: "reader-token", rules: [
                AccessRule(verbs: ["get", "list", "watch"], apiGroups: ["", "discovery.k8s.io"], resources: everythingButPods),
            ])
            let cache = FederationCache()
            try await Self.withSyncer("cluster-b", client: try server.client(user: reader, token: "reader-token"), cache: cache) { syncer in
                #expect(try await eventually { syncer.status.state == .connectionFailed })
                let failure = try #require(syncer.status.failure)
                #expect(failure.reason == "Forbidden")
                #expect(failure.message.contains(#"cannot list resource "pods""#), "\(failure.message)")
                #expect(!failure.message.contains("reader-token"))
                #expect(cache.counts(of: "cluster-b") == nil, "nothing is published before every resource listed")

                await server.cluster.addUser(reader, token: "reader-token", rules: [
                    AccessRule(verbs: ["list", "watch"], apiGroups: [""], resources: ["pods"]),
                ])
                #expect(try await eventually { syncer.status.state == .inSync })
                #expect(syncer.status.failure == nil)
            }
        }
    }

    @Test func reportsAnUnreachableRemoteAndConnectsWhenItComesUp() async throws {
        let server = try KubeTestServer(name: "late")
        _ = try await server.start()
        let client = try server.client()
        await server.stop()
        let cache = FederationCache()
        try await Self.withSyncer("cluster-c", client: client, cache: cache) { syncer in
            #expect(try await eventually { syncer.status.state == .connectionFailed })
            #expect(syncer.status.failure?.reason == "Unreachable", "\(String(describing: syncer.status.failure))")
            try await server.restart(keepingData: true)
            #expect(try await eventually(timeout: .seconds(20)) { syncer.status.state == .inSync })
        }
        await server.stop()
    }

    /// Fixed data standing in for a syncer's caches.
    struct StaticSource: FederationSource {
        var byKey: [String: RemoteEndpoint]
        init(_ endpoints: [RemoteEndpoint]) { byKey = Dictionary(uniqueKeysWithValues: endpoints.map { ($0.key, $0) }) }
        func endpoints() -> [RemoteEndpoint] { Array(byKey.values) }
        func services() -> [RemoteService] { [] }
        func endpoint(_ key: String) -> RemoteEndpoint? { byKey[key] }
        func service(_ key: String) -> RemoteService? { nil }
        var endpointCount: Int { byKey.count }
        var serviceCount: Int { 0 }
    }

    @Test func aNewerOwnerReplacesTheDataInOneStepAndTheOldOneCanNoLongerPublish() async throws {
        let cache = FederationCache()
        func endpoint(_ name: String, _ ip: String) -> RemoteEndpoint {
            RemoteEndpoint(cluster: "c", kind: .workload, namespace: "ns", name: name, node: "n", ips: [ip], labels: [:])
        }
        let old = cache.claim("c")
        #expect(cache.replace("c", owner: old, source: StaticSource([endpoint("a", "10.0.0.1"), endpoint("b", "10.0.0.2")])))
        let new = cache.claim("c")
        let touched = FederationChange(clusters: ["c"], endpoints: ["c/ns/a"])
        #expect(cache.publish("c", owner: old, touched), "the old owner publishes until the new one replaces it")
        let subscription = cache.subscribe()
        #expect(cache.replace("c", owner: new, source: StaticSource([endpoint("a", "10.0.0.9"), endpoint("b", "10.0.0.2")])))
        #expect(subscription.poll()?.endpoints == ["c/ns/a"], "only keys whose values differ are announced")
        #expect(!cache.publish("c", owner: old, touched))
        #expect(!cache.replace("c", owner: old, source: StaticSource([])))
        #expect(cache.endpoint("c/ns/a")?.ips == ["10.0.0.9"])
        cache.remove("c")
        #expect(subscription.poll()?.endpoints == ["c/ns/a", "c/ns/b"])
        #expect(cache.counts(of: "c") == nil)
        #expect(!cache.replace("c", owner: new, source: StaticSource([endpoint("a", "10.0.0.1")])), "a removed cluster stays removed for its owners")
        #expect(cache.replace("c", owner: cache.claim("c"), source: StaticSource([endpoint("a", "10.0.0.1")])))
        #expect(cache.counts(of: "c")?.endpoints == 1)
    }
}
