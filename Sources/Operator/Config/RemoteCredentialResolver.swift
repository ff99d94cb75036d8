import Foundation
import KubeClient

/// Turns an RCC's spec into a connection to its remote cluster (calico-federation.md §1.2-1.5, DESIGN §6.2):
/// - `clusterAccessSecret`: the Secret's `datastoreType`, `kubeconfig` (contents) and `etcd*` keys stand in for the
///   spec, and are validated the same way;
/// - `kubeconfigInline` is used on its own (the `k8s*` fields do not apply to it);
/// - `kubeconfig` names files (a `:`-separated list, merged as kubectl merges `$KUBECONFIG`) that the `k8s*` fields
///   override; the `k8s*` fields alone also make a connection.
///
/// The ``RemoteCredentialPolicy`` is enforced on everything: no exec plugins (unless allowed) or auth providers,
/// no file outside the credentials directory, Secrets only from the allowed namespaces.
public struct RemoteCredentialResolver: Sendable {
    /// Reads a Secret's data; nil when the Secret does not exist.
    public typealias SecretReader = @Sendable (_ namespace: String, _ name: String) async throws -> [String: [UInt8]]?
    public typealias Spec = projectcalico.v3.RemoteClusterConfigurationSpec

    public let policy: RemoteCredentialPolicy
    private let readSecret: SecretReader

    public init(policy: RemoteCredentialPolicy, readSecret: @escaping SecretReader) {
        self.policy = policy
        self.readSecret = readSecret
    }

    public func resolve(_ spec: Spec) async throws(RemoteConfigError) -> ResolvedRemote {
        var effective = spec
        var prefix = "spec."
        if let reference = spec.clusterAccessSecret {
            let problems = RCCSpecValidator.problems(in: spec)
            guard problems.isEmpty else { throw .invalidSpec(problems) }
            let namespace = (reference.namespace ?? "").isEmpty ? policy.operatorNamespace : reference.namespace!
            let name = reference.name ?? ""
            guard policy.secretNamespaces.contains(namespace) else {
                throw .secretNamespaceNotAllowed(namespace: namespace, allowed: policy.secretNamespaces.sorted())
            }
            let data: [String: [UInt8]]?
            do {
                data = try await readSecret(namespace, name)
            } catch {
                throw .secretUnreadable(namespace: namespace, name: name, reason: "\(error)")
            }
            guard let data else { throw .secretNotFound(namespace: namespace, name: name) }
            effective = Self.spec(fromSecret: data, syncOptions: spec.syncOptions)
            prefix = "secret \(namespace)/\(name): "
        }
        let problems = RCCSpecValidator.problems(in: effective, prefix: prefix)
        guard problems.isEmpty else { throw .invalidSpec(problems) }
        if effective.datastoreType == "etcdv3" { return .etcd(try etcdSettings(effective, prefix: prefix)) }
        return .kubernetes(try kubernetesConnection(effective, prefix: prefix))
    }

    /// The spec a Secret stands for: the keys Calico reads, with file keys holding contents (§1.5).
    static func spec(fromSecret data: [String: [UInt8]], syncOptions: projectcalico.v3.SyncOptions?) -> Spec {
        func text(_ key: String) -> String? { data[key].map { String(decoding: $0, as: UTF8.self) } }
        var spec = Spec()
        spec.datastoreType = text("datastoreType")?.trimmingCharacters(in: .whitespacesAndNewlines)
        spec.etcdEndpoints = text("etcdEndpoints")
        spec.etcdUsername = text("etcdUsername")
        spec.etcdPassword = text("etcdPassword")
        spec.etcdKey = text("etcdKey")
        spec.etcdCert = text("etcdCert")
        spec.etcdCACert = text("etcdCACert")
        spec.kubeconfigInline = text("kubeconfig")
        spec.syncOptions = syncOptions
        return spec
    }

    // MARK: Kubernetes

    private func kubernetesConnection(_ spec: Spec, prefix: String) throws(RemoteConfigError) -> ClusterConnection {
        if let inline = Self.nonEmpty(spec.kubeconfigInline) {
            let source = prefix == "spec." ? "spec.kubeconfigInline" : prefix + "kubeconfig"
            let config = try load(source) { () throws(KubeConfigError) in
                try KubeConfigLoader.load(yaml: inline, source: source, baseDirectory: policy.credentialsDirectory)
            }
            try checkSafe(config, source: source)
            return try connect(config, source: source)
        }
        var config: KubeConfig
        let source: String
        if let paths = Self.nonEmpty(spec.kubeconfig) {
            source = prefix + "kubeconfig"
            for path in paths.split(separator: ":").map(String.init) { try requireInside(path, field: source) }
            config = try load(source) { () throws(KubeConfigError) in try KubeConfigLoader.load(pathList: paths) }
        } else if let server = Self.nonEmpty(spec.k8sAPIEndpoint) {
            source = prefix + "k8sAPIEndpoint"
            let origin = KubeConfig.Origin(file: nil, index: 0)
            config = KubeConfig(clusters: [.init(name: "remote", value: .init(server: server), origin: origin)],
                                users: [.init(name: "remote", value: .init(), origin: origin)],
                                contexts: [.init(name: "remote", value: .init(cluster: "remote", user: "remote"), origin: origin)],
                                currentContext: "remote")
        } else {
            throw .invalidSpec([RCCValidationError(field: prefix + "k8sAPIEndpoint",
                                                   message: "Required value: set kubeconfig, kubeconfigInline or k8sAPIEndpoint")])
        }
        try applyOverrides(spec, to: &config, prefix: prefix)
        try checkSafe(config, source: source)
        return try connect(config, source: source)
    }

