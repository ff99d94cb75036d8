import CalicoSelector
import KubeClient
import KubeRuntime
import Logging
import Synchronization

/// Keeps the Endpoints and EndpointSlices of every federated Service (a local Service annotated
/// `federation.tigera.io/serviceSelector`) equal to the addresses of the local and remote services it selects
/// (issue 7, calico-federation.md §6, DESIGN §6.8).
///
/// Guarantees:
/// - Level-triggered per federated service (`namespace/name`): a changed service, local or remote, queues the
///   federated services of its namespace that it backed or now matches; a reconcile computes from the caches (its
///   own objects come from informers, ``FederatedServiceObjects``) and writes only what differs.
/// - Ownership is the annotation on the Endpoints object: one without it is left alone; a service that stops being
///   federated (annotation removed or invalid, `spec.selector` set, service deleted) loses the Endpoints the
///   controller owns. An invalid selector or a `spec.selector` gets a Warning Event on the Service.
/// - Restart safety: addresses of a cluster whose RCC exists but which has not published yet (``pendingClusters``)
///   are carried over from the existing Endpoints and slices, so a restart never shrinks them.
/// - Outages (DESIGN §6.4): a cluster that has been unreachable longer than the grace period
///   (``withdrawnClusters``) contributes no addresses until it is back; every federated service is reconciled when
///   that set changes (looked at every second).
/// - Drift repair: every ``Options/resync`` every federated service is reconciled again (missing objects recreated,
///   edited ones fixed), and managed Endpoints and slices of services that are not federated are deleted.
/// - Nothing happens before the local cluster's services are listed.
public final class FederatedServicesController: Reconciler, Sendable {
    public typealias Key = String

    /// Timing.
    public struct Options: Sendable {
        /// How often everything is reconciled again (`--federated-services-resync`).
        public var resync: Duration
        /// How often the withdrawn clusters are looked at.
        public var outageCheckInterval: Duration
        /// How long the first pass waits for every cluster with an RCC to publish (as Calico computes Endpoints only
        /// once its startup remotes are in sync), so a cold start writes each object once rather than once per
        /// cluster; a cluster still not in sync then is carried over.
        public var startupSyncWait: Duration

        public init(resync: Duration = .seconds(300), outageCheckInterval: Duration = .seconds(1), startupSyncWait: Duration = .seconds(30)) {
            self.resync = resync
            self.outageCheckInterval = outageCheckInterval
            self.startupSyncWait = startupSyncWait
        }
    }

    private let local: FederationCache
    private let remotes: FederationCache
    private let events: EventRecorder?
    private let pendingClusters: @Sendable () -> Set<String>
    private let withdrawnClusters: @Sendable () async -> Set<String>
    private let options: Options
    private let logger: Logger
    /// `namespace/name` of the local federated services by namespace, kept from the local changes.
    private let federatedKeys = Mutex<[String: Set<String>]>([:])
    private let stats = Mutex(FederatedServiceMetrics())
    private let objects: FederatedServiceObjects
    /// The withdrawn clusters as last looked at (every ``Options/outageCheckInterval``), so a reconcile does not
    /// wait on the registry.
    private let withdrawn = Mutex<Set<String>>([])
    /// Each federated service's selector and the services that backed it at its last reconcile: a changed service
    /// queues only the federated services it backed or now matches.
    private let routes = Mutex<[String: (selector: Selector, backing: Set<String>)]>([:])

    /// - Parameters:
    ///   - local: the local cluster's services (``FederationCache/localCluster``).
    ///   - remotes: every remote cluster's services.
    ///   - pendingClusters: clusters that have an RCC but have not published (yet): their addresses are kept.
    ///   - withdrawnClusters: clusters unreachable for longer than the grace period: their addresses are withdrawn.
    public init(client: KubeClient, local: FederationCache, remotes: FederationCache, events: EventRecorder?, options: Options = Options(),
                logger: Logger = Logger(label: "federated-services"), pendingClusters: @escaping @Sendable () -> Set<String> = { [] },
                withdrawnClusters: @escaping @Sendable () async -> Set<String> = { [] }) {
        self.local = local
        self.remotes = remotes
        self.events = events
        self.options = options
        self.pendingClusters = pendingClusters
        self.withdrawnClusters = withdrawnClusters
        self.logger = logger
        objects = FederatedServiceObjects(client: client, logger: logger)
    }

