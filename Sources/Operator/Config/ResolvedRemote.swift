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

extension ResolvedRemote {
    /// Whether `other` connects to the same place in the same way: the syncer restarts only when this is false
    /// (DESIGN §6.3). TLS settings are compared by their contents (CA, client certificate and key, verification).
    public func isSameConnection(as other: ResolvedRemote) -> Bool {
        switch (self, other) {
        case (.kubernetes(let a), .kubernetes(let b)):
            let sameTLS = switch (a.tls, b.tls) {
            case (nil, nil): true
            case (let x?, let y?): x.bestEffortEquals(y)
            default: false
            }
            return a.server == b.server && a.tlsServerName == b.tlsServerName && a.credentials == b.credentials && sameTLS
        case (.etcd(let a), .etcd(let b)):
            return a == b
        default:
            return false
        }
    }
}