    /// The `k8s*` fields replace the current context's server, CA, client certificate and token.
    private func applyOverrides(_ spec: Spec, to config: inout KubeConfig, prefix: String) throws(RemoteConfigError) {
        let context = config.contexts.first { $0.name == config.currentContext }?.value
        guard let clusterIndex = config.clusters.firstIndex(where: { $0.name == context?.cluster }) else { return }
        if let server = Self.nonEmpty(spec.k8sAPIEndpoint) { config.clusters[clusterIndex].value.server = server }
        if let ca = Self.nonEmpty(spec.k8sCAFile) {
            try requireInside(ca, field: prefix + "k8sCAFile")
            config.clusters[clusterIndex].value.certificateAuthority = ca
            config.clusters[clusterIndex].value.certificateAuthorityData = nil
        }
        if spec.k8sInsecureSkipTLSVerify == true { config.clusters[clusterIndex].value.insecureSkipTLSVerify = true }
        guard let userIndex = config.users.firstIndex(where: { $0.name == context?.user }) else { return }
        if let certificate = Self.nonEmpty(spec.k8sCertFile) {
            try requireInside(certificate, field: prefix + "k8sCertFile")
            config.users[userIndex].value.clientCertificate = certificate
            config.users[userIndex].value.clientCertificateData = nil
        }
        if let key = Self.nonEmpty(spec.k8sKeyFile) {
            try requireInside(key, field: prefix + "k8sKeyFile")
            config.users[userIndex].value.clientKey = key
            config.users[userIndex].value.clientKeyData = nil
        }
        if let token = Self.nonEmpty(spec.k8sAPIToken) {
            config.users[userIndex].value.token = token
            config.users[userIndex].value.tokenFile = nil
        }
    }

    /// Refuses what an RCC may not ask for, naming the kubeconfig field.
    private func checkSafe(_ config: KubeConfig, source: String) throws(RemoteConfigError) {
        for (index, user) in config.users.enumerated() {
            let field = "\(source) users[\(index)].user"
            if user.value.exec != nil, !policy.allowExecCredentials {
                throw .unsafeKubeconfig(field: field + ".exec", reason: "exec credential plugins are not allowed in remote kubeconfigs (start the operator with --allow-exec-credentials to permit them)")
            }
            if user.value.authProvider != nil {
                throw .unsafeKubeconfig(field: field + ".auth-provider", reason: "auth providers are not allowed in remote kubeconfigs; use a token or a client certificate")
            }
            for (name, path) in [("tokenFile", user.value.tokenFile), ("client-certificate", user.value.clientCertificate), ("client-key", user.value.clientKey)] {
                if let path { try requireInside(path, field: "\(field).\(name)") }
            }
        }
        for (index, cluster) in config.clusters.enumerated() {
            if let path = cluster.value.certificateAuthority { try requireInside(path, field: "\(source) clusters[\(index)].cluster.certificate-authority") }
        }
    }

    /// Files must be under the credentials directory, both as written and after following symlinks.
    private func requireInside(_ path: String, field: String) throws(RemoteConfigError) {
        let directory = policy.credentialsDirectory
        let absolute = path.hasPrefix("/") ? path : directory + "/" + path
        let lexical = (absolute as NSString).standardizingPath
        let resolved = URL(fileURLWithPath: lexical).resolvingSymlinksInPath().path
        let resolvedDirectory = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        let inside = (lexical == directory || lexical.hasPrefix(directory + "/"))
            && (resolved == resolvedDirectory || resolved.hasPrefix(resolvedDirectory + "/"))
        guard inside else {
            throw .unsafeKubeconfig(field: field, reason: "the file \(path) is outside \(directory), the directory of remote credentials")
        }
    }

    private func load(_ source: String, _ body: () throws(KubeConfigError) -> KubeConfig) throws(RemoteConfigError) -> KubeConfig {
        do {
            return try body()
        } catch {
            throw .invalidKubeconfig(source: source, error)
        }
    }

    private func connect(_ config: KubeConfig, source: String) throws(RemoteConfigError) -> ClusterConnection {
        do {
            return try config.connection()
        } catch {
            throw .invalidKubeconfig(source: source, error)
        }
    }

    // MARK: etcd

    private func etcdSettings(_ spec: Spec, prefix: String) throws(RemoteConfigError) -> EtcdSettings {
        func contents(inline: String?, file: String?, field: String) throws(RemoteConfigError) -> String? {
            if let inline = Self.nonEmpty(inline) { return inline }
            guard let file = Self.nonEmpty(file) else { return nil }
            try requireInside(file, field: prefix + field)
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw .invalidSpec([RCCValidationError(field: prefix + field, message: "cannot read \(file)")])
            }
            return text
        }
        return EtcdSettings(
            endpoints: (spec.etcdEndpoints ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) },
            username: Self.nonEmpty(spec.etcdUsername), password: Self.nonEmpty(spec.etcdPassword),
            keyPEM: try contents(inline: spec.etcdKey, file: spec.etcdKeyFile, field: "etcdKeyFile"),
            certificatePEM: try contents(inline: spec.etcdCert, file: spec.etcdCertFile, field: "etcdCertFile"),
            caCertificatePEM: try contents(inline: spec.etcdCACert, file: spec.etcdCACertFile, field: "etcdCACertFile"))
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
