import Foundation
import NIOSSL
import Testing

@testable import KubeClient

/// The client against a real HTTPS server on loopback, with certificates made for each test.
@Suite("HTTPS transport and authentication", .timeLimit(.minutes(1)))
struct HTTPSClientTests {
    let pki: TestPKI

    init() throws { pki = try TestPKI() }

    func server(clientCA: String? = nil, script: @escaping ScriptedHTTPServer.Script) async throws -> ScriptedHTTPServer {
        try await ScriptedHTTPServer(
            tls: try ScriptedHTTPServer.tls(
                certificatePEM: pki.serverCertificatePEM, keyPEM: pki.serverKeyPEM, clientCA: clientCA),
            script: script)
    }

    @Test func verifiesTheServerWithTheClusterCAAndSendsTokenAndUserAgent() async throws {
        let server = try await server { _ in .full(status: 200, body: versionJSON) }
        defer { Task { try await server.shutdown() } }
        let version = try await client(for: server, pki: pki).version()
        #expect(version.gitVersion == "v1.32.4")
        let request = try #require(server.requests.first)
        #expect(request.path == "/version")
        #expect(request.header("Authorization") == "Bearer test-token")
        #expect(request.header("User-Agent") == "federation-operator/\(FederationOperatorVersion.current)")
    }

