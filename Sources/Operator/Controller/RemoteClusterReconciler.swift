import Foundation
import KubeClient
import KubeRuntime
import Logging
import Synchronization

/// Brings one RCC's world to its desired state (issue 5 §3, calico-federation.md §2.3, DESIGN §6.3-6.4):
/// - a live RCC carries the finalizer, its credentials are resolved, and a syncer runs with that connection (a new
///   one, beside the old, when the connection changed); its status says how far that got;
/// - an RCC whose configuration is invalid has no syncer and no published data;
/// - an RCC being deleted (or gone) has its syncers stopped and its data purged, then loses the finalizer.
///
/// Reads come from caches; writes are the finalizer and the status (only when it changed, at most once per
/// `statusInterval` per RCC).
public final class RemoteClusterReconciler: Reconciler {
    public typealias RCC = projectcalico.v3.RemoteClusterConfiguration
    public static let finalizer = "federation.tigera.io/remote-cluster-cleanup"

    /// How the reconciler behaves.
    public struct Options: Sendable {
        /// The least time between two status writes of one RCC.
        public var statusInterval: Duration
        /// How often RCCs that name files are looked at again, to notice a changed file (a mounted Secret's
        /// symlink swap included).
        public var filePollInterval: Duration
        public var syncer: RemoteClusterSyncer.Options

        public init(statusInterval: Duration = .seconds(1), filePollInterval: Duration = .seconds(10),
                    syncer: RemoteClusterSyncer.Options = .init()) {
            self.statusInterval = statusInterval
            self.filePollInterval = filePollInterval
            self.syncer = syncer
        }
    }

    let rccs: ResourceClient<RCC>
    let rccCache: ObjectCache<RCC>
    let resolver: RemoteCredentialResolver
    let registry: RemoteClusterRegistry
    let federation: FederationCache
    let events: EventRecorder?
    let options: Options
    let logger: Logger
    /// Called with an RCC's name when its syncer's status or published data changed.
    let syncerChanged: @Sendable (String, RemoteClusterSyncer.Change) -> Void
    /// Removes what was published locally from a cluster; awaited before an RCC's finalizer goes.
    let purgePublished: @Sendable (String) async throws -> Void
    /// Whether identities are published (``IdentityPublisher/isPublishing``); nil when there is no publisher.
    let identityPublishing: @Sendable () -> Bool?
    /// A cluster's overlapping IPs (``IdentityPublisher/ipOverlap(of:)``).
    let ipOverlap: @Sendable (String) -> IPOverlapReport?
    private let lastStatusWrite = Mutex<[String: ContinuousClock.Instant]>([:])
    private let states = Mutex<[String: String]>([:])

    /// Each existing RCC's state as last computed (Calico's names), for metrics.
    public var clusterStates: [String: String] { states.withLock { $0 } }

    public init(rccs: ResourceClient<RCC>, rccCache: ObjectCache<RCC>, resolver: RemoteCredentialResolver,
                registry: RemoteClusterRegistry, federation: FederationCache, events: EventRecorder?, options: Options = Options(),
                logger: Logger = Logger(label: "rcc-controller"), purgePublished: @escaping @Sendable (String) async throws -> Void = { _ in },
                identityPublishing: @escaping @Sendable () -> Bool? = { nil },
                ipOverlap: @escaping @Sendable (String) -> IPOverlapReport? = { _ in nil }, syncerChanged: @escaping @Sendable (String, RemoteClusterSyncer.Change) -> Void) {
        self.rccs = rccs
        self.rccCache = rccCache
        self.resolver = resolver
        self.registry = registry
        self.federation = federation
        self.events = events
        self.options = options
        self.logger = logger
        self.syncerChanged = syncerChanged
        self.purgePublished = purgePublished
        self.identityPublishing = identityPublishing
        self.ipOverlap = ipOverlap
    }

    public func reconcile(_ name: String) async throws -> ReconcileResult {
        guard let rcc = rccCache.get(name) else {
            await purge(name)
            states.withLock { _ = $0.removeValue(forKey: name) }
            return .done
        }
        if rcc.metadata.deletionTimestamp != nil {
            await purge(name)
            try await purgePublished(name)
            states.withLock { _ = $0.removeValue(forKey: name) }
            try await setFinalizer(on: rcc, present: false)
            return .done
        }
        if !(rcc.metadata.finalizers ?? []).contains(Self.finalizer) {
            // The update this makes brings the RCC back through the queue.
            try await setFinalizer(on: rcc, present: true)
            return .done
        }
        let (outcome, expiry) = await connect(rcc)
        let wait = try await writeStatus(of: rcc, outcome, credentialExpiry: expiry)
        if let wait { return .requeue(after: wait) }
        return Self.namesFiles(rcc.spec) ? .requeue(after: options.filePollInterval) : .done
    }

