import Foundation
import NIOSSL
import SwiftASN1
import X509

extension KubeConfig {
    /// The connection of a context (`nil`: `current-context`), after checking that context, its cluster
    /// and its user; throws ``KubeConfigError/invalid(_:)`` listing every problem found in them.
    public func connection(context: String? = nil) throws(KubeConfigError) -> ClusterConnection {
        guard let contextName = context ?? currentContext.flatMap({ $0.isEmpty ? nil : $0 }) else {
            throw .noCurrentContext
        }
        guard let namedContext = self.context(named: contextName) else {
            if context == nil {
                throw .invalid([.init(field: "current-context", message: "\"\(contextName)\" is not defined in contexts")])
            }
            throw .contextNotFound(contextName)
        }
        var resolver = KubeConfigResolver()
        let references = resolver.checkReferences(namedContext, in: self)
        let cluster = references.cluster.flatMap { resolver.resolveCluster($0) }
        let user = references.user.map { resolver.resolveUser($0) } ?? .anonymous
        guard resolver.problems.isEmpty, let cluster, let user else { throw .invalid(resolver.problems) }

        var tls = cluster.tls
        if let key = user.clientKey {
            tls?.certificateChain = user.clientCertificateChain.map { .certificate($0) }
            tls?.privateKey = .privateKey(key)
        }
        let namespace = namedContext.value.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        return ClusterConnection(
            server: cluster.server, tls: tls, tlsServerName: cluster.tlsServerName, credentials: user.credentials,
            namespace: namespace, contextName: contextName)
    }

    /// Every problem in the whole config: `current-context`, each context's references, each cluster and
    /// each user, with field paths. Empty when the config is usable.
    public func problems() -> [KubeConfigProblem] {
        var resolver = KubeConfigResolver()
        if let current = currentContext, !current.isEmpty, context(named: current) == nil {
            resolver.problems.append(.init(field: "current-context", message: "\"\(current)\" is not defined in contexts"))
        }
        for context in contexts { _ = resolver.checkReferences(context, in: self) }
        for cluster in clusters { _ = resolver.resolveCluster(cluster) }
        for user in users { _ = resolver.resolveUser(user) }
        return resolver.problems
    }
}

/// Turns kubeconfig entries into TLS settings and credentials, collecting every problem on the way
/// instead of stopping at the first. Validation and resolution are the same code, so what `check`
/// reports is exactly what stops a connection.
struct KubeConfigResolver {
    var problems: [KubeConfigProblem] = []

    struct ResolvedCluster {
        var server: String
        var tls: TLSConfiguration?
        var tlsServerName: String?
    }

    struct ResolvedUser {
        var credentials: Credentials
        var clientCertificateChain: [NIOSSLCertificate] = []
        var clientKey: NIOSSLPrivateKey?

        static let anonymous = ResolvedUser(credentials: .none)
    }

    private mutating func report(_ origin: KubeConfig.Origin, _ field: String, _ message: String) {
        problems.append(KubeConfigProblem(file: origin.file, field: field, message: message))
    }

    /// Checks that a context names a cluster and user that exist; returns them.
    mutating func checkReferences(_ context: KubeConfig.Named<KubeConfig.Context>, in config: KubeConfig)
        -> (cluster: KubeConfig.Named<KubeConfig.Cluster>?, user: KubeConfig.Named<KubeConfig.AuthInfo>?)
    {
        let path = "contexts[\(context.origin.index)]"
        if context.name.isEmpty { report(context.origin, "\(path).name", "required") }
        var cluster: KubeConfig.Named<KubeConfig.Cluster>?
        if let name = context.value.cluster, !name.isEmpty {
            cluster = config.cluster(named: name)
            if cluster == nil { report(context.origin, "\(path).context.cluster", "\"\(name)\" is not defined in clusters") }
        } else {
            report(context.origin, "\(path).context.cluster", "required")
        }
        var user: KubeConfig.Named<KubeConfig.AuthInfo>?
        if let name = context.value.user, !name.isEmpty {
            user = config.user(named: name)
            if user == nil { report(context.origin, "\(path).context.user", "\"\(name)\" is not defined in users") }
        }
        return (cluster, user)
    }

