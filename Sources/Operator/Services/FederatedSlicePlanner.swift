import KubeClient

/// Plans the EndpointSlices of one federated Service (DESIGN §6.8) with the least churn, as Kubernetes' EndpointSlice
/// controller does: one slice family per source cluster, address type and port set, at most ``maxEndpointsPerSlice``
/// endpoints a slice; existing slices keep the endpoints still wanted (updated in place), new endpoints go first into
/// slices that are being rewritten anyway, then into one untouched slice if they all fit, else into new slices;
/// emptied slices and slices of families no longer served are deleted. Pure.
///
/// Slices are per source cluster, as the multi-cluster Services API imports them (one cluster's slices carry its
/// name in `federation.tigera.io/remoteClusterName`; local endpoints' slices carry no such label): a change in one
/// cluster rewrites only that cluster's slices, and a cluster not yet synced after a restart keeps its slices as
/// they are.
public enum FederatedSlicePlanner {
    public static let maxEndpointsPerSlice = 100

    /// What to write.
    public struct Changes: Sendable, Equatable {
        public var create: [discovery.v1.EndpointSlice] = []
        public var update: [discovery.v1.EndpointSlice] = []
        /// Names of slices to delete.
        public var delete: [String] = []

        public var isEmpty: Bool { create.isEmpty && update.isEmpty && delete.isEmpty }
    }

    /// Slices of one source cluster that serve the same ports for one address type.
    struct Family: Hashable {
        /// The RCC; ``FederationCache/localCluster`` for local endpoints.
        var cluster: String
        var addressType: String
        var ports: [discovery.v1.EndpointPort]
    }

    /// - Parameters:
    ///   - carriedOver: clusters whose endpoints in `existing` are kept as they are (not synced yet after a restart).
    ///   - existing: the service's slices that federation-operator manages.
    ///   - owners: every slice's `ownerReferences` (the Service, as Kubernetes' controller sets it).
    public static func plan(service: String, namespace: String, addresses: [FederatedAddress], carriedOver clusters: Set<String> = [],
                            existing: [discovery.v1.EndpointSlice], owners: [meta.v1.OwnerReference]? = nil) -> Changes {
        var desired: [Family: [String: discovery.v1.Endpoint]] = [:]
        for address in addresses {
            let ports = address.ports.map { discovery.v1.EndpointPort(name: $0.name.isEmpty ? nil : $0.name, protocol: $0.protocol, port: $0.port) }
            let family = Family(cluster: address.cluster, addressType: address.address.ip.contains(":") ? "IPv6" : "IPv4",
                                ports: ports.sorted(by: portOrder))
            desired[family, default: [:]][address.address.ip] = endpoint(address)
        }
        for slice in existing {
            let family = family(of: slice)
            // A slice written before slices were per cluster tells its endpoints' clusters by their targetRef.
            for endpoint in slice.endpoints {
                let cluster = family.cluster.isEmpty ? cluster(of: endpoint) ?? "" : family.cluster
                guard clusters.contains(cluster) else { continue }
                var carried = family
                carried.cluster = cluster
                for ip in endpoint.addresses { desired[carried, default: [:]][ip] = endpoint }
            }
        }
        var changes = Changes()
        let byFamily = Dictionary(grouping: existing.sorted { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }, by: family(of:))
        for (family, slices) in byFamily where desired[family] == nil { changes.delete += slices.compactMap(\.metadata.name) }
        for (family, wanted) in desired.sorted(by: { familyOrder($0.key, $1.key) }) {
            plan(family, wanted: wanted, existing: byFamily[family] ?? [], service: service, namespace: namespace, owners: owners, into: &changes)
        }
        return changes
    }

