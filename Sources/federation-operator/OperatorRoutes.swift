import CalicoSelector
import KubeRuntime
import Operator

/// What the operator serves over plain HTTP, for `run` and `demo`: `/metrics` and `/debug/endpoints` on the
/// metrics address, `/healthz` and `/readyz` on the probe address.
struct OperatorRoutes {
    var metrics: [String: ProbeServer.Route]
    var probes: [String: ProbeServer.Route]

    /// - Parameter elector: the replica's leader elector (nil: it always leads).
    init(federation: FederationOperator, elector: LeaderElector?, leaderElectionID: String) {
        metrics = [
            "/metrics": { _ in
                var metrics = await federation.metrics()
                let leading = await elector?.isLeader ?? true
                metrics.add("leader_election_master_status", "gauge", help: "1 while this replica leads.",
                            [.init([("name", leaderElectionID)], leading ? 1 : 0)])
                return .init(contentType: "text/plain; version=0.0.4; charset=utf-8", body: metrics.text)
            },
            // The endpoints `query endpoints` would list, for in-cluster tooling: `?selector=<Calico selector>&namespace=<ns>`.
            "/debug/endpoints": { query in
                do {
                    let selector = try Selector(parsing: query["selector"] ?? "all()")
                    return .init(contentType: "application/json", body: federation.endpoints(matching: selector, namespace: query["namespace"]).json)
                } catch {
                    return .init(status: 400, body: "invalid selector: \(error)\n")
                }
            },
        ]
        probes = [
            "/healthz": { _ in .init(body: "ok") },
            "/readyz": { _ in
                if federation.isReady { return .init(body: "ok") }
                // A standby is ready: it can take over; only a leader waits for its caches.
                if let elector, !(await elector.isLeader) { return .init(body: "ok: standby") }
                return .init(status: 503, body: "caches not synced\n")
            },
        ]
    }

    /// Both sets, for one server.
    var all: [String: ProbeServer.Route] { metrics.merging(probes) { first, _ in first } }
}
