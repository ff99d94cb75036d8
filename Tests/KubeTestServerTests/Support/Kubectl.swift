import Foundation
import KubeTestServer

/// The real `kubectl` from the PATH, run as a subprocess against one test server with an admin kubeconfig written to
/// a temporary directory (its discovery cache too, so tests never share one).
struct Kubectl: Sendable {
    typealias Result = ChildProcess.Result

    let directory: String
    let kubeconfig: String

    init(_ server: KubeTestServer, token: String? = nil, user: UserInfo = .admin) throws {
        directory = NSTemporaryDirectory() + "kubectl-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        kubeconfig = directory + "/kubeconfig"
        try server.kubeconfig(user: user, token: token).write(toFile: kubeconfig, atomically: true, encoding: .utf8)
    }

    /// Removes the kubeconfig and cache.
    func cleanUp() { try? FileManager.default.removeItem(atPath: directory) }

    /// Runs `kubectl ARGS` to completion, feeding `stdin` if given; killed after `timeout`.
    func callAsFunction(_ arguments: String..., stdin: String? = nil, timeout: Duration = .seconds(30)) async throws -> Result {
        try await ChildProcess.run("/usr/bin/env", command(arguments), environment: environment, stdin: stdin, timeout: timeout)
    }

    /// Starts `kubectl ARGS` (for `get -w`) and returns the running process.
    func start(_ arguments: [String], stdin: String? = nil) throws -> ChildProcess {
        try ChildProcess(executable: "/usr/bin/env", arguments: command(arguments), environment: environment, stdin: stdin)
    }

    private func command(_ arguments: [String]) -> [String] {
        ["kubectl", "--kubeconfig", kubeconfig, "--cache-dir", directory + "/cache"] + arguments
    }

    private var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = directory
        environment["KUBECONFIG"] = nil
        return environment
    }
}
