import Foundation
import Synchronization

/// Runs a program to completion off the Swift concurrency pool, capturing its output.
///
/// Used for exec credential plugins. Reading both pipes concurrently keeps a chatty plugin from
/// blocking on a full pipe; a plugin still running after `timeout` is terminated.
enum ProcessRunner {
    struct Output: Sendable {
        var status: Int32
        var stdout: [UInt8]
        var stderr: String
    }

    static func run(executable: String, arguments: [String], environment: [String: String], timeout: Duration)
        async throws -> Output
    {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(
                    with: Result {
                        try runBlocking(
                            executable: executable, arguments: arguments, environment: environment,
                            timeout: timeout)
                    })
            }
        }
    }

    private static func runBlocking(
        executable: String, arguments: [String], environment: [String: String], timeout: Duration
    ) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw KubeClientError.credentials("cannot start \(executable): \(error.localizedDescription)")
        }
        let pid = process.processIdentifier
        let timedOut = Mutex(false)
        let killer = DispatchWorkItem {
            timedOut.withLock { $0 = true }
            kill(pid, SIGKILL)
        }
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: killer)

        let errorOutput = Mutex(Data())
        let group = DispatchGroup()
        let errorHandle = stderr.fileHandleForReading
        DispatchQueue.global().async(group: group) {
            let data = errorHandle.readDataToEndOfFile()
            errorOutput.withLock { $0 = data }
        }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        killer.cancel()
        if timedOut.withLock({ $0 }) {
            throw KubeClientError.credentials("\(executable) did not finish within \(timeout) and was killed")
        }
        let errorText = errorOutput.withLock { String(decoding: $0, as: UTF8.self) }
        return Output(status: process.terminationStatus, stdout: [UInt8](output), stderr: errorText)
    }
}
