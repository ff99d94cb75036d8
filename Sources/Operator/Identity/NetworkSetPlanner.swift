import KubeClient

/// Plans the Calico network sets that stand for one remote cluster's endpoints (issue 6, DESIGN §6.7). Pure: the same
/// endpoints and local namespaces always give the same sets, whatever their order.
///
/// - Endpoints with the same namespace and the same publishable labels form one group. Publishable labels are the
///   effective labels a Kubernetes label may carry (others are left out, as they could not be written).
/// - A group is a `NetworkSet` in the namespace of the same name when it exists locally, else a `GlobalNetworkSet`;
///   host endpoints are always global.
/// - Its nets are the members' IPs as /32 or /128, sorted and split into shards of at most ``maxNetsPerObject``.
/// - Names are `<rcc>-<16 hex digits of a hash of the group>`, so a group keeps its object while its members change.
public enum NetworkSetPlanner {
    /// Nets in one object: Calico's objects stay well under the API server's size limit.
    public static let maxNetsPerObject = 1000
    public static let managedByKey = "app.kubernetes.io/managed-by"
    public static let managedByValue = "federation-operator"

    /// - Parameters:
    ///   - excludedIPs: addresses not to publish (they overlap local or other clusters' addresses).
    ///   - owner: the cluster's RCC, which owns every set (garbage collection, `kubectl tree`).
    public static func plan(cluster: String, endpoints: [RemoteEndpoint], localNamespaces: Set<String>,
                            excludedIPs: Set<String> = [], owner: meta.v1.OwnerReference? = nil) -> [PlannedNetworkSet] {
        var plan = ClusterIdentityPlan(cluster: cluster)
        for endpoint in endpoints { _ = plan.update(endpoint.key, endpoint) }
        plan.replan(.init(localNamespaces: localNamespaces, excludedIPs: excludedIPs, owner: owner))
        return plan.desired.values.sorted { ($0.namespace ?? "", $0.name) < ($1.namespace ?? "", $1.name) }
    }

    /// Endpoints with the same namespace (none for host endpoints) and publishable labels.
    struct Group: Hashable, Sendable {
        var namespace: String?
        var labels: [String: String]
    }

    static func group(of endpoint: RemoteEndpoint) -> Group {
        Group(namespace: endpoint.kind == .workload ? endpoint.namespace : nil, labels: publishableLabels(endpoint.labels))
    }

    /// The sets of one group whose members have `ips`: placed in the group's namespace when it exists locally,
    /// sharded by ``maxNetsPerObject`` in sorted order.
    static func sets(cluster: String, group: Group, ips: [String], localNamespaces: Set<String>,
                     owner: meta.v1.OwnerReference?) -> [PlannedNetworkSet] {
        let namespace = group.namespace.flatMap { localNamespaces.contains($0) ? $0 : nil }
        // Names are DNS subdomains of at most 253 characters.
        let base = "\(cluster.prefix(200))-\(hash(namespace: namespace, labels: group.labels))"
        let nets = ips.map(net).sorted()
        var labels = group.labels
        labels[managedByKey] = managedByValue
        return stride(from: 0, to: nets.count, by: maxNetsPerObject).enumerated().map { index, start in
            PlannedNetworkSet(namespace: namespace, name: index == 0 ? base : "\(base)-\(index)", labels: labels,
                              nets: Array(nets[start..<min(start + maxNetsPerObject, nets.count)]), ownerReferences: owner.map { [$0] } ?? [])
        }
    }

    /// The labels a Kubernetes object may carry.
    static func publishableLabels(_ labels: [String: String]) -> [String: String] {
        labels.filter { KubernetesLabel.isValidKey($0.key) && KubernetesLabel.isValidValue($0.value) }
    }

    /// `/32` for IPv4, `/128` for IPv6.
    static func net(_ ip: String) -> String { ip.contains(":") ? "\(ip)/128" : "\(ip)/32" }

    /// FNV-1a (64 bit) of the namespace and the sorted labels, as 16 hex digits: stable across runs and machines.
    static func hash(namespace: String?, labels: [String: String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func add(_ text: String) {
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01b3
            }
            hash ^= 0xff
            hash = hash &* 0x0000_0100_0000_01b3
        }
        add(namespace ?? "")
        for (key, value) in labels.sorted(by: { $0.key < $1.key }) {
            add(key)
            add(value)
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
