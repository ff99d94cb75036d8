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
        struct GroupKey: Hashable {
            var namespace: String?
            var labels: [String: String]
        }
        var groups: [GroupKey: [String]] = [:]
        for endpoint in endpoints {
            let ips = endpoint.ips.filter { !excludedIPs.contains($0) }
            guard !ips.isEmpty else { continue }
            let namespace = endpoint.kind == .workload && localNamespaces.contains(endpoint.namespace) ? endpoint.namespace : nil
            let key = GroupKey(namespace: namespace, labels: publishableLabels(endpoint.labels))
            groups[key, default: []].append(contentsOf: ips.map(net))
        }
        var planned: [PlannedNetworkSet] = []
        for (key, nets) in groups {
            // Names are DNS subdomains of at most 253 characters.
            let base = "\(cluster.prefix(200))-\(hash(namespace: key.namespace, labels: key.labels))"
            let sorted = Array(Set(nets)).sorted()
            for (index, start) in stride(from: 0, to: sorted.count, by: maxNetsPerObject).enumerated() {
                var labels = key.labels
                labels[managedByKey] = managedByValue
                planned.append(PlannedNetworkSet(namespace: key.namespace, name: index == 0 ? base : "\(base)-\(index)", labels: labels,
                                                 nets: Array(sorted[start..<min(start + maxNetsPerObject, sorted.count)]),
                                                 ownerReferences: owner.map { [$0] } ?? []))
            }
        }
        return planned.sorted { ($0.namespace ?? "", $0.name) < ($1.namespace ?? "", $1.name) }
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