    private static func plan(_ family: Family, wanted: [String: discovery.v1.Endpoint], existing: [discovery.v1.EndpointSlice],
                             service: String, namespace: String, owners: [meta.v1.OwnerReference]?, into changes: inout Changes) {
        var placed = Set<String>()
        var rewritten: [discovery.v1.EndpointSlice] = []
        var untouched: [discovery.v1.EndpointSlice] = []
        for slice in existing {
            var kept = slice
            kept.endpoints = slice.endpoints.compactMap { endpoint in
                guard let ip = endpoint.addresses.first, let value = wanted[ip], placed.insert(ip).inserted else { return nil }
                return value
            }
            kept.metadata.ownerReferences = owners
            if kept.endpoints == slice.endpoints && kept.metadata.ownerReferences == slice.metadata.ownerReferences {
                untouched.append(kept)
            } else {
                rewritten.append(kept)
            }
        }
        var remaining = wanted.keys.filter { !placed.contains($0) }.sorted().compactMap { wanted[$0] }
        for index in rewritten.indices where !remaining.isEmpty {
            let room = maxEndpointsPerSlice - rewritten[index].endpoints.count
            guard room > 0 else { continue }
            rewritten[index].endpoints += remaining.prefix(room)
            remaining.removeFirst(min(room, remaining.count))
        }
        if !remaining.isEmpty, let index = untouched.firstIndex(where: { maxEndpointsPerSlice - $0.endpoints.count >= remaining.count }) {
            var slice = untouched.remove(at: index)
            slice.endpoints += remaining
            remaining = []
            rewritten.append(slice)
        }
        for slice in rewritten {
            if slice.endpoints.isEmpty { changes.delete += [slice.metadata.name].compactMap { $0 } } else { changes.update.append(slice) }
        }
        for start in stride(from: 0, to: remaining.count, by: maxEndpointsPerSlice) {
            var labels = [ServiceEndpointsProjection.serviceNameLabel: service, FederatedService.sliceManagedByKey: FederatedService.managerName]
            if !family.cluster.isEmpty { labels[EffectiveLabels.remoteClusterKey] = family.cluster }
            var metadata = meta.v1.ObjectMeta(namespace: namespace, labels: labels)
            metadata.ownerReferences = owners
            metadata.generateName = "\(service.prefix(200))-"
            changes.create.append(discovery.v1.EndpointSlice(metadata: metadata, addressType: family.addressType,
                                                             endpoints: Array(remaining[start..<min(start + maxEndpointsPerSlice, remaining.count)]),
                                                             ports: family.ports))
        }
    }

    private static func endpoint(_ address: FederatedAddress) -> discovery.v1.Endpoint {
        discovery.v1.Endpoint(addresses: [address.address.ip],
                              conditions: .init(ready: address.ready, serving: address.serving ?? address.ready, terminating: address.terminating ?? false),
                              hostname: address.address.hostname, targetRef: address.address.targetRef, nodeName: address.address.nodeName,
                              zone: address.zone)
    }

    private static func family(of slice: discovery.v1.EndpointSlice) -> Family {
        Family(cluster: slice.metadata.labels?[EffectiveLabels.remoteClusterKey] ?? FederationCache.localCluster, addressType: slice.addressType,
               ports: (slice.ports ?? []).sorted(by: portOrder))
    }

    /// The `<rcc>` of a remote endpoint's `targetRef` name; nil for a local one.
    static func cluster(of endpoint: discovery.v1.Endpoint) -> String? {
        guard let name = endpoint.targetRef?.name, let slash = name.firstIndex(of: "/") else { return nil }
        return String(name[..<slash])
    }

    private static func portOrder(_ a: discovery.v1.EndpointPort, _ b: discovery.v1.EndpointPort) -> Bool {
        (a.name ?? "", a.protocol ?? "", a.port ?? 0) < (b.name ?? "", b.protocol ?? "", b.port ?? 0)
    }

    private static func familyOrder(_ a: Family, _ b: Family) -> Bool {
        if a.cluster != b.cluster { return a.cluster < b.cluster }
        if a.addressType != b.addressType { return a.addressType < b.addressType }
        for (x, y) in zip(a.ports, b.ports) where x != y { return portOrder(x, y) }
        return a.ports.count < b.ports.count
    }
}
