import KubeClient
import KubeRuntime
import Logging

/// The informers a ``RemoteClusterSyncer`` runs on one remote cluster, and how their caches become
/// ``RemoteEndpoint``s and ``RemoteService``s.
struct RemoteInformers: Sendable {
    /// What one informer event means to the syncer.
    enum Change: Sendable {
        /// These published values must be rebuilt.
        case dirty(PendingKeys)
        case synced
        case failed(any Error)
        case recovered
    }

    typealias Report = @Sendable (_ informer: String, Change) -> Void

    static let namespaceIndex = "namespace"
    static let serviceAccountIndex = "serviceAccount"
    static let serviceIndex = "service"

    let pods: Informer<core.v1.Pod, PodProjection>
    let namespaces: Informer<core.v1.Namespace, LabelsProjection>
    let serviceAccounts: Informer<core.v1.ServiceAccount, LabelsProjection>
    let services: Informer<core.v1.Service, ServiceProjection>
    let slices: Informer<discovery.v1.EndpointSlice, ServiceEndpointsProjection>?
    let endpoints: Informer<core.v1.Endpoints, ServiceEndpointsProjection>?
    let hostEndpoints: Informer<DynamicObject, HostEndpointProjection>?

    init(client: KubeClient, remote: RemoteDiscovery, options: InformerOptions, logger: Logger) {
        pods = Informer(client: client.resource(core.v1.Pod.self), options: options, indexes: [
            Self.namespaceIndex: { [$0.namespace] },
            Self.serviceAccountIndex: { $0.serviceAccount.isEmpty ? [] : ["\($0.namespace)/\($0.serviceAccount)"] },
        ], logger: logger, project: PodProjection.init)
        namespaces = Informer(client: client.resource(core.v1.Namespace.self), options: options, logger: logger, project: LabelsProjection.init)
        serviceAccounts = Informer(client: client.resource(core.v1.ServiceAccount.self), options: options, logger: logger, project: LabelsProjection.init)
        services = Informer(client: client.resource(core.v1.Service.self), options: options, logger: logger, project: ServiceProjection.init)
        let byService: [String: ObjectCache<ServiceEndpointsProjection>.IndexFunction] = [Self.serviceIndex: { [$0.serviceKey] }]
        if remote.servesEndpointSlices {
            slices = Informer(client: client.resource(discovery.v1.EndpointSlice.self), options: options, indexes: byService,
                              logger: logger, project: ServiceEndpointsProjection.init)
            endpoints = nil
        } else {
            slices = nil
            endpoints = Informer(client: client.resource(core.v1.Endpoints.self), options: options, indexes: byService,
                                 logger: logger, project: ServiceEndpointsProjection.init)
        }
        hostEndpoints = remote.servesHostEndpoints
            ? Informer(client: client.dynamic(HostEndpointProjection.resource), options: options, logger: logger,
                       project: HostEndpointProjection.init)
            : nil
    }

    /// The informers' names, as their health is tracked.
    var names: Set<String> {
        var names: Set<String> = ["pods", "namespaces", "serviceaccounts", "services"]
        names.insert(slices != nil ? "endpointslices" : "endpoints")
        if hostEndpoints != nil { names.insert("hostendpoints") }
        return names
    }

    /// Runs every informer, and a consumer of its events that reports to `report`, as children of `group`.
    func start(in group: inout DiscardingTaskGroup, report: @escaping Report) {
        let pods = self.pods
        Self.run(self.pods, "pods", in: &group, report) { key, _ in PendingKeys(pods: [key]) }
        // A namespace's or service account's labels are inherited by its pods.
        Self.run(namespaces, "namespaces", in: &group, report) { name, _ in
            PendingKeys(pods: pods.cache.keys(index: Self.namespaceIndex, value: name))
        }
        Self.run(serviceAccounts, "serviceaccounts", in: &group, report) { key, _ in
            PendingKeys(pods: pods.cache.keys(index: Self.serviceAccountIndex, value: key))
        }
        Self.run(services, "services", in: &group, report) { key, _ in PendingKeys(services: [key]) }
        // Addresses belong to the services their old and new values name.
        let addressesChanged: @Sendable (String, [ServiceEndpointsProjection]) -> PendingKeys = { _, values in
            PendingKeys(services: Set(values.map(\.serviceKey)))
        }
        if let slices { Self.run(slices, "endpointslices", in: &group, report, dirty: addressesChanged) }
        if let endpoints { Self.run(endpoints, "endpoints", in: &group, report, dirty: addressesChanged) }
        if let hostEndpoints {
            Self.run(hostEndpoints, "hostendpoints", in: &group, report) { key, _ in PendingKeys(hostEndpoints: [key]) }
        }
    }

