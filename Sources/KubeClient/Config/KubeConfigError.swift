/// Why a kubeconfig cannot be used. Messages name the file and field to fix; they never contain tokens,
/// passwords or key material.
public enum KubeConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A file could not be read (`reason` is e.g. `no such file`, `permission denied`).
    case fileUnreadable(path: String, reason: String)
    /// The YAML is malformed or has a value of the wrong type.
    case parse(source: String, message: String)
    /// No kubeconfig was found where one was looked for.
    case notFound(searched: [String])
    /// The requested context does not exist.
    case contextNotFound(String)
    /// No context was requested and `current-context` is empty.
    case noCurrentContext
    /// The config has problems; all of them are listed.
    case invalid([KubeConfigProblem])
    /// In-cluster configuration is missing a piece (`KUBERNETES_SERVICE_HOST`, token file, ...).
    case inCluster(String)

    public var description: String {
        switch self {
        case .fileUnreadable(let path, let reason):
            return "\(path): \(reason)"
        case .parse(let source, let message):
            return "\(source): invalid kubeconfig: \(message)"
        case .notFound(let searched):
            return "no kubeconfig found (looked at \(searched.joined(separator: ", ")))"
        case .contextNotFound(let name):
            return "context \"\(name)\" is not defined in contexts"
        case .noCurrentContext:
            return "current-context is not set and no context was given"
        case .invalid(let problems):
            return problems.map(\.description).joined(separator: "; ")
        case .inCluster(let message):
            return "in-cluster config: \(message)"
        }
    }

    /// A label without values, for metrics and status reasons.
    public var reasonLabel: String {
        switch self {
        case .fileUnreadable: return "FileUnreadable"
        case .parse: return "ParseError"
        case .notFound: return "NotFound"
        case .contextNotFound: return "ContextNotFound"
        case .noCurrentContext: return "NoCurrentContext"
        case .invalid: return "Invalid"
        case .inCluster: return "InClusterConfig"
        }
    }
}

/// One thing wrong with a kubeconfig: the field (`users[1].user.client-key-data`), the file it is in
/// when known, and what is wrong.
public struct KubeConfigProblem: Sendable, Hashable, CustomStringConvertible {
    public var file: String?
    public var field: String
    public var message: String

    public init(file: String? = nil, field: String, message: String) {
        self.file = file
        self.field = field
        self.message = message
    }

    public var description: String {
        let location = file.map { "\($0): " } ?? ""
        return field.isEmpty ? "\(location)\(message)" : "\(location)\(field): \(message)"
    }
}
