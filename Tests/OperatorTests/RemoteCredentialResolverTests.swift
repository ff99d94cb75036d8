import Foundation
import KubeClient
import KubeTestServer
import Operator
import Synchronization
import Testing

/// Every way an RCC gives credentials, resolved and then used against a real (test) API server, and every way the
/// policy refuses them.
@Suite("Remote credential resolution", .timeLimit(.minutes(1)))
struct RemoteCredentialResolverTests {
    typealias Spec = projectcalico.v3.RemoteClusterConfigurationSpec

    /// A credentials directory (like /etc/calico-federation) in a temporary folder, removed afterwards.
    final class CredentialsDirectory: Sendable {
        let path: String
        init() throws {
            path = NSTemporaryDirectory() + "calico-federation-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }

        @discardableResult
        func write(_ name: String, _ contents: String) throws -> String {
            let file = path + "/" + name
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try contents.write(toFile: file, atomically: true, encoding: .utf8)
            return file
        }
    }

    static func resolver(_ directory: CredentialsDirectory, allowExec: Bool = false,
                         secrets: [String: [String: String]] = [:]) -> RemoteCredentialResolver {
        let policy = RemoteCredentialPolicy(credentialsDirectory: directory.path, allowExecCredentials: allowExec, operatorNamespace: "calico-system")
        return RemoteCredentialResolver(policy: policy) { namespace, name in
            secrets["\(namespace)/\(name)"]?.mapValues { Array($0.utf8) }
        }
    }

    static func spec(_ build: (inout Spec) -> Void) -> Spec {
        var spec = Spec()
        build(&spec)
        return spec
    }

    /// Connects with what was resolved and asks the server its version.
    static func reaches(_ resolved: ResolvedRemote) async throws -> String {
        guard case .kubernetes(let connection) = resolved else { return "not kubernetes" }
        return try await KubeClient(connection: connection).version().gitVersion
    }

    static func failure(_ resolver: RemoteCredentialResolver, _ spec: Spec) async -> RemoteConfigError? {
        do {
            _ = try await resolver.resolve(spec)
            return nil
        } catch {
            return error
        }
    }

    @Test func everyCredentialFormReachesTheRemote() async throws {
        try await withKubeTestServer(name: "remote-b") { server in
            let directory = try CredentialsDirectory()
            let resolver = Self.resolver(directory, secrets: ["calico-system/remote-b": ["datastoreType": "kubernetes\n", "kubeconfig": try server.kubeconfig()]])
            let file = try directory.write("remote-b/kubeconfig", try server.kubeconfig())
            let caFile = try directory.write("remote-b/ca.crt", server.pki!.caCertificatePEM)

            let fromFile = try await resolver.resolve(Self.spec { $0.datastoreType = "kubernetes"; $0.kubeconfig = file })
            #expect(try await Self.reaches(fromFile).hasPrefix("v1."))
            let inline = try await resolver.resolve(Self.spec { $0.datastoreType = "kubernetes"; $0.kubeconfigInline = try! server.kubeconfig() })
            #expect(try await Self.reaches(inline).hasPrefix("v1."))
            let fromSecret = try await resolver.resolve(Self.spec { $0.clusterAccessSecret = .init(name: "remote-b") })
            #expect(try await Self.reaches(fromSecret).hasPrefix("v1."), "an empty namespace means the operator's own")
            let explicit = try await resolver.resolve(Self.spec {
                $0.datastoreType = "kubernetes"; $0.k8sAPIEndpoint = server.url; $0.k8sCAFile = caFile; $0.k8sAPIToken = server.adminToken
            })
            #expect(try await Self.reaches(explicit).hasPrefix("v1."))
        }
    }

    @Test func k8sFieldsOverrideAKubeconfigFileButNotAnInlineOne() async throws {
        try await withKubeTestServer { server in
            let directory = try CredentialsDirectory()
            let stale = try server.kubeconfig().replacingOccurrences(of: server.url, with: "https://127.0.0.1:1")
            let file = try directory.write("stale/kubeconfig", stale)
            let resolver = Self.resolver(directory)
            let overridden = try await resolver.resolve(Self.spec { $0.datastoreType = "kubernetes"; $0.kubeconfig = file; $0.k8sAPIEndpoint = server.url })
            #expect(try await Self.reaches(overridden).hasPrefix("v1."))
            let inline = try await resolver.resolve(Self.spec { $0.datastoreType = "kubernetes"; $0.kubeconfigInline = stale; $0.k8sAPIEndpoint = server.url })
            guard case .kubernetes(let connection) = inline else { Issue.record("not kubernetes"); return }
            #expect(connection.server == "https://127.0.0.1:1", "Calico applies no k8s* override to an inline kubeconfig")
        }
    }

