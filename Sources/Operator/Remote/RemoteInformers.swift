import KubeClient
import KubeRuntime
import Logging

/// The informers a ``RemoteClusterSyncer`` runs on one remote cluster, and the ``FederationSource`` their caches
/// make: ``RemoteEndpoint``s and ``RemoteService``s computed when read.
struct RemoteInformers: FederationSource {
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
    static let workloadIndex = "workload"

    /// The RCC name: the prefix of every key.
    let cluster: String
    let pods: Informer<core.v1.Pod, PodProjection>
    let namespaces: Informer<core.v1.Namespace, LabelsProjection>
    let serviceAccounts: Informer<core.v1.ServiceAccount, LabelsProjection>
    let serviceInformer: Informer<core.v1.Service, ServiceProjection>
    let slices: Informer<discovery.v1.EndpointSlice, ServiceEndpointsProjection>?
    let endpointsInformer: Informer<core.v1.Endpoints, ServiceEndpointsProjection>?
    let hostEndpoints: Informer<DynamicObject, HostEndpointProjection>?

    init(cluster: String, client: KubeClient, remote: RemoteDiscovery, options: InformerOptions, logger: Logger) {
        self.cluster = cluster
        let labels = LabelInterner()
        pods = Informer(client: client.resource(core.v1.Pod.self), options: options, indexes: [
            Self.namespaceIndex: { [$0.namespace] },
            Self.serviceAccountIndex: { $0.serviceAccount.isEmpty ? [] : ["\($0.namespace)/\($0.serviceAccount)"] },
            Self.workloadIndex: { $0.isWorkload ? [Self.workloadIndex] : [] },
        ], logger: logger) { pod in
            var projection = PodProjection(pod)
            projection.labels = labels.intern(projection.labels)
            return projection
        }
        namespaces = Informer(client: client.resource(core.v1.Namespace.self), options: options, logger: logger, project: LabelsProjection.init)
        serviceAccounts = Informer(client: client.resource(core.v1.ServiceAccount.self), options: options, logger: logger, project: LabelsProjection.init)
        serviceInformer = Informer(client: client.resource(core.v1.Service.self), options: options,
                                   indexes: [Self.namespaceIndex: { [$0.namespace] }], logger: logger, project: ServiceProjection.init)
        let byService: [String: ObjectCache<ServiceEndpointsProjection>.IndexFunction] = [Self.serviceIndex: { [$0.serviceKey] }]
        if remote.servesEndpointSlices {
            // The server leaves out the slices federation-operator wrote (never imported, see ServiceEndpointsProjection),
            // so the cluster's own federated slices, rewritten at every remote change, are not even decoded.
            var sliceOptions = options
            sliceOptions.labelSelector = ([options.labelSelector].compactMap { $0 } + ["\(FederatedService.sliceManagedByKey)!=\(FederatedService.managerName)"])
                .joined(separator: ",")
            slices = Informer(client: client.resource(discovery.v1.EndpointSlice.self), options: sliceOptions, indexes: byService,
                              logger: logger, project: ServiceEndpointsProjection.init)
            endpointsInformer = nil
        } else {
            slices = nil
            endpointsInformer = Informer(client: client.resource(core.v1.Endpoints.self), options: options, indexes: byService,
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
        Self.run(serviceInformer, "services", in: &group, report) { key, _ in PendingKeys(services: [key]) }
        // Addresses belong to the services their old and new values name.
        let addressesChanged: @Sendable (String, [ServiceEndpointsProjection]) -> PendingKeys = { _, values in
            PendingKeys(services: Set(values.map(\.serviceKey)))
        }
        if let slices { Self.run(slices, "endpointslices", in: &group, report, dirty: addressesChanged) }
        if let endpointsInformer { Self.run(endpointsInformer, "endpoints", in: &group, report, dirty: addressesChanged) }
        if let hostEndpoints {
            Self.run(hostEndpoints, "hostendpoints", in: &group, report) { key, _ in PendingKeys(hostEndpoints: [key]) }
        }
    }

    // MARK: FederationSource

    func endpoints() -> [RemoteEndpoint] {
        pods.cache.list().compactMap(workload) + (hostEndpoints?.cache.list().map(host) ?? [])
    }

    func services() -> [RemoteService] { serviceInformer.cache.list().map(service) }

    func services(inNamespace namespace: String) -> [RemoteService] {
        serviceInformer.cache.objects(index: Self.namespaceIndex, value: namespace).map(service)
    }

    func endpoint(_ key: String) -> RemoteEndpoint? {
        guard let local = localKey(key) else { return nil }
        if local.contains("/") { return pods.cache.get(local).flatMap(workload) }
        return hostEndpoints?.cache.get(local).map(host)
    }

    func service(_ key: String) -> RemoteService? {
        localKey(key).flatMap { serviceInformer.cache.get($0) }.map(service)
    }

    var endpointCount: Int {
        pods.cache.keys(index: Self.workloadIndex, value: Self.workloadIndex).count + (hostEndpoints?.cache.count ?? 0)
    }

    var serviceCount: Int { serviceInformer.cache.count }

    /// The published keys that `keys` (the caches' keys) stand for.
    func change(_ keys: PendingKeys) -> FederationChange {
        FederationChange(clusters: [cluster], endpoints: Set(keys.pods.map(globalKey) + keys.hostEndpoints.map(globalKey)),
                         services: Set(keys.services.map(globalKey)))
    }

    /// `namespace/name` or `name` under the cluster's prefix.
    private func globalKey(_ key: String) -> String { "\(cluster)/\(key)" }

    /// The cache key of a published key of this cluster.
    private func localKey(_ key: String) -> String? {
        key.hasPrefix(cluster + "/") ? String(key.dropFirst(cluster.count + 1)) : nil
    }

    private func workload(_ pod: PodProjection) -> RemoteEndpoint? {
        guard pod.isWorkload else { return nil }
        let serviceAccountLabels = pod.serviceAccount.isEmpty ? nil : serviceAccounts.cache.get("\(pod.namespace)/\(pod.serviceAccount)")?.labels
        let labels = EffectiveLabels.workload(
            cluster: cluster, podLabels: pod.labels, namespace: pod.namespace, serviceAccount: pod.serviceAccount,
            namespaceLabels: namespaces.cache.get(pod.namespace)?.labels, serviceAccountLabels: serviceAccountLabels)
        return RemoteEndpoint(cluster: cluster, kind: .workload, namespace: pod.namespace, name: pod.name, node: pod.node, ips: pod.ips, labels: labels)
    }

    private func host(_ hostEndpoint: HostEndpointProjection) -> RemoteEndpoint {
        RemoteEndpoint(cluster: cluster, kind: .host, namespace: "", name: hostEndpoint.name, node: hostEndpoint.node,
                       ips: hostEndpoint.ips, labels: EffectiveLabels.host(cluster: cluster, labels: hostEndpoint.labels))
    }

    private func service(_ service: ServiceProjection) -> RemoteService {
        let addressCache = slices?.cache ?? endpointsInformer?.cache
        let groups = addressCache?.objects(index: Self.serviceIndex, value: service.key).flatMap(\.groups) ?? []
        return RemoteService(cluster: cluster, namespace: service.namespace, name: service.name, labels: service.labels,
                             ports: service.ports, endpointGroups: groups.sorted { $0.addresses.first?.ip ?? "" < $1.addresses.first?.ip ?? "" },
                             federationSelector: service.federationSelector, hasPodSelector: service.hasPodSelector, uid: service.uid)
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