    /// Resolves the credentials and keeps the right syncer running; returns what the status should say, and when
    /// the credentials expire.
    private func connect(_ rcc: RCC) async -> (RCCStatusBuilder.Outcome, CredentialExpiry?) {
        let name = rcc.metadata.name ?? ""
        let resolved: ResolvedRemote
        do {
            resolved = try await resolver.resolve(rcc.spec)
        } catch {
            // Calico: valid → invalid stops the watch and removes what was learned.
            await purge(name)
            return (.configIncomplete(error), nil)
        }
        guard case .kubernetes(let connection) = resolved else {
            await purge(name)
            return (.unsupported(reason: "DatastoreNotSupported", message: "the etcdv3 datastore is not supported yet by federation-operator; use datastoreType kubernetes"), nil)
        }
        let syncerOptions = options.syncer
        let federation = self.federation
        let syncerChanged = self.syncerChanged
        let logger = self.logger
        let syncer = await registry.ensure(name, connection: resolved) {
            RemoteClusterSyncer(cluster: name, client: KubeClient(connection: connection, logger: logger), cache: federation, options: syncerOptions,
                                logger: logger) { syncerChanged(name, $0) }
        }
        let status = syncer.status
        if status.published { await registry.retireReplaced(name) }
        return (.syncing(status), CredentialExpiry.earliest(in: connection))
    }

    /// Stops the cluster's syncers and removes its data.
    private func purge(_ name: String) async {
        await registry.stop(name)
        if federation.counts(of: name) != nil { logger.info("purging the cluster's data", metadata: ["rcc": "\(name)"]) }
        federation.remove(name)
        lastStatusWrite.withLock { _ = $0.removeValue(forKey: name) }
    }

    /// Writes the status when it changed; returns how long to wait first when the last write was too recent.
    private func writeStatus(of rcc: RCC, _ outcome: RCCStatusBuilder.Outcome, credentialExpiry: CredentialExpiry?) async throws -> Duration? {
        let name = rcc.metadata.name ?? ""
        let builder = RCCStatusBuilder(generation: rcc.metadata.generation, previous: rcc.status, outcome: outcome,
                                       counts: federation.counts(of: name), credentialExpiry: credentialExpiry,
                                       identityPublishing: identityPublishing(), ipOverlap: ipOverlap(name))
        let status = builder.build(now: Date())
        states.withLock { $0[name] = status.state }
        guard status != rcc.status else { return nil }
        let now = ContinuousClock.now
        if let last = lastStatusWrite.withLock({ $0[name] }), now - last < options.statusInterval {
            return options.statusInterval - (now - last)
        }
        var updated = rcc
        updated.status = status
        _ = try await rccs.updateStatus(updated)
        lastStatusWrite.withLock { $0[name] = now }
        if status.state != rcc.status?.state { await recordTransition(rcc, to: status) }
        if let overlap = Self.condition("IPOverlap", in: status), overlap.status == "True",
           Self.condition("IPOverlap", in: rcc.status)?.status != "True" {
            logger.warning("remote endpoint IPs overlap", metadata: ["rcc": "\(name)", "detail": "\(overlap.message ?? "")"])
            await events?.record(.warning, reason: "IPOverlap", action: "Publish", note: overlap.message ?? "", regarding: reference(rcc))
        }
        return nil
    }

    private static func condition(_ type: String, in status: RCCStatusBuilder.Status?) -> RCCStatusBuilder.Condition? {
        status?.conditions?.first { $0.type == type }
    }

    private func reference(_ rcc: RCC) -> core.v1.ObjectReference {
        core.v1.ObjectReference(apiVersion: RCC.resource.apiVersion, kind: RCC.resource.kind, name: rcc.metadata.name, uid: rcc.metadata.uid)
    }

    private func recordTransition(_ rcc: RCC, to status: RCCStatusBuilder.Status) async {
        let ready = Self.condition("Ready", in: status)
        let failing = status.conditions?.first { $0.type != "Ready" && $0.status != "True" }
        let type: EventRecorder.EventType = ["ConnectionFailed", "ConfigIncomplete"].contains(status.state) ? .warning : .normal
        logger.info("state changed", metadata: ["rcc": "\(rcc.metadata.name ?? "")", "from": "\(rcc.status?.state ?? "none")",
                                                "to": "\(status.state ?? "")", "reason": "\(failing?.reason ?? ready?.reason ?? "")"])
        await events?.record(type, reason: status.state ?? "Unknown", action: "Sync", note: failing?.message ?? ready?.message ?? "",
                             regarding: reference(rcc))
    }

    /// Adds or removes the finalizer, guarded by the RCC's resourceVersion (a conflict retries the reconcile).
    private func setFinalizer(on rcc: RCC, present: Bool) async throws {
        var finalizers = (rcc.metadata.finalizers ?? []).filter { $0 != Self.finalizer }
        if present { finalizers.append(Self.finalizer) }
        guard finalizers != (rcc.metadata.finalizers ?? []), let name = rcc.metadata.name else { return }
        var operations: [JSONPatchOperation] = []
        if let version = rcc.metadata.resourceVersion { operations.append(.test("/metadata/resourceVersion", .string(version))) }
        operations.append(.add("/metadata/finalizers", .array(finalizers.map { .string($0) })))
        do {
            _ = try await rccs.patch(name, .json(operations))
        } catch let error as KubeAPIError where error.isNotFound {
            // Gone already: nothing left to hold.
        }
    }

    /// Whether the spec names files on disk, which change without any API event.
    static func namesFiles(_ spec: RCC.Spec) -> Bool {
        [spec.kubeconfig, spec.k8sCAFile, spec.k8sCertFile, spec.k8sKeyFile, spec.etcdCACertFile, spec.etcdCertFile, spec.etcdKeyFile]
            .contains { !($0 ?? "").isEmpty }
    }
}

extension projectcalico.v3.RemoteClusterConfiguration {
    public typealias Spec = projectcalico.v3.RemoteClusterConfigurationSpec
}
