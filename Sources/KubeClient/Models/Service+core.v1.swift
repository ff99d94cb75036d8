extension core.v1 {
    /// A Service, as a *read projection* of what federation matches on and copies (labels, annotations,
    /// selector, ports). Never `update` with it; patch instead.
    public struct Service: KubernetesResource, Hashable {
        public static let resource = Resource(
            group: "", version: "v1", plural: "services", kind: "Service", namespaced: true)

        public var metadata: meta.v1.ObjectMeta
        public var spec: ServiceSpec?

        public init(metadata: meta.v1.ObjectMeta, spec: ServiceSpec? = nil) {
            self.metadata = metadata
            self.spec = spec
        }
    }

    /// The parts of a service's spec federation reads.
    public struct ServiceSpec: Codable, Sendable, Hashable {
        public var type: String?
        public var selector: [String: String]?
        public var ports: [ServicePort]?
        public var clusterIP: String?
        public var ipFamilies: [String]?

        public init(
            type: String? = nil, selector: [String: String]? = nil, ports: [ServicePort]? = nil,
            clusterIP: String? = nil
        ) {
            self.type = type
            self.selector = selector
            self.ports = ports
            self.clusterIP = clusterIP
        }
    }

    /// One port of a service.
    public struct ServicePort: Codable, Sendable, Hashable {
        public var name: String?
        public var `protocol`: String?
        public var port: Int32
        public var targetPort: IntOrString?
        public var appProtocol: String?

        public init(
            name: String? = nil, protocol: String? = "TCP", port: Int32, targetPort: IntOrString? = nil,
            appProtocol: String? = nil
        ) {
            self.name = name
            self.protocol = `protocol`
            self.port = port
            self.targetPort = targetPort
            self.appProtocol = appProtocol
        }
    }

    /// A port given by number or by name.
    public enum IntOrString: Codable, Sendable, Hashable {
        case int(Int32)
        case string(String)

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let value = try? container.decode(Int32.self) {
                self = .int(value)
            } else {
                self = .string(try container.decode(String.self))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .int(let value): try container.encode(value)
            case .string(let value): try container.encode(value)
            }
        }
    }
}
