import KubeClient

/// A remote namespace's or service account's labels: what its Calico profile passes on (§4.3).
public struct LabelsProjection: Sendable, Hashable {
    public var namespace: String
    public var name: String
    public var labels: [String: String]

    public init<Object: KubernetesObject>(_ object: Object) {
        namespace = object.metadata.namespace ?? ""
        name = object.metadata.name ?? ""
        labels = object.metadata.labels ?? [:]
    }
}
