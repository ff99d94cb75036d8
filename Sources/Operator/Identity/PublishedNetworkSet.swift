import KubeClient

/// A network set the operator published, as its informer caches it.
public struct PublishedNetworkSet: Sendable, Hashable {
    public static let networkSets = Resource(group: "crd.projectcalico.org", version: "v1", plural: "networksets",
                                             kind: "NetworkSet", namespaced: true)
    public static let globalNetworkSets = Resource(group: "crd.projectcalico.org", version: "v1", plural: "globalnetworksets",
                                                   kind: "GlobalNetworkSet", namespaced: false)

    public var namespace: String?
    public var name: String
    public var labels: [String: String]
    public var nets: [String]
    public var ownerReferences: [meta.v1.OwnerReference]
    public var resourceVersion: String?

    public init(_ object: DynamicObject) {
        let namespace = object.metadata.namespace ?? ""
        self.namespace = namespace.isEmpty ? nil : namespace
        name = object.metadata.name ?? ""
        labels = object.metadata.labels ?? [:]
        nets = object["spec"]?["nets"]?.arrayValue?.compactMap(\.stringValue) ?? []
        ownerReferences = object.metadata.ownerReferences ?? []
        resourceVersion = object.metadata.resourceVersion
    }

    /// `namespace/name`, as ``PlannedNetworkSet/id``.
    var id: String { "\(namespace ?? "")/\(name)" }

    /// `networksets` in a namespace, `globalnetworksets` without one.
    static func resource(namespace: String?) -> Resource { namespace == nil ? globalNetworkSets : networkSets }

    /// The cluster it was derived from.
    public var cluster: String? { labels[EffectiveLabels.remoteClusterKey] }

    /// Whether it already is what `plan` asks for.
    func matches(_ plan: PlannedNetworkSet) -> Bool { labels == plan.labels && nets == plan.nets && ownerReferences == plan.ownerReferences }
}

extension PlannedNetworkSet {
    /// The object to write.
    func object() -> DynamicObject {
        DynamicObject(apiVersion: "crd.projectcalico.org/v1", kind: kind,
                      metadata: .init(name: name, namespace: namespace, labels: labels,
                                      ownerReferences: ownerReferences.isEmpty ? nil : ownerReferences),
                      content: ["spec": ["nets": .array(nets.map { .string($0) })]])
    }

    var resource: Resource { PublishedNetworkSet.resource(namespace: namespace) }
}
