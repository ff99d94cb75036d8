import KubeClient

/// Decides whether a user may make a request: members of ``UserInfo/adminGroup`` may do anything, everyone else
/// what their ``AccessRule``s grant (a user's own rules plus those of their groups).
public struct Authorizer: Sendable {
    /// Rules by user name.
    public var userRules: [String: [AccessRule]]
    /// Rules by group name.
    public var groupRules: [String: [AccessRule]]

    public init(userRules: [String: [AccessRule]] = [:], groupRules: [String: [AccessRule]] = [:]) {
        self.userRules = userRules
        self.groupRules = groupRules
    }

    public func allows(_ user: UserInfo, _ request: AccessAttributes) -> Bool {
        if user.groups.contains(UserInfo.adminGroup) { return true }
        // Every user may ask what they may do (the system:basic-user role).
        if request.apiGroup == "authorization.k8s.io", request.resource == "selfsubjectaccessreviews", request.verb == "create" { return true }
        let rules = (userRules[user.name] ?? []) + user.groups.flatMap { groupRules[$0] ?? [] }
        return rules.contains { $0.allows(request) }
    }

    /// The `403 Forbidden` kube-apiserver answers when RBAC denies `request`.
    static func forbidden(_ user: UserInfo, _ request: AccessAttributes) -> StoreError {
        let resource = request.subresource.isEmpty ? request.resource : "\(request.resource)/\(request.subresource)"
        let scope = request.namespace.isEmpty ? "at the cluster scope" : "in the namespace \"\(request.namespace)\""
        let why = "User \"\(user.name)\" cannot \(request.verb) resource \"\(resource)\" in API group \"\(request.apiGroup)\" \(scope)"
        let qualified = GroupResource(group: request.apiGroup, plural: request.resource).description
        let subject = request.name.isEmpty ? qualified : "\(qualified) \"\(request.name)\""
        return StoreError(code: 403, reason: "Forbidden", message: "\(subject) is forbidden: \(why)",
                          details: .init(name: request.name.isEmpty ? nil : request.name, group: request.apiGroup, kind: request.resource))
    }
}
