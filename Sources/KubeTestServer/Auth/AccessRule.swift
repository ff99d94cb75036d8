/// One grant of an authorizer policy: the verbs allowed on resources of API groups, in namespaces.
/// `*` in any list matches everything; an empty `namespaces` list grants in every namespace and at cluster scope.
public struct AccessRule: Sendable, Hashable, Codable {
    public var verbs: [String]
    public var apiGroups: [String]
    /// Plural resource names, or `resource/subresource`.
    public var resources: [String]
    public var namespaces: [String]

    public init(verbs: [String], apiGroups: [String] = ["*"], resources: [String] = ["*"], namespaces: [String] = []) {
        self.verbs = verbs
        self.apiGroups = apiGroups
        self.resources = resources
        self.namespaces = namespaces
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        verbs = try container.decode([String].self, forKey: .verbs)
        apiGroups = try container.decodeIfPresent([String].self, forKey: .apiGroups) ?? ["*"]
        resources = try container.decodeIfPresent([String].self, forKey: .resources) ?? ["*"]
        namespaces = try container.decodeIfPresent([String].self, forKey: .namespaces) ?? []
    }

    /// Whether this rule grants the request.
    func allows(_ request: AccessAttributes) -> Bool {
        let resource = request.subresource.isEmpty ? request.resource : "\(request.resource)/\(request.subresource)"
        return Self.matches(verbs, request.verb) && Self.matches(apiGroups, request.apiGroup)
            && Self.matches(resources, resource)
            && (namespaces.isEmpty || (!request.namespace.isEmpty && Self.matches(namespaces, request.namespace)))
    }

    private static func matches(_ allowed: [String], _ value: String) -> Bool {
        allowed.contains("*") || allowed.contains(value)
    }
}

/// What a resource request asks to do, as the authorizer sees it.
public struct AccessAttributes: Sendable, Hashable {
    public var verb: String
    public var apiGroup: String
    public var resource: String
    public var subresource: String
    public var namespace: String
    public var name: String

    public init(verb: String, apiGroup: String, resource: String, subresource: String = "", namespace: String = "", name: String = "") {
        self.verb = verb
        self.apiGroup = apiGroup
        self.resource = resource
        self.subresource = subresource
        self.namespace = namespace
        self.name = name
    }
}