    /// Runs until cancelled.
    public func run() async {
        let controller = Controller(name: "federatedservices", reconciler: self, workers: 4, logger: logger)
        let localChanges = local.subscribe()
        let remoteChanges = remotes.subscribe()
        await withDiscardingTaskGroup { group in
            let objects = self.objects
            group.addTask { await objects.endpoints.run() }
            group.addTask { await objects.slices.run() }
            // Changes by others are repaired at once; the echoes of the controller's own writes are not reacted to.
            group.addTask { await controller.enqueue(from: objects.endpoints.events) { objects.isOwnWrite($0) ? [] : [$0.key].compactMap { $0 } } }
            group.addTask { await controller.enqueue(from: objects.slices.events) { objects.observed($0) ? [] : Self.services(of: $0) } }
            guard await waitForStart(localChanges) else {
                group.cancelAll()
                return
            }
            for changes in [localChanges, remoteChanges] {
                group.addTask {
                    while let change = await changes.next() {
                        for key in self.federatedServices(affectedBy: change) { await controller.queue.add(key) }
                    }
                }
            }
            group.addTask { await self.followOutages(controller) }
            group.addTask { await self.resyncPeriodically(controller) }
            for key in federatedServiceKeys() { await controller.queue.add(key) }
            logger.info("reconciling federated services", metadata: ["federatedServices": "\(federatedServiceKeys().count)"])
            await controller.run()
            localChanges.cancel()
            remoteChanges.cancel()
            group.cancelAll()
        }
    }

    public func reconcile(_ key: String) async throws -> ReconcileResult {
        // Slices planned from a cache without the last writes could be created twice: wait for them.
        guard objects.isCurrent(key) else { return .requeue(after: .milliseconds(20)) }
        let start = ContinuousClock.now
        defer { stats.withLock { $0.reconciled(in: .now - start) } }
        let counts = try await sync(key)
        stats.withLock { $0.endpoints[key] = counts }
        if counts == nil { routes.withLock { _ = $0.removeValue(forKey: key) } }
        return .done
    }

    /// Brings one service's objects to their desired state; returns its addresses by cluster (`local` or the RCC),
    /// nil when it is not federated.
    private func sync(_ key: String) async throws -> [String: Int]? {
        let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        let (namespace, name) = (parts[0], parts[1])
        let current = objects.endpoints(of: key)
        let existing: core.v1.Endpoints? = if case .owned(let endpoints) = current { endpoints } else { nil }
        let slices = objects.slices(of: key)
        guard let service = local.service("\(FederationCache.localCluster)/\(key)"), let annotation = service.federationSelector else {
            try await withdraw(key, existing, slices, reason: "the service is not federated")
            return nil
        }
        let selector: Selector
        switch FederatedEndpointsBuilder.selector(of: service) {
        case .success(let parsed): selector = parsed
        case .failure(let refusal):
            await warn(service, refusal)
            try await withdraw(key, existing, slices, reason: refusal.reason)
            return nil
        }
        let withdrawn = self.withdrawn.withLock { $0 }
        let candidates = local.services(of: FederationCache.localCluster, inNamespace: namespace).filter { $0.name != name }
            + remotes.clusters.filter { !withdrawn.contains($0) }.flatMap { remotes.services(of: $0, inNamespace: namespace) }
        let backing = FederatedEndpointsBuilder.backing(candidates, namespace: namespace, selector: selector)
        routes.withLock { $0[key] = (selector, Set(backing.map(\.key))) }
        let addresses = FederatedEndpointsBuilder.addresses(ports: service.ports, backing: backing)
        let pending = pendingClusters().subtracting(withdrawn)

        let counts = Dictionary(grouping: addresses, by: { Self.cluster(of: $0.address) }).mapValues(\.count)
        let owners = Self.owners(service)
        let sliceChanges = FederatedSlicePlanner.plan(service: name, namespace: namespace, addresses: addresses, carriedOver: pending, existing: slices,
                                                      owners: owners)
        try await objects.apply(sliceChanges, namespace: namespace, key: key)

        if current == .unowned {
            logger.debug("Endpoints not owned by the controller; left alone", metadata: ["service": "\(key)"])
            return counts
        }
        let carried = (existing?.subsets ?? []).compactMap { Self.addresses(of: $0, from: pending) }
        var subsets = FederatedEndpointsBuilder.subsets(addresses, carriedOver: carried)
        var desired = existing ?? core.v1.Endpoints(metadata: .init(name: name, namespace: namespace))
        desired.metadata.annotations = (desired.metadata.annotations ?? [:]).merging([FederatedService.selectorAnnotation: annotation]) { $1 }
        desired.metadata.labels = (desired.metadata.labels ?? [:]).merging([FederatedService.skipMirrorLabel: "true"]) { $1 }
        desired.metadata.ownerReferences = owners
        if let truncated = FederatedEndpointsBuilder.truncated(subsets, limit: FederatedService.maxEndpointsAddresses) {
            subsets = truncated
            desired.metadata.annotations?[FederatedService.overCapacityAnnotation] = "truncated"
        } else {
            desired.metadata.annotations?[FederatedService.overCapacityAnnotation] = nil
        }
        desired.subsets = subsets.isEmpty ? nil : subsets
        guard desired != existing else { return counts }
        try await objects.write(desired, exists: existing != nil)
        let before = Self.clusters(in: existing?.subsets ?? []), after = Self.clusters(in: subsets)
        if existing == nil || before != after {
            let count = addresses.count
            await events?.record(.normal, reason: "FederatedEndpointsUpdated", action: "Update",
                                 note: "\(count) address\(count == 1 ? "" : "es") from \(after.isEmpty ? "no cluster" : after.sorted().joined(separator: ", "))",
                                 regarding: Self.reference(service))
        }
        logger.debug("federated Endpoints written", metadata: ["service": "\(key)", "backing": "\(backing.map { "\($0.cluster)/\($0.name)" })"])
        return counts
    }

