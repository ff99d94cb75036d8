extension discovery.v1 {
    /// An EndpointSlice (complete: federation writes these).
    public struct EndpointSlice: KubernetesResource, Hashable {
        public static let resource = Resource(
            group: "discovery.k8s.io", version: "v1", plural: "endpointslices", kind: "EndpointSlice",
            namespaced: true)

        public var metadata: meta.v1.ObjectMeta
        /// `IPv4`, `IPv6` or `FQDN`.
        public var addressType: String
        public var endpoints: [Endpoint]
        public var ports: [EndpointPort]?

        public init(
            metadata: meta.v1.ObjectMeta, addressType: String, endpoints: [Endpoint], ports: [EndpointPort]? = nil
        ) {
            self.metadata = metadata
            self.addressType = addressType
            self.endpoints = endpoints
            self.ports = ports
        }

        enum CodingKeys: String, CodingKey { case metadata, addressType, endpoints, ports }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            metadata = try container.decode(meta.v1.ObjectMeta.self, forKey: .metadata)
            addressType = try container.decode(String.self, forKey: .addressType)
            // `endpoints: null` is how the API server serialises an empty slice.
            endpoints = try container.decodeIfPresent([Endpoint].self, forKey: .endpoints) ?? []
            ports = try container.decodeIfPresent([EndpointPort].self, forKey: .ports)
        }
    }

    /// One endpoint (usually one pod) of a slice.
    public struct Endpoint: Codable, Sendable, Hashable {
        public var addresses: [String]
        public var conditions: EndpointConditions?
        public var hostname: String?
        public var targetRef: core.v1.ObjectReference?
        public var nodeName: String?
        public var zone: String?

        public init(
            addresses: [String], conditions: EndpointConditions? = nil, hostname: String? = nil,
            targetRef: core.v1.ObjectReference? = nil, nodeName: String? = nil, zone: String? = nil
        ) {
            self.addresses = addresses
            self.conditions = conditions
            self.hostname = hostname
            self.targetRef = targetRef
            self.nodeName = nodeName
            self.zone = zone
        }
    }

    /// Readiness of an endpoint; `nil` means unknown (treated as ready by consumers).
    public struct EndpointConditions: Codable, Sendable, Hashable {
        public var ready: Bool?
        public var serving: Bool?
        public var terminating: Bool?

        public init(ready: Bool? = nil, serving: Bool? = nil, terminating: Bool? = nil) {
            self.ready = ready
            self.serving = serving
            self.terminating = terminating
        }
    }

    /// One port of a slice.
    public struct EndpointPort: Codable, Sendable, Hashable {
        public var name: String?
        public var `protocol`: String?
        public var port: Int32?
        public var appProtocol: String?

        public init(name: String? = nil, protocol: String? = "TCP", port: Int32? = nil, appProtocol: String? = nil) {
            self.name = name
            self.protocol = `protocol`
            self.port = port
            self.appProtocol = appProtocol
        }
    }
}
