/// What an RCC (or the Secret it names) may make the operator do, so that whoever can write an RCC gains no more
/// than read access to a remote cluster (issue 5, Security).
public struct RemoteCredentialPolicy: Sendable {
    /// Files an RCC or its kubeconfig may name must be under this directory (`--remote-credentials-dir`).
    public var credentialsDirectory: String
    /// Whether remote kubeconfigs may run `exec` credential plugins (`--allow-exec-credentials`).
    public var allowExecCredentials: Bool
    /// The operator's own namespace: where a `clusterAccessSecret` without a namespace is looked for.
    public var operatorNamespace: String
    /// The namespaces Secrets may be read from (`--secret-namespaces`; the operator's own by default).
    public var secretNamespaces: Set<String>

    public init(credentialsDirectory: String = "/etc/calico-federation", allowExecCredentials: Bool = false,
                operatorNamespace: String, secretNamespaces: Set<String>? = nil) {
        self.credentialsDirectory = credentialsDirectory.hasSuffix("/") && credentialsDirectory.count > 1
            ? String(credentialsDirectory.dropLast()) : credentialsDirectory
        self.allowExecCredentials = allowExecCredentials
        self.operatorNamespace = operatorNamespace
        self.secretNamespaces = secretNamespaces ?? [operatorNamespace]
    }
}
