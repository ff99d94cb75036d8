import Foundation
import KubeClient
import KubeTestServer
import Operator
import Synchronization

/// The federated-services controller (issue 7): 500 federated services on the local cluster over 10 remote clusters
/// with 500 backing services of 10 endpoints each (50,000 backing endpoints). Cold start: from operator start until
/// every federated service's Endpoints and EndpointSlices hold all 100 of its addresses, and the writes that took.
/// No-op changes: a label every selector ignores is set on every remote service; local writes are counted. Churn:
/// 500 remote endpoint readiness flips a second for 20 s; every fifth is timed from just before the remote PATCH
/// until the local EndpointSlice shows it, beside the floor (a plain watch on the remote delivering it); then the
/// same at 250 and at 100 a second for 10 s each. Each churn starts once the last one's backlog is worked off.
func runServicesBenchmarks() async throws {
    let remoteCount = 10, services = 500, endpointsPerService = 10
    let changesPerSecond = 500, seconds = 20, probeEvery = 5
    let fleet = try await BenchmarkFleet.start(remotes: remoteCount, podsPerRemote: 0, services: services, endpointsPerService: endpointsPerService)
    defer { fleet.stop() }
    try await fleet.createRCCs()
    let local = try fleet.client("local", unthrottled: true)
    let objects = ServiceObjectsObserver()
    let watchers = Task { try await objects.watch(local) }
    defer { watchers.cancel() }
    try await Task.sleep(for: .milliseconds(500))

    let policy = RemoteCredentialPolicy(credentialsDirectory: fleet.directory, operatorNamespace: "calico-system")
    let federation = FederationOperator(client: local, configuration: .init(policy: policy, instance: "bench", publishIdentities: false))
    let start = ContinuousClock.now
    let running = Task { await federation.run() }
    defer { running.cancel() }
    let total = remoteCount * services * endpointsPerService
    while objects.sliceEndpoints < total || objects.endpointsAddresses < total {
        if ContinuousClock.now - start > .seconds(300) {
            throw BenchmarkError("after 300 s: \(objects.sliceEndpoints) slice endpoints, \(objects.endpointsAddresses) Endpoints addresses of \(total)")
        }
        try await Task.sleep(for: .milliseconds(20))
    }
    let coldStart = ContinuousClock.now - start
    let coldWrites = objects.writes
    try await Task.sleep(for: .seconds(2))

    // No-op changes: every remote service gets a label no selector reads.
    let writesBeforeNoop = objects.writes
    for name in fleet.remotes {
        let remote = try fleet.client(name, unthrottled: true)
        for index in 0..<services {
            _ = try await remote.resource(core.v1.Service.self, namespace: "ns-\(index % 100)").patch("svc-\(index)", .merge(["metadata": ["labels": ["touched": "yes"]]]))
        }
    }
    try await Task.sleep(for: .seconds(3))
    let noopWrites = objects.writes - writesBeforeNoop

    // `<remote>/<ip>` arrives when the slice shows the probe's readiness for that address.
    let floors = FloorObserver<ObservedSlice, SliceProbe>(keys: { $0.endpoints.compactMap(\.address) }) { probe, slice, ip in
        slice.endpoints.first { $0.address == ip }.map { ($0.ready ?? true) == probe.ready } ?? false
    }
    let remoteWatchers = Task { try await floors.watch(try fleet.remotes.map { try fleet.client($0, unthrottled: true) }) }
    defer { remoteWatchers.cancel() }
    try await Task.sleep(for: .milliseconds(500))
    var ready = Array(repeating: [Bool](repeating: true, count: services * endpointsPerService), count: remoteCount)
    var rows: [String] = []
    for (rate, duration) in [(changesPerSecond, seconds), (changesPerSecond / 2, 10), (changesPerSecond / 5, 10)] {
        rows += try await flipReadiness(fleet, objects: objects, floors: floors, ready: &ready, rate: rate, seconds: duration,
                                        endpointsPerService: endpointsPerService, probeEvery: probeEvery)
    }
    let stats = federation.federatedServices.metrics

    print("| measure | result |")
    print("|---|---|")
    print("| operator start to all \(services) federated services' Endpoints and EndpointSlices complete (\(total) addresses) | \(String(format: "%.2f", coldStart.seconds)) s |")
    print("| API writes for that cold start (Endpoints and EndpointSlices) | \(coldWrites) |")
    print("| local writes for \(services * remoteCount) no-op remote changes (a label no selector reads) | \(noopWrites) |")
    rows.forEach { print($0) }
    print("| reconciles over the whole run / mean time of one (writes included) | \(stats.reconciles) / \(String(format: "%.2f", stats.reconcileSeconds / Double(max(1, stats.reconciles)) * 1000)) ms |")
}

