import Synchronization

/// Who uses each endpoint IP: the remote clusters (as last published) and the local cluster's endpoints, so the
/// identity publisher can leave out IPs that are not unique (issue 6 §2). Each remote cluster's overlapping IPs are
/// kept current as users come and go, so asking for them costs the overlaps, not the cluster's size.
///
/// Updates return the remote clusters whose overlaps changed with them (other than the one updated): the publisher
/// reconciles those again.
final class IPOverlapIndex: Sendable {
    private struct State {
        var clusterIPs: [String: Set<String>] = [:]
        /// IP → the remote clusters that use it.
        var remoteUsers: [String: Set<String>] = [:]
        /// Local endpoint key → its IPs.
        var localEndpointIPs: [String: [String]] = [:]
        /// IP → the local endpoints that use it.
        var localUsers: [String: Set<String>] = [:]
        /// Remote cluster → its IPs that have another user.
        var overlapping: [String: Set<String>] = [:]

        /// Brings the overlaps of `ip` up to date for its users and `formerUsers`; returns the clusters whose
        /// overlaps changed.
        mutating func refresh(_ ip: String, formerUsers: Set<String> = []) -> Set<String> {
            var changed = Set<String>()
            let users = remoteUsers[ip] ?? []
            let shared = users.count + (localUsers[ip] == nil ? 0 : 1) > 1
            for cluster in formerUsers.subtracting(users) where overlapping[cluster]?.remove(ip) != nil {
                changed.insert(cluster)
                if overlapping[cluster]?.isEmpty == true { overlapping[cluster] = nil }
            }
            for cluster in users {
                if shared {
                    if overlapping[cluster, default: []].insert(ip).inserted { changed.insert(cluster) }
                } else if overlapping[cluster]?.remove(ip) != nil {
                    changed.insert(cluster)
                    if overlapping[cluster]?.isEmpty == true { overlapping[cluster] = nil }
                }
            }
            return changed
        }
    }

    private let state = Mutex(State())

    /// Records the IPs `cluster` uses now.
    func setCluster(_ cluster: String, ips: Set<String>) -> Set<String> {
        state.withLock { state in
            let old = state.clusterIPs[cluster] ?? []
            return Self.update(&state, cluster, added: ips.subtracting(old), removed: old.subtracting(ips))
        }
    }

    /// Records the IPs `cluster` started and stopped using.
    func updateCluster(_ cluster: String, added: [String], removed: [String]) -> Set<String> {
        guard !added.isEmpty || !removed.isEmpty else { return [] }
        return state.withLock { Self.update(&$0, cluster, added: added, removed: removed) }
    }

    /// Forgets `cluster` (it was purged).
    func removeCluster(_ cluster: String) -> Set<String> { setCluster(cluster, ips: []) }

    private static func update(_ state: inout State, _ cluster: String, added: some Sequence<String>, removed: some Sequence<String>) -> Set<String> {
        var changed = Set<String>()
        for ip in removed {
            state.clusterIPs[cluster]?.remove(ip)
            state.remoteUsers[ip]?.remove(cluster)
            if state.remoteUsers[ip]?.isEmpty == true { state.remoteUsers[ip] = nil }
            changed.formUnion(state.refresh(ip, formerUsers: [cluster]))
        }
        for ip in added {
            state.remoteUsers[ip, default: []].insert(cluster)
            state.clusterIPs[cluster, default: []].insert(ip)
            changed.formUnion(state.refresh(ip))
        }
        if state.clusterIPs[cluster]?.isEmpty == true { state.clusterIPs[cluster] = nil }
        changed.remove(cluster)
        return changed
    }

    /// Records the IPs of the local endpoint `key` (none: it is gone); returns the clusters whose overlaps changed.
    func setLocal(_ key: String, ips: [String]) -> Set<String> {
        state.withLock { state in
            let old = state.localEndpointIPs[key] ?? []
            guard old != ips else { return [] }
            for ip in old {
                state.localUsers[ip]?.remove(key)
                if state.localUsers[ip]?.isEmpty == true { state.localUsers[ip] = nil }
            }
            for ip in ips { state.localUsers[ip, default: []].insert(key) }
            state.localEndpointIPs[key] = ips.isEmpty ? nil : ips
            return Set(old).union(ips).reduce(into: Set<String>()) { $0.formUnion(state.refresh($1)) }
        }
    }

    /// The IPs of `cluster` that are used elsewhere, each with where (a local endpoint first, else another cluster).
    func overlaps(of cluster: String) -> [String: String] {
        state.withLock { state in
            var overlaps: [String: String] = [:]
            for ip in state.overlapping[cluster] ?? [] {
                if let local = state.localUsers[ip]?.min() {
                    overlaps[ip] = "local \(local.drop { $0 == "/" })"
                } else if let other = state.remoteUsers[ip]?.subtracting([cluster]).min() {
                    overlaps[ip] = "remote cluster \(other)"
                }
            }
            return overlaps
        }
    }
}
