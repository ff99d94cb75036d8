import KubeClient

/// A resource the test server serves: what discovery advertises and what the store needs to keep its objects.
public struct ServedResource: Sendable, Hashable {
    public var group: String
    public var version: String
    public var plural: String
    public var singular: String
    public var kind: String
    public var namespaced: Bool
    public var shortNames: [String]
    public var categories: [String]
    public var verbs: [String]
    public var hasStatusSubresource: Bool
    public var nameRule: NameRule
    public var selectableFields: Set<String>
    /// A CRD's `additionalPrinterColumns`, for Table answers.
    public var printerColumns: [apiextensions.v1.PrinterColumn]
    /// A CRD version's schema.
    public var schema: StructuralSchema?

    /// The verbs of an ordinary read-write resource.
    public static let standardVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    public init(
        group: String, version: String, plural: String, kind: String, namespaced: Bool,
        singular: String? = nil, shortNames: [String] = [], categories: [String] = [], verbs: [String] = standardVerbs,
        hasStatusSubresource: Bool = false, nameRule: NameRule = .dns1123Subdomain, selectableFields: Set<String> = [],
        printerColumns: [apiextensions.v1.PrinterColumn] = [], schema: StructuralSchema? = nil
    ) {
        self.printerColumns = printerColumns
        self.schema = schema
        self.group = group
        self.version = version
        self.plural = plural
        self.singular = singular ?? kind.lowercased()
        self.kind = kind
        self.namespaced = namespaced
        self.shortNames = shortNames
        self.categories = categories
        self.verbs = verbs
        self.hasStatusSubresource = hasStatusSubresource
        self.nameRule = nameRule
        self.selectableFields = selectableFields
    }

    public var groupResource: GroupResource { GroupResource(group: group, plural: plural) }
    /// `v1` or `group/version`.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// What the store keeps for this resource.
    public var storedKind: StoredResourceKind {
        StoredResourceKind(groupResource: groupResource, kind: kind, namespaced: namespaced,
                           hasStatusSubresource: hasStatusSubresource, nameRule: nameRule, selectableFields: selectableFields,
                           schema: schema)
    }
}
