import Synchronization

/// Who uses each endpoint IP: the remote clusters (as last published) and the local cluster's endpoints, so the
/// identity publisher can leave out IPs that are not unique (issue 6 §2).
///
/// Updates return the remote clusters whose overlaps may have changed with them (other than the one updated): the
/// publisher reconciles those again.
final class IPOverlapIndex: Sendable {
    private struct State {
        var clusterIPs: [String: Set<String>] = [:]
        /// IP → the remote clusters that use it.
        var remoteUsers: [String: Set<String>] = [:]
        /// Local endpoint key → its IPs.
        var localEndpointIPs: [String: [String]] = [:]
        /// IP → the local endpoints that use it.
        var localUsers: [String: Set<String>] = [:]
    }

    private let state = Mutex(State())

    /// Records the IPs `cluster` uses now.
    func setCluster(_ cluster: String, ips: Set<String>) -> Set<String> {
        state.withLock { state in
            let old = state.clusterIPs[cluster] ?? []
            var affected = Set<String>()
            for ip in old.subtracting(ips) {
                state.remoteUsers[ip]?.remove(cluster)
                if state.remoteUsers[ip]?.isEmpty == true { state.remoteUsers[ip] = nil }
                affected.formUnion(state.remoteUsers[ip] ?? [])
            }
            for ip in ips.subtracting(old) {
                affected.formUnion(state.remoteUsers[ip] ?? [])
                state.remoteUsers[ip, default: []].insert(cluster)
            }
            state.clusterIPs[cluster] = ips.isEmpty ? nil : ips
            return affected
        }
    }

    /// Forgets `cluster` (it was purged).
    func removeCluster(_ cluster: String) -> Set<String> { setCluster(cluster, ips: []) }

    /// Records the IPs of the local endpoint `key` (none: it is gone).
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
            return Set(Set(old).symmetricDifference(ips).flatMap { state.remoteUsers[$0] ?? [] })
        }
    }

    /// The IPs of `cluster` that are used elsewhere, each with where (a local endpoint first, else another cluster).
    func overlaps(of cluster: String) -> [String: String] {
        state.withLock { state in
            var overlaps: [String: String] = [:]
            for ip in state.clusterIPs[cluster] ?? [] {
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
