import KubeRuntime
import Synchronization
import Testing

@Suite("WorkQueue", .timeLimit(.minutes(2)))
struct WorkQueueTests {
    @Test func deduplicatesWaitingKeysAndRequeuesKeysAddedWhileProcessing() async {
        let queue = WorkQueue<String>()
        await queue.add("a")
        await queue.add("a")
        await queue.add("b")
        #expect(await queue.metrics.depth == 2)
        let first = await queue.next()
        #expect(first == "a")
        await queue.add("a")  // changed while being processed
        #expect(await queue.next() == "b", "a is held by a worker, so it is not handed out again yet")
        await queue.done("b")
        await queue.done("a")
        #expect(await queue.next() == "a", "the change made while processing is not lost")
        await queue.done("a")
        #expect(await queue.metrics.adds == 3)
    }

    @Test func neverHandsOneKeyToTwoWorkersAndLosesNoUpdate() async {
        let queue = WorkQueue<Int>()
        let tracker = Tracker()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    while let key = await queue.next() {
                        if !tracker.inFlight.withLock({ $0.insert(key).inserted }) { tracker.overlaps.add(1, ordering: .relaxed) }
                        let version = tracker.added.withLock { $0[key, default: 0] }
                        tracker.seen.withLock { $0[key] = max($0[key, default: 0], version) }
                        try? await Task.sleep(for: .microseconds(Int.random(in: 0...300)))
                        tracker.inFlight.withLock { _ = $0.remove(key) }
                        await queue.done(key)
                    }
                }
            }
            for round in 1...2_000 {
                let key = Int.random(in: 0..<20)
                tracker.added.withLock { $0[key] = round }
                await queue.add(key)
                if round % 50 == 0 { try? await Task.sleep(for: .milliseconds(1)) }
            }
            await queue.shutDown(drain: true)
        }
        let overlaps = tracker.overlaps.load(ordering: .relaxed)
        #expect(overlaps == 0)
        let lastAdded = tracker.added.withLock { $0 }
        let lastSeen = tracker.seen.withLock { $0 }
        for (key, version) in lastAdded {
            #expect(lastSeen[key] == version, "key \(key) was processed after its last add")
        }
    }

    /// What the workers of the stress test saw: keys in flight, overlaps, and for each key the highest version
    /// added and the highest version seen when its processing started.
    final class Tracker: Sendable {
        let inFlight = Mutex<Set<Int>>([])
        let overlaps = Atomic(0)
        let added = Mutex<[Int: Int]>([:])
        let seen = Mutex<[Int: Int]>([:])
    }

    @Test func delayedAddsKeepTheEarliestTime() async throws {
        let queue = WorkQueue<String>()
        let clock = ContinuousClock()
        let start = clock.now
        await queue.add("k", after: .milliseconds(400))
        await queue.add("k", after: .milliseconds(50))
        await queue.add("k", after: .milliseconds(300))
        await queue.add("marker", after: .milliseconds(250))
        #expect(await queue.next() == "k", "k comes at 50 ms, before the marker at 250 ms")
        #expect(clock.now - start >= .milliseconds(50))
        await queue.done("k")
        #expect(await queue.next() == "marker")
        await queue.done("marker")
        try await Task.sleep(for: .milliseconds(300))
        #expect(await queue.metrics.depth == 0, "the later delays of k were dropped, not queued again")
    }

    @Test func rateLimitedRequeuesBackOffPerKeyUntilForgotten() async {
        var limiter = RateLimiter<String>(base: .milliseconds(10), cap: .milliseconds(50))
        #expect(limiter.delay(for: "a") == .milliseconds(10))
        #expect(limiter.delay(for: "a") == .milliseconds(20))
        #expect(limiter.delay(for: "a") == .milliseconds(40))
        #expect(limiter.delay(for: "a") == .milliseconds(50), "capped")
        #expect(limiter.delay(for: "b") == .milliseconds(10), "keys back off independently")
        #expect(limiter.retries(of: "a") == 4)
        limiter.forget("a")
        #expect(limiter.delay(for: "a") == .milliseconds(10))

        var bucket = RateLimiter<Int>(base: .zero, cap: .zero, ratePerSecond: 10, burst: 2)
        let now = ContinuousClock.now
        #expect(bucket.delay(for: 1, now: now) == .zero)
        #expect(bucket.delay(for: 2, now: now) == .zero)
        #expect(bucket.delay(for: 3, now: now) == .milliseconds(100), "past the burst, retries are spaced at the rate")
        #expect(bucket.delay(for: 4, now: now) == .milliseconds(200))
    }

    @Test func shutDownDrainsOrDrops() async {
        let drained = WorkQueue<Int>()
        for key in 0..<3 { await drained.add(key) }
        let shutdown = Task { await drained.shutDown(drain: true) }
        var got: [Int] = []
        while let key = await drained.next() {
            got.append(key)
            await drained.done(key)
        }
        await shutdown.value
        #expect(got == [0, 1, 2])
        await drained.add(9)
        #expect(await drained.next() == nil, "a shut-down queue takes nothing")

        let dropped = WorkQueue<Int>()
        for key in 0..<3 { await dropped.add(key) }
        await dropped.shutDown(drain: false)
        #expect(await dropped.next() == nil)
    }
}
