/// An object the API server stores: anything with `metadata`.
public protocol KubernetesObject: Codable, Sendable {
    var metadata: meta.v1.ObjectMeta { get set }
}

/// A model whose REST location is fixed, so `client.resource(core.v1.Pod.self)` needs nothing else.
///
/// Models marked *read projection* in their doc decode only the fields the operator reads; never send
/// one back with `update` (the server would drop every field the model lacks): patch instead.
public protocol KubernetesResource: KubernetesObject {
    static var resource: Resource { get }
}

extension KubernetesObject {
    /// `namespace/name`, or `name` for cluster-scoped objects: the key stores and work queues use.
    public var key: String {
        let name = metadata.name ?? ""
        guard let namespace = metadata.namespace, !namespace.isEmpty else { return name }
        return "\(namespace)/\(name)"
    }
}
