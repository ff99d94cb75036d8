import Foundation
import KubeTestServer
import Synchronization

/// The real `kubectl` from the PATH, run as a subprocess against one test server with an admin kubeconfig written to
/// a temporary directory (its discovery cache too, so tests never share one).
struct Kubectl: Sendable {
    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
        /// stdout's lines, trailing blanks dropped, for table comparisons.
        var lines: [String] { stdout.split(separator: "\n").map { String($0).replacingOccurrences(of: " +$", with: "", options: .regularExpression) } }
    }

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
        let process = try start(arguments, stdin: stdin)
        let killer = Task {
            try await Task.sleep(for: timeout)
            process.terminate()
        }
        defer { killer.cancel() }
        return await process.finish()
    }

    /// Starts `kubectl ARGS` (for `get -w`) and returns the running process.
    func start(_ arguments: [String], stdin: String? = nil) throws -> RunningKubectl {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["kubectl", "--kubeconfig", kubeconfig, "--cache-dir", directory + "/cache"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = directory
        environment["KUBECONFIG"] = nil
        process.environment = environment
        return try RunningKubectl(process, stdin: stdin)
    }
}

/// A kubectl process whose output is collected as it runs.
///
/// Blocking reads run on threads of their own and exit is observed through `terminationHandler`: blocking the
/// dispatch pool instead (or spinning in `waitUntilExit`, as Foundation does on Linux) starves the Swift
/// concurrency threads the server under test runs on.
final class RunningKubectl: Sendable {
    private let process: Process
    private let stdout = Mutex(Data())
    private let stderr = Mutex(Data())
    /// Finishes when the process has exited and both pipes reached end of file.
    private let done: AsyncStream<Void>

    fileprivate init(_ process: Process, stdin: String?) throws {
        self.process = process
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        let (done, finished) = AsyncStream<Void>.makeStream()
        self.done = done
        let remaining = Mutex(3)
        let finishOne: @Sendable () -> Void = {
            if remaining.withLock({ $0 -= 1; return $0 == 0 }) { finished.finish() }
        }
        process.terminationHandler = { _ in finishOne() }
        try process.run()
        if let stdin {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try? input.fileHandleForWriting.close()
        }
        Self.collect(out.fileHandleForReading, then: finishOne) { chunk in self.stdout.withLock { $0.append(chunk) } }
        Self.collect(err.fileHandleForReading, then: finishOne) { chunk in self.stderr.withLock { $0.append(chunk) } }
    }

    private static func collect(_ handle: FileHandle, then finish: @escaping @Sendable () -> Void,
                                into sink: @escaping @Sendable (Data) -> Void) {
        Thread.detachNewThread {
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                sink(chunk)
            }
            finish()
        }
    }

    /// What kubectl has written to stdout so far.
    var output: String { stdout.withLock { String(decoding: $0, as: UTF8.self) } }

    func terminate() { if process.isRunning { process.terminate() } }

    /// Waits for the process to exit and its output to be read.
    func finish() async -> Kubectl.Result {
        for await _ in done {}
        return Kubectl.Result(status: process.terminationStatus, stdout: output,
                              stderr: stderr.withLock { String(decoding: $0, as: UTF8.self) })
    }
}
