import Foundation
import Logging
import NIOSSL
import Synchronization

/// A Kubernetes API server for tests: one ``TestCluster`` served over HTTPS (or plain HTTP) on loopback, with
/// client-certificate and bearer-token users, fault injection, and kubeconfigs for clients such as kubectl.
/// Several servers in one process are independent clusters.
public final class KubeTestServer: Sendable {
    public let name: String
    public let cluster: TestCluster
    public let faults = FaultInjector()
    /// The certificates, when serving HTTPS.
    public let pki: ClusterPKI?
    private let http: HTTPServer
    private let boundPort = Mutex(0)
    private let dataDirectory: DataDirectory?
    /// Saves the objects while running with a data directory; `restored` is whether they were loaded yet.
    private let persistence = Mutex<(saver: Task<Void, Never>?, restored: Bool)>((nil, false))
    /// The admin's bearer token, which works over HTTP and HTTPS alike.
    public let adminToken = UUID().uuidString

    /// - Parameters:
    ///   - name: the cluster's name in kubeconfigs.
    ///   - tls: serve HTTPS with a CA of its own (the default) or plain HTTP.
    ///   - dataDirectory: keep the certificates and objects there, loading what an earlier run left.
    public init(name: String = "test-cluster", tls: Bool = true, cluster: TestCluster = TestCluster(),
                dataDirectory: DataDirectory? = nil, logger: Logger = Logger(label: "kube-test-server")) throws {
        self.name = name
        self.cluster = cluster
        self.dataDirectory = dataDirectory
        let pki = tls ? try (dataDirectory?.pki(name: name) ?? ClusterPKI(name: "\(name)-ca")) : nil
        self.pki = pki
        var context: NIOSSLContext?
        if let pki {
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(pki.serverCertificatePEM.utf8)).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(pki.serverKeyPEM.utf8), format: .pem)))
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(pki.caCertificatePEM.utf8)))
            configuration.certificateVerification = .optionalVerification
            context = try NIOSSLContext(configuration: configuration)
        }
        let faults = self.faults
        http = HTTPServer(tls: context, logger: logger) { request in
            if let injected = await faults.beforeRequest() { return injected }
            return await cluster.respond(to: request, serverAddress: request.headers.first(name: "host") ?? "127.0.0.1")
        }
    }

    /// Starts serving on `127.0.0.1:port` (0 picks a free port) and returns the port.
    @discardableResult
    public func start(port: Int = 0) async throws -> Int {
        await cluster.addUser(.admin, token: adminToken)
        if let dataDirectory, !persistence.withLock({ $0.restored }) {
            if let snapshot = try dataDirectory.snapshot() { await cluster.restore(snapshot) }
            persistence.withLock { $0.restored = true }
        }
        let bound = try await http.start(port: port)
        boundPort.withLock { $0 = bound }
        if let dataDirectory {
            let saver = Task { [cluster] in await Self.keepSaving(cluster, to: dataDirectory) }
            persistence.withLock { $0.saver = saver }
        }
        return bound
    }

    /// Stops serving: closes the listener and every connection, and saves the objects when there is a data
    /// directory. The cluster keeps its objects, so ``start(port:)`` on the same port is a restart.
    public func stop() async {
        await http.stop()
        if let saver = persistence.withLock({ state in defer { state.saver = nil }; return state.saver }) {
            saver.cancel()
            await saver.value
        }
    }

    /// Stops and starts again on the same port, as a restarting kube-apiserver: every connection and watch ends;
    /// the objects stay unless `keepingData` is false.
    public func restart(keepingData: Bool = true) async throws {
        let port = self.port
        await stop()
        if !keepingData { await cluster.reset() }
        try await start(port: port)
    }

    /// Saves the cluster whenever its revision moved, every 200 ms, and once more when cancelled.
    private static func keepSaving(_ cluster: TestCluster, to directory: DataDirectory) async {
        var saved: Int64 = -1
        while true {
            let cancelled = Task.isCancelled
            let revision = await cluster.revision
            if revision != saved {
                do {
                    try directory.save(await cluster.snapshot())
                    saved = revision
                } catch {
                    Logger(label: "kube-test-server").error("cannot save the cluster", metadata: ["directory": "\(directory.path)", "error": "\(error)"])
                }
            }
            if cancelled { return }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Closes every connection, which ends every watch, and keeps serving.
    public func dropConnections() async {
        await cluster.closeWatches()
        await http.closeConnections()
    }

    public var port: Int { boundPort.withLock { $0 } }

    /// `https://127.0.0.1:<port>` (or `http://`).
    public var url: String { "\(pki == nil ? "http" : "https")://127.0.0.1:\(port)" }

    /// A kubeconfig for `user`: a client certificate over HTTPS, or `token` when given (and always over HTTP).
    public func kubeconfig(user: UserInfo = .admin, token: String? = nil) throws -> String {
        var cluster = "    server: \(url)\n"
        var credentials: String
        if let pki {
            cluster += "    certificate-authority-data: \(Self.base64(pki.caCertificatePEM))\n"
        }
        if let token {
            credentials = "    token: \(token)\n"
        } else if let pki {
            let (certificate, key) = try pki.clientCertificate(user: user.name, groups: user.groups.filter { $0 != "system:authenticated" })
            credentials = "    client-certificate-data: \(Self.base64(certificate))\n    client-key-data: \(Self.base64(key))\n"
        } else if user == .admin {
            credentials = "    token: \(adminToken)\n"
        } else {
            throw KubeTestServerError.needsToken(user.name)
        }
        return """
            apiVersion: v1
            kind: Config
            clusters:
            - name: \(name)
              cluster:
            \(cluster)contexts:
            - name: \(name)
              context:
                cluster: \(name)
                user: \(user.name)
            current-context: \(name)
            users:
            - name: \(user.name)
              user:
            \(credentials)
            """
    }

    private static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
}

/// Misuse of the test server's API.
public enum KubeTestServerError: Error, CustomStringConvertible {
    case needsToken(String)

    public var description: String {
        switch self {
        case .needsToken(let user): "a plain-HTTP server has no client certificates: give user \(user) a token"
        }
    }
}
