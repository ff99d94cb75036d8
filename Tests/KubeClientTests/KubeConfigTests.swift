import Foundation
import Testing

@testable import KubeClient

@Suite("Kubeconfig loading, merging and validation")
struct KubeConfigTests {
    let pki: TestPKI

    init() throws { pki = try TestPKI() }

    /// A valid config with a token user.
    func tokenConfig(server: String = "https://127.0.0.1:6443", namespace: String? = "team-a") -> String {
        """
        apiVersion: v1
        kind: Config
        current-context: main
        clusters:
        - name: prod
          cluster:
            server: \(server)
            certificate-authority-data: \(base64(pki.caCertificatePEM))
        users:
        - name: admin
          user:
            token: secret-token
        contexts:
        - name: main
          context:
            cluster: prod
            user: admin
        \(namespace.map { "    namespace: \($0)" } ?? "")
        """
    }

    @Test func currentContextResolvesServerNamespaceAndToken() throws {
        let connection = try KubeConfigLoader.load(yaml: tokenConfig()).connection()
        #expect(connection.server == "https://127.0.0.1:6443")
        #expect(connection.namespace == "team-a")
        #expect(connection.credentials == .bearerToken("secret-token"))
        #expect(connection.contextName == "main")
        #expect(connection.tls != nil)
        #expect(!connection.description.contains("secret-token"))
    }

    @Test func namespaceDefaultsToDefault() throws {
        let connection = try KubeConfigLoader.load(yaml: tokenConfig(namespace: nil)).connection()
        #expect(connection.namespace == "default")
    }

    @Test func namedContextIsUsed() throws {
        let yaml = tokenConfig() + """

            - name: other
              context:
                cluster: prod
                namespace: elsewhere
            """
        let connection = try KubeConfigLoader.load(yaml: yaml).connection(context: "other")
        #expect(connection.namespace == "elsewhere")
        #expect(connection.credentials == .none)
    }

