import KubeRuntime
import Synchronization
import Testing

@Suite("Controller", .timeLimit(.minutes(2)))
struct ControllerTests {
    /// Fails `failures` times per key, then asks to look again once, then is done; records every call.
    final class FlakyReconciler: Reconciler, Sendable {
        let failures: Int
        let calls = Mutex<[String: [ContinuousClock.Instant]]>([:])
        init(failures: Int) { self.failures = failures }

        struct Failure: Error {}

        func reconcile(_ key: String) async throws -> ReconcileResult {
            let count = calls.withLock { calls -> Int in
                calls[key, default: []].append(.now)
                return calls[key]!.count
            }
            if count <= failures { throw Failure() }
            return count == failures + 1 ? .requeue(after: .milliseconds(50)) : .done
        }
    }

    @Test func retriesFailuresWithBackOffThenRequeuesThenForgets() async throws {
        let reconciler = FlakyReconciler(failures: 3)
        let queue = WorkQueue<String>(rateLimiter: RateLimiter(base: .milliseconds(20), cap: .seconds(1)))
        let controller = Controller(name: "test", reconciler: reconciler, queue: queue, workers: 3)
        let run = Task { await controller.run() }
        await queue.add("a")
        let deadline = ContinuousClock.now + .seconds(30)
        while reconciler.calls.withLock({ $0["a"]?.count ?? 0 }) < 5, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        let times = reconciler.calls.withLock { $0["a"] ?? [] }
        #expect(times.count == 5)
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
        // Back-off after each failure: 20, 40, 80 ms; then the requested 50 ms.
        for (gap, minimum) in zip(gaps, [20, 40, 80, 50]) { #expect(gap >= .milliseconds(minimum)) }
        #expect(await queue.retries(of: "a") == 0, "the success forgot the failures")
        run.cancel()
        await run.value
        #expect(await queue.isShuttingDown)
    }
}
