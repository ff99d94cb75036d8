extension meta.v1 {
    /// What discovery returns for one group version: the resources it serves.
    public struct APIResourceList: Codable, Sendable, Hashable {
        public var groupVersion: String
        public var resources: [APIResource]

        public init(groupVersion: String, resources: [APIResource]) {
            self.groupVersion = groupVersion
            self.resources = resources
        }
    }

    /// One served resource (or subresource, e.g. `pods/status`).
    public struct APIResource: Codable, Sendable, Hashable {
        public var name: String
        public var singularName: String?
        public var namespaced: Bool
        public var kind: String
        public var verbs: [String]
        public var shortNames: [String]?
        public var categories: [String]?

        public init(
            name: String, singularName: String? = nil, namespaced: Bool, kind: String, verbs: [String],
            shortNames: [String]? = nil, categories: [String]? = nil
        ) {
            self.name = name
            self.singularName = singularName
            self.namespaced = namespaced
            self.kind = kind
            self.verbs = verbs
            self.shortNames = shortNames
            self.categories = categories
        }
    }
}
