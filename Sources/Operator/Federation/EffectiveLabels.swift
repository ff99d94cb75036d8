import CalicoSelector

/// The labels a remote endpoint is matched by (calico-federation.md §4.2-4.3, DESIGN §6.6): own labels win over
/// the namespace profile's `pcns.*` labels, which win over the service account profile's `pcsa.*` labels; pod
/// labels starting `pcns.`/`pcsa.` are dropped so a pod cannot claim a namespace's identity.
public enum EffectiveLabels {
    /// The cluster an endpoint came from; Calico's own label names are ``CalicoLabel``'s.
    public static let remoteClusterKey = "federation.tigera.io/remoteClusterName"

    /// A pod's effective labels.
    /// - Parameters:
    ///   - namespaceLabels: the namespace's labels, nil when the namespace is not (yet) known.
    ///   - serviceAccountLabels: the service account's labels, nil when it is not known or the pod names none.
    public static func workload(cluster: String, podLabels: [String: String], namespace: String, serviceAccount: String,
                                namespaceLabels: [String: String]?, serviceAccountLabels: [String: String]?) -> [String: String] {
        var labels: [String: String] = [:]
        labels.reserveCapacity(podLabels.count + 6)
        for (key, value) in podLabels where !key.hasPrefix(CalicoLabel.namespacePrefix) && !key.hasPrefix(CalicoLabel.serviceAccountPrefix) {
            labels[key] = value
        }
        labels[CalicoLabel.namespace] = namespace
        labels[CalicoLabel.orchestrator] = "k8s"
        if !serviceAccount.isEmpty { labels[CalicoLabel.serviceAccount] = serviceAccount }
        // Inherited labels only fill keys the endpoint (or an earlier profile) does not have.
        inherit(&labels, from: namespaceLabels, prefix: CalicoLabel.namespacePrefix, name: namespace)
        if !serviceAccount.isEmpty { inherit(&labels, from: serviceAccountLabels, prefix: CalicoLabel.serviceAccountPrefix, name: serviceAccount) }
        if cluster != FederationCache.localCluster { labels[remoteClusterKey] = cluster }
        return labels
    }

    /// A host endpoint's effective labels: its own, plus the cluster it came from.
    public static func host(cluster: String, labels own: [String: String]) -> [String: String] {
        var labels = own
        if cluster != FederationCache.localCluster { labels[remoteClusterKey] = cluster }
        return labels
    }

    private static func inherit(_ labels: inout [String: String], from profile: [String: String]?, prefix: String, name: String) {
        if labels[prefix + CalicoLabel.name] == nil { labels[prefix + CalicoLabel.name] = name }
        for (key, value) in profile ?? [:] where labels[prefix + key] == nil {
            labels[prefix + key] = value
        }
    }
}