/// `rate` remote readiness flips a second for `seconds`, one writer per remote; every `probeEvery`th is timed.
/// Returns the table rows.
private func flipReadiness(_ fleet: BenchmarkFleet, objects: ServiceObjectsObserver, floors: FloorObserver<ObservedSlice, SliceProbe>, ready: inout [[Bool]],
                           rate: Int, seconds: Int, endpointsPerService: Int, probeEvery: Int) async throws -> [String] {
    objects.resetLatencies()
    floors.resetLatencies()
    let writesBefore = objects.writes
    let (made, elapsed) = try await ScheduledChurn.run(fleet, rate: rate, seconds: seconds, states: &ready) { remoteIndex, change, state, remote in
        let address = (change * 7919 + remoteIndex * 31) % state.count
        state[address].toggle()
        let service = address / endpointsPerService, slot = address % endpointsPerService
        if change % probeEvery == 0 {
            let probe = SliceProbe(sent: .now, ready: state[address])
            let ip = "10.\(101 + remoteIndex).\(address / 250 % 256).\(address % 250 + 1)"
            objects.expect(ip, probe)
            floors.expect("\(remoteIndex)/\(ip)", probe)
        }
        _ = try await remote.resource(ObservedSlice.self, namespace: "ns-\(service % 100)")
            .patch("svc-\(service)-1", .json([.replace("/endpoints/\(slot)/conditions/ready", .bool(state[address]))]))
    }
    try await ScheduledChurn.settle { objects.pendingProbes }
    try await ScheduledChurn.quiesce { objects.writes }
    return ScheduledChurn.rows(rate: rate, seconds: seconds, made: made, elapsed: elapsed, writes: objects.writes - writesBefore,
                               writesOf: "local Endpoints and slice", target: "local EndpointSlice", latencies: objects.latencies.sorted(),
                               unseen: objects.pendingProbes, floor: floors.latencies.sorted())
}

/// One timed readiness flip.
struct SliceProbe: TimedProbe {
    var sent: ContinuousClock.Instant
    var ready: Bool
}

/// Watches the local Endpoints and EndpointSlices: counts writes and federated addresses, and times probes (a
/// managed slice showing the probe's IP with the probe's readiness).
final class ServiceObjectsObserver: Sendable {
    private struct State {
        var endpointsAddresses: [String: Int] = [:]
        var sliceEndpoints: [String: Int] = [:]
        var writes = 0
        var probes: [String: SliceProbe] = [:]
        var latencies: [Duration] = []
    }
    private let state = Mutex(State())

    var endpointsAddresses: Int { state.withLock { $0.endpointsAddresses.values.reduce(0, +) } }
    var sliceEndpoints: Int { state.withLock { $0.sliceEndpoints.values.reduce(0, +) } }
    var writes: Int { state.withLock { $0.writes } }
    var pendingProbes: Int { state.withLock { $0.probes.count } }
    var latencies: [Duration] { state.withLock { $0.latencies } }

    func expect(_ ip: String, _ probe: SliceProbe) { state.withLock { $0.probes[ip] = probe } }

    func resetLatencies() { state.withLock { $0.latencies = []; $0.probes = [:] } }

