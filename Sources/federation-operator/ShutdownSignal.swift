import Dispatch
import Foundation

/// Runs an operation and cancels it on SIGTERM or SIGINT, so it shuts down gracefully (releases the lease, stops
/// watchers) and returns. The operation's `Task` is the documented bridge from signal handlers to structured
/// concurrency: it is owned here and awaited.
enum ShutdownSignal {
    static func cancelling<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await operation() }
        let sources = [SIGTERM, SIGINT].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { task.cancel() }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }
        return try await task.value
    }
}
