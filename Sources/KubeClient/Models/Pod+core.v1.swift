extension core.v1 {
    /// A Pod, as a *read projection*: what federation needs to derive an endpoint identity (labels,
    /// node, service account, host networking, IPs and phase). Never `update` with it; patch instead.
    public struct Pod: KubernetesResource, Hashable {
        public static let resource = Resource(group: "", version: "v1", plural: "pods", kind: "Pod", namespaced: true)

        public var metadata: meta.v1.ObjectMeta
        public var spec: PodSpec?
        public var status: PodStatus?

        public init(metadata: meta.v1.ObjectMeta, spec: PodSpec? = nil, status: PodStatus? = nil) {
            self.metadata = metadata
            self.spec = spec
            self.status = status
        }
    }

    /// The parts of a pod's spec federation reads.
    public struct PodSpec: Codable, Sendable, Hashable {
        public var nodeName: String?
        public var serviceAccountName: String?
        public var hostNetwork: Bool?

        public init(nodeName: String? = nil, serviceAccountName: String? = nil, hostNetwork: Bool? = nil) {
            self.nodeName = nodeName
            self.serviceAccountName = serviceAccountName
            self.hostNetwork = hostNetwork
        }
    }

    /// The parts of a pod's status federation reads.
    public struct PodStatus: Codable, Sendable, Hashable {
        /// `Pending`, `Running`, `Succeeded`, `Failed` or `Unknown`.
        public var phase: String?
        public var podIP: String?
        public var podIPs: [PodIP]?
        public var hostIP: String?

        public init(phase: String? = nil, podIP: String? = nil, podIPs: [PodIP]? = nil, hostIP: String? = nil) {
            self.phase = phase
            self.podIP = podIP
            self.podIPs = podIPs
            self.hostIP = hostIP
        }
    }

    /// One address of a pod.
    public struct PodIP: Codable, Sendable, Hashable {
        public var ip: String
        public init(ip: String) { self.ip = ip }
    }
}
