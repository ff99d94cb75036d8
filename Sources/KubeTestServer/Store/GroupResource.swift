/// A resource's API group and plural name, e.g. `("", "pods")` or `("projectcalico.org", "remoteclusterconfigurations")`.
public struct GroupResource: Hashable, Sendable, CustomStringConvertible {
    public var group: String
    public var plural: String

    public init(group: String, plural: String) {
        self.group = group
        self.plural = plural
    }

    /// How kube-apiserver names the resource in messages: `pods`, `leases.coordination.k8s.io`.
    public var description: String { group.isEmpty ? plural : "\(plural).\(group)" }
}

/// What the store must know about a resource it keeps.
public struct StoredResourceKind: Hashable, Sendable {
    public var groupResource: GroupResource
    public var kind: String
    public var namespaced: Bool
    /// Whether the resource has a `status` subresource: then writes to the main resource keep the stored status,
    /// and writes to `status` change nothing else.
    public var hasStatusSubresource: Bool
    /// What names the resource accepts.
    public var nameRule: NameRule
    /// Fields a `fieldSelector` may name beside `metadata.name` and `metadata.namespace`.
    public var selectableFields: Set<String>
    /// A CRD's schema: objects are pruned and validated against it on every write.
    public var schema: StructuralSchema?

    public init(
        groupResource: GroupResource, kind: String, namespaced: Bool, hasStatusSubresource: Bool,
        nameRule: NameRule = .dns1123Subdomain, selectableFields: Set<String> = [], schema: StructuralSchema? = nil
    ) {
        self.schema = schema
        self.selectableFields = selectableFields
        self.groupResource = groupResource
        self.kind = kind
        self.namespaced = namespaced
        self.hasStatusSubresource = hasStatusSubresource
        self.nameRule = nameRule
    }
}

/// Where an object lives: its resource, namespace (empty for cluster-scoped objects) and name.
public struct ObjectKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var resource: GroupResource
    public var namespace: String
    public var name: String

    public init(_ resource: GroupResource, namespace: String, name: String) {
        self.resource = resource
        self.namespace = namespace
        self.name = name
    }

    /// Lists come back in this order, as etcd returns keys: by namespace, then name.
    public static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
        (lhs.namespace, lhs.name) < (rhs.namespace, rhs.name)
    }

    public var description: String { namespace.isEmpty ? "\(resource)/\(name)" : "\(resource)/\(namespace)/\(name)" }
}