    /// Returns once the local services and the controller's objects are listed, and every cluster with an RCC has
    /// published (or ``Options/startupSyncWait`` passed); false when cancelled first.
    private func waitForStart(_ localChanges: FederationSubscription) async -> Bool {
        while local.counts(of: FederationCache.localCluster) == nil {
            guard await localChanges.next() != nil else { return false }
        }
        await objects.endpoints.waitUntilSynced()
        await objects.slices.waitUntilSynced()
        let waitUntil = ContinuousClock.now + options.startupSyncWait
        while !pendingClusters().isEmpty && ContinuousClock.now < waitUntil && !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(100))
        }
        federatedKeys.withLock { keys in
            keys = Dictionary(grouping: local.services(of: FederationCache.localCluster).filter { $0.federationSelector != nil }, by: \.namespace)
                .mapValues { Set($0.map { "\($0.namespace)/\($0.name)" }) }
        }
        let initiallyWithdrawn = await withdrawnClusters()
        withdrawn.withLock { $0 = initiallyWithdrawn }
        return !Task.isCancelled && objects.endpoints.hasSynced && objects.slices.hasSynced
    }

    /// The services a slice event concerns.
    private static func services(of event: InformerEvent<discovery.v1.EndpointSlice>) -> [String] {
        switch event {
        case .added(_, let slice), .deleted(_, let slice), .resync(_, let slice): [FederatedServiceObjects.serviceKey(of: slice)]
        case .updated(_, let old, let new): Array(Set([FederatedServiceObjects.serviceKey(of: old), FederatedServiceObjects.serviceKey(of: new)]))
        case .synced, .recovering, .recovered: []
        }
    }

    /// Reconciles every federated service whenever the set of withdrawn clusters changes.
    private func followOutages(_ controller: Controller<FederatedServicesController>) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: options.outageCheckInterval)
            let now = await withdrawnClusters()
            let last = withdrawn.withLock { last in
                defer { last = now }
                return last
            }
            guard now != last else { continue }
            logger.info("clusters withdrawn from federated services changed", metadata: [
                "withdrawn": "\(now.sorted())", "restored": "\(last.subtracting(now).sorted())"])
            for key in federatedServiceKeys() { await controller.queue.add(key) }
        }
    }

    /// Every ``Options/resync``: every federated service, and every service that has managed objects, again.
    private func resyncPeriodically(_ controller: Controller<FederatedServicesController>) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: options.resync)
            guard !Task.isCancelled else { return }
            for key in Set(federatedServiceKeys()).union(objects.managedServiceKeys()) { await controller.queue.add(key) }
        }
    }

    /// The keys of the local federated services.
    private func federatedServiceKeys() -> [String] { federatedKeys.withLock { $0.values.flatMap { $0 } } }

    /// The controller's numbers as they are now.
    public var metrics: FederatedServiceMetrics { stats.withLock { $0 } }

    /// Federated services whose backing may have changed with these services: in the same namespace, those the
    /// service backed at their last reconcile or whose selector matches it now (all of them while not yet
    /// reconciled); and changed local services themselves (they may have become or stopped being federated).
    private func federatedServices(affectedBy change: FederationChange) -> Set<String> {
        guard !change.services.isEmpty else { return [] }
        var affected = Set<String>()
        var changed: [(namespace: String, key: String, labels: [String: String]?)] = []
        for key in change.services {
            let parts = key.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            let isLocal = parts[0].isEmpty
            let service = isLocal ? local.service(key) : remotes.service(key)
            changed.append((String(parts[1]), key, service.map(FederatedEndpointsBuilder.matchingLabels)))
            guard isLocal else { continue }
            let serviceKey = "\(parts[1])/\(parts[2])"
            affected.insert(serviceKey)
            let federated = service?.federationSelector != nil
            federatedKeys.withLock { keys in
                if federated { keys[String(parts[1]), default: []].insert(serviceKey) } else { keys[String(parts[1])]?.remove(serviceKey) }
            }
        }
        let routes = self.routes.withLock { $0 }
        let federatedKeys = self.federatedKeys.withLock { $0 }
        for (namespace, services) in Dictionary(grouping: changed, by: \.namespace) {
            for federated in federatedKeys[namespace] ?? [] {
                for service in services {
                    guard let route = routes[federated] else {
                        affected.insert(federated)
                        break
                    }
                    if route.backing.contains(service.key) || service.labels.map(route.selector.matches) == true {
                        affected.insert(federated)
                        break
                    }
                }
            }
        }
        return affected
    }

    /// Deletes what the controller owns for a service that is not (or no longer) federated: its managed slices, and
    /// its Endpoints unless a user took them over (removed the annotation).
    private func withdraw(_ key: String, _ owned: core.v1.Endpoints?, _ slices: [discovery.v1.EndpointSlice], reason: String) async throws {
        let namespace = String(key.prefix { $0 != "/" })
        if !slices.isEmpty { try await objects.apply(FederatedSlicePlanner.Changes(delete: slices.compactMap(\.metadata.name)), namespace: namespace, key: key) }
        guard let owned, let name = owned.metadata.name else { return }
        try await objects.deleteEndpoints(namespace: namespace, name: name)
        logger.info("federated Endpoints deleted", metadata: ["service": "\(key)", "reason": "\(reason)"])
    }

    private func warn(_ service: RemoteService, _ refusal: FederatedEndpointsBuilder.Refusal) async {
        logger.warning("annotated service is not federated", metadata: [
            "service": "\(service.namespace)/\(service.name)", "reason": "\(refusal.reason)", "detail": "\(refusal.message)"])
        await events?.record(.warning, reason: refusal.reason, action: "Federate", note: refusal.message, regarding: Self.reference(service))
    }

    private static func reference(_ service: RemoteService) -> core.v1.ObjectReference {
        core.v1.ObjectReference(apiVersion: "v1", kind: "Service", name: service.name, namespace: service.namespace)
    }

    /// The addresses of `subset` that came from one of `clusters` (their `targetRef` names start `<cluster>/`).
    static func addresses(of subset: core.v1.EndpointSubset, from clusters: Set<String>) -> core.v1.EndpointSubset? {
        guard !clusters.isEmpty else { return nil }
        func kept(_ addresses: [core.v1.EndpointAddress]?) -> [core.v1.EndpointAddress]? {
            let kept = (addresses ?? []).filter { address in
                guard let name = address.targetRef?.name, let slash = name.firstIndex(of: "/") else { return false }
                return clusters.contains(String(name[..<slash]))
            }
            return kept.isEmpty ? nil : kept
        }
        let subset = core.v1.EndpointSubset(addresses: kept(subset.addresses), notReadyAddresses: kept(subset.notReadyAddresses), ports: subset.ports)
        return subset.addresses == nil && subset.notReadyAddresses == nil ? nil : subset
    }

    /// The clusters addresses came from.
    static func clusters(in subsets: [core.v1.EndpointSubset]) -> Set<String> {
        var clusters = Set<String>()
        for subset in subsets {
            for address in subset.addresses ?? [] { clusters.insert(cluster(of: address)) }
            for address in subset.notReadyAddresses ?? [] { clusters.insert(cluster(of: address)) }
        }
        return clusters
    }

    /// The Service as the controlling owner of its Endpoints and slices (deleting the Service lets the garbage
    /// collector take them); nil while its uid is unknown. Without `blockOwnerDeletion`, which clusters that enforce
    /// owner-reference permissions allow only to writers that may update `services/finalizers`.
    static func owners(_ service: RemoteService) -> [meta.v1.OwnerReference]? {
        service.uid.map { [meta.v1.OwnerReference(apiVersion: "v1", kind: "Service", name: service.name, uid: $0, controller: true)] }
    }

    /// `local`, or the `<rcc>` of a remote address's `targetRef` name.
    static func cluster(of address: core.v1.EndpointAddress) -> String {
        guard let name = address.targetRef?.name, let slash = name.firstIndex(of: "/") else { return "local" }
        return String(name[..<slash])
    }
}
