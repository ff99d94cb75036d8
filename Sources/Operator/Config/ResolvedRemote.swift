import KubeClient

/// Where a remote cluster's data comes from, once an RCC's credentials are resolved.
public enum ResolvedRemote: Sendable {
    /// A Kubernetes API server, and how to connect to it.
    case kubernetes(ClusterConnection)
    /// An etcd v3 datastore.
    case etcd(EtcdSettings)
}

/// An etcd v3 datastore's endpoints and credentials (PEM contents, whether given inline or read from files).
public struct EtcdSettings: Sendable, Hashable, CustomStringConvertible {
    public var endpoints: [String]
    public var username: String?
    public var password: String?
    public var keyPEM: String?
    public var certificatePEM: String?
    public var caCertificatePEM: String?

    /// Never shows the password or the key.
    public var description: String {
        "EtcdSettings(endpoints: \(endpoints.joined(separator: ",")), user: \(username ?? "none"), client certificate: \(certificatePEM != nil))"
    }
}
