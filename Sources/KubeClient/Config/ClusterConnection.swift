import NIOSSL

/// Everything needed to talk to one API server: where it is, how to trust it, who we are.
///
/// Built from a kubeconfig context by ``KubeConfig/connection(context:)`` or from the pod's service
/// account by ``ClusterConnection/inCluster(environment:serviceAccountDirectory:)``. Its description
/// never shows credentials.
public struct ClusterConnection: Sendable, CustomStringConvertible {
    /// `https://host:port` plus an optional path prefix, without a trailing slash.
    public var server: String
    /// How the server is verified and how we present a client certificate; `nil` for `http://`.
    public var tls: TLSConfiguration?
    /// Name the server certificate is expected to carry when it differs from the URL host.
    ///
    /// Caveat: the HTTP client cannot override the name it verifies, so when this is set the server's
    /// certificate chain is verified against the cluster's CA but the host name is not checked.
    public var tlsServerName: String?
    /// How requests authenticate (besides a client certificate, which is part of `tls`).
    public var credentials: Credentials
    /// The context's namespace, `default` when unset.
    public var namespace: String
    /// The kubeconfig context this came from, if any.
    public var contextName: String?

    public init(
        server: String, tls: TLSConfiguration? = nil, tlsServerName: String? = nil, credentials: Credentials = .none,
        namespace: String = "default", contextName: String? = nil
    ) {
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.tls = tls
        self.tlsServerName = tlsServerName
        self.credentials = credentials
        self.namespace = namespace
        self.contextName = contextName
    }

    public var description: String {
        var parts = ["server: \(server)", "auth: \(credentials.kind)"]
        if let contextName { parts.append("context: \(contextName)") }
        if tls?.certificateVerification == NIOSSL.CertificateVerification.none { parts.append("insecure-skip-tls-verify") }
        if tls?.privateKey != nil { parts.append("client certificate") }
        return "ClusterConnection(\(parts.joined(separator: ", ")))"
    }
}

/// How requests authenticate. Client certificates live in the TLS configuration instead.
public enum Credentials: Sendable, Hashable {
    case none
    /// A fixed bearer token.
    case bearerToken(String)
    /// A bearer token read from a file, re-read whenever the file changes (projected service account
    /// tokens rotate).
    case tokenFile(path: String)
    /// HTTP basic authentication.
    case basic(username: String, password: String)
    /// A credential plugin run on demand; its token is cached until it expires or the server says 401.
    case exec(ExecPluginConfiguration)

    /// The method's name, for logs (never the secret).
    public var kind: String {
        switch self {
        case .none: return "none"
        case .bearerToken: return "token"
        case .tokenFile: return "token file"
        case .basic: return "basic"
        case .exec(let plugin): return "exec (\(plugin.command))"
        }
    }
}

/// A resolved `exec` credential plugin: what to run and which API version to speak.
public struct ExecPluginConfiguration: Sendable, Hashable {
    /// `client.authentication.k8s.io/v1` or `client.authentication.k8s.io/v1beta1`.
    public var apiVersion: String
    /// Absolute path of the program, or a bare name looked up in `PATH` when run.
    public var command: String
    public var args: [String]
    public var env: [String: String]
    public var installHint: String?

    public init(
        apiVersion: String, command: String, args: [String] = [], env: [String: String] = [:],
        installHint: String? = nil
    ) {
        self.apiVersion = apiVersion
        self.command = command
        self.args = args
        self.env = env
        self.installHint = installHint
    }

    /// The API versions of `ExecCredential` this client speaks.
    public static let supportedAPIVersions = [
        "client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1",
    ]
}
