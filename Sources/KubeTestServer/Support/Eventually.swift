/// Polls `condition` every `interval` until it holds or `timeout` passes, and returns whether it held: how tests wait
/// for something to happen without fixed sleeps.
public func eventually(timeout: Duration = .seconds(10), interval: Duration = .milliseconds(20),
                       _ condition: @Sendable () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: interval)
    }
    return try await condition()
}
