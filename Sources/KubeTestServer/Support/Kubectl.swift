import Foundation

/// The real `kubectl` from the PATH, run as a subprocess with its own kubeconfig and discovery cache in a temporary
/// directory (so tests never share one): for conformance tests against a ``KubeTestServer`` and end-to-end tests.
public struct Kubectl: Sendable {
    public typealias Result = ChildProcess.Result

    public let directory: String
    public let kubeconfig: String

    /// kubectl with the kubeconfig `contents`.
    public init(kubeconfigContents contents: String) throws {
        directory = NSTemporaryDirectory() + "kubectl-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        kubeconfig = directory + "/kubeconfig"
        try contents.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
    }

    /// kubectl as `user` (the admin by default) of an in-process server.
    public init(_ server: KubeTestServer, token: String? = nil, user: UserInfo = .admin) throws {
        try self.init(kubeconfigContents: server.kubeconfig(user: user, token: token))
    }

    /// Removes the kubeconfig and cache.
    public func cleanUp() {
        // A leftover temporary directory is harmless.
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs `kubectl ARGS` to completion, feeding `stdin` if given; killed after `timeout`.
    public func callAsFunction(_ arguments: String..., stdin: String? = nil, timeout: Duration = .seconds(30)) async throws -> Result {
        try await run(arguments, stdin: stdin, timeout: timeout)
    }

    /// Runs `kubectl ARGS` to completion (the arguments as an array, for callers that pass theirs on).
    public func run(_ arguments: [String], stdin: String? = nil, timeout: Duration = .seconds(30)) async throws -> Result {
        try await ChildProcess.run("/usr/bin/env", command(arguments), environment: environment, stdin: stdin, timeout: timeout)
    }

    /// Starts `kubectl ARGS` (for `get -w`) and returns the running process.
    public func start(_ arguments: [String], stdin: String? = nil) throws -> ChildProcess {
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
