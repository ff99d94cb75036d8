import CalicoSelector
import KubeClient
import KubeRuntime
import Logging
import Synchronization

/// The operator's controllers on one local cluster: the RCC controller with its informers (RCCs, and Secrets in
/// the namespaces credentials may come from), the registry of remote syncers and the ``FederationCache`` they fill,
/// a syncer on the local cluster's own endpoints and services (``local``), the identity publisher and the
/// federated-services controller.
///
/// ```swift
/// let federation = FederationOperator(client: localClient, configuration: .init(operatorNamespace: "calico-system"))
/// try await federation.run()   // until cancelled
/// ```
///
/// Guarantees: reconciles start only after every cache listed (``isReady`` turns true then); cancelling ``run()``
/// stops the workers, the informers and every syncer before it returns. Published data and finalizers are left as
/// they are, for the next leader.
public final class FederationOperator: Sendable {
    /// What the operator needs to know about its place.
    public struct Configuration: Sendable {
        public var policy: RemoteCredentialPolicy
        public var reconciler: RemoteClusterReconciler.Options
        /// Concurrent RCC reconciles.
        public var workers: Int
        /// `reportingInstance` of Events (the pod name).
        public var instance: String
        /// Whether remote identities are published as Calico network sets (`--identity-publisher=calico|none`).
        public var publishIdentities: Bool
        /// How often the publisher looks for the Calico CRDs while they are missing.
        public var calicoCRDPollInterval: Duration
        /// Whether the federated-services controller runs (`--federated-services`).
        public var federateServices: Bool
        /// The federated-services controller's timing.
        public var services: FederatedServicesController.Options
        /// How long an unreachable remote keeps its federated-service addresses (`--remote-outage-grace`).
        public var remoteOutageGrace: Duration

        public init(policy: RemoteCredentialPolicy, reconciler: RemoteClusterReconciler.Options = .init(), workers: Int = 4,
                    instance: String = LeaderElector.defaultIdentity, publishIdentities: Bool = true,
                    calicoCRDPollInterval: Duration = IdentityPublisher.defaultCRDPollInterval, federateServices: Bool = true,
                    services: FederatedServicesController.Options = .init(), remoteOutageGrace: Duration = .seconds(60)) {
            self.policy = policy
            self.reconciler = reconciler
            self.workers = workers
            self.instance = instance
            self.publishIdentities = publishIdentities
            self.calicoCRDPollInterval = calicoCRDPollInterval
            self.federateServices = federateServices
            self.services = services
            self.remoteOutageGrace = remoteOutageGrace
        }
    }

    public typealias RCC = projectcalico.v3.RemoteClusterConfiguration

    public let federation: FederationCache
    /// The local cluster's own endpoints and services, under ``FederationCache/localCluster``.
    public let local = FederationCache()
    public let registry: RemoteClusterRegistry
    /// Publishes remote identities as Calico network sets; nil when turned off.
    public let identityPublisher: IdentityPublisher?
    /// Writes the Endpoints and EndpointSlices of federated Services.
    public let federatedServices: FederatedServicesController
    private let rccInformer: Informer<RCC, RCC>
    private let secretInformers: [String: Informer<core.v1.Secret, core.v1.Secret>]
    private let controller: Controller<RemoteClusterReconciler>
    private let localSyncer: RemoteClusterSyncer
    /// RCC names to reconcile, and whether only their published data (the counts in their status) changed.
    private let syncerChanges: AsyncStream<(name: String, dataOnly: Bool)>
    private let configuration: Configuration
    private let ready = Mutex(false)
    private let logger: Logger