    @Test func unknownNamedContextIsReported() throws {
        #expect(throws: KubeConfigError.contextNotFound("nope")) {
            try KubeConfigLoader.load(yaml: tokenConfig()).connection(context: "nope")
        }
    }

    @Test func missingCurrentContextIsReported() throws {
        let yaml = tokenConfig().replacingOccurrences(of: "current-context: main", with: "")
        #expect(throws: KubeConfigError.noCurrentContext) { try KubeConfigLoader.load(yaml: yaml).connection() }
    }

    @Test func serverWithoutSchemeMeansHTTPS() throws {
        let connection = try KubeConfigLoader.load(yaml: tokenConfig(server: "127.0.0.1:6443")).connection()
        #expect(connection.server == "https://127.0.0.1:6443")
    }

    @Test func everyProblemIsReportedWithItsPath() throws {
        let yaml = """
            current-context: main
            clusters:
            - name: c0
              cluster:
                server: https://a:1
                certificate-authority: /nonexistent/ca.crt
            - name: c1
              cluster:
                server: ftp://b
                proxy-url: http://proxy:3128
            users:
            - name: u0
              user:
                token: t
                username: x
                password: y
            - name: u1
              user:
                client-certificate-data: \(base64(pki.caCertificatePEM))
                client-key-data: '%%%not-base64'
            - name: u2
              user:
                auth-provider:
                  name: gcp
            contexts:
            - name: main
              context:
                cluster: prod
                user: ghost
            """
        let config = try KubeConfigLoader.load(yaml: yaml)
        let messages = Set(config.problems().map(\.description))
        #expect(messages.contains(#"contexts[0].context.cluster: "prod" is not defined in clusters"#))
        #expect(messages.contains(#"contexts[0].context.user: "ghost" is not defined in users"#))
        #expect(messages.contains("clusters[0].cluster.certificate-authority: /nonexistent/ca.crt: no such file"))
        #expect(messages.contains(#"clusters[1].cluster.server: scheme "ftp" is not http or https"#))
        #expect(messages.contains { $0.hasPrefix("clusters[1].cluster.proxy-url: unsupported") })
        #expect(messages.contains { $0.hasPrefix("users[0].user: more than one authentication method (token, basic auth)") })
        #expect(messages.contains("users[1].user.client-key-data: not valid base64"))
        #expect(messages.contains { $0.hasPrefix(#"users[2].user.auth-provider: auth-provider "gcp" is not supported"#) && $0.contains("exec") })
        #expect(messages.count == 8)
        // Resolving the broken context reports the problems of that context, its cluster and user.
        #expect(throws: KubeConfigError.self) { try config.connection() }
    }

    @Test func malformedYAMLNamesTheLine() throws {
        let yaml = "clusters:\n- name: a\n  cluster: {server: [\n"
        let error = #expect(throws: KubeConfigError.self) { try KubeConfigLoader.load(yaml: yaml) }
        guard case .parse(_, let message) = error else {
            Issue.record("expected a parse error, got \(String(describing: error))")
            return
        }
        #expect(message.contains("line"))
    }

    @Test func wrongTypeNamesTheField() throws {
        let yaml = "clusters:\n- name: a\n  cluster:\n    insecure-skip-tls-verify: [1, 2]\n"
        let error = #expect(throws: KubeConfigError.self) { try KubeConfigLoader.load(yaml: yaml) }
        #expect("\(error!)".contains("clusters[0].cluster.insecure-skip-tls-verify"))
    }

    @Test func missingFieldsAreReported() throws {
        let yaml = """
            clusters:
            - cluster: {}
            contexts:
            - name: x
              context: {}
            """
        let messages = try KubeConfigLoader.load(yaml: yaml).problems().map(\.description)
        #expect(messages.contains("clusters[0].name: required"))
        #expect(messages.contains("clusters[0].cluster.server: required"))
        #expect(messages.contains("contexts[0].context.cluster: required"))
    }

    @Test func currentContextThatDoesNotExistIsAProblem() throws {
        let yaml = tokenConfig().replacingOccurrences(of: "current-context: main", with: "current-context: gone")
        let config = try KubeConfigLoader.load(yaml: yaml)
        #expect(config.problems().map(\.description) == [#"current-context: "gone" is not defined in contexts"#])
        #expect(throws: KubeConfigError.invalid([.init(field: "current-context", message: #""gone" is not defined in contexts"#)])) {
            try config.connection()
        }
    }

    @Test func caWithInsecureSkipIsRejected() throws {
        let yaml = tokenConfig().replacingOccurrences(
            of: "    server: https://127.0.0.1:6443", with: "    server: https://127.0.0.1:6443\n    insecure-skip-tls-verify: true")
        let messages = try KubeConfigLoader.load(yaml: yaml).problems().map(\.description)
        #expect(messages == ["clusters[0].cluster.insecure-skip-tls-verify: cannot be true together with a certificate authority; remove one of them"])
    }

    @Test(arguments: [TestPKI.KeyForm.ecPKCS8, .ecSEC1, .rsaPKCS1, .rsaPKCS8])
    func clientCertificatesInEveryKeyFormResolve(form: TestPKI.KeyForm) throws {
        let (certificate, key) = try pki.clientCertificate(user: "alice", keyForm: form)
        let yaml = tokenConfig().replacingOccurrences(
            of: "    token: secret-token",
            with: "    client-certificate-data: \(base64(certificate))\n    client-key-data: \(base64(key))")
        let config = try KubeConfigLoader.load(yaml: yaml)
        #expect(config.problems().isEmpty)
        let connection = try config.connection()
        #expect(connection.tls?.privateKey != nil)
        #expect(connection.credentials == .none)
    }

    @Test func mismatchedCertificateAndKeyAreReported() throws {
        let (certificate, _) = try pki.clientCertificate(user: "alice")
        let (_, otherKey) = try pki.clientCertificate(user: "bob")
        let yaml = tokenConfig().replacingOccurrences(
            of: "    token: secret-token",
            with: "    client-certificate-data: \(base64(certificate))\n    client-key-data: \(base64(otherKey))")
        let messages = try KubeConfigLoader.load(yaml: yaml).problems().map(\.description)
        #expect(messages == ["users[0].user: client certificate and key do not match"])
    }

    @Test func certificateWithoutKeyAndGarbagePEMAreReported() throws {
        let yaml = tokenConfig().replacingOccurrences(
            of: "    token: secret-token", with: "    client-certificate-data: \(base64("not a pem"))")
        let messages = try KubeConfigLoader.load(yaml: yaml).problems().map(\.description)
        #expect(messages == ["users[0].user.client-certificate-data: client certificate given without client-key or client-key-data"])
        let garbage = tokenConfig().replacingOccurrences(
            of: "    token: secret-token",
            with: "    client-certificate-data: \(base64("not a pem"))\n    client-key-data: \(base64("nor this"))")
        let garbageMessages = try KubeConfigLoader.load(yaml: garbage).problems().map(\.description)
        #expect(garbageMessages.contains("users[0].user.client-certificate-data: not a PEM-encoded certificate"))
        #expect(garbageMessages.contains { $0.hasPrefix("users[0].user.client-key-data: not a PEM-encoded private key") })
    }

    @Test func relativePathsResolveAgainstTheFileDirectory() throws {
        let directory = try TemporaryDirectory()
        try directory.write("certs/ca.crt", pki.caCertificatePEM)
        try directory.write("token", "file-token\n")
        let file = try directory.write(
            "config",
            """
            current-context: c
            clusters: [{name: k, cluster: {server: "https://127.0.0.1:1", certificate-authority: certs/ca.crt}}]
            users: [{name: u, user: {tokenFile: token}}]
            contexts: [{name: c, context: {cluster: k, user: u}}]
            """)
        let config = try KubeConfigLoader.load(path: file)
        #expect(config.clusters[0].value.certificateAuthority == "\(directory.path)/certs/ca.crt")
        #expect(config.problems().isEmpty)
        #expect(try config.connection().credentials == .tokenFile(path: "\(directory.path)/token"))
    }

    @Test func problemsInAFileNameTheFile() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("bad", "clusters: [{name: k, cluster: {}}]")
        let problems = try KubeConfigLoader.load(path: file).problems()
        #expect(problems.map(\.description) == ["\(file): clusters[0].cluster.server: required"])
    }

    @Test func unreadableFilesAreReported() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: KubeConfigError.fileUnreadable(path: "\(directory.path)/missing", reason: "no such file")) {
            try KubeConfigLoader.load(path: "\(directory.path)/missing")
        }
        #expect(throws: KubeConfigError.fileUnreadable(path: "\(directory.path)/missing", reason: "no such file")) {
            try KubeConfigLoader.load(pathList: "\(directory.path)/missing")
        }
        #expect(throws: KubeConfigError.notFound(searched: ["\(directory.path)/a", "\(directory.path)/b"])) {
            try KubeConfigLoader.load(pathList: "\(directory.path)/a:\(directory.path)/b")
        }
        #expect(throws: KubeConfigError.fileUnreadable(path: directory.path, reason: "is a directory")) {
            try KubeConfigLoader.load(path: directory.path)
        }
    }

    @Test func kubeconfigListMergesFirstFileWins() throws {
        let directory = try TemporaryDirectory()
        let first = try directory.write(
            "first",
            """
            clusters: [{name: shared, cluster: {server: "https://first:1"}}]
            users: [{name: u, user: {token: from-first}}]
            contexts: [{name: c1, context: {cluster: shared, user: u}}]
            """)
        let second = try directory.write(
            "second",
            """
            current-context: c2
            clusters: [{name: shared, cluster: {server: "https://second:1"}}, {name: only2, cluster: {server: "https://only2:1"}}]
            users: [{name: u, user: {token: from-second}}]
            contexts: [{name: c2, context: {cluster: only2, user: u}}]
            """)
        let merged = try KubeConfigLoader.load(pathList: "\(first):\(directory.path)/absent:\(second)")
        #expect(merged.currentContext == "c2")
        #expect(merged.cluster(named: "shared")?.value.server == "https://first:1")
        #expect(merged.cluster(named: "only2")?.value.server == "https://only2:1")
        let connection = try merged.connection()
        #expect(connection.server == "https://only2:1")
        #expect(connection.credentials == .bearerToken("from-first"))
        #expect(merged.sources == [first, second])
    }

    @Test func defaultUsesKUBECONFIGThenHome() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("a", tokenConfig())
        #expect(try KubeConfigLoader.loadDefault(environment: ["KUBECONFIG": file]).currentContext == "main")
        try directory.write("home/.kube/config", tokenConfig(server: "https://home:1"))
        let home = try KubeConfigLoader.loadDefault(environment: ["HOME": "\(directory.path)/home"])
        #expect(try home.connection().server == "https://home:1")
        #expect(throws: KubeConfigError.notFound(searched: ["\(directory.path)/nohome/.kube/config"])) {
            try KubeConfigLoader.loadDefault(environment: ["HOME": "\(directory.path)/nohome"])
        }
    }

    @Test func execPluginIsValidated() throws {
        let yaml = """
            users:
            - name: eks
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1alpha1
                  command: definitely-not-installed-plugin
                  installHint: Install it with your package manager.
                  interactiveMode: Always
                  env: [{value: x}]
            """
        let messages = try KubeConfigLoader.load(yaml: yaml).problems().map(\.description)
        #expect(messages.contains(#"users[0].user.exec.apiVersion: "client.authentication.k8s.io/v1alpha1" is not supported; use client.authentication.k8s.io/v1 or v1beta1"#))
        #expect(messages.contains(#"users[0].user.exec.command: exec plugin "definitely-not-installed-plugin" not found or not executable. Install it with your package manager."#))
        #expect(messages.contains { $0.hasPrefix("users[0].user.exec.interactiveMode: \"Always\" needs a terminal") })
        #expect(messages.contains("users[0].user.exec.env[0].name: required"))
    }

    @Test func inClusterConfigReadsTheServiceAccount() throws {
        let directory = try TemporaryDirectory()
        try directory.write("sa/token", "sa-token")
        try directory.write("sa/ca.crt", pki.caCertificatePEM)
        try directory.write("sa/namespace", "calico-system\n")
        let connection = try ClusterConnection.inCluster(
            environment: ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"],
            serviceAccountDirectory: "\(directory.path)/sa")
        #expect(connection.server == "https://10.96.0.1:443")
        #expect(connection.namespace == "calico-system")
        #expect(connection.credentials == .tokenFile(path: "\(directory.path)/sa/token"))
        #expect(throws: KubeConfigError.self) {
            try ClusterConnection.inCluster(environment: [:], serviceAccountDirectory: "\(directory.path)/sa")
        }
    }

    @Test func tokenFileIsReReadWhenItChanges() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("token", "first\n")
        let reader = TokenFileReader(path: path)
        #expect(try reader.token() == "first")
        try directory.write("token", "second-longer")
        #expect(try reader.token() == "second-longer")
        try FileManager.default.removeItem(atPath: path)
        #expect(throws: KubeClientError.self) { try reader.token() }
    }
}
