import KubeClient

/// What a remote pod contributes to endpoint identity (calico-federation.md §4.1): only scheduled, non-host-network
/// pods are endpoints; their IPs come from `status.podIPs`, `status.podIP` or Calico's and AWS's annotations, and a
/// finished pod keeps its endpoint with no IPs.
public struct PodProjection: Sendable, Hashable {
    public var namespace: String
    public var name: String
    public var labels: [String: String]
    public var node: String
    public var serviceAccount: String
    public var ips: [String]
    /// Whether Calico would make a workload endpoint of it (scheduled and not host-networked).
    public var isWorkload: Bool

    public init(_ pod: core.v1.Pod) {
        namespace = pod.metadata.namespace ?? ""
        name = pod.metadata.name ?? ""
        labels = pod.metadata.labels ?? [:]
        node = pod.spec?.nodeName ?? ""
        serviceAccount = pod.spec?.serviceAccountName ?? ""
        isWorkload = !node.isEmpty && pod.spec?.hostNetwork != true
        ips = Self.isFinished(pod) ? [] : Self.addresses(of: pod)
    }

    public var key: String { "\(namespace)/\(name)" }

    static let calicoIPsAnnotation = "cni.projectcalico.org/podIPs"
    static let calicoIPAnnotation = "cni.projectcalico.org/podIP"
    static let awsIPsAnnotation = "vpc.amazonaws.com/pod-ips"

    /// §4.1's source order: the first source that has any address wins.
    static func addresses(of pod: core.v1.Pod) -> [String] {
        if let ips = pod.status?.podIPs?.map(\.ip).filter({ !$0.isEmpty }), !ips.isEmpty { return ips }
        if let ip = pod.status?.podIP, !ip.isEmpty { return [ip] }
        let annotations = pod.metadata.annotations ?? [:]
        for key in [calicoIPsAnnotation, calicoIPAnnotation, awsIPsAnnotation] {
            let ips = (annotations[key] ?? "").split(separator: ",").map {
                // Annotations may carry a prefix length (`10.0.0.1/32`).
                String($0.trimmingCharacters(in: .whitespaces).split(separator: "/").first ?? "")
            }.filter { !$0.isEmpty }
            if !ips.isEmpty { return ips }
        }
        return []
    }

    /// Succeeded or failed pods, and pods being deleted whose CNI annotation was cleared, keep no IPs.
    static func isFinished(_ pod: core.v1.Pod) -> Bool {
        if ["Succeeded", "Failed", "Completed"].contains(pod.status?.phase ?? "") { return true }
        guard pod.metadata.deletionTimestamp != nil else { return false }
        let annotations = pod.metadata.annotations ?? [:]
        return annotations[calicoIPAnnotation] == "" || annotations[awsIPsAnnotation] == ""
    }
}
