import Foundation

/// One federated Service as `federation-operator query services` shows it: its selector, the services that back
/// it in each cluster with their address counts, and why it is not federated when it is not.
public struct FederatedServiceRecord: Codable, Sendable, Hashable {
    /// One backing service.
    public struct Backing: Codable, Sendable, Hashable {
        /// The RCC it comes from; nil for a local service.
        public var cluster: String?
        public var name: String
        /// Its addresses that serve the federated service's ports.
        public var endpoints: Int

        public init(cluster: String?, name: String, endpoints: Int) {
            self.cluster = cluster
            self.name = name
            self.endpoints = endpoints
        }
    }

    public var namespace: String
    public var name: String
    /// The annotation's value.
    public var selector: String
    /// Why the service is not federated (an invalid selector, `spec.selector`); nil when it is.
    public var problem: String?
    public var backing: [Backing]
    /// Distinct addresses of the federated service.
    public var endpoints: Int

    /// The records of the federated services among `local`, in `namespace` (nil: all), backed by `local` and
    /// `remote` services as the controller computes them.
    public static func describe(local: [RemoteService], remote: [RemoteService], namespace: String?) -> [FederatedServiceRecord] {
        let candidates = local + remote
        return local
            .filter { $0.federationSelector != nil && (namespace == nil || $0.namespace == namespace) }
            .sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
            .map { service in
                var record = FederatedServiceRecord(namespace: service.namespace, name: service.name, selector: service.federationSelector ?? "",
                                                    problem: nil, backing: [], endpoints: 0)
                switch FederatedEndpointsBuilder.selector(of: service) {
                case .failure(let refusal):
                    record.problem = refusal.message
                case .success(let selector):
                    let others = candidates.filter { !($0.cluster == service.cluster && $0.name == service.name) }
                    let backing = FederatedEndpointsBuilder.backing(others, namespace: service.namespace, selector: selector)
                    record.backing = backing.map { backing in
                        Backing(cluster: backing.cluster == FederationCache.localCluster ? nil : backing.cluster, name: backing.name,
                                endpoints: FederatedEndpointsBuilder.addresses(ports: service.ports, backing: [backing]).count)
                    }
                    record.endpoints = FederatedEndpointsBuilder.addresses(ports: service.ports, backing: backing).count
                }
                return record
            }
    }
}

/// A list of ``FederatedServiceRecord``s in the shape Kubernetes lists have.
public struct FederatedServiceRecordList: Codable, Sendable, Hashable {
    public var items: [FederatedServiceRecord]

    public init(items: [FederatedServiceRecord]) { self.items = items }

    /// Pretty, key-sorted JSON.
    public var json: String { prettyJSON(self) }
}