    /// Every endpoint and service in the caches, for the first publication.
    func snapshot(cluster: String) -> ([RemoteEndpoint], [RemoteService]) {
        var endpoints = pods.cache.list().compactMap { workload(cluster, $0) }
        endpoints += hostEndpoints?.cache.list().map { host(cluster, $0) } ?? []
        return (endpoints, services.cache.list().map { service(cluster, $0) })
    }

    /// The published values of `keys` as the caches have them now.
    func update(cluster: String, _ keys: PendingKeys) -> FederationUpdate {
        var update = FederationUpdate()
        for key in keys.pods {
            if let pod = pods.cache.get(key), let endpoint = workload(cluster, pod) {
                update.upsertedEndpoints.append(endpoint)
            } else {
                update.removedEndpoints.append("\(cluster)/\(key)")
            }
        }
        for key in keys.hostEndpoints {
            if let hostEndpoint = hostEndpoints?.cache.get(key) {
                update.upsertedEndpoints.append(host(cluster, hostEndpoint))
            } else {
                update.removedEndpoints.append("\(cluster)/\(key)")
            }
        }
        for key in keys.services {
            if let service = services.cache.get(key) {
                update.upsertedServices.append(self.service(cluster, service))
            } else {
                update.removedServices.append("\(cluster)/\(key)")
            }
        }
        return update
    }

    private func workload(_ cluster: String, _ pod: PodProjection) -> RemoteEndpoint? {
        guard pod.isWorkload else { return nil }
        let serviceAccountLabels = pod.serviceAccount.isEmpty ? nil : serviceAccounts.cache.get("\(pod.namespace)/\(pod.serviceAccount)")?.labels
        let labels = EffectiveLabels.workload(
            cluster: cluster, podLabels: pod.labels, namespace: pod.namespace, serviceAccount: pod.serviceAccount,
            namespaceLabels: namespaces.cache.get(pod.namespace)?.labels, serviceAccountLabels: serviceAccountLabels)
        return RemoteEndpoint(cluster: cluster, kind: .workload, namespace: pod.namespace, name: pod.name, node: pod.node, ips: pod.ips, labels: labels)
    }

    private func host(_ cluster: String, _ hostEndpoint: HostEndpointProjection) -> RemoteEndpoint {
        RemoteEndpoint(cluster: cluster, kind: .host, namespace: "", name: hostEndpoint.name, node: hostEndpoint.node,
                       ips: hostEndpoint.ips, labels: EffectiveLabels.host(cluster: cluster, labels: hostEndpoint.labels))
    }

    private func service(_ cluster: String, _ service: ServiceProjection) -> RemoteService {
        let addressCache = slices?.cache ?? endpoints?.cache
        let groups = addressCache?.objects(index: Self.serviceIndex, value: service.key).flatMap(\.groups) ?? []
        return RemoteService(cluster: cluster, namespace: service.namespace, name: service.name, labels: service.labels,
                             ports: service.ports, endpointGroups: groups.sorted { $0.addresses.first?.ip ?? "" < $1.addresses.first?.ip ?? "" })
    }

    /// Runs one informer and turns its events into ``Change``s; `dirty` maps a changed object's key, and its old
    /// and new values, to the published values to rebuild.
    private static func run<Watched, Cached>(
        _ informer: Informer<Watched, Cached>, _ name: String, in group: inout DiscardingTaskGroup, _ report: @escaping Report,
        dirty: @escaping @Sendable (_ key: String, _ values: [Cached]) -> PendingKeys
    ) {
        group.addTask { await informer.run() }
        group.addTask {
            for await event in informer.events {
                switch event {
                case .synced: report(name, .synced)
                case .recovering(let error): report(name, .failed(error))
                case .recovered: report(name, .recovered)
                case .resync: break
                case .added(let key, let new): report(name, .dirty(dirty(key, [new])))
                case .updated(let key, let old, let new): report(name, .dirty(dirty(key, [old, new])))
                case .deleted(let key, let old): report(name, .dirty(dirty(key, [old])))
                }
            }
        }
    }

}
