import Foundation
import Synchronization

/// A program run by a test (kubectl, the built `federation-operator`), its output collected as it runs.
///
/// Blocking reads run on threads of their own and exit is observed through `terminationHandler`: blocking the
/// dispatch pool instead (or spinning in `waitUntilExit`, as Foundation does on Linux) starves the Swift
/// concurrency threads an in-process server under test runs on.
public final class ChildProcess: Sendable {
    /// How the program ended and what it printed.
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// stdout's lines, trailing blanks dropped, for table comparisons.
        public var lines: [String] {
            stdout.split(separator: "\n").map { String($0).replacingOccurrences(of: " +$", with: "", options: .regularExpression) }
        }
    }

    private let process: Process
    private let stdout = Mutex(Data())
    private let stderr = Mutex(Data())
    /// Finishes when the process has exited and both pipes reached end of file.
    private let done: AsyncStream<Void>

    /// Starts `executable` with `arguments`, feeding `stdin` if given.
    public init(executable: String, arguments: [String], environment: [String: String]? = nil, stdin: String? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
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

    /// Runs a program to completion; it is killed after `timeout`.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, stdin: String? = nil,
                           timeout: Duration = .seconds(30)) async throws -> Result {
        let child = try ChildProcess(executable: executable, arguments: arguments, environment: environment, stdin: stdin)
        let killer = Task {
            try await Task.sleep(for: timeout)
            child.terminate()
        }
        defer { killer.cancel() }
        return await child.finish()
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

    /// What the program has written to stdout so far.
    public var output: String { stdout.withLock { String(decoding: $0, as: UTF8.self) } }

    /// What the program has written to stderr so far.
    public var errorOutput: String { stderr.withLock { String(decoding: $0, as: UTF8.self) } }

    public var processIdentifier: Int32 { process.processIdentifier }

    /// Sends SIGTERM.
    public func terminate() { if process.isRunning { process.terminate() } }

    /// Waits for the process to exit and its output to be read.
    public func finish() async -> Result {
        for await _ in done {}
        return Result(status: process.terminationStatus, stdout: output, stderr: errorOutput)
    }
}
