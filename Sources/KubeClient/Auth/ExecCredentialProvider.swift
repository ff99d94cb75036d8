import Foundation
import NIOSSL

/// Runs an exec credential plugin and caches what it returns.
///
/// Guarantees: concurrent callers share one run of the plugin; a credential is reused until its
/// `expirationTimestamp` (forever when it has none) or until the server rejects it with 401.
/// Caveats: the plugin runs non-interactively (no stdin); it is killed after ``timeout``.
actor ExecCredentialProvider {
    let configuration: ExecPluginConfiguration
    let timeout: Duration
    private var cached: ExecCredential?
    private var waiters: [CheckedContinuation<ExecCredential, any Error>]?

    init(configuration: ExecPluginConfiguration, timeout: Duration = .seconds(60)) {
        self.configuration = configuration
        self.timeout = timeout
    }

    /// The cached credential while it is valid, otherwise a fresh one from the plugin.
    func credential() async throws -> ExecCredential {
        if let cached, !cached.isExpired(at: Date()) { return cached }
        if waiters != nil {
            return try await withCheckedThrowingContinuation { waiters?.append($0) }
        }
        waiters = []
        let result: Result<ExecCredential, any Error>
        do {
            result = .success(try await ExecPluginRunner.run(configuration, timeout: timeout))
        } catch {
            result = .failure(error)
        }
        if case .success(let credential) = result { cached = credential }
        let pending = waiters ?? []
        waiters = nil
        for waiter in pending { waiter.resume(with: result) }
        return try result.get()
    }

    /// Forgets `used` after the server rejected it, so the next call runs the plugin again.
    func invalidate(_ used: ExecCredential) {
        if cached == used { cached = nil }
    }
}

/// What an exec plugin returned: a bearer token or a client certificate, and when it expires.
struct ExecCredential: Sendable, Equatable {
    var token: String?
    var clientCertificatePEM: String?
    var clientKeyPEM: String?
    var expiration: Date?
    /// Distinguishes runs that returned the same token, so a stale 401 never evicts a newer credential.
    var serial: UInt64

    func isExpired(at now: Date) -> Bool { expiration.map { now >= $0 } ?? false }
}

/// Runs the plugin process and parses its `ExecCredential` output.
enum ExecPluginRunner {
    private static let serials = SerialCounter()

    static func run(_ configuration: ExecPluginConfiguration, timeout: Duration) async throws -> ExecCredential {
        guard let executable = ExecCommandLocator.locate(configuration.command) else {
            let hint = configuration.installHint.map { " \($0)" } ?? ""
            throw KubeClientError.credentials("exec plugin \"\(configuration.command)\" not found.\(hint)")
        }
        var environment = ProcessInfo.processInfo.environment
        for (name, value) in configuration.env { environment[name] = value }
        environment["KUBERNETES_EXEC_INFO"] =
            #"{"apiVersion":"\#(configuration.apiVersion)","kind":"ExecCredential","spec":{"interactive":false}}"#

        let output = try await ProcessRunner.run(
            executable: executable, arguments: configuration.args, environment: environment, timeout: timeout)
        guard output.status == 0 else {
            let detail = output.stderr.split(separator: "\n").last.map { ": " + String($0.prefix(300)) } ?? ""
            throw KubeClientError.credentials(
                "exec plugin \"\(configuration.command)\" exited with status \(output.status)\(detail)")
        }
        return try parse(output.stdout, configuration: configuration)
    }

    static func parse(_ stdout: [UInt8], configuration: ExecPluginConfiguration) throws -> ExecCredential {
        struct Output: Decodable {
            var apiVersion: String?
            var kind: String?
            var status: Status?
            struct Status: Decodable {
                var token: String?
                var clientCertificateData: String?
                var clientKeyData: String?
                var expirationTimestamp: String?
            }
        }
        let name = "exec plugin \"\(configuration.command)\""
        let decoded: Output
        do {
            decoded = try JSONDecoder().decode(Output.self, from: Data(stdout))
        } catch {
            throw KubeClientError.credentials("\(name) printed no valid ExecCredential JSON")
        }
        guard decoded.kind == "ExecCredential" else {
            throw KubeClientError.credentials("\(name) printed kind \"\(decoded.kind ?? "")\", expected ExecCredential")
        }
        guard decoded.apiVersion == configuration.apiVersion else {
            throw KubeClientError.credentials(
                "\(name) answered with apiVersion \"\(decoded.apiVersion ?? "")\", expected \(configuration.apiVersion)")
        }
        guard let status = decoded.status else { throw KubeClientError.credentials("\(name) returned no status") }
        let hasToken = !(status.token ?? "").isEmpty
        let hasCertificate = !(status.clientCertificateData ?? "").isEmpty && !(status.clientKeyData ?? "").isEmpty
        guard hasToken || hasCertificate else {
            throw KubeClientError.credentials("\(name) returned neither a token nor a client certificate and key")
        }
        var expiration: Date?
        if let timestamp = status.expirationTimestamp, !timestamp.isEmpty {
            guard let date = RFC3339.parse(timestamp) else {
                throw KubeClientError.credentials("\(name) returned an invalid expirationTimestamp")
            }
            expiration = date
        }
        return ExecCredential(
            token: hasToken ? status.token : nil,
            clientCertificatePEM: hasCertificate ? status.clientCertificateData : nil,
            clientKeyPEM: hasCertificate ? status.clientKeyData : nil, expiration: expiration,
            serial: serials.next())
    }
}
