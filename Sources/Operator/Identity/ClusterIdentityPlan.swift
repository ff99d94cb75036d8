import KubeClient

/// The network sets one remote cluster's endpoints call for, kept up to date endpoint by endpoint (issue 6, DESIGN
/// §6.7): a changed endpoint touches its old and new groups only, and only their sets are planned again, so a
/// reconcile under churn costs the changed endpoints, not the cluster's size.
///
/// Grouping and naming are ``NetworkSetPlanner``'s; ``desired`` always equals what a full plan of the same
/// endpoints would give.
struct ClusterIdentityPlan: Sendable {
    /// What placement and ownership of every set depend on; a change replans every group.
    struct Inputs: Equatable, Sendable {
        var localNamespaces: Set<String>
        var excludedIPs: Set<String>
        var owner: meta.v1.OwnerReference?
    }

    private struct Member: Sendable {
        var group: NetworkSetPlanner.Group
        var ips: [String]
    }

    let cluster: String
    private var members: [String: Member] = [:]
    /// Group → IP → how many of its endpoints have it.
    private var groups: [NetworkSetPlanner.Group: [String: Int]] = [:]
    /// IP → how many of the cluster's endpoints have it.
    private var ipCounts: [String: Int] = [:]
    private var groupSets: [NetworkSetPlanner.Group: [String]] = [:]
    private var touched: Set<NetworkSetPlanner.Group> = []
    private var inputs: Inputs?
    /// `namespace/name` → the set.
    private(set) var desired: [String: PlannedNetworkSet] = [:]

    init(cluster: String) { self.cluster = cluster }

    /// The cluster's IPs (each once).
    var ips: Dictionary<String, Int>.Keys { ipCounts.keys }

    /// Records endpoint `key` as it is now (nil: gone); returns the cluster's IPs that appeared and disappeared.
    mutating func update(_ key: String, _ endpoint: RemoteEndpoint?) -> (added: [String], removed: [String]) {
        var added: [String] = [], removed: [String] = []
        if let old = members.removeValue(forKey: key) {
            touched.insert(old.group)
            for ip in old.ips {
                _ = Self.decrement(&groups[old.group, default: [:]], ip)
                if Self.decrement(&ipCounts, ip) { removed.append(ip) }
            }
            if groups[old.group]?.isEmpty == true { groups[old.group] = nil }
        }
        if let endpoint, !endpoint.ips.isEmpty {
            let group = NetworkSetPlanner.group(of: endpoint)
            members[key] = Member(group: group, ips: endpoint.ips)
            touched.insert(group)
            for ip in endpoint.ips {
                groups[group, default: [:]][ip, default: 0] += 1
                ipCounts[ip, default: 0] += 1
                if ipCounts[ip] == 1 { added.append(ip) }
            }
        }
        // An IP that left and came back within one update did not change.
        let both = Set(added).intersection(removed)
        return both.isEmpty ? (added, removed) : (added.filter { !both.contains($0) }, removed.filter { !both.contains($0) })
    }

    /// Plans the sets of the groups touched since the last call (every group when `inputs` changed); returns the
    /// ids (``PlannedNetworkSet/id``) of the sets that may have changed, or nil when every set may have.
    @discardableResult
    mutating func replan(_ inputs: Inputs) -> Set<String>? {
        var all = false
        if inputs != self.inputs {
            all = true
            self.inputs = inputs
            touched = Set(groups.keys).union(groupSets.keys)
        }
        var changed = Set<String>()
        for group in touched {
            for id in groupSets.removeValue(forKey: group) ?? [] {
                desired[id] = nil
                changed.insert(id)
            }
            let ips = groups[group].map { $0.keys.filter { !inputs.excludedIPs.contains($0) } } ?? []
            guard !ips.isEmpty else { continue }
            let sets = NetworkSetPlanner.sets(cluster: cluster, group: group, ips: ips, localNamespaces: inputs.localNamespaces, owner: inputs.owner)
            groupSets[group] = sets.map(\.id)
            for set in sets {
                desired[set.id] = set
                changed.insert(set.id)
            }
        }
        touched = []
        return all ? nil : changed
    }

    /// Lowers `counts[key]`; true when it reached zero (the key is removed).
    private static func decrement(_ counts: inout [String: Int], _ key: String) -> Bool {
        guard let count = counts[key] else { return false }
        if count <= 1 {
            counts[key] = nil
            return true
        }
        counts[key] = count - 1
        return false
    }
}

extension PlannedNetworkSet {
    /// `namespace/name` (empty namespace for a global set): unique among the local cluster's sets.
    var id: String { "\(namespace ?? "")/\(name)" }
}
