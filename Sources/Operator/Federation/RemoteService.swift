/// A remote Service as the federated-services controller needs it (calico-federation.md §6.3-6.5): its labels,
/// its ports and the addresses behind them (from EndpointSlices, or Endpoints where the remote has no slices).
public struct RemoteService: Sendable, Hashable {
    public var cluster: String
    public var namespace: String
    public var name: String
    public var labels: [String: String]
    public var ports: [ServicePortSpec]
    /// Address groups as Endpoints subsets have them: a set of ports and the addresses that serve all of them.
    public var endpointGroups: [EndpointGroup]
    /// The `federation.tigera.io/serviceSelector` annotation: a service that has it is federated, never a backing
    /// service (§6.3).
    public var federationSelector: String?
    /// Whether the service selects pods itself (`spec.selector`).
    public var hasPodSelector: Bool
    public var uid: String?

    public init(cluster: String, namespace: String, name: String, labels: [String: String], ports: [ServicePortSpec],
                endpointGroups: [EndpointGroup] = [], federationSelector: String? = nil, hasPodSelector: Bool = false, uid: String? = nil) {
        self.cluster = cluster
        self.namespace = namespace
        self.name = name
        self.labels = labels
        self.ports = ports
        self.endpointGroups = endpointGroups
        self.federationSelector = federationSelector
        self.hasPodSelector = hasPodSelector
        self.uid = uid
    }

    /// `<rcc>/<namespace>/<name>`.
    public var key: String { "\(cluster)/\(namespace)/\(name)" }
}

/// One port of a Service or an endpoint group: matched across clusters by `(name, protocol)` (§6.4).
public struct ServicePortSpec: Sendable, Hashable {
    public var name: String
    public var `protocol`: String
    public var port: Int32

    public init(name: String, protocol: String, port: Int32) {
        self.name = name
        self.protocol = `protocol`
        self.port = port
    }
}

/// Addresses that serve the same ports: one EndpointSlice, or one Endpoints subset.
public struct EndpointGroup: Sendable, Hashable {
    public var ports: [ServicePortSpec]
    public var addresses: [EndpointAddress]

    public init(ports: [ServicePortSpec], addresses: [EndpointAddress]) {
        self.ports = ports
        self.addresses = addresses
    }
}

/// One address behind a Service, and the pod it belongs to.
public struct EndpointAddress: Sendable, Hashable {
    public var ip: String
    public var ready: Bool
    /// EndpointSlice conditions; nil where the source (an Endpoints object) does not say.
    public var serving: Bool?
    public var terminating: Bool?
    public var nodeName: String?
    public var zone: String?
    public var hostname: String?
    /// The pod's name, for the federated `targetRef` `<rcc>/<name>`.
    public var podName: String?

    public init(ip: String, ready: Bool, serving: Bool? = nil, terminating: Bool? = nil, nodeName: String? = nil, zone: String? = nil,
                hostname: String? = nil, podName: String? = nil) {
        self.ip = ip
        self.ready = ready
        self.serving = serving
        self.terminating = terminating
        self.nodeName = nodeName
        self.zone = zone
        self.hostname = hostname
        self.podName = podName
    }
}
