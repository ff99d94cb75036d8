/// An authenticated user, as kube-apiserver's authenticators report one: a name and groups.
public struct UserInfo: Sendable, Hashable, Codable {
    public var name: String
    public var groups: [String]

    public init(name: String, groups: [String] = []) {
        self.name = name
        self.groups = groups
    }

    /// The group whose members may do anything, as `system:masters` on a real cluster.
    public static let adminGroup = "system:masters"

    /// The user the generated admin kubeconfig authenticates as.
    public static let admin = UserInfo(name: "kubernetes-admin", groups: [adminGroup, "system:authenticated"])
}
