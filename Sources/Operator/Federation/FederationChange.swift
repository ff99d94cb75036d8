/// What changed in the ``FederationCache`` since a subscriber last looked: keys only; the cache has the values.
public struct FederationChange: Sendable, Equatable {
    public var clusters: Set<String> = []
    /// Keys of endpoints added, changed or removed.
    public var endpoints: Set<String> = []
    /// Keys of services added, changed or removed.
    public var services: Set<String> = []

    public init(clusters: Set<String> = [], endpoints: Set<String> = [], services: Set<String> = []) {
        self.clusters = clusters
        self.endpoints = endpoints
        self.services = services
    }

    mutating func merge(_ other: FederationChange) {
        clusters.formUnion(other.clusters)
        endpoints.formUnion(other.endpoints)
        services.formUnion(other.services)
    }
}
