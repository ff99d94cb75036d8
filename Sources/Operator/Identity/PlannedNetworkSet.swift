import KubeClient

/// One Calico network set the identity publisher wants to exist (DESIGN §6.7): a `NetworkSet` in a local namespace,
/// or a `GlobalNetworkSet`, whose labels are a group of remote endpoints' effective labels and whose nets are their IPs.
public struct PlannedNetworkSet: Sendable, Hashable {
    /// The local namespace of a `NetworkSet`; nil for a `GlobalNetworkSet`.
    public var namespace: String?
    /// `<rcc>-<hash of the group>`, with `-<n>` for shards after the first.
    public var name: String
    public var labels: [String: String]
    /// `a.b.c.d/32` and `…/128`, sorted.
    public var nets: [String]
    /// The RCC the set was derived from.
    public var ownerReferences: [meta.v1.OwnerReference]

    public init(namespace: String?, name: String, labels: [String: String], nets: [String], ownerReferences: [meta.v1.OwnerReference] = []) {
        self.namespace = namespace
        self.name = name
        self.labels = labels
        self.nets = nets
        self.ownerReferences = ownerReferences
    }

    /// `crd.projectcalico.org/v1` kind.
    public var kind: String { namespace == nil ? "GlobalNetworkSet" : "NetworkSet" }
}
