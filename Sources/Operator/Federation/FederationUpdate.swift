/// A syncer's incremental changes to its cluster's data in the ``FederationCache``.
public struct FederationUpdate: Sendable {
    public var upsertedEndpoints: [RemoteEndpoint] = []
    public var removedEndpoints: [String] = []
    public var upsertedServices: [RemoteService] = []
    public var removedServices: [String] = []

    public init() {}

    public var isEmpty: Bool {
        upsertedEndpoints.isEmpty && removedEndpoints.isEmpty && upsertedServices.isEmpty && removedServices.isEmpty
    }
}

/// What changed in the ``FederationCache`` since a subscriber last looked: keys only; the cache has the values.
public struct FederationChange: Sendable, Equatable {
    public var clusters: Set<String> = []
    /// Keys of endpoints added, changed or removed.
    public var endpoints: Set<String> = []
    /// Keys of services added, changed or removed.
    public var services: Set<String> = []

    public init() {}

    mutating func merge(_ other: FederationChange) {
        clusters.formUnion(other.clusters)
        endpoints.formUnion(other.endpoints)
        services.formUnion(other.services)
    }
}
