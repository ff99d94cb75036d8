import Foundation
import KubeClient

/// Changes made on a fixed schedule by one writer per remote cluster, for the churn benchmarks, and the rows that
/// report them.
enum ScheduledChurn {
    /// Makes `rate` changes a second for `seconds`, spread evenly over the remotes. `change(remote, n, &state, client)`
    /// makes a remote's `n`-th change; `states` (one per remote) carries what the changes flipped from run to run.
    /// Returns how many changes were made and how long that took.
    static func run(_ fleet: BenchmarkFleet, rate: Int, seconds: Int, states: inout [[Bool]],
                    change: @escaping @Sendable (_ remote: Int, _ number: Int, _ state: inout [Bool], _ client: KubeClient) async throws -> Void)
        async throws -> (made: Int, elapsed: Duration)
    {
        let start = ContinuousClock.now
        let perRemote = rate / fleet.remotes.count
        let results = try await withThrowingTaskGroup(of: (Int, [Bool]).self) { group in
            for (remoteIndex, name) in fleet.remotes.enumerated() {
                let client = try fleet.client(name, unthrottled: true)
                var state = states[remoteIndex]
                group.addTask {
                    for number in 0..<(perRemote * seconds) {
                        let due = start + .microseconds(number * 1_000_000 / perRemote)
                        if due > .now { try await Task.sleep(until: due) }
                        try await change(remoteIndex, number, &state, client)
                    }
                    return (remoteIndex, state)
                }
            }
            return try await group.reduce(into: [(Int, [Bool])]()) { $0.append($1) }
        }
        for (index, state) in results { states[index] = state }
        return (perRemote * seconds * fleet.remotes.count, ContinuousClock.now - start)
    }

    /// Waits (up to 30 s) until no timed change is still unseen.
    static func settle(_ pending: () -> Int) async throws {
        let start = ContinuousClock.now
        while pending() > 0 && ContinuousClock.now - start < .seconds(30) { try await Task.sleep(for: .milliseconds(20)) }
    }

    /// Waits (up to 30 s) until `writes` has not moved for a second: the backlog of the untimed changes is worked
    /// off too, so the next churn starts from an idle operator.
    static func quiesce(_ writes: () -> Int) async throws {
        let start = ContinuousClock.now
        var last = writes()
        while ContinuousClock.now - start < .seconds(30) {
            try await Task.sleep(for: .seconds(1))
            let now = writes()
            if now == last { return }
            last = now
        }
    }

    /// The rows of one churn: rate, writes, latency to `target` and the floor.
    static func rows(rate: Int, seconds: Int, made: Int, elapsed: Duration, writes: Int, writesOf: String, target: String,
                     latencies: [Duration], unseen: Int, floor: [Duration]) -> [String] {
        [
            "| churn at \(rate)/s for \(seconds) s: changes made / rate achieved | \(made) / \(String(format: "%.0f", Double(made) / elapsed.seconds)) per s |",
            "| \(writesOf) writes during that churn: total / per second / per change | \(writes) / \(String(format: "%.0f", Double(writes) / elapsed.seconds)) / \(String(format: "%.2f", Double(writes) / Double(max(1, made)))) |",
            "| remote change to \(target), p50 / p99 / max of \(latencies.count) (\(unseen) unseen) | \(ms(latencies, 0.5)) / \(ms(latencies, 0.99)) / \(ms(latencies, 1.0)) ms |",
            "| floor: the same change's bare watch delivery from the remote, p50 / p99 / max of \(floor.count) | \(ms(floor, 0.5)) / \(ms(floor, 0.99)) / \(ms(floor, 1.0)) ms |",
        ]
    }
}
