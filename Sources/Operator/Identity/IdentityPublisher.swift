import KubeClient
import KubeRuntime
import Logging
import Synchronization

/// Keeps the local cluster's Calico network sets equal to the plan of every published remote cluster (issue 6,
/// DESIGN §6.7), so local policy rules match remote IPs by their remote labels.
///
/// Guarantees:
/// - Level-triggered per cluster: a FederationCache change, a local namespace created or deleted, or an edit of a
///   managed set queues the cluster; its reconcile plans from the cache and creates, replaces or deletes managed sets
///   (`app.kubernetes.io/managed-by: federation-operator`) until they equal the plan. Manual edits are reverted.
/// - Restart safety: a cluster that is not published (yet) keeps its sets untouched; only a purged cluster
///   (``FederationCache/wasRemoved(_:)``, or ``purge(_:)``) loses them.
/// - IP overlap (issue 6 §2): a remote IP that a local endpoint or another remote cluster also uses is left out of
///   the sets and reported (``ipOverlap(of:)``, logged). With a local cache, nothing is published before the local
///   cluster's endpoints are listed.
/// - Every set is owned by its cluster's RCC (`ownerReferences`), when `owner` knows it.
///
/// - Without Calico's `networksets` and `globalnetworksets` CRDs on the local cluster, publishing is off: that is
///   logged once, ``isPublishing`` says false (RCC status shows it), and discovery is asked again every
///   `crdPollInterval` until they appear.
public final class IdentityPublisher: Reconciler, Sendable {
    public typealias Key = String

    /// How often discovery is asked whether the Calico CRDs appeared.
    public static let defaultCRDPollInterval: Duration = .seconds(30)

    private let client: KubeClient
    private let federation: FederationCache
    private let namespaces: Informer<core.v1.Namespace, String>
    private let networkSets: Informer<DynamicObject, PublishedNetworkSet>
    private let globalNetworkSets: Informer<DynamicObject, PublishedNetworkSet>
    private let logger: Logger
    private let crdPollInterval: Duration
    private let local: FederationCache?
    private let owner: @Sendable (String) -> OwnerReference?
    private let statusChanged: @Sendable (String?) -> Void
    private let publishing = Mutex<Bool?>(nil)
    private let overlapIndex = IPOverlapIndex()
    private let overlapReports = Mutex<[String: IPOverlapReport]>([:])
    /// Each published cluster's plan, kept between reconciles; a cluster's reconcile is its only user.
    private let plans = Mutex<[String: ClusterIdentityPlan]>([:])
    /// Endpoint keys changed since their cluster's last reconcile.
    private let changedEndpoints = Mutex<[String: Set<String>]>([:])
    /// Managed sets (``PlannedNetworkSet/id``) that changed on the server since their cluster's last reconcile.
    private let changedSets = Mutex<[String: Set<String>]>([:])
    /// Clusters whose overlaps changed because another cluster's or a local endpoint's IPs did.
    private let requeued: AsyncStream<String>
    private let requeue: AsyncStream<String>.Continuation
    private static let byCluster = "cluster"

    public typealias OwnerReference = meta.v1.OwnerReference

    /// - Parameters:
    ///   - local: the local cluster's endpoints (``FederationCache/localCluster``), for IP overlap; nil: remote
    ///     clusters are only checked against each other.
    ///   - owner: the owner reference of a cluster's RCC.
    ///   - statusChanged: called with a cluster whose ``ipOverlap(of:)`` changed, or nil when publishing turned on
    ///     or off for every cluster (the CRDs appeared or are missing).
    public init(client: KubeClient, federation: FederationCache, local: FederationCache? = nil,
                crdPollInterval: Duration = defaultCRDPollInterval, logger: Logger = Logger(label: "identity-publisher"),
                owner: @escaping @Sendable (String) -> OwnerReference? = { _ in nil },
                statusChanged: @escaping @Sendable (String?) -> Void = { _ in }) {
        self.client = client
        self.federation = federation
        self.local = local
        self.logger = logger
        self.crdPollInterval = crdPollInterval
        self.owner = owner
        self.statusChanged = statusChanged
        (requeued, requeue) = AsyncStream.makeStream()
        let managed = InformerOptions(labelSelector: "\(NetworkSetPlanner.managedByKey)=\(NetworkSetPlanner.managedByValue)")
        let index: [String: ObjectCache<PublishedNetworkSet>.IndexFunction] = [Self.byCluster: { [$0.cluster].compactMap { $0 } }]
        namespaces = Informer(client: client.resource(core.v1.Namespace.self), logger: logger) { $0.metadata.name ?? "" }
        networkSets = Informer(client: client.dynamic(PublishedNetworkSet.networkSets), options: managed, indexes: index,
                               logger: logger, project: PublishedNetworkSet.init)
        globalNetworkSets = Informer(client: client.dynamic(PublishedNetworkSet.globalNetworkSets), options: managed, indexes: index,
                                     logger: logger, project: PublishedNetworkSet.init)
    }

