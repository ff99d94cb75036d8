/// Label names and prefixes Calico adds to endpoints (`calico-federation.md` §4.2-4.4).
public enum CalicoLabel {
    /// The endpoint's namespace: `projectcalico.org/namespace`.
    public static let namespace = "projectcalico.org/namespace"
    /// The endpoint's service account: `projectcalico.org/serviceaccount`.
    public static let serviceAccount = "projectcalico.org/serviceaccount"
    /// The orchestrator (`k8s`): `projectcalico.org/orchestrator`.
    public static let orchestrator = "projectcalico.org/orchestrator"
    /// The name of a namespace or service account, under its prefix: `projectcalico.org/name`.
    public static let name = "projectcalico.org/name"
    /// Prefix of namespace labels on an endpoint: `pcns.`.
    public static let namespacePrefix = "pcns."
    /// Prefix of service-account labels on an endpoint: `pcsa.`.
    public static let serviceAccountPrefix = "pcsa."
}