    public init(client: KubeClient, configuration: Configuration, federation: FederationCache = FederationCache(),
                logger: Logger = Logger(label: "federation-operator")) {
        self.configuration = configuration
        self.federation = federation
        self.logger = logger
        registry = RemoteClusterRegistry(logger: logger)
        rccInformer = Informer(client: client.resource(RCC.self), logger: logger)
        var secretInformers: [String: Informer<core.v1.Secret, core.v1.Secret>] = [:]
        for namespace in configuration.policy.secretNamespaces {
            secretInformers[namespace] = Informer(client: client.resource(core.v1.Secret.self, namespace: namespace), logger: logger)
        }
        self.secretInformers = secretInformers
        let secretCaches = secretInformers.mapValues(\.cache)
        let resolver = RemoteCredentialResolver(policy: configuration.policy) { namespace, name in
            secretCaches[namespace]?.get("\(namespace)/\(name)").map { $0.data ?? [:] }
        }
        let (syncerChanges, changed) = AsyncStream<(name: String, dataOnly: Bool)>.makeStream()
        self.syncerChanges = syncerChanges
        let events = EventRecorder(client: client, configuration: .init(reportingController: "federation-operator",
                                                                        reportingInstance: configuration.instance), logger: logger)
        let rccCache = rccInformer.cache
        localSyncer = RemoteClusterSyncer(cluster: FederationCache.localCluster, client: client, cache: local,
                                          options: configuration.reconciler.syncer, logger: logger) { _ in }
        let publisher = configuration.publishIdentities
            ? IdentityPublisher(client: client, federation: federation, local: local, crdPollInterval: configuration.calicoCRDPollInterval,
                                logger: logger, owner: { Self.ownerReference(rccCache.get($0)) }) { cluster in
                // One cluster's `IPOverlap` condition changed, or (nil) every RCC's `IdentityPublished`.
                let names = cluster.map { [$0] } ?? rccCache.list().compactMap(\.metadata.name)
                for name in names { changed.yield((name, false)) }
            }
            : nil
        identityPublisher = publisher
        let registry = self.registry
        let grace = configuration.remoteOutageGrace
        federatedServices = FederatedServicesController(
            client: client, local: local, remotes: federation, events: events, options: configuration.services, logger: logger,
            pendingClusters: { Set(rccCache.list().compactMap(\.metadata.name).filter { federation.counts(of: $0) == nil && !federation.wasRemoved($0) }) },
            withdrawnClusters: {
                var withdrawn = Set<String>()
                for cluster in await registry.clusters {
                    if let since = await registry.syncer(for: cluster)?.status.failingSince, ContinuousClock.now - since > grace { withdrawn.insert(cluster) }
                }
                return withdrawn
            })
        let reconciler = RemoteClusterReconciler(
            rccs: client.resource(RCC.self), rccCache: rccInformer.cache, resolver: resolver, registry: registry,
            federation: federation, events: events, options: configuration.reconciler, logger: logger,
            purgePublished: { name in try await publisher?.purge(name) }, identityPublishing: { publisher?.isPublishing },
            ipOverlap: { publisher?.ipOverlap(of: $0) }
        ) { name, change in changed.yield((name, change == .data)) }
        controller = Controller(name: "remoteclusterconfiguration", reconciler: reconciler, workers: configuration.workers, logger: logger)
    }

    /// Whether every cache has listed and reconciles run (`/readyz`).
    public var isReady: Bool { ready.withLock { $0 } }

    /// Runs until cancelled.
    public func run() async {
        let controller = self.controller
        let rccCache = rccInformer.cache
        let operatorNamespace = configuration.policy.operatorNamespace
        await withDiscardingTaskGroup { group in
            group.addTask { await self.registry.run() }
            group.addTask { await self.localSyncer.run() }
            if let publisher = identityPublisher { group.addTask { await publisher.run() } }
            group.addTask { await self.rccInformer.run() }
            group.addTask { await controller.enqueue(from: self.rccInformer.events) { [$0.key].compactMap { $0 } } }
            for informer in secretInformers.values {
                group.addTask { await informer.run() }
                group.addTask {
                    await controller.enqueue(from: informer.events) { event in
                        guard let key = event.key else { return [] }
                        return Self.rccs(referencing: key, in: rccCache.list(), operatorNamespace: operatorNamespace)
                    }
                }
            }
            group.addTask {
                // A data change only moves the status counts: one reconcile per status interval is enough (each
                // reconcile resolves the RCC's credentials, which is not free at hundreds of remote changes a second).
                let interval = self.configuration.reconciler.statusInterval
                for await (name, dataOnly) in self.syncerChanges {
                    if dataOnly { await controller.queue.add(name, after: interval) } else { await controller.queue.add(name) }
                }
            }
            await rccInformer.waitUntilSynced()
            for informer in secretInformers.values { await informer.waitUntilSynced() }
            guard !Task.isCancelled else { group.cancelAll(); return }
            ready.withLock { $0 = true }
            // After the RCCs are listed: which clusters have not published yet decides what a restart must keep.
            if configuration.federateServices { group.addTask { await self.federatedServices.run() } }
            logger.info("caches synced; reconciling", metadata: ["rccs": "\(rccCache.count)"])
            await controller.run()
            ready.withLock { $0 = false }
            group.cancelAll()
        }
        logger.info("stopped")
    }