    /// Whether remote identities are being published: nil until the CRDs were looked for, false while they are
    /// missing.
    public var isPublishing: Bool? { publishing.withLock { $0 } }

    /// The cluster's overlapping IPs as of its last reconcile; nil before one.
    public func ipOverlap(of cluster: String) -> IPOverlapReport? { overlapReports.withLock { $0[cluster] } }

    /// Every reconciled cluster's count of overlapping IPs, for metrics.
    public var ipOverlapCounts: [String: Int] { overlapReports.withLock { $0.mapValues(\.count) } }

    /// Runs until cancelled.
    public func run() async {
        guard await waitForCalicoCRDs() else { return }
        let controller = Controller(name: "identitypublisher", reconciler: self, workers: 4, logger: logger)
        let subscription = federation.subscribe()
        let localChanges = local?.subscribe()
        await withDiscardingTaskGroup { group in
            for informer in [networkSets, globalNetworkSets] {
                group.addTask { await informer.run() }
                group.addTask { await controller.enqueue(from: informer.events) { self.noteChange($0) } }
            }
            group.addTask { await self.namespaces.run() }
            group.addTask {
                // A namespace appearing or going moves groups between NetworkSet and GlobalNetworkSet.
                await controller.enqueue(from: self.namespaces.events) { event in
                    switch event {
                    case .added, .deleted: self.federation.clusters
                    default: []
                    }
                }
            }
            group.addTask {
                while let change = await subscription.next() {
                    let byCluster = Dictionary(grouping: change.endpoints, by: FederationCache.cluster(ofKey:))
                    self.changedEndpoints.withLock { changed in
                        for (cluster, keys) in byCluster { changed[cluster, default: []].formUnion(keys) }
                    }
                    for cluster in change.clusters { await controller.queue.add(cluster) }
                }
            }
            group.addTask {
                for await cluster in self.requeued { await controller.queue.add(cluster) }
            }
            for informer in [networkSets, globalNetworkSets] { await informer.waitUntilSynced() }
            await namespaces.waitUntilSynced()
            if let local, let localChanges, await waitForLocalEndpoints(local, localChanges) {
                group.addTask { await self.followLocalEndpoints(local, localChanges) }
            }
            guard !Task.isCancelled else {
                subscription.cancel()
                localChanges?.cancel()
                requeue.finish()
                return
            }
            logger.info("caches synced; publishing remote identities", metadata: ["managedSets": "\(networkSets.cache.count + globalNetworkSets.cache.count)"])
            for cluster in federation.clusters { await controller.queue.add(cluster) }
            await controller.run()
            subscription.cancel()
            localChanges?.cancel()
            requeue.finish()
            group.cancelAll()
        }
    }

