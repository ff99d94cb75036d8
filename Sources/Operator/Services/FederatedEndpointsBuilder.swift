import CalicoSelector
import KubeClient

/// Computes the Endpoints of one federated Service from the services that back it (calico-federation.md §6.2-6.5).
/// Pure: the same inputs, in any order, give byte-identical subsets.
///
/// - The selector is `projectcalico.org/namespace == '<ns>' && (<annotation>)`, evaluated against each candidate's
///   labels plus `projectcalico.org/namespace` and, for remote services, `federation.tigera.io/remoteClusterName`.
///   Services that carry the annotation themselves never back another.
/// - Of each backing address group, only the ports whose `(name, protocol)` the federated service has are kept;
///   numbers come from the backing endpoints. A group with no kept port contributes nothing.
/// - Remote addresses' `targetRef` names are `<rcc>/<pod>`.
/// - Subsets are repacked: addresses with the same ports form one subset; ready ones in `addresses`, the rest in
///   `notReadyAddresses`; everything sorted.
public enum FederatedEndpointsBuilder {
    /// Why an annotated service is not federated after all (§6.2): the Event's reason and message.
    public struct Refusal: Error, Sendable, Equatable {
        public var reason: String
        public var message: String
    }

    /// The effective selector of an annotated `service`, or why it is not federated.
    public static func selector(of service: RemoteService) -> Result<Selector, Refusal> {
        let annotation = service.federationSelector ?? ""
        guard !service.hasPodSelector else {
            return .failure(Refusal(reason: "FederatedServiceHasSelector",
                                    message: "Spec.Selector is specified for a federated service; it is not federated (remove spec.selector or the \(FederatedService.selectorAnnotation) annotation)"))
        }
        do {
            return .success(try selector(namespace: service.namespace, annotation: annotation))
        } catch {
            return .failure(Refusal(reason: "InvalidServiceSelector",
                                    message: "ServiceSelector expression '\(annotation)' in annotation '\(FederatedService.selectorAnnotation)' is not valid: \(error)"))
        }
    }

    /// The effective selector of a federated service whose annotation is `annotation`.
    public static func selector(namespace: String, annotation: String) throws(SelectorParseError) -> Selector {
        let namespaceClause = "\(CalicoLabel.namespace) == '\(namespace)'"
        let trimmed = annotation.trimmingCharacters(in: .whitespaces)
        return try Selector(parsing: trimmed.isEmpty ? namespaceClause : "\(namespaceClause) && (\(annotation))")
    }

    /// The services among `candidates` that back a federated service in `namespace` with `selector`, sorted by
    /// cluster (local first), then name.
    public static func backing(_ candidates: [RemoteService], namespace: String, selector: Selector) -> [RemoteService] {
        candidates
            .filter { $0.namespace == namespace && $0.federationSelector == nil && selector.matches(matchingLabels(of: $0)) }
            .sorted { ($0.cluster, $0.name) < ($1.cluster, $1.name) }
    }

    /// A service's labels as selectors see them (never written anywhere).
    static func matchingLabels(of service: RemoteService) -> [String: String] {
        var labels = service.labels
        labels[CalicoLabel.namespace] = service.namespace
        if service.cluster != FederationCache.localCluster { labels[EffectiveLabels.remoteClusterKey] = service.cluster }
        return labels
    }

    /// The addresses of `backing` that serve the federated service's `ports`, each once, with the ports it serves
    /// (§6.4) and the `<rcc>/<pod>` target of remote ones.
    public static func addresses(ports: [ServicePortSpec], backing: [RemoteService]) -> [FederatedAddress] {
        let wanted = Set(ports.map { PortKey(name: $0.name, protocol: $0.protocol) })
        var merged: [FederatedAddress] = []
        var position: [core.v1.EndpointAddress: Int] = [:]
        for service in backing {
            for group in service.endpointGroups {
                let kept = Set(group.ports.filter { wanted.contains(PortKey(name: $0.name, protocol: $0.protocol)) })
                guard !kept.isEmpty else { continue }
                for address in group.addresses {
                    let target = endpointAddress(address, of: service)
                    if let at = position[target] {
                        merged[at].ports.formUnion(kept)
                        merged[at].ready = merged[at].ready || address.ready
                    } else {
                        position[target] = merged.count
                        merged.append(FederatedAddress(address: target, ready: address.ready, serving: address.serving, terminating: address.terminating,
                                                       zone: address.zone, ports: kept, cluster: service.cluster))
                    }
                }
            }
        }
        return inAddressOrder(merged, \.address)
    }