    @Test func unsafeKubeconfigsAreRefusedNamingTheField() async throws {
        let directory = try CredentialsDirectory()
        let outside = NSTemporaryDirectory() + "elsewhere-\(UUID().uuidString).kubeconfig"
        try "apiVersion: v1\nkind: Config\n".write(toFile: outside, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        let resolver = Self.resolver(directory)
        let escaping = await Self.failure(resolver, Self.spec { $0.datastoreType = "kubernetes"; $0.kubeconfig = directory.path + "/../" + (outside as NSString).lastPathComponent })
        #expect(escaping?.reasonLabel == "UnsafeKubeconfig")
        #expect(escaping?.description.hasPrefix("spec.kubeconfig: the file ") == true)

        let exec = """
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443"}}]
            users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/steal-everything}}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            current-context: x
            """
        let refused = await Self.failure(resolver, Self.spec { $0.datastoreType = "kubernetes"; $0.kubeconfigInline = exec })
        #expect(refused?.reasonLabel == "UnsafeKubeconfig")
        #expect(refused?.description.hasPrefix("spec.kubeconfigInline users[0].user.exec: exec credential plugins are not allowed") == true)
        let harmless = exec.replacingOccurrences(of: "/bin/steal-everything", with: "/bin/true")
        let allowed = try await Self.resolver(directory, allowExec: true).resolve(Self.spec { $0.datastoreType = "kubernetes"; $0.kubeconfigInline = harmless })
        guard case .kubernetes(let connection) = allowed else { Issue.record("not kubernetes"); return }
        #expect(connection.credentials.kind == "exec (/bin/true)", "allowed when the operator was started to allow it")

        let caOutside = exec.replacingOccurrences(of: "{server: \"https://127.0.0.1:6443\"}", with: "{server: \"https://127.0.0.1:6443\", certificate-authority: /etc/ssl/private/ca.pem}")
            .replacingOccurrences(of: "{exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/steal-everything}}", with: "{token: t}")
        let ca = await Self.failure(resolver, Self.spec { $0.datastoreType = "kubernetes"; $0.kubeconfigInline = caOutside })
        #expect(ca?.description == "spec.kubeconfigInline clusters[0].cluster.certificate-authority: the file /etc/ssl/private/ca.pem is outside \(directory.path), the directory of remote credentials")
    }

    @Test func secretProblemsSayWhatToFix() async throws {
        let directory = try CredentialsDirectory()
        let resolver = Self.resolver(directory, secrets: ["calico-system/no-type": ["kubeconfig": "apiVersion: v1"]])
        let missing = await Self.failure(resolver, Self.spec { $0.clusterAccessSecret = .init(name: "later", namespace: "calico-system") })
        #expect(missing?.reasonLabel == "SecretNotFound")
        #expect(missing?.description == "spec.clusterAccessSecret: Secret calico-system/later not found; create it with the keys datastoreType and kubeconfig")
        let untyped = await Self.failure(resolver, Self.spec { $0.clusterAccessSecret = .init(name: "no-type") })
        #expect(untyped?.description == "secret calico-system/no-type: datastoreType: Required value: etcdv3 or kubernetes (or set clusterAccessSecret)")
        let foreign = await Self.failure(resolver, Self.spec { $0.clusterAccessSecret = .init(name: "x", namespace: "kube-system") })
        #expect(foreign?.description == "spec.clusterAccessSecret.namespace: the operator reads Secrets only in calico-system, not kube-system")
    }

    @Test func brokenKubeconfigsNameTheirProblem() async throws {
        let directory = try CredentialsDirectory()
        let resolver = Self.resolver(directory)
        let notYAML = await Self.failure(resolver, Self.spec { $0.datastoreType = "kubernetes"; $0.kubeconfigInline = "{{{ not yaml" })
        #expect(notYAML?.reasonLabel == "InvalidKubeconfig")
        #expect(notYAML?.description.hasPrefix("spec.kubeconfigInline: ") == true)
        let dangling = """
            apiVersion: v1
            kind: Config
            users: [{name: u, user: {token: do-not-print-me}}]
            contexts: [{name: x, context: {cluster: gone, user: u}}]
            current-context: x
            """
        let missingCluster = await Self.failure(resolver, Self.spec { $0.datastoreType = "kubernetes"; $0.kubeconfigInline = dangling })
        #expect(missingCluster?.description.contains("gone") == true, "\(String(describing: missingCluster))")
        #expect(missingCluster?.description.contains("do-not-print-me") == false, "no credential in the message")
        let nothing = await Self.failure(resolver, Self.spec { $0.datastoreType = "kubernetes" })
        #expect(nothing?.description == "spec.k8sAPIEndpoint: Required value: set kubeconfig, kubeconfigInline or k8sAPIEndpoint")
    }
}
