/// One remote endpoint's identity as local policy sees it (DESIGN §6.6): its addresses and its effective labels.
/// Keyed `<rcc>/<namespace>/<pod>` for workloads and `<rcc>/<name>` for host endpoints (cluster-scoped).
public struct RemoteEndpoint: Sendable, Hashable {
    /// A pod (workload endpoint) or a Calico HostEndpoint.
    public enum Kind: String, Sendable, Hashable {
        case workload
        case host
    }

    public var cluster: String
    public var kind: Kind
    /// The pod's namespace; empty for a host endpoint.
    public var namespace: String
    /// The pod's or the HostEndpoint's name.
    public var name: String
    public var node: String
    /// IP addresses without prefix length; empty for a finished pod.
    public var ips: [String]
    /// Own labels plus the inherited and federation labels (``EffectiveLabels``).
    public var labels: [String: String]

    public init(cluster: String, kind: Kind, namespace: String, name: String, node: String, ips: [String], labels: [String: String]) {
        self.cluster = cluster
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.node = node
        self.ips = ips
        self.labels = labels
    }

    public var key: String {
        switch kind {
        case .workload: "\(cluster)/\(namespace)/\(name)"
        case .host: "\(cluster)/\(name)"
        }
    }
}
