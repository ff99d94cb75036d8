import KubeClient

/// A Service's labels and ports, and whether it is itself federated.
public struct ServiceProjection: Sendable, Hashable {
    public var namespace: String
    public var name: String
    /// What the objects written for a federated service name as their owner.
    public var uid: String?
    public var labels: [String: String]
    public var ports: [ServicePortSpec]
    /// The `federation.tigera.io/serviceSelector` annotation; nil when absent.
    public var federationSelector: String?
    /// Whether `spec.selector` selects pods (a federated service must not have one).
    public var hasPodSelector: Bool

    public init(_ service: core.v1.Service) {
        namespace = service.metadata.namespace ?? ""
        name = service.metadata.name ?? ""
        uid = service.metadata.uid
        labels = service.metadata.labels ?? [:]
        federationSelector = service.metadata.annotations?[FederatedService.selectorAnnotation]
        hasPodSelector = !(service.spec?.selector ?? [:]).isEmpty
        ports = (service.spec?.ports ?? []).map {
            ServicePortSpec(name: $0.name ?? "", protocol: $0.protocol ?? "TCP", port: $0.port)
        }
    }

    public var key: String { "\(namespace)/\(name)" }
}

/// The addresses behind one remote Service, from one EndpointSlice or from an Endpoints object.
public struct ServiceEndpointsProjection: Sendable, Hashable {
    public static let serviceNameLabel = "kubernetes.io/service-name"

    public var namespace: String
    /// The Service the addresses belong to.
    public var serviceName: String
    public var groups: [EndpointGroup]

    public var serviceKey: String { "\(namespace)/\(serviceName)" }

    public init(_ slice: discovery.v1.EndpointSlice) {
        namespace = slice.metadata.namespace ?? ""
        serviceName = slice.metadata.labels?[Self.serviceNameLabel] ?? ""
        // Slices federation-operator wrote (a cluster's own federated services) are never imported: two clusters
        // federating each other cannot loop.
        guard slice.metadata.labels?[FederatedService.sliceManagedByKey] != FederatedService.managerName else {
            groups = []
            return
        }
        let ports = (slice.ports ?? []).map {
            ServicePortSpec(name: $0.name ?? "", protocol: $0.protocol ?? "TCP", port: $0.port ?? 0)
        }
        // FQDN slices carry no IPs to federate.
        let addresses = slice.addressType == "FQDN" ? [] : slice.endpoints.flatMap { endpoint in
            endpoint.addresses.map {
                EndpointAddress(ip: $0, ready: endpoint.conditions?.ready ?? true, serving: endpoint.conditions?.serving,
                                terminating: endpoint.conditions?.terminating, nodeName: endpoint.nodeName, zone: endpoint.zone,
                                hostname: endpoint.hostname, podName: endpoint.targetRef?.kind == "Pod" ? endpoint.targetRef?.name : nil)
            }
        }
        groups = [EndpointGroup(ports: ports, addresses: addresses)]
    }

    public init(_ endpoints: core.v1.Endpoints) {
        namespace = endpoints.metadata.namespace ?? ""
        serviceName = endpoints.metadata.name ?? ""
        // Endpoints federation-operator wrote are never imported (see above).
        guard endpoints.metadata.annotations?[FederatedService.selectorAnnotation] == nil else {
            groups = []
            return
        }
        groups = (endpoints.subsets ?? []).map { subset in
            let ports = (subset.ports ?? []).map { ServicePortSpec(name: $0.name ?? "", protocol: $0.protocol ?? "TCP", port: $0.port) }
            func addresses(_ list: [core.v1.EndpointAddress]?, ready: Bool) -> [EndpointAddress] {
                (list ?? []).map {
                    EndpointAddress(ip: $0.ip, ready: ready, nodeName: $0.nodeName, hostname: $0.hostname,
                                    podName: $0.targetRef?.kind == "Pod" ? $0.targetRef?.name : nil)
                }
            }
            return EndpointGroup(ports: ports, addresses: addresses(subset.addresses, ready: true) + addresses(subset.notReadyAddresses, ready: false))
        }
    }
}
