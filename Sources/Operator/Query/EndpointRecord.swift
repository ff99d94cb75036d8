import CalicoSelector
import Foundation

/// One endpoint as `federation-operator query endpoints` and `GET /debug/endpoints` show it: where it is, its IPs
/// and the labels policy selects it by.
public struct EndpointRecord: Codable, Sendable, Hashable {
    /// The RCC it came from; nil for the local cluster's own endpoints.
    public var cluster: String?
    /// `workload` (a pod) or `host` (a Calico HostEndpoint).
    public var kind: String
    /// The pod's namespace; nil for a host endpoint.
    public var namespace: String?
    /// `<rcc>/<name>` for a remote endpoint, as Calico names remote workloads; the plain name for a local one.
    public var name: String
    public var ips: [String]
    /// Effective labels (DESIGN §6.6).
    public var labels: [String: String]

    public init(_ endpoint: RemoteEndpoint) {
        let isLocal = endpoint.cluster == FederationCache.localCluster
        cluster = isLocal ? nil : endpoint.cluster
        kind = endpoint.kind.rawValue
        namespace = endpoint.kind == .workload ? endpoint.namespace : nil
        name = isLocal ? endpoint.name : "\(endpoint.cluster)/\(endpoint.name)"
        ips = endpoint.ips
        labels = endpoint.labels
    }

    /// The endpoints that `selector` matches in `namespace` (nil: all), local ones first, then by cluster,
    /// namespace and name.
    public static func select(_ endpoints: [RemoteEndpoint], selector: Selector, namespace: String?) -> [EndpointRecord] {
        endpoints
            .filter { endpoint in
                (namespace == nil || (endpoint.kind == .workload && endpoint.namespace == namespace)) && selector.matches(endpoint.labels)
            }
            .map(EndpointRecord.init)
            .sorted { ($0.cluster ?? "", $0.namespace ?? "", $0.name) < ($1.cluster ?? "", $1.namespace ?? "", $1.name) }
    }
}

/// A list of ``EndpointRecord``s in the shape Kubernetes lists have (`{"items": [...]}`).
public struct EndpointRecordList: Codable, Sendable, Hashable {
    public var items: [EndpointRecord]

    public init(items: [EndpointRecord]) { self.items = items }

    /// Pretty, key-sorted JSON.
    public var json: String { prettyJSON(self) }
}

/// Pretty, key-sorted JSON of a value made of strings, numbers, arrays and string maps (which cannot fail).
func prettyJSON(_ value: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self) + "\n"
}
