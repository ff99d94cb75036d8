import KubeClient
import Operator
import Testing

/// EndpointSlices of federated services: sizes, families and minimal churn (issue 7 §3); Endpoints truncation.
@Suite("Federated slice planner")
struct FederatedSlicePlannerTests {
    static func address(_ ip: String, ready: Bool = true, cluster: String = "east") -> FederatedAddress {
        let pod = cluster.isEmpty ? "p-\(ip)" : "\(cluster)/p-\(ip)"
        return FederatedAddress(address: core.v1.EndpointAddress(ip: ip, nodeName: "node-1",
                                                                 targetRef: core.v1.ObjectReference(kind: "Pod", name: pod, namespace: "shop")),
                                ready: ready, serving: nil, terminating: nil, zone: "z1", ports: [ServicePortSpec(name: "http", protocol: "TCP", port: 8080)],
                                cluster: cluster)
    }

    static func ips(_ range: Range<Int>) -> [String] { range.map { "10.0.\($0 / 250).\($0 % 250 + 1)" } }

    /// The created slices, named as the server would (`web-<n>`).
    static func created(_ changes: FederatedSlicePlanner.Changes) -> [discovery.v1.EndpointSlice] {
        changes.create.enumerated().map { index, slice in
            var slice = slice
            slice.metadata.name = "web-\(index)"
            return slice
        }
    }

    @Test func endpointsFillSlicesOfAHundredAndChangesTouchTheFewestSlices() {
        let first = FederatedSlicePlanner.plan(service: "web", namespace: "shop", addresses: Self.ips(0..<250).map { Self.address($0) }, existing: [])
        #expect(first.create.map(\.endpoints.count) == [100, 100, 50])
        #expect(first.update.isEmpty && first.delete.isEmpty)
        let slice = first.create[0]
        #expect(slice.metadata.generateName == "web-")
        #expect(slice.metadata.labels == ["kubernetes.io/service-name": "web", "endpointslice.kubernetes.io/managed-by": "federation-operator",
                                          "federation.tigera.io/remoteClusterName": "east"])
        #expect(slice.addressType == "IPv4")
        #expect(slice.ports == [.init(name: "http", protocol: "TCP", port: 8080)])
        #expect(slice.endpoints[0].conditions == .init(ready: true, serving: true, terminating: false))
        #expect(slice.endpoints[0].targetRef?.name?.hasPrefix("east/") == true)
        #expect(slice.endpoints[0].zone == "z1")
        let existing = Self.created(first)

        #expect(FederatedSlicePlanner.plan(service: "web", namespace: "shop", addresses: Self.ips(0..<250).map { Self.address($0) }, existing: existing).isEmpty,
                "no change, no write")

        // One address of the first slice goes, two come: the rewritten slice takes one, the half-full one the other.
        let removed = existing[0].endpoints[0].addresses[0]
        let next = Self.ips(0..<252).filter { $0 != removed }.map { Self.address($0) }
        let churn = FederatedSlicePlanner.plan(service: "web", namespace: "shop", addresses: next, existing: existing)
        #expect(churn.create.isEmpty && churn.delete.isEmpty)
        #expect(churn.update.map { $0.metadata.name ?? "" } == ["web-0", "web-2"])
        #expect(churn.update.map(\.endpoints.count) == [100, 51])

        // A readiness change rewrites only the slice that holds the address.
        var flipped = Self.ips(0..<250).map { Self.address($0) }
        flipped[249].ready = false
        let readiness = FederatedSlicePlanner.plan(service: "web", namespace: "shop", addresses: flipped, existing: existing)
        let holder = existing.first { $0.endpoints.contains { $0.addresses == [flipped[249].address.ip] } }?.metadata.name
        #expect(readiness.update.map { $0.metadata.name } == [holder])
        #expect(readiness.update.first?.endpoints.first { $0.addresses == [flipped[249].address.ip] }?.conditions?.ready == false)

        // Nothing left: every slice goes.
        #expect(FederatedSlicePlanner.plan(service: "web", namespace: "shop", addresses: [], existing: existing).delete == ["web-0", "web-1", "web-2"])
    }

    @Test func addressTypesGetSlicesOfTheirOwnAndCarriedOverClustersAreKept() {
        let changes = FederatedSlicePlanner.plan(service: "web", namespace: "shop", addresses: [Self.address("10.0.0.1"), Self.address("fd00::1")], existing: [])
        #expect(changes.create.map(\.addressType).sorted() == ["IPv4", "IPv6"])
        let existing = Self.created(changes)
        // After a restart the remote has not published: its endpoints stay.
        let kept = FederatedSlicePlanner.plan(service: "web", namespace: "shop", addresses: [], carriedOver: ["east"], existing: existing)
        #expect(kept.isEmpty)
    }

    @Test func eachClusterHasSlicesOfItsOwnSoAChangeRewritesOnlyThatClustersSlice() {
        let local = Self.ips(0..<3).map { Self.address($0, cluster: "") }
        let east = Self.ips(10..<13).map { Self.address($0) }
        let west = Self.ips(20..<23).map { Self.address($0, cluster: "west") }
        let first = FederatedSlicePlanner.plan(service: "web", namespace: "shop", addresses: local + east + west, existing: [])
        #expect(first.create.map { $0.metadata.labels?["federation.tigera.io/remoteClusterName"] } == [nil, "east", "west"])
        #expect(first.create.map { $0.endpoints.compactMap(\.targetRef?.name) }
                == [["p-10.0.0.1", "p-10.0.0.2", "p-10.0.0.3"], ["east/p-10.0.0.11", "east/p-10.0.0.12", "east/p-10.0.0.13"],
                    ["west/p-10.0.0.21", "west/p-10.0.0.22", "west/p-10.0.0.23"]])
        let existing = Self.created(first)

        var flipped = west
        flipped[1].ready = false
        let change = FederatedSlicePlanner.plan(service: "web", namespace: "shop", addresses: local + east + flipped, existing: existing)
        #expect(change.update.map(\.metadata.name) == ["web-2"] && change.create.isEmpty && change.delete.isEmpty)
        #expect(change.update.first?.endpoints.map { $0.conditions?.ready } == [true, false, true])

        // East has not published since a restart: its slice stays as it is while west goes.
        let restart = FederatedSlicePlanner.plan(service: "web", namespace: "shop", addresses: local, carriedOver: ["east"], existing: existing)
        #expect(restart.delete == ["web-2"] && restart.create.isEmpty && restart.update.isEmpty)
    }

    @Test func endpointsAreTruncatedAtAThousandReadyFirst() {
        let addresses = Self.ips(0..<2500).enumerated().map { Self.address($1, ready: $0 % 2 == 0) }
        let subsets = FederatedEndpointsBuilder.subsets(addresses)
        #expect(subsets.count == 1)
        let truncated = FederatedEndpointsBuilder.truncated(subsets, limit: 1000)
        #expect(truncated?.first?.addresses?.count == 1000)
        #expect(truncated?.first?.notReadyAddresses == nil)
        #expect(FederatedEndpointsBuilder.truncated(subsets, limit: 3000) == nil)
        let slices = FederatedSlicePlanner.plan(service: "web", namespace: "shop", addresses: addresses, existing: [])
        #expect(slices.create.count == 25, "the slices hold them all")
    }
}