    /// The operator's metrics as they are now.
    public func metrics() async -> OperatorMetrics {
        var metrics = OperatorMetrics()
        let states = controller.reconciler.clusterStates.sorted { $0.key < $1.key }
        metrics.add("remote_cluster_connection_status", "gauge",
                    help: "0-NotConnecting ,1-Connecting, 2-InSync, 3-ReSyncInProgress, 4-ConfigChangeRestartRequired, 5-ConfigInComplete",
                    states.map { .init([("remote_cluster_name", $0.key.lowercased())], Double(OperatorMetrics.connectionStatusValue[$0.value] ?? 1)) })
        let counts = states.map { ($0.key, federation.counts(of: $0.key)) }
        metrics.add("federation_remote_endpoints", "gauge", help: "Endpoints published from each remote cluster.",
                    counts.map { .init([("remote_cluster_name", $0.0)], Double($0.1?.endpoints ?? 0)) })
        metrics.add("federation_remote_services", "gauge", help: "Services published from each remote cluster.",
                    counts.map { .init([("remote_cluster_name", $0.0)], Double($0.1?.services ?? 0)) })
        if let overlaps = identityPublisher?.ipOverlapCounts {
            metrics.add("federation_ip_overlaps", "gauge", help: "Remote endpoint IPs also used locally or by another remote cluster (left out of the network sets).",
                        states.map { .init([("remote_cluster_name", $0.key)], Double(overlaps[$0.key] ?? 0)) })
        }
        if configuration.federateServices { federatedServices.metrics.add(to: &metrics) }
        let name = [("name", controller.name)]
        let queue = await controller.queue.metrics
        metrics.add("workqueue_depth", "gauge", help: "Current depth of the work queue.", [.init(name, Double(queue.depth))])
        metrics.add("workqueue_adds_total", "counter", help: "Keys added to the work queue.", [.init(name, Double(queue.adds))])
        metrics.add("workqueue_retries_total", "counter", help: "Rate-limited retries of the work queue.", [.init(name, Double(queue.retries))])
        let reconciles = controller.metrics
        let controllerLabel = ("controller", controller.name)
        metrics.add("controller_runtime_reconcile_total", "counter", help: "Reconciles by controller and result.", [
            .init([controllerLabel, ("result", "success")], Double(reconciles.success)),
            .init([controllerLabel, ("result", "requeue_after")], Double(reconciles.requeueAfter)),
            .init([controllerLabel, ("result", "error")], Double(reconciles.error)),
        ])
        metrics.add("controller_runtime_reconcile_errors_total", "counter", help: "Reconciles that failed.",
                    [.init([controllerLabel], Double(reconciles.error))])
        return metrics
    }

    /// The local and remote endpoints `selector` matches (`GET /debug/endpoints`), as `query endpoints` lists them.
    public func endpoints(matching selector: Selector, namespace: String?) -> EndpointRecordList {
        let all = local.endpoints(of: FederationCache.localCluster) + federation.clusters.flatMap { federation.endpoints(of: $0) }
        return EndpointRecordList(items: EndpointRecord.select(all, selector: selector, namespace: namespace))
    }

    /// A reference to `rcc` as the owner of what is derived from it.
    static func ownerReference(_ rcc: RCC?) -> IdentityPublisher.OwnerReference? {
        guard let rcc, let name = rcc.metadata.name, let uid = rcc.metadata.uid else { return nil }
        return .init(apiVersion: RCC.resource.apiVersion, kind: RCC.resource.kind, name: name, uid: uid)
    }

    /// The RCCs whose `clusterAccessSecret` is the Secret `secretKey` (`namespace/name`).
    static func rccs(referencing secretKey: String, in rccs: [RCC], operatorNamespace: String) -> [String] {
        rccs.compactMap { rcc in
            guard let reference = rcc.spec.clusterAccessSecret, let name = reference.name else { return nil }
            let namespace = (reference.namespace ?? "").isEmpty ? operatorNamespace : reference.namespace ?? ""
            return "\(namespace)/\(name)" == secretKey ? rcc.metadata.name : nil
        }
    }
}