    mutating func resolveCluster(_ named: KubeConfig.Named<KubeConfig.Cluster>) -> ResolvedCluster? {
        let path = "clusters[\(named.origin.index)]"
        let origin = named.origin
        let cluster = named.value
        let before = problems.count
        if named.name.isEmpty { report(origin, "\(path).name", "required") }

        var server: String?
        if let raw = cluster.server, !raw.isEmpty {
            switch Self.parseServer(raw) {
            case .success(let url): server = url
            case .failure(let error): report(origin, "\(path).cluster.server", error.description)
            }
        } else {
            report(origin, "\(path).cluster.server", "required")
        }
        if let proxy = cluster.proxyURL, !proxy.isEmpty {
            report(origin, "\(path).cluster.proxy-url", "unsupported: federation-operator connects directly; remove proxy-url")
        }
        let insecure = cluster.insecureSkipTLSVerify ?? false
        let caPEM = readMaterial(
            origin, file: cluster.certificateAuthority, filePath: "\(path).cluster.certificate-authority",
            data: cluster.certificateAuthorityData, dataPath: "\(path).cluster.certificate-authority-data")
        var trustRoots: [NIOSSLCertificate]?
        if case .present(let caPEM) = caPEM {
            if insecure {
                report(origin, "\(path).cluster.insecure-skip-tls-verify",
                    "cannot be true together with a certificate authority; remove one of them")
            }
            trustRoots = parseCertificates(caPEM.bytes, origin, caPEM.field)
        }
        guard problems.count == before, let server else { return nil }

        var tls: TLSConfiguration?
        if server.hasPrefix("https://") {
            var config = TLSConfiguration.makeClientConfiguration()
            if let trustRoots { config.trustRoots = .certificates(trustRoots) }
            if insecure {
                config.certificateVerification = .none
            } else if let name = cluster.tlsServerName, !name.isEmpty {
                config.certificateVerification = .noHostnameVerification
            }
            tls = config
        }
        return ResolvedCluster(server: server, tls: tls, tlsServerName: cluster.tlsServerName)
    }

    mutating func resolveUser(_ named: KubeConfig.Named<KubeConfig.AuthInfo>) -> ResolvedUser? {
        let path = "users[\(named.origin.index)].user"
        let origin = named.origin
        let user = named.value
        let before = problems.count
        if named.name.isEmpty { report(origin, "users[\(named.origin.index)].name", "required") }

        if let provider = user.authProvider {
            report(origin, "\(path).auth-provider",
                "auth-provider \"\(provider)\" is not supported (kubectl removed auth providers); use an exec credential plugin such as gke-gcloud-auth-plugin or kubelogin")
        }
        var methods: [String] = []
        if nonEmpty(user.token) || nonEmpty(user.tokenFile) { methods.append("token") }
        if nonEmpty(user.username) || nonEmpty(user.password) { methods.append("basic auth") }
        if user.exec != nil { methods.append("exec") }
        if methods.count > 1 {
            report(origin, path, "more than one authentication method (\(methods.joined(separator: ", "))); keep one")
        }
        if nonEmpty(user.username) != nonEmpty(user.password) {
            report(origin, path, "basic auth needs both username and password")
        }
        var credentials = Credentials.none
        if let token = user.token, !token.isEmpty {
            credentials = .bearerToken(token)
        } else if let tokenFile = user.tokenFile, !tokenFile.isEmpty {
            if !FileManager.default.isReadableFile(atPath: tokenFile) {
                report(origin, "\(path).tokenFile", "\(tokenFile): \(KubeConfigLoader.fileErrorReason(tokenFile))")
            }
            credentials = .tokenFile(path: tokenFile)
        } else if let username = user.username, let password = user.password, !username.isEmpty {
            credentials = .basic(username: username, password: password)
        } else if let exec = user.exec {
            if let plugin = resolveExec(exec, origin, "\(path).exec") { credentials = .exec(plugin) }
        }

        let certPEM = readMaterial(
            origin, file: user.clientCertificate, filePath: "\(path).client-certificate",
            data: user.clientCertificateData, dataPath: "\(path).client-certificate-data")
        let keyPEM = readMaterial(
            origin, file: user.clientKey, filePath: "\(path).client-key", data: user.clientKeyData,
            dataPath: "\(path).client-key-data")
        var resolved = ResolvedUser(credentials: credentials)
        switch (certPEM, keyPEM) {
        case (.absent, .absent), (.unusable, _), (_, .unusable):
            break
        case (.present(let cert), .absent):
            report(origin, cert.field, "client certificate given without client-key or client-key-data")
        case (.absent, .present(let key)):
            report(origin, key.field, "client key given without client-certificate or client-certificate-data")
        case (.present(let cert), .present(let key)):
            let chain = parseCertificates(cert.bytes, origin, cert.field)
            let privateKey = parsePrivateKey(key.bytes, origin, key.field)
            if let chain, let privateKey {
                if !Self.keyMatches(certificatePEM: cert.bytes, keyPEM: key.bytes) {
                    report(origin, path, "client certificate and key do not match")
                }
                resolved.clientCertificateChain = chain
                resolved.clientKey = privateKey
            }
        }
        return problems.count == before ? resolved : nil
    }

