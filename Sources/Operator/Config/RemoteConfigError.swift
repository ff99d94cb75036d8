import KubeClient

/// Why an RCC's remote cluster cannot be connected to with what it gives. Each case becomes `ConfigValid=False` with
/// ``reasonLabel`` as the condition's reason and ``description`` as its message: they name the field and the cause,
/// never a credential.
public enum RemoteConfigError: Error, Sendable, CustomStringConvertible {
    /// The spec (or the spec read from the Secret) breaks Calico's rules.
    case invalidSpec([RCCValidationError])
    /// The Secret does not exist (yet): the RCC is incomplete, and recovers when the Secret is created.
    case secretNotFound(namespace: String, name: String)
    /// The Secret could not be read (forbidden, unreachable API server...).
    case secretUnreadable(namespace: String, name: String, reason: String)
    /// The Secret is in a namespace the operator is not configured to read.
    case secretNamespaceNotAllowed(namespace: String, allowed: [String])
    /// The kubeconfig asks for something an RCC may not: an exec plugin, an auth provider, a file outside the
    /// credentials directory.
    case unsafeKubeconfig(field: String, reason: String)
    /// The kubeconfig is not usable: not YAML, missing context or cluster, bad certificate data...
    case invalidKubeconfig(source: String, KubeConfigError)

    public var description: String {
        switch self {
        case .invalidSpec(let problems):
            return problems.map(\.description).joined(separator: "; ")
        case .secretNotFound(let namespace, let name):
            return "spec.clusterAccessSecret: Secret \(namespace)/\(name) not found; create it with the keys datastoreType and kubeconfig"
        case .secretUnreadable(let namespace, let name, let reason):
            return "spec.clusterAccessSecret: cannot read Secret \(namespace)/\(name): \(reason)"
        case .secretNamespaceNotAllowed(let namespace, let allowed):
            return "spec.clusterAccessSecret.namespace: the operator reads Secrets only in \(allowed.joined(separator: ", ")), not \(namespace)"
        case .unsafeKubeconfig(let field, let reason):
            return "\(field): \(reason)"
        case .invalidKubeconfig(let source, let error):
            // Kubeconfig errors usually name their source already.
            let message = "\(error)"
            return message.hasPrefix(source) ? message : "\(source): \(message)"
        }
    }

    /// A bounded reason, for the `ConfigValid` condition and metrics.
    public var reasonLabel: String {
        switch self {
        case .invalidSpec: "InvalidSpec"
        case .secretNotFound: "SecretNotFound"
        case .secretUnreadable: "SecretUnreadable"
        case .secretNamespaceNotAllowed: "SecretNamespaceNotAllowed"
        case .unsafeKubeconfig: "UnsafeKubeconfig"
        case .invalidKubeconfig: "InvalidKubeconfig"
        }
    }
}
