extension core.v1 {
    /// An Endpoints object (complete: federation writes these).
    public struct Endpoints: KubernetesResource, Hashable {
        public static let resource = Resource(
            group: "", version: "v1", plural: "endpoints", kind: "Endpoints", namespaced: true)

        public var metadata: meta.v1.ObjectMeta
        public var subsets: [EndpointSubset]?

        public init(metadata: meta.v1.ObjectMeta, subsets: [EndpointSubset]? = nil) {
            self.metadata = metadata
            self.subsets = subsets
        }
    }

    /// A group of addresses sharing the same ports.
    public struct EndpointSubset: Codable, Sendable, Hashable {
        public var addresses: [EndpointAddress]?
        public var notReadyAddresses: [EndpointAddress]?
        public var ports: [EndpointPort]?

        public init(
            addresses: [EndpointAddress]? = nil, notReadyAddresses: [EndpointAddress]? = nil,
            ports: [EndpointPort]? = nil
        ) {
            self.addresses = addresses
            self.notReadyAddresses = notReadyAddresses
            self.ports = ports
        }
    }

    /// One backend address.
    public struct EndpointAddress: Codable, Sendable, Hashable {
        public var ip: String
        public var hostname: String?
        public var nodeName: String?
        public var targetRef: ObjectReference?

        public init(ip: String, hostname: String? = nil, nodeName: String? = nil, targetRef: ObjectReference? = nil) {
            self.ip = ip
            self.hostname = hostname
            self.nodeName = nodeName
            self.targetRef = targetRef
        }
    }

    /// One port of an Endpoints subset.
    public struct EndpointPort: Codable, Sendable, Hashable {
        public var name: String?
        public var port: Int32
        public var `protocol`: String?
        public var appProtocol: String?

        public init(name: String? = nil, port: Int32, protocol: String? = "TCP", appProtocol: String? = nil) {
            self.name = name
            self.port = port
            self.protocol = `protocol`
            self.appProtocol = appProtocol
        }
    }
}