    func watch(_ client: KubeClient) async throws {
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask {
                for try await event in try await client.resource(ObservedEndpoints.self).watch(WatchOptions(timeoutSeconds: WatchOptions.maxTimeoutSeconds)) {
                    let (object, deleted): (ObservedEndpoints?, Bool) = switch event {
                    case .added(let object), .modified(let object): (object, false)
                    case .deleted(let object): (object, true)
                    default: (nil, false)
                    }
                    guard let object, object.metadata.annotations?[FederatedService.selectorAnnotation] != nil else { continue }
                    let count = object.addressCount
                    self.state.withLock { state in
                        state.writes += 1
                        state.endpointsAddresses["\(object.metadata.namespace ?? "")/\(object.metadata.name ?? "")"] = deleted ? nil : count
                    }
                }
            }
            group.addTask {
                let managed = WatchOptions(labelSelector: "\(FederatedService.sliceManagedByKey)=\(FederatedService.managerName)", timeoutSeconds: WatchOptions.maxTimeoutSeconds)
                for try await event in try await client.resource(ObservedSlice.self).watch(managed) {
                    let now = ContinuousClock.now
                    let (slice, deleted): (ObservedSlice?, Bool) = switch event {
                    case .added(let slice), .modified(let slice): (slice, false)
                    case .deleted(let slice): (slice, true)
                    default: (nil, false)
                    }
                    guard let slice else { continue }
                    self.state.withLock { state in
                        state.writes += 1
                        state.sliceEndpoints["\(slice.metadata.namespace ?? "")/\(slice.metadata.name ?? "")"] = deleted ? nil : slice.endpoints.count
                        guard !deleted, !state.probes.isEmpty else { return }
                        for endpoint in slice.endpoints {
                            guard let ip = endpoint.address, let probe = state.probes[ip], probe.ready == (endpoint.ready ?? true) else { continue }
                            state.latencies.append(now - probe.sent)
                            state.probes[ip] = nil
                        }
                    }
                }
            }
        }
    }
}

/// The part of an EndpointSlice the benchmark's observers read: decoding less, and by hand (``JSONValueConvertible``),
/// keeps their CPU off the operator's. A read projection: never sent back.
struct ObservedSlice: KubernetesResource, JSONValueConvertible {
    static var resource: Resource { discovery.v1.EndpointSlice.resource }
    var metadata: meta.v1.ObjectMeta
    /// Each endpoint's first address and readiness (nil: unknown).
    var endpoints: [(address: String?, ready: Bool?)]

    init(json: JSONValue) throws(JSONShapeError) {
        let fields = try JSONFields(json)
        metadata = try fields.object("metadata") ?? meta.v1.ObjectMeta()
        endpoints = (json["endpoints"]?.arrayValue ?? []).map { ($0["addresses"]?.arrayValue?.first?.stringValue, $0["conditions"]?["ready"]?.boolValue) }
    }

    var json: JSONValue { ["metadata": metadata.json] }

    init(from decoder: any Decoder) throws { throw BenchmarkError("ObservedSlice is decoded by hand") }
    func encode(to encoder: any Encoder) throws { throw BenchmarkError("ObservedSlice is never sent") }
}

/// The part of an Endpoints object the benchmark's observer reads (see ``ObservedSlice``).
struct ObservedEndpoints: KubernetesResource, JSONValueConvertible {
    static var resource: Resource { core.v1.Endpoints.resource }
    var metadata: meta.v1.ObjectMeta
    /// Ready and not ready addresses over all subsets.
    var addressCount: Int

    init(json: JSONValue) throws(JSONShapeError) {
        let fields = try JSONFields(json)
        metadata = try fields.object("metadata") ?? meta.v1.ObjectMeta()
        addressCount = (json["subsets"]?.arrayValue ?? []).reduce(0) {
            $0 + ($1["addresses"]?.arrayValue?.count ?? 0) + ($1["notReadyAddresses"]?.arrayValue?.count ?? 0)
        }
    }

    var json: JSONValue { ["metadata": metadata.json] }

    init(from decoder: any Decoder) throws { throw BenchmarkError("ObservedEndpoints is decoded by hand") }
    func encode(to encoder: any Encoder) throws { throw BenchmarkError("ObservedEndpoints is never sent") }
}
