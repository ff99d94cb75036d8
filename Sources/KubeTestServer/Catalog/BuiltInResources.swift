/// The built-in resources every test cluster serves, with the short names, categories, subresources and
/// selectable fields kube-apiserver v1.32 gives them.
public enum BuiltInResources {
    /// Namespaces, which the store needs from the start to check where namespaced objects go.
    public static let namespaces = ServedResource(
        group: "", version: "v1", plural: "namespaces", kind: "Namespace", namespaced: false,
        shortNames: ["ns"], hasStatusSubresource: true, nameRule: .dns1123Label, selectableFields: ["status.phase"]
    )

    public static let all: [ServedResource] = [
        namespaces,
        ServedResource(group: "", version: "v1", plural: "pods", kind: "Pod", namespaced: true,
                       shortNames: ["po"], categories: ["all"], hasStatusSubresource: true,
                       selectableFields: ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                                          "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"]),
        ServedResource(group: "", version: "v1", plural: "services", kind: "Service", namespaced: true,
                       shortNames: ["svc"], categories: ["all"], hasStatusSubresource: true, nameRule: .dns1035Label),
        ServedResource(group: "", version: "v1", plural: "endpoints", kind: "Endpoints", namespaced: true,
                       singular: "endpoints", shortNames: ["ep"]),
        ServedResource(group: "discovery.k8s.io", version: "v1", plural: "endpointslices", kind: "EndpointSlice", namespaced: true),
        ServedResource(group: "", version: "v1", plural: "secrets", kind: "Secret", namespaced: true, selectableFields: ["type"]),
        ServedResource(group: "", version: "v1", plural: "configmaps", kind: "ConfigMap", namespaced: true, shortNames: ["cm"]),
        ServedResource(group: "", version: "v1", plural: "serviceaccounts", kind: "ServiceAccount", namespaced: true, shortNames: ["sa"]),
        ServedResource(group: "", version: "v1", plural: "nodes", kind: "Node", namespaced: false,
                       shortNames: ["no"], hasStatusSubresource: true, selectableFields: ["spec.unschedulable"]),
        ServedResource(group: "coordination.k8s.io", version: "v1", plural: "leases", kind: "Lease", namespaced: true),
        ServedResource(group: "", version: "v1", plural: "events", kind: "Event", namespaced: true, shortNames: ["ev"],
                       selectableFields: ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                                          "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
                                          "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"]),
        ServedResource(group: "events.k8s.io", version: "v1", plural: "events", kind: "Event", namespaced: true,
                       shortNames: ["ev"], selectableFields: ["reason", "type", "regarding.kind", "regarding.name", "regarding.namespace"]),
        customResourceDefinitions,
        // RBAC objects are stored and served so manifests apply; the server's own Authorizer does not read them.
        ServedResource(group: "rbac.authorization.k8s.io", version: "v1", plural: "roles", kind: "Role", namespaced: true),
        ServedResource(group: "rbac.authorization.k8s.io", version: "v1", plural: "rolebindings", kind: "RoleBinding", namespaced: true),
        ServedResource(group: "rbac.authorization.k8s.io", version: "v1", plural: "clusterroles", kind: "ClusterRole", namespaced: false),
        ServedResource(group: "rbac.authorization.k8s.io", version: "v1", plural: "clusterrolebindings", kind: "ClusterRoleBinding", namespaced: false),
        selfSubjectAccessReviews,
    ]

    /// CRDs, whose writes change what the cluster serves.
    public static let customResourceDefinitions = ServedResource(
        group: "apiextensions.k8s.io", version: "v1", plural: "customresourcedefinitions", kind: "CustomResourceDefinition",
        namespaced: false, shortNames: ["crd", "crds"], hasStatusSubresource: true
    )

    /// What `kubectl auth can-i` creates: answered from the authorizer, never stored.
    public static let selfSubjectAccessReviews = ServedResource(
        group: "authorization.k8s.io", version: "v1", plural: "selfsubjectaccessreviews", kind: "SelfSubjectAccessReview",
        namespaced: false, verbs: ["create"]
    )
}