    private mutating func resolveExec(_ exec: KubeConfig.ExecConfig, _ origin: KubeConfig.Origin, _ path: String)
        -> ExecPluginConfiguration?
    {
        let before = problems.count
        let apiVersion = exec.apiVersion ?? ""
        if apiVersion.isEmpty {
            report(origin, "\(path).apiVersion", "required (client.authentication.k8s.io/v1 or v1beta1)")
        } else if !ExecPluginConfiguration.supportedAPIVersions.contains(apiVersion) {
            report(origin, "\(path).apiVersion",
                "\"\(apiVersion)\" is not supported; use client.authentication.k8s.io/v1 or v1beta1")
        }
        if exec.interactiveMode == "Always" {
            report(origin, "\(path).interactiveMode",
                "\"Always\" needs a terminal; federation-operator runs plugins non-interactively")
        } else if let mode = exec.interactiveMode, !["", "Never", "IfAvailable"].contains(mode) {
            report(origin, "\(path).interactiveMode", "\"\(mode)\" is not one of Never, IfAvailable, Always")
        }
        for (index, variable) in exec.env.enumerated() where variable.name.isEmpty {
            report(origin, "\(path).env[\(index)].name", "required")
        }
        let command = exec.command ?? ""
        if command.isEmpty {
            report(origin, "\(path).command", "required")
        } else if ExecCommandLocator.locate(command) == nil {
            let hint = exec.installHint.map { " \($0)" } ?? ""
            report(origin, "\(path).command", "exec plugin \"\(command)\" not found or not executable.\(hint)")
        }
        guard problems.count == before else { return nil }
        var env: [String: String] = [:]
        for variable in exec.env { env[variable.name] = variable.value }
        return ExecPluginConfiguration(
            apiVersion: apiVersion, command: command, args: exec.args, env: env, installHint: exec.installHint)
    }

    /// PEM material given by a `*-data` field or a file.
    private enum Material {
        case absent
        /// Given but unreadable or badly encoded; already reported.
        case unusable
        case present(bytes: [UInt8], field: String)
    }

    /// PEM bytes from a `*-data` field (base64) or a file; reports a bad encoding or an unreadable file.
    private mutating func readMaterial(
        _ origin: KubeConfig.Origin, file: String?, filePath: String, data: String?, dataPath: String
    ) -> Material {
        if nonEmpty(file) && nonEmpty(data) {
            report(origin, dataPath, "both \(Self.lastComponent(filePath)) and \(Self.lastComponent(dataPath)) are set; keep one")
            return .unusable
        }
        if let data, !data.isEmpty {
            guard let bytes = Base64.decode(data.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                report(origin, dataPath, "not valid base64")
                return .unusable
            }
            return .present(bytes: bytes, field: dataPath)
        }
        if let file, !file.isEmpty {
            do {
                return .present(bytes: try KubeConfigLoader.readFile(file), field: filePath)
            } catch {
                report(origin, filePath, "\(file): \(KubeConfigLoader.fileErrorReason(file))")
                return .unusable
            }
        }
        return .absent
    }

    private mutating func parseCertificates(_ pem: [UInt8], _ origin: KubeConfig.Origin, _ field: String)
        -> [NIOSSLCertificate]?
    {
        guard let certificates = try? NIOSSLCertificate.fromPEMBytes(pem), !certificates.isEmpty else {
            // The parser's own error names no field; ours does.
            report(origin, field, "not a PEM-encoded certificate")
            return nil
        }
        return certificates
    }

    private mutating func parsePrivateKey(_ pem: [UInt8], _ origin: KubeConfig.Origin, _ field: String)
        -> NIOSSLPrivateKey?
    {
        guard let key = try? NIOSSLPrivateKey(bytes: pem, format: .pem) else {
            // As above: the field and the accepted forms say more than the TLS library's error code.
            report(origin, field, "not a PEM-encoded private key (RSA or EC, in PKCS#1, PKCS#8 or SEC1 form, unencrypted)")
            return nil
        }
        return key
    }

    /// Whether the first certificate's public key belongs to the private key. Key types swift-certificates
    /// cannot read are given the benefit of the doubt (the TLS handshake still checks them).
    static func keyMatches(certificatePEM: [UInt8], keyPEM: [UInt8]) -> Bool {
        guard let certText = String(validating: certificatePEM, as: UTF8.self),
            let keyText = String(validating: keyPEM, as: UTF8.self),
            let documents = try? PEMDocument.parseMultiple(pemString: certText),
            let first = documents.first(where: { $0.discriminator == "CERTIFICATE" }),
            let certificate = try? Certificate(pemDocument: first),
            let key = try? Certificate.PrivateKey(pemEncoded: keyText)
        else { return true }
        return certificate.publicKey == key.publicKey
    }

    /// Validates a `server` value; a URL without a scheme means https, as in kubectl.
    static func parseServer(_ raw: String) -> Result<String, ServerError> {
        let text = raw.contains("://") ? raw : "https://\(raw)"
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else { return .failure(ServerError("\"\(raw)\" is not a URL")) }
        guard scheme == "https" || scheme == "http" else {
            return .failure(ServerError("scheme \"\(scheme)\" is not http or https"))
        }
        if components.query != nil || components.fragment != nil {
            return .failure(ServerError("must not have a query or fragment"))
        }
        var url = text
        while url.hasSuffix("/") { url.removeLast() }
        return .success(url)
    }

    /// A message about a `server` value.
    struct ServerError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    private static func lastComponent(_ path: String) -> String {
        path.split(separator: ".").last.map(String.init) ?? path
    }
}

private func nonEmpty(_ value: String?) -> Bool { !(value ?? "").isEmpty }
