import Synchronization

/// Every remote cluster's current endpoints and services, shared by the syncers that publish them and the
/// publishers that read them (DESIGN §1). Each cluster's data is a ``FederationSource`` (its syncer's caches), read
/// live: nothing is copied.
///
/// Guarantees:
/// - A cluster has one publisher, its current ``Owner``. A restarted syncer (DESIGN §6.3) gets a new owner, keeps the
///   old source published while it lists, and swaps in its own with ``replace(_:owner:source:)`` in one step; the old
///   syncer's later notifications are ignored, so data of two configurations is never mixed.
/// - ``remove(_:)`` purges a cluster; owners claimed before it can no longer publish it.
/// - Subscribers hear which keys changed, coalesced: a burst of changes to one key is one notification.
public final class FederationCache: Sendable {
    /// A publisher's claim on one cluster. Later claims supersede earlier ones.
    public struct Owner: Sendable, Hashable, Comparable {
        let token: UInt64
        public static func < (lhs: Owner, rhs: Owner) -> Bool { lhs.token < rhs.token }
    }

    struct Published {
        var owner: Owner
        var source: any FederationSource
    }

    struct State {
        var nextToken: UInt64 = 1
        var clusters: [String: Published] = [:]
        /// Owners up to this token may no longer publish the cluster (it was removed after they were claimed).
        var retiredUpTo: [String: UInt64] = [:]
        var inboxes: [UInt64: FederationSubscription.Inbox] = [:]
    }

    /// The name the local cluster's own endpoints and services are read under, in a cache of their own: no RCC has
    /// an empty name. Their keys are `/<namespace>/<name>` and they carry no `remoteClusterName` label.
    public static let localCluster = ""

    private let state = Mutex(State())

    public init() {}

    /// A new claim on `cluster`; it takes effect with ``replace(_:owner:source:)``.
    public func claim(_ cluster: String) -> Owner {
        state.withLock { state in
            defer { state.nextToken += 1 }
            return Owner(token: state.nextToken)
        }
    }

    /// Makes `source` the cluster's data and `owner` its publisher, in one step; subscribers hear of every key whose
    /// value differs between the old data and the new. Ignored (returns false) when a newer owner already published,
    /// or the cluster was removed after `owner` was claimed.
    @discardableResult
    public func replace(_ cluster: String, owner: Owner, source: any FederationSource) -> Bool {
        let old: (any FederationSource)?? = state.withLock { state in
            guard owner.token > state.retiredUpTo[cluster, default: 0] else { return .none }
            if let current = state.clusters[cluster]?.owner, current > owner { return .none }
            defer { state.clusters[cluster] = Published(owner: owner, source: source) }
            return .some(state.clusters[cluster]?.source)
        }
        guard case .some(let previous) = old else { return false }
        var change = FederationChange()
        change.clusters.insert(cluster)
        change.endpoints = Self.changedKeys(previous?.endpoints() ?? [], source.endpoints(), key: \.key)
        change.services = Self.changedKeys(previous?.services() ?? [], source.services(), key: \.key)
        notify(change)
        return true
    }

    /// Tells subscribers that these keys of `cluster` changed in its source. Ignored (returns false) unless `owner` is
    /// the cluster's publisher.
    @discardableResult
    public func publish(_ cluster: String, owner: Owner, _ change: FederationChange) -> Bool {
        guard state.withLock({ $0.clusters[cluster]?.owner == owner }) else { return false }
        if !change.endpoints.isEmpty || !change.services.isEmpty { notify(change) }
        return true
    }

    /// Purges everything learned from `cluster`; its current and earlier owners may no longer publish it.
    public func remove(_ cluster: String) {
        let old = state.withLock { state in
            state.retiredUpTo[cluster] = state.nextToken - 1
            return state.clusters.removeValue(forKey: cluster)?.source
        }
        // Announced even when nothing was published (yet): what was derived from the cluster elsewhere goes too.
        var change = FederationChange()
        change.clusters.insert(cluster)
        change.endpoints = Set(old?.endpoints().map(\.key) ?? [])
        change.services = Set(old?.services().map(\.key) ?? [])
        notify(change)
    }

    /// Whether `cluster` was purged with ``remove(_:)`` and has not been published since: what was derived from it
    /// must go. A cluster that is merely not published yet (after a restart) must be left alone.
    public func wasRemoved(_ cluster: String) -> Bool {
        state.withLock { $0.retiredUpTo[cluster] != nil && $0.clusters[cluster] == nil }
    }

    /// The clusters with published data.
    public var clusters: [String] { state.withLock { Array($0.clusters.keys) } }

    public func endpoints(of cluster: String) -> [RemoteEndpoint] { source(of: cluster)?.endpoints() ?? [] }

    public func services(of cluster: String) -> [RemoteService] { source(of: cluster)?.services() ?? [] }

    public func services(of cluster: String, inNamespace namespace: String) -> [RemoteService] {
        source(of: cluster)?.services(inNamespace: namespace) ?? []
    }

    public func endpoint(_ key: String) -> RemoteEndpoint? { source(of: Self.cluster(ofKey: key))?.endpoint(key) }

    public func service(_ key: String) -> RemoteService? { source(of: Self.cluster(ofKey: key))?.service(key) }

    /// How many endpoints and services `cluster` has published; nil when it has published nothing.
    public func counts(of cluster: String) -> (endpoints: Int, services: Int)? {
        source(of: cluster).map { ($0.endpointCount, $0.serviceCount) }
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

    private func source(of cluster: String) -> (any FederationSource)? {
        state.withLock { $0.clusters[cluster]?.source }
    }

    private func notify(_ change: FederationChange) {
        for inbox in state.withLock({ Array($0.inboxes.values) }) { inbox.post(change) }
    }

    private static func changedKeys<Value: Equatable>(_ old: [Value], _ new: [Value], key: (Value) -> String) -> Set<String> {
        let before = Dictionary(old.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
        var keys = Set<String>()
        var seen = Set<String>()
        for value in new {
            let valueKey = key(value)
            seen.insert(valueKey)
            if before[valueKey] != value { keys.insert(valueKey) }
        }
        for valueKey in before.keys where !seen.contains(valueKey) { keys.insert(valueKey) }
        return keys
    }

    /// The cluster part of an endpoint or service key.
    static func cluster(ofKey key: String) -> String {
        key.firstIndex(of: "/").map { String(key[..<$0]) } ?? key
    }
}
