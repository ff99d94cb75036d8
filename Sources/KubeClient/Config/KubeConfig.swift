/// The contents of one kubeconfig, or of several merged the way kubectl merges them.
///
/// Field names follow the file format (`certificate-authority-data`, `tokenFile`, `exec`). Every entry
/// remembers where it came from (`origin`), so a problem is reported as
/// `users[1].user.client-key-data: not valid base64` in the file the user has to edit. Relative paths are
/// already resolved against the directory of the file that named them.
///
/// Turn it into something to connect with by ``connection(context:)``; list everything wrong with it by
/// ``problems()``.
public struct KubeConfig: Sendable, Hashable {
    public var clusters: [Named<Cluster>]
    public var users: [Named<AuthInfo>]
    public var contexts: [Named<Context>]
    public var currentContext: String?
    /// The file the config came from; `nil` for inline YAML, several files for a merged config.
    public var sources: [String]

    public init(
        clusters: [Named<Cluster>] = [], users: [Named<AuthInfo>] = [], contexts: [Named<Context>] = [],
        currentContext: String? = nil, sources: [String] = []
    ) {
        self.clusters = clusters
        self.users = users
        self.contexts = contexts
        self.currentContext = currentContext
        self.sources = sources
    }

    /// A named entry of `clusters`, `users` or `contexts`, with where it was written.
    public struct Named<Value: Sendable & Hashable>: Sendable, Hashable {
        public var name: String
        public var value: Value
        /// Where the entry was written, for error messages.
        public var origin: Origin

        public init(name: String, value: Value, origin: Origin) {
            self.name = name
            self.value = value
            self.origin = origin
        }
    }

    /// The file (if any) and list index an entry was read from.
    public struct Origin: Sendable, Hashable {
        public var file: String?
        public var index: Int

        public init(file: String?, index: Int) {
            self.file = file
            self.index = index
        }
    }

    /// A `clusters[].cluster` entry.
    public struct Cluster: Sendable, Hashable {
        public var server: String?
        public var certificateAuthority: String?
        public var certificateAuthorityData: String?
        public var insecureSkipTLSVerify: Bool?
        public var tlsServerName: String?
        public var proxyURL: String?

        public init(
            server: String? = nil, certificateAuthority: String? = nil, certificateAuthorityData: String? = nil,
            insecureSkipTLSVerify: Bool? = nil, tlsServerName: String? = nil, proxyURL: String? = nil
        ) {
            self.server = server
            self.certificateAuthority = certificateAuthority
            self.certificateAuthorityData = certificateAuthorityData
            self.insecureSkipTLSVerify = insecureSkipTLSVerify
            self.tlsServerName = tlsServerName
            self.proxyURL = proxyURL
        }
    }

    /// A `users[].user` entry: how to authenticate.
    public struct AuthInfo: Sendable, Hashable {
        public var token: String?
        public var tokenFile: String?
        public var clientCertificate: String?
        public var clientCertificateData: String?
        public var clientKey: String?
        public var clientKeyData: String?
        public var username: String?
        public var password: String?
        public var exec: ExecConfig?
        /// Only the provider's name is kept; auth providers are not supported (use `exec`).
        public var authProvider: String?

        public init(
            token: String? = nil, tokenFile: String? = nil, clientCertificate: String? = nil,
            clientCertificateData: String? = nil, clientKey: String? = nil, clientKeyData: String? = nil,
            username: String? = nil, password: String? = nil, exec: ExecConfig? = nil, authProvider: String? = nil
        ) {
            self.token = token
            self.tokenFile = tokenFile
            self.clientCertificate = clientCertificate
            self.clientCertificateData = clientCertificateData
            self.clientKey = clientKey
            self.clientKeyData = clientKeyData
            self.username = username
            self.password = password
            self.exec = exec
            self.authProvider = authProvider
        }
    }

    /// An `exec` credential plugin (`client.authentication.k8s.io/v1` or `v1beta1`).
    public struct ExecConfig: Sendable, Hashable {
        public var apiVersion: String?
        public var command: String?
        public var args: [String]
        public var env: [EnvVar]
        public var installHint: String?
        public var provideClusterInfo: Bool
        /// `Never`, `IfAvailable` or `Always`.
        public var interactiveMode: String?

        public init(
            apiVersion: String? = nil, command: String? = nil, args: [String] = [], env: [EnvVar] = [],
            installHint: String? = nil, provideClusterInfo: Bool = false, interactiveMode: String? = nil
        ) {
            self.apiVersion = apiVersion
            self.command = command
            self.args = args
            self.env = env
            self.installHint = installHint
            self.provideClusterInfo = provideClusterInfo
            self.interactiveMode = interactiveMode
        }
    }

    /// An environment variable given to an exec plugin.
    public struct EnvVar: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// A `contexts[].context` entry: a cluster, a user and a default namespace.
    public struct Context: Sendable, Hashable {
        public var cluster: String?
        public var user: String?
        public var namespace: String?

        public init(cluster: String? = nil, user: String? = nil, namespace: String? = nil) {
            self.cluster = cluster
            self.user = user
            self.namespace = namespace
        }
    }

    public func cluster(named name: String) -> Named<Cluster>? { clusters.first { $0.name == name } }
    public func user(named name: String) -> Named<AuthInfo>? { users.first { $0.name == name } }
    public func context(named name: String) -> Named<Context>? { contexts.first { $0.name == name } }
}
