import Foundation
import Synchronization

/// Runs a program to completion, capturing its output, without blocking any shared thread pool.
///
/// Used for exec credential plugins. Each pipe is read to its end on a thread of its own (so a chatty plugin never
/// blocks on a full pipe) and exit is observed through `terminationHandler`: `waitUntilExit` spins on Linux and a
/// blocked dispatch pool starves the Swift concurrency threads that share it. A plugin still running after `timeout`
/// is killed.
enum ProcessRunner {
    struct Output: Sendable {
        var status: Int32
        var stdout: [UInt8]
        var stderr: String
    }

    static func run(executable: String, arguments: [String], environment: [String: String], timeout: Duration)
        async throws -> Output
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        let (finished, finish) = AsyncStream<Void>.makeStream()
        let remaining = Mutex(3)
        let done: @Sendable () -> Void = {
            if remaining.withLock({ $0 -= 1; return $0 == 0 }) { finish.finish() }
        }
        process.terminationHandler = { _ in done() }
        do {
            try process.run()
        } catch {
            throw KubeClientError.credentials("cannot start \(executable): \(error.localizedDescription)")
        }
        let output = OutputBuffer()
        let errors = OutputBuffer()
        output.readToEnd(stdout.fileHandleForReading, then: done)
        errors.readToEnd(stderr.fileHandleForReading, then: done)

        let timedOut = Mutex(false)
        let pid = process.processIdentifier
        let killer = Task {
            try await Task.sleep(for: timeout)
            timedOut.withLock { $0 = true }
            kill(pid, SIGKILL)
        }
        for await _ in finished {}
        killer.cancel()
        if timedOut.withLock({ $0 }) {
            throw KubeClientError.credentials("\(executable) did not finish within \(timeout) and was killed")
        }
        return Output(status: process.terminationStatus, stdout: [UInt8](output.data), stderr: String(decoding: errors.data, as: UTF8.self))
    }
}

/// What a pipe delivered, read on a thread of its own until end of file.
private final class OutputBuffer: Sendable {
    private let buffer = Mutex(Data())

    var data: Data { buffer.withLock { $0 } }

    func readToEnd(_ handle: FileHandle, then done: @escaping @Sendable () -> Void) {
        Thread.detachNewThread {
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                self.buffer.withLock { $0.append(chunk) }
            }
            done()
        }
    }
}
