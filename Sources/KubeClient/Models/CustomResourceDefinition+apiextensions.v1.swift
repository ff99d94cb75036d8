extension apiextensions.v1 {
    /// A CustomResourceDefinition (complete for the fields the operator and the test server use; the
    /// OpenAPI schema and subresources stay JSON).
    public struct CustomResourceDefinition: KubernetesResource, Hashable {
        public static let resource = Resource(
            group: "apiextensions.k8s.io", version: "v1", plural: "customresourcedefinitions",
            kind: "CustomResourceDefinition", namespaced: false)

        public var metadata: meta.v1.ObjectMeta
        public var spec: CustomResourceDefinitionSpec
        public var status: JSONValue?

        public init(metadata: meta.v1.ObjectMeta, spec: CustomResourceDefinitionSpec) {
            self.metadata = metadata
            self.spec = spec
        }
    }

    /// What a CRD defines: group, names, scope and versions.
    public struct CustomResourceDefinitionSpec: Codable, Sendable, Hashable {
        public var group: String
        public var names: CustomResourceDefinitionNames
        /// `Namespaced` or `Cluster`.
        public var scope: String
        public var versions: [CustomResourceDefinitionVersion]

        public init(
            group: String, names: CustomResourceDefinitionNames, scope: String,
            versions: [CustomResourceDefinitionVersion]
        ) {
            self.group = group
            self.names = names
            self.scope = scope
            self.versions = versions
        }
    }

    /// The names a CRD's resource is known by.
    public struct CustomResourceDefinitionNames: Codable, Sendable, Hashable {
        public var plural: String
        public var singular: String?
        public var kind: String
        public var listKind: String?
        public var shortNames: [String]?
        public var categories: [String]?

        public init(
            plural: String, singular: String? = nil, kind: String, listKind: String? = nil,
            shortNames: [String]? = nil, categories: [String]? = nil
        ) {
            self.plural = plural
            self.singular = singular
            self.kind = kind
            self.listKind = listKind
            self.shortNames = shortNames
            self.categories = categories
        }
    }

    /// One served version of a CRD.
    public struct CustomResourceDefinitionVersion: Codable, Sendable, Hashable {
        public var name: String
        public var served: Bool
        public var storage: Bool
        /// `{"openAPIV3Schema": {...}}`.
        public var schema: JSONValue?
        /// `{"status": {}}` when the status subresource is enabled.
        public var subresources: JSONValue?
        public var additionalPrinterColumns: [PrinterColumn]?

        public init(
            name: String, served: Bool = true, storage: Bool = true, schema: JSONValue? = nil,
            subresources: JSONValue? = nil, additionalPrinterColumns: [PrinterColumn]? = nil
        ) {
            self.name = name
            self.served = served
            self.storage = storage
            self.schema = schema
            self.subresources = subresources
            self.additionalPrinterColumns = additionalPrinterColumns
        }
    }

    /// A column `kubectl get` prints for a custom resource.
    public struct PrinterColumn: Codable, Sendable, Hashable {
        public var name: String
        public var type: String
        public var jsonPath: String
        public var description: String?
        public var priority: Int32?
        public var format: String?

        public init(
            name: String, type: String, jsonPath: String, description: String? = nil, priority: Int32? = nil,
            format: String? = nil
        ) {
            self.name = name
            self.type = type
            self.jsonPath = jsonPath
            self.description = description
            self.priority = priority
            self.format = format
        }
    }
}
