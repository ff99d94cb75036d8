/// What the federated-services controller reports on `/metrics` (issue 7 §6).
public struct FederatedServiceMetrics: Sendable {
    /// `namespace/name` of each federated service → its addresses by cluster (`local` or the RCC).
    public var endpoints: [String: [String: Int]] = [:]
    public var reconciles = 0
    public var reconcileSeconds = 0.0

    mutating func reconciled(in duration: Duration) {
        reconciles += 1
        reconcileSeconds += Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// The metrics, added to `metrics`.
    public func add(to metrics: inout OperatorMetrics) {
        metrics.add("federation_federated_services", "gauge", help: "Local Services federated by their serviceSelector annotation.",
                    [.init([], Double(endpoints.count))])
        let rows = endpoints.sorted { $0.key < $1.key }.flatMap { service, counts in
            counts.sorted { $0.key < $1.key }.map { cluster, count -> OperatorMetrics.Sample in
                let (namespace, name) = (service.prefix { $0 != "/" }, service.drop { $0 != "/" }.dropFirst())
                return .init([("namespace", String(namespace)), ("service", String(name)), ("cluster", cluster)], Double(count))
            }
        }
        metrics.add("federation_federated_service_endpoints", "gauge", help: "Addresses of each federated service, by the cluster they come from.", rows)
        metrics.add("federation_federated_service_reconcile_seconds_sum", "counter", help: "Time spent reconciling federated services.",
                    [.init([], reconcileSeconds)])
        metrics.add("federation_federated_service_reconcile_seconds_count", "counter", help: "Reconciles of federated services.",
                    [.init([], Double(reconciles))])
    }
}
