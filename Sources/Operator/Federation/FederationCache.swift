import Synchronization

/// Every remote cluster's current endpoints and services, shared by the syncers that write them and the publishers
/// that read them (DESIGN §1).
///
/// Guarantees:
/// - A cluster's data has one writer, its current ``Owner``. A restarted syncer (DESIGN §6.3) gets a new owner,
///   keeps the old data published while it lists, and swaps in its own with ``replace(_:owner:endpoints:services:)``
///   in one step; the old syncer's late writes are ignored, so data of two configurations is never mixed.
/// - ``remove(_:)`` purges a cluster; writes from any owner made before it are ignored afterwards.
/// - Subscribers hear which keys changed, coalesced: a burst of changes to one key is one notification.
public final class FederationCache: Sendable {
    /// A writer's claim on one cluster's data. Later claims supersede earlier ones.
    public struct Owner: Sendable, Hashable, Comparable {
        let token: UInt64
        public static func < (lhs: Owner, rhs: Owner) -> Bool { lhs.token < rhs.token }
    }

    struct ClusterData {
        var owner: Owner
        var endpoints: [String: RemoteEndpoint] = [:]
        var services: [String: RemoteService] = [:]
    }

    struct State {
        var nextToken: UInt64 = 1
        var clusters: [String: ClusterData] = [:]
        /// Owners up to this token may no longer write the cluster (it was removed after they were claimed).
        var retiredUpTo: [String: UInt64] = [:]
        var inboxes: [UInt64: FederationSubscription.Inbox] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// A new claim on `cluster`; it takes effect with the first ``replace(_:owner:endpoints:services:)``.
    public func claim(_ cluster: String) -> Owner {
        state.withLock { state in
            defer { state.nextToken += 1 }
            return Owner(token: state.nextToken)
        }
    }

    /// Makes `owner` the cluster's writer and its data exactly `endpoints` and `services`, in one step. Ignored
    /// (returns false) when a newer owner already wrote, or the cluster was removed after `owner` was claimed.
    @discardableResult
    public func replace(_ cluster: String, owner: Owner, endpoints: [RemoteEndpoint], services: [RemoteService]) -> Bool {
        state.withLock { state in
            guard owner.token > state.retiredUpTo[cluster, default: 0] else { return false }
            if let current = state.clusters[cluster]?.owner, current > owner { return false }
            let old = state.clusters[cluster] ?? ClusterData(owner: owner)
            var new = ClusterData(owner: owner)
            for endpoint in endpoints { new.endpoints[endpoint.key] = endpoint }
            for service in services { new.services[service.key] = service }
            var change = FederationChange()
            change.clusters.insert(cluster)
            change.endpoints = Self.changedKeys(old.endpoints, new.endpoints)
            change.services = Self.changedKeys(old.services, new.services)
            state.clusters[cluster] = new
            Self.notify(&state, change)
            return true
        }
    }

    /// Applies a syncer's incremental changes. Ignored (returns false) unless `owner` is the cluster's writer.
    @discardableResult
    public func apply(_ cluster: String, owner: Owner, _ update: FederationUpdate) -> Bool {
        state.withLock { state in
            guard var data = state.clusters[cluster], data.owner == owner else { return false }
            var change = FederationChange()
            change.clusters.insert(cluster)
            for endpoint in update.upsertedEndpoints where data.endpoints.updateValue(endpoint, forKey: endpoint.key) != endpoint {
                change.endpoints.insert(endpoint.key)
            }
            for key in update.removedEndpoints where data.endpoints.removeValue(forKey: key) != nil { change.endpoints.insert(key) }
            for service in update.upsertedServices where data.services.updateValue(service, forKey: service.key) != service {
                change.services.insert(service.key)
            }
            for key in update.removedServices where data.services.removeValue(forKey: key) != nil { change.services.insert(key) }
            state.clusters[cluster] = data
            if !change.endpoints.isEmpty || !change.services.isEmpty { Self.notify(&state, change) }
            return true
        }
    }

    /// Purges everything learned from `cluster`; its current and earlier owners may no longer write it.
    public func remove(_ cluster: String) {
        state.withLock { state in
            state.retiredUpTo[cluster] = state.nextToken - 1
            guard let old = state.clusters.removeValue(forKey: cluster) else { return }
            var change = FederationChange()
            change.clusters.insert(cluster)
            change.endpoints = Set(old.endpoints.keys)
            change.services = Set(old.services.keys)
            Self.notify(&state, change)
        }
    }

    /// The clusters with published data.
    public var clusters: [String] { state.withLock { Array($0.clusters.keys) } }

    public func endpoints(of cluster: String) -> [RemoteEndpoint] {
        state.withLock { Array($0.clusters[cluster]?.endpoints.values ?? [:].values) }
    }

    public func services(of cluster: String) -> [RemoteService] {
        state.withLock { Array($0.clusters[cluster]?.services.values ?? [:].values) }
    }

    public func endpoint(_ key: String) -> RemoteEndpoint? {
        state.withLock { $0.clusters[Self.cluster(ofKey: key)]?.endpoints[key] }
    }

    public func service(_ key: String) -> RemoteService? {
        state.withLock { $0.clusters[Self.cluster(ofKey: key)]?.services[key] }
    }

    /// How many endpoints and services `cluster` has published; nil when it has published nothing.
    public func counts(of cluster: String) -> (endpoints: Int, services: Int)? {
        state.withLock { state in state.clusters[cluster].map { ($0.endpoints.count, $0.services.count) } }
    }

    /// Starts hearing about changes; stops when the subscription is released.
    public func subscribe() -> FederationSubscription {
        let inbox = FederationSubscription.Inbox()
        let id = state.withLock { state in
            defer { state.nextToken += 1 }
            state.inboxes[state.nextToken] = inbox
            return state.nextToken
        }
        return FederationSubscription(inbox: inbox) { [weak self] in
            self?.state.withLock { _ = $0.inboxes.removeValue(forKey: id) }
        }
    }

    private static func notify(_ state: inout State, _ change: FederationChange) {
        for inbox in state.inboxes.values { inbox.post(change) }
    }

    private static func changedKeys<Value: Equatable>(_ old: [String: Value], _ new: [String: Value]) -> Set<String> {
        var keys = Set<String>()
        for (key, value) in new where old[key] != value { keys.insert(key) }
        for key in old.keys where new[key] == nil { keys.insert(key) }
        return keys
    }

    /// The cluster part of an endpoint or service key.
    static func cluster(ofKey key: String) -> String {
        key.firstIndex(of: "/").map { String(key[..<$0]) } ?? key
    }
}