    public func reconcile(_ cluster: String) async throws -> ReconcileResult {
        let existing = published(cluster)
        guard federation.counts(of: cluster) != nil else {
            if federation.wasRemoved(cluster) {
                for set in existing { try await delete(set) }
                forget(cluster)
            }
            return .done
        }
        let (plan, changed) = updatedPlan(of: cluster)
        let current = Dictionary(existing.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        // Only sets whose plan changed or that changed on the server can differ; every set after a full replan.
        let changedOnServer = changedSets.withLock { $0.removeValue(forKey: cluster) } ?? []
        let candidates = changed.map { $0.union(changedOnServer) } ?? Set(plan.desired.keys).union(current.keys)
        var writes: [@Sendable () async throws -> Void] = []
        var deletions: [PublishedNetworkSet] = []
        for id in candidates {
            let have = current[id]
            guard let set = plan.desired[id] else {
                if let have { deletions.append(have) }
                continue
            }
            if let have, have.matches(set) { continue }
            writes.append { try await self.write(set, exists: have != nil) }
        }
        do {
            try await Self.perform(writes + deletions.map { set in { try await self.delete(set) } })
        } catch {
            // Compared again on the retry.
            changedSets.withLock { $0[cluster, default: []].formUnion(candidates) }
            throw error
        }
        if !writes.isEmpty || !deletions.isEmpty {
            logger.debug("network sets written", metadata: ["cluster": "\(cluster)", "writes": "\(writes.count)", "deleted": "\(deletions.count)"])
        }
        return .done
    }

    /// How many writes of one reconcile are in flight at once: a burst touching many sets is written in parallel.
    static let writeConcurrency = 16

    /// Runs `operations`, at most ``writeConcurrency`` at a time; the first failure cancels the rest and is thrown
    /// (the reconcile is retried, and compares again).
    private static func perform(_ operations: [@Sendable () async throws -> Void]) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func startNext() {
                guard next < operations.count else { return }
                group.addTask(operation: operations[next])
                next += 1
            }
            for _ in 0..<writeConcurrency { startNext() }
            while try await group.next() != nil { startNext() }
        }
    }

    /// Creates or replaces a set. Replacements are unconditional: the operator owns managed sets, so its content
    /// wins over an edit, and a cache that lags behind the operator's own last write cannot make it fail (a
    /// replacement that changes nothing is no write on the server).
    private func write(_ set: PlannedNetworkSet, exists: Bool) async throws {
        let sets = client.dynamic(set.resource, namespace: set.namespace)
        if exists {
            _ = try await sets.updateReturningMetadata(set.object())
            return
        }
        do {
            _ = try await sets.createReturningMetadata(set.object())
        } catch let error as KubeAPIError where error.isAlreadyExists {
            // The name is this group's: an object someone stripped of our labels, or one the cache has not seen
            // yet. Take it back.
            _ = try await sets.updateReturningMetadata(set.object())
        }
    }

    /// Deletes every set published for `cluster`, straight from the API (not the caches): called before an RCC's
    /// finalizer is removed.
    public func purge(_ cluster: String) async throws {
        let selector = "\(NetworkSetPlanner.managedByKey)=\(NetworkSetPlanner.managedByValue),\(EffectiveLabels.remoteClusterKey)=\(cluster)"
        for resource in [PublishedNetworkSet.networkSets, PublishedNetworkSet.globalNetworkSets] {
            do {
                try await client.dynamic(resource).deleteCollection(ListOptions(labelSelector: selector))
            } catch let error as KubeAPIError where error.isNotFound {
                // The Calico CRDs are not installed: nothing was published.
            }
        }
    }

    /// The cluster's plan brought up to date: built from all its endpoints the first time, then from the endpoints
    /// that changed since; the IPs it gained or lost are recorded for overlap detection.
    private func updatedPlan(of cluster: String) -> (ClusterIdentityPlan, changed: Set<String>?) {
        let changedKeys = changedEndpoints.withLock { $0.removeValue(forKey: cluster) } ?? []
        var plan: ClusterIdentityPlan
        var fresh = false
        if let kept = plans.withLock({ $0.removeValue(forKey: cluster) }) {
            plan = kept
            var added: [String] = [], removed: [String] = []
            for key in changedKeys {
                let ips = plan.update(key, federation.endpoint(key))
                added += ips.added
                removed += ips.removed
            }
            for other in overlapIndex.updateCluster(cluster, added: added, removed: removed) { requeue.yield(other) }
        } else {
            plan = ClusterIdentityPlan(cluster: cluster)
            fresh = true
            for endpoint in federation.endpoints(of: cluster) { _ = plan.update(endpoint.key, endpoint) }
            for other in overlapIndex.setCluster(cluster, ips: Set(plan.ips)) { requeue.yield(other) }
        }
        let changed = plan.replan(.init(localNamespaces: Set(namespaces.cache.list()), excludedIPs: overlappingIPs(of: cluster), owner: owner(cluster)))
        plans.withLock { $0[cluster] = plan }
        return (plan, fresh ? nil : changed)
    }

    /// Reports the cluster's overlaps when they changed, and returns them.
    private func overlappingIPs(of cluster: String) -> Set<String> {
        let overlaps = overlapIndex.overlaps(of: cluster)
        let report = IPOverlapReport(overlaps)
        let previous = overlapReports.withLock { reports in
            defer { reports[cluster] = report }
            return reports[cluster]
        }
        if report != previous {
            if report.count > 0 {
                logger.warning("remote endpoint IPs overlap; leaving them out of the network sets", metadata: [
                    "cluster": "\(cluster)", "count": "\(report.count)", "examples": "\(report.examples)"])
            } else if let previous, previous.count > 0 {
                logger.info("remote endpoint IPs no longer overlap", metadata: ["cluster": "\(cluster)"])
            }
            statusChanged(cluster)
        }
        return Set(overlaps.keys)
    }

    /// Forgets a purged cluster's IPs; the clusters that shared them are checked again.
    private func forget(_ cluster: String) {
        plans.withLock { _ = $0.removeValue(forKey: cluster) }
        changedEndpoints.withLock { _ = $0.removeValue(forKey: cluster) }
        changedSets.withLock { _ = $0.removeValue(forKey: cluster) }
        for other in overlapIndex.removeCluster(cluster) { requeue.yield(other) }
        overlapReports.withLock { _ = $0.removeValue(forKey: cluster) }
    }

    /// Returns once the local cluster's endpoints are listed, with their IPs recorded (false when cancelled first).
    private func waitForLocalEndpoints(_ local: FederationCache, _ changes: FederationSubscription) async -> Bool {
        if local.counts(of: FederationCache.localCluster) == nil {
            logger.info("waiting for the local cluster's endpoints before publishing, to leave out overlapping IPs")
        }
        while local.counts(of: FederationCache.localCluster) == nil {
            guard await changes.next() != nil else { return false }
        }
        for endpoint in local.endpoints(of: FederationCache.localCluster) { _ = overlapIndex.setLocal(endpoint.key, ips: endpoint.ips) }
        return true
    }

    /// Keeps the local endpoints' IPs current; a change requeues the remote clusters that use the IPs it touched.
    private func followLocalEndpoints(_ local: FederationCache, _ changes: FederationSubscription) async {
        while let change = await changes.next() {
            for key in change.endpoints {
                for cluster in overlapIndex.setLocal(key, ips: local.endpoint(key)?.ips ?? []) { requeue.yield(cluster) }
            }
        }
    }

    /// Returns once the local cluster serves both network set kinds (false when cancelled first).
    private func waitForCalicoCRDs() async -> Bool {
        while !Task.isCancelled {
            do {
                let served = try await client.serverResources(apiVersion: PublishedNetworkSet.networkSets.apiVersion)?.resources.map(\.name) ?? []
                if served.contains(PublishedNetworkSet.networkSets.plural) && served.contains(PublishedNetworkSet.globalNetworkSets.plural) {
                    setPublishing(true)
                    logger.info("publishing remote identities as Calico network sets")
                    return true
                }
                if isPublishing != false {
                    logger.warning("the local cluster has no crd.projectcalico.org networksets and globalnetworksets; publishing remote identities is off until they are installed")
                }
                setPublishing(false)
            } catch {
                logger.debug("cannot ask for the Calico CRDs; asking again", metadata: ["error": "\(error)"])
            }
            // A cancelled sleep ends the loop at the `while` check.
            try? await Task.sleep(for: crdPollInterval)
        }
        return false
    }

    private func setPublishing(_ value: Bool) {
        let changed = publishing.withLock { state in
            defer { state = value }
            return state != value
        }
        if changed { statusChanged(nil) }
    }

    private func published(_ cluster: String) -> [PublishedNetworkSet] {
        networkSets.cache.objects(index: Self.byCluster, value: cluster) + globalNetworkSets.cache.objects(index: Self.byCluster, value: cluster)
    }

    private func delete(_ set: PublishedNetworkSet) async throws {
        do {
            try await client.dynamic(PublishedNetworkSet.resource(namespace: set.namespace), namespace: set.namespace).delete(set.name)
        } catch let error as KubeAPIError where error.isNotFound {
            // Already gone.
        }
    }

    /// Records a managed set's event for the clusters it concerns (its old and new labels), and returns them.
    private func noteChange(_ event: InformerEvent<PublishedNetworkSet>) -> [String] {
        let sets: [PublishedNetworkSet] = switch event {
        case .added(_, let set), .deleted(_, let set), .resync(_, let set): [set]
        case .updated(_, let old, let new): [old, new]
        case .synced, .recovering, .recovered: []
        }
        let byCluster = sets.reduce(into: [String: Set<String>]()) { result, set in
            if let cluster = set.cluster { result[cluster, default: []].insert(set.id) }
        }
        changedSets.withLock { changed in
            for (cluster, ids) in byCluster { changed[cluster, default: []].formUnion(ids) }
        }
        return Array(byCluster.keys)
    }
}