    /// The repacked subsets of `addresses` and `carriedOver` (subsets kept as they are, e.g. a not yet synced
    /// cluster's addresses from the existing object).
    public static func subsets(_ addresses: [FederatedAddress], carriedOver: [core.v1.EndpointSubset] = []) -> [core.v1.EndpointSubset] {
        // Each address once, with the union of its ports; most addresses share a handful of port sets, converted once.
        var entries: [(address: core.v1.EndpointAddress, ports: Set<core.v1.EndpointPort>, ready: Bool)] = []
        var position: [core.v1.EndpointAddress: Int] = [:]
        func add(_ address: core.v1.EndpointAddress, ready: Bool, ports: Set<core.v1.EndpointPort>) {
            if let at = position[address] {
                entries[at].ports.formUnion(ports)
                entries[at].ready = entries[at].ready || ready
            } else {
                position[address] = entries.count
                entries.append((address, ports, ready))
            }
        }
        var endpointPorts: [Set<ServicePortSpec>: Set<core.v1.EndpointPort>] = [:]
        for address in addresses {
            let ports = endpointPorts[address.ports] ?? Set(address.ports.map {
                core.v1.EndpointPort(name: $0.name.isEmpty ? nil : $0.name, port: $0.port, protocol: $0.protocol)
            })
            endpointPorts[address.ports] = ports
            add(address.address, ready: address.ready, ports: ports)
        }
        for subset in carriedOver {
            let kept = Set(subset.ports ?? [])
            for address in subset.addresses ?? [] { add(address, ready: true, ports: kept) }
            for address in subset.notReadyAddresses ?? [] { add(address, ready: false, ports: kept) }
        }
        var sortedPorts: [Set<core.v1.EndpointPort>: [core.v1.EndpointPort]] = [:]
        var byPorts: [[core.v1.EndpointPort]: (ready: [core.v1.EndpointAddress], notReady: [core.v1.EndpointAddress])] = [:]
        for entry in entries {
            let key = sortedPorts[entry.ports] ?? entry.ports.sorted(by: portOrder)
            sortedPorts[entry.ports] = key
            if entry.ready { byPorts[key, default: ([], [])].ready.append(entry.address) } else { byPorts[key, default: ([], [])].notReady.append(entry.address) }
        }
        return byPorts
            .sorted { portsOrder($0.key, $1.key) }
            .map { ports, addresses in
                core.v1.EndpointSubset(addresses: addresses.ready.isEmpty ? nil : inAddressOrder(addresses.ready, \.self),
                                       notReadyAddresses: addresses.notReady.isEmpty ? nil : inAddressOrder(addresses.notReady, \.self),
                                       ports: ports)
            }
    }

    /// At most `limit` addresses, ready ones first, in subset order; nil when nothing had to go.
    public static func truncated(_ subsets: [core.v1.EndpointSubset], limit: Int) -> [core.v1.EndpointSubset]? {
        let total = subsets.reduce(0) { $0 + ($1.addresses?.count ?? 0) + ($1.notReadyAddresses?.count ?? 0) }
        guard total > limit else { return nil }
        var left = limit
        var kept = subsets.map { subset -> core.v1.EndpointSubset in
            var subset = subset
            let ready = Array((subset.addresses ?? []).prefix(left))
            left -= ready.count
            subset.addresses = ready.isEmpty ? nil : ready
            return subset
        }
        for index in kept.indices {
            let notReady = Array((kept[index].notReadyAddresses ?? []).prefix(left))
            left -= notReady.count
            kept[index].notReadyAddresses = notReady.isEmpty ? nil : notReady
        }
        return kept.filter { $0.addresses != nil || $0.notReadyAddresses != nil }
    }

    private struct PortKey: Hashable {
        var name: String
        var `protocol`: String
    }

    private static func endpointAddress(_ address: EndpointAddress, of service: RemoteService) -> core.v1.EndpointAddress {
        let isLocal = service.cluster == FederationCache.localCluster
        let targetRef = address.podName.map { name in
            core.v1.ObjectReference(kind: "Pod", name: isLocal ? name : "\(service.cluster)/\(name)", namespace: service.namespace)
        }
        return core.v1.EndpointAddress(ip: address.ip, hostname: address.hostname, nodeName: address.nodeName, targetRef: targetRef)
    }

    private static func portOrder(_ a: core.v1.EndpointPort, _ b: core.v1.EndpointPort) -> Bool {
        (a.name ?? "", a.protocol ?? "", a.port) < (b.name ?? "", b.protocol ?? "", b.port)
    }

    private static func portsOrder(_ a: [core.v1.EndpointPort], _ b: [core.v1.EndpointPort]) -> Bool {
        for (x, y) in zip(a, b) where x != y { return portOrder(x, y) }
        return a.count < b.count
    }

    /// `items` sorted by their addresses' IP, then `targetRef` name, then node. The sort moves indices and reads the
    /// sort keys once: moving the values themselves (a dozen strings each) cost more than the comparisons.
    static func inAddressOrder<Item>(_ items: [Item], _ address: (Item) -> core.v1.EndpointAddress) -> [Item] {
        let keys = items.map { item in
            let address = address(item)
            return (address.ip, address.targetRef?.name ?? "", address.nodeName ?? "")
        }
        return keys.indices.sorted { keys[$0] < keys[$1] }.map { items[$0] }
    }
}

/// One address of a federated service, merged over its backing services: what its Endpoints and EndpointSlices are
/// written from.
public struct FederatedAddress: Sendable, Hashable {
    /// As an Endpoints address: IP, hostname, node, and the `targetRef` (`<rcc>/<pod>` for remote pods).
    public var address: core.v1.EndpointAddress
    public var ready: Bool
    public var serving: Bool?
    public var terminating: Bool?
    public var zone: String?
    /// The backing ports it serves that the federated service has (by name and protocol).
    public var ports: Set<ServicePortSpec>
    /// The RCC it comes from; ``FederationCache/localCluster`` for a local one.
    public var cluster: String

    public init(address: core.v1.EndpointAddress, ready: Bool, serving: Bool?, terminating: Bool?, zone: String?, ports: Set<ServicePortSpec>,
                cluster: String = FederationCache.localCluster) {
        self.address = address
        self.ready = ready
        self.serving = serving
        self.terminating = terminating
        self.zone = zone
        self.ports = ports
        self.cluster = cluster
    }
}
