/// What `GET /version` returns: the server's Kubernetes version.
public struct VersionInfo: Codable, Sendable, Hashable {
    public var major: String
    public var minor: String
    public var gitVersion: String
    public var platform: String?

    public init(major: String, minor: String, gitVersion: String, platform: String? = nil) {
        self.major = major
        self.minor = minor
        self.gitVersion = gitVersion
        self.platform = platform
    }
}