    @Test func rejectsAServerSignedByAnotherCA() async throws {
        let server = try await server { _ in .full(status: 200, body: versionJSON) }
        defer { Task { try await server.shutdown() } }
        let otherCA = try TestPKI(name: "other-ca")
        await #expect {
            try await client(for: server, pki: otherCA).version()
        } throws: { error in
            guard let error = error as? KubeClientError, case .tls = error else { return false }
            return true
        }
        #expect(server.requests.isEmpty)
    }

    @Test func insecureSkipTLSVerifyAcceptsAnUnknownCA() async throws {
        let server = try await server { _ in .full(status: 200, body: versionJSON) }
        defer { Task { try await server.shutdown() } }
        let client = try client(for: server, pki: nil, extraCluster: "    insecure-skip-tls-verify: true\n")
        #expect(try await client.version().minor == "32")
    }

    @Test(arguments: [TestPKI.KeyForm.ecSEC1, .rsaPKCS1])
    func presentsTheClientCertificate(form: TestPKI.KeyForm) async throws {
        let server = try await server(clientCA: pki.caCertificatePEM) { _ in .full(status: 200, body: versionJSON) }
        defer { Task { try await server.shutdown() } }
        let (certificate, key) = try pki.clientCertificate(user: "alice", groups: ["system:masters"], keyForm: form)
        let user = "    client-certificate-data: \(base64(certificate))\n    client-key-data: \(base64(key))"
        _ = try await client(for: server, pki: pki, user: user).version()
        let presented = try #require(server.requests.first?.clientCertificateDER)
        let expected = try NIOSSLCertificate.fromPEMBytes(Array(certificate.utf8))[0].toDERBytes()
        #expect(presented == expected)
    }

    @Test func aServerThatRequiresACertificateRejectsNone() async throws {
        let server = try await server(clientCA: pki.caCertificatePEM) { _ in .full(status: 200, body: versionJSON) }
        defer { Task { try await server.shutdown() } }
        await #expect(throws: KubeClientError.self) { try await client(for: server, pki: pki).version() }
        #expect(server.requests.isEmpty)
    }

    @Test func tokenFileIsSentAndRereadAfterRotation() async throws {
        let directory = try TemporaryDirectory()
        let tokenPath = try directory.write("token", "first")
        let server = try await server { _ in .full(status: 200, body: versionJSON) }
        defer { Task { try await server.shutdown() } }
        let client = try client(for: server, pki: pki, user: "    tokenFile: \(tokenPath)")
        _ = try await client.version()
        try directory.write("token", "second-token")
        _ = try await client.version()
        #expect(server.requests.map { $0.header("Authorization") } == ["Bearer first", "Bearer second-token"])
    }

    /// A plugin that returns `t1`, `t2`, ... on successive runs and records what it was given.
    func execPlugin(in directory: TemporaryDirectory, expiration: String? = nil) throws -> String {
        let expiry = expiration.map { #","expirationTimestamp":"\#($0)""# } ?? ""
        return try directory.write(
            "plugin.sh",
            """
            #!/bin/sh
            n=$(cat "$STATE/count" 2>/dev/null || echo 0)
            n=$((n+1))
            echo $n > "$STATE/count"
            printf '%s' "$KUBERNETES_EXEC_INFO" > "$STATE/exec-info"
            printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t%s"\(expiry)}}' "$n"
            """, executable: true)
    }

    func execUser(_ plugin: String, _ directory: TemporaryDirectory) -> String {
        """
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: \(plugin)
              args: [--cluster, test]
              env: [{name: STATE, value: \(directory.path)}]
              interactiveMode: Never
        """
    }

    @Test func execPluginTokenIsCachedAndRenewedAfter401() async throws {
        let directory = try TemporaryDirectory()
        let plugin = try execPlugin(in: directory)
        let server = try await server { request in
            request.header("Authorization") == "Bearer t1"
                ? .full(status: 401, body: statusJSON(401, "Unauthorized", "Unauthorized"))
                : .full(status: 200, body: versionJSON)
        }
        defer { Task { try await server.shutdown() } }
        let client = try client(for: server, pki: pki, user: execUser(plugin, directory))
        _ = try await client.version()
        _ = try await client.version()
        #expect(server.requests.map { $0.header("Authorization") } == ["Bearer t1", "Bearer t2", "Bearer t2"])
        #expect(try String(contentsOfFile: "\(directory.path)/count", encoding: .utf8) == "2\n")
        let info = try String(contentsOfFile: "\(directory.path)/exec-info", encoding: .utf8)
        #expect(info.contains(#""kind":"ExecCredential""#) && info.contains(#""interactive":false"#))
    }

    @Test func expiredExecCredentialIsRenewedBeforeUse() async throws {
        let directory = try TemporaryDirectory()
        let plugin = try execPlugin(in: directory, expiration: "2001-01-01T00:00:00Z")
        let server = try await server { _ in .full(status: 200, body: versionJSON) }
        defer { Task { try await server.shutdown() } }
        let client = try client(for: server, pki: pki, user: execUser(plugin, directory))
        _ = try await client.version()
        _ = try await client.version()
        #expect(server.requests.map { $0.header("Authorization") } == ["Bearer t1", "Bearer t2"])
    }

    @Test func persistent401IsReportedAsUnauthorized() async throws {
        let directory = try TemporaryDirectory()
        let plugin = try execPlugin(in: directory)
        let server = try await server { _ in .full(status: 401, body: statusJSON(401, "Unauthorized", "Unauthorized")) }
        defer { Task { try await server.shutdown() } }
        let client = try client(for: server, pki: pki, user: execUser(plugin, directory))
        await #expect {
            try await client.version()
        } throws: { error in
            (error as? KubeAPIError)?.isUnauthorized == true
        }
        #expect(server.requests.count == 2)
    }

    @Test func failingExecPluginSaysWhy() async throws {
        let directory = try TemporaryDirectory()
        let plugin = try directory.write("bad.sh", "#!/bin/sh\necho 'token expired, run aws sso login' >&2\nexit 3\n", executable: true)
        let server = try await server { _ in .full(status: 200, body: versionJSON) }
        defer { Task { try await server.shutdown() } }
        let client = try client(for: server, pki: pki, user: execUser(plugin, directory))
        await #expect {
            try await client.version()
        } throws: { error in
            "\(error)".contains("exited with status 3: token expired, run aws sso login")
        }
        #expect(server.requests.isEmpty)
    }

    @Test func tooManyRequestsIsRetriedAfterRetryAfter() async throws {
        let throttling = try await server { [counter = SerialCounter()] _ in
            counter.next() == 1
                ? .full(status: 429, headers: [("Retry-After", "1")], body: statusJSON(429, "TooManyRequests"))
                : .full(status: 200, body: versionJSON)
        }
        defer { Task { try await throttling.shutdown() } }
        let client = try client(for: throttling, pki: pki, options: KubeClientOptions(retry: .default))
        let start = ContinuousClock.now
        #expect(try await client.version().gitVersion == "v1.32.4")
        #expect(ContinuousClock.now - start >= .milliseconds(950))
        #expect(throttling.requests.count == 2)
    }

    @Test func aRetryAfterBeyondTheDeadlineFailsAtOnce() async throws {
        let server = try await server { _ in
            .full(status: 429, headers: [("Retry-After", "30")], body: statusJSON(429, "TooManyRequests"))
        }
        defer { Task { try await server.shutdown() } }
        let client = try client(for: server, pki: pki, options: KubeClientOptions(requestTimeout: .seconds(5)))
        let start = ContinuousClock.now
        await #expect { try await client.version() } throws: { ($0 as? KubeAPIError)?.retryAfter == .seconds(30) }
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(server.requests.count == 1)
    }

    @Test func serverErrorsAreRetriedForReadsOnly() async throws {
        let server = try await server { [counter = SerialCounter()] request in
            if request.method == "POST" { return .full(status: 503, body: statusJSON(503, "ServiceUnavailable")) }
            return counter.next() < 3
                ? .full(status: 500, body: statusJSON(500, "InternalError"))
                : .full(status: 200, body: #"{"metadata":{"name":"x","namespace":"ns"}}"#)
        }
        defer { Task { try await server.shutdown() } }
        let retrying = KubeClientOptions(
            retry: RetryPolicy(maxRetries: 5, initialBackoff: .milliseconds(10), maxBackoff: .milliseconds(50), maxRetryAfter: .seconds(1)))
        let pods = try client(for: server, pki: pki, options: retrying).resource(core.v1.Pod.self, namespace: "ns")
        #expect(try await pods.get("x").metadata.name == "x")
        #expect(server.requests.filter { $0.method == "GET" }.count == 3)
        await #expect {
            try await pods.create(core.v1.Pod(metadata: .init(name: "y")))
        } throws: { error in
            (error as? KubeAPIError)?.reason == .serviceUnavailable
        }
        #expect(server.requests.filter { $0.method == "POST" }.count == 1)
    }

    @Test func aBodyThatNeverEndsTimesOut() async throws {
        let server = try await server { _ in .stream(chunks: [Array("{".utf8)], end: false) }
        defer { Task { try await server.shutdown() } }
        let client = try client(for: server, pki: pki, options: KubeClientOptions(requestTimeout: .milliseconds(300), retry: .none))
        await #expect {
            try await client.version()
        } throws: { error in
            guard let error = error as? KubeClientError, case .timeout = error else { return false }
            return true
        }
    }

    @Test func refusedConnectionIsAConnectError() async throws {
        let server = try await server { _ in .full(status: 200, body: versionJSON) }
        let url = server.url
        try await server.shutdown()
        let yaml = kubeconfig(server: url, caPEM: pki.caCertificatePEM, user: "    token: x")
        let client = KubeClient(connection: try KubeConfigLoader.load(yaml: yaml).connection(), options: .init(retry: .none))
        await #expect {
            try await client.version()
        } throws: { error in
            guard let error = error as? KubeClientError, case .connect = error else { return false }
            return error.description.hasPrefix("GET /version: cannot connect")
        }
    }
}
