import KubeClient

/// A remote `crd.projectcalico.org/v1` HostEndpoint: its node, its expected IPs and its labels.
public struct HostEndpointProjection: Sendable, Hashable {
    public static let resource = Resource(group: "crd.projectcalico.org", version: "v1", plural: "hostendpoints",
                                          kind: "HostEndpoint", namespaced: false)

    public var name: String
    public var node: String
    public var ips: [String]
    public var labels: [String: String]

    public init(_ object: DynamicObject) {
        name = object.metadata.name ?? ""
        labels = object.metadata.labels ?? [:]
        node = object["spec"]?["node"]?.stringValue ?? ""
        ips = object["spec"]?["expectedIPs"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }
}
