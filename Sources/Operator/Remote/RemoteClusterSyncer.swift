import Foundation
import KubeClient
import KubeRuntime
import Logging
import Synchronization

/// Keeps one remote cluster's endpoints and services in the ``FederationCache``, read-only (DESIGN §6.5).
///
/// Flow: `GET /version` and discovery (retried with back-off and jitter while the remote is unreachable), then
/// informers on Pods, Namespaces, ServiceAccounts, Services, EndpointSlices (Endpoints where the remote has no
/// `discovery.k8s.io/v1`) and `crd.projectcalico.org` HostEndpoints (when that CRD is served). Once every informer
/// has listed, the cluster's data is replaced in one step; after that changes are published incrementally,
/// coalesced per key.
///
/// Guarantees: status goes `Connecting` → `ResyncInProgress` → `InSync`, and `ConnectionFailed` (with the cause)
/// while the remote cannot be read; the last published data is kept meanwhile (DESIGN §6.4). Stopping the syncer
/// (cancelling ``run()``) never removes published data: purging is the caller's decision
/// (``FederationCache/remove(_:)``).
public final class RemoteClusterSyncer: Sendable {
    /// Retry and paging settings.
    public struct Options: Sendable {
        /// Back-off between attempts to reach the remote at all.
        public var connectBackoff: Backoff
        /// The informers' list and watch settings.
        public var informer: InformerOptions

        public init(connectBackoff: Backoff = Backoff(initial: .seconds(1), maximum: .seconds(30)),
                    informer: InformerOptions = InformerOptions()) {
            self.connectBackoff = connectBackoff
            self.informer = informer
        }
    }

    /// The RCC name: the prefix of every key this syncer publishes.
    public let cluster: String
    private let client: KubeClient
    private let cache: FederationCache
    private let owner: FederationCache.Owner
    private let options: Options
    private let logger: Logger
    private let statusChanged: @Sendable (Change) -> Void
    private let progress = Mutex(SyncProgress())
    private let pending = Mutex(PendingKeys())
    private let doorbell: AsyncStream<Void>
    private let ring: AsyncStream<Void>.Continuation

    /// What changed, as the syncer tells its owner.
    public enum Change: Sendable {
        /// ``status`` changed.
        case status
        /// Only the published data changed (its counts, not the state).
        case data
    }

    /// - Parameter statusChanged: called (from the syncer's tasks) whenever ``status`` or the published data changed.
    public init(cluster: String, client: KubeClient, cache: FederationCache, options: Options = Options(),
                logger: Logger = Logger(label: "remote-cluster-syncer"), statusChanged: @escaping @Sendable (Change) -> Void) {
        self.cluster = cluster
        self.client = client
        self.cache = cache
        self.owner = cache.claim(cluster)
        self.options = options
        self.statusChanged = statusChanged
        var logger = logger
        logger[metadataKey: "cluster"] = "\(cluster)"
        self.logger = logger
        (doorbell, ring) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    public var status: RemoteSyncStatus { progress.withLock { $0.status } }

    /// Connects, lists and watches until cancelled.
    public func run() async {
        guard let remote = await connect() else { return }
        let informers = RemoteInformers(cluster: cluster, client: client, remote: remote, options: options.informer, logger: logger)
        progress.withLock { $0.expected = informers.names; $0.connected = true }
        update { $0.state = .resyncInProgress; $0.remoteVersion = remote.version }
        logger.info("connected; listing", metadata: ["remoteVersion": "\(remote.version)", "informers": "\(informers.names.sorted())"])
        await withDiscardingTaskGroup { group in
            informers.start(in: &group) { name, change in self.handle(name, change) }
            // The informers are child tasks: cancelling `run()` cancels them; the publisher stops at once.
            await withTaskCancellationHandler {
                await self.publishChanges(informers)
            } onCancel: {
                self.ring.finish()
            }
        }
        logger.info("stopped")
    }

    /// `GET /version` and discovery, retried until they succeed; nil when cancelled first.
    private func connect() async -> RemoteDiscovery? {
        var backoff = options.connectBackoff
        while !Task.isCancelled {
            do {
                return try await RemoteDiscovery.discover(client)
            } catch {
                if Task.isCancelled { return nil }
                let failure = RemoteConnectionFailure(error)
                let delay = backoff.next()
                logger.warning("cannot reach the remote cluster; retrying", metadata: ["reason": "\(failure.reason)", "error": "\(failure.message)", "retryIn": "\(delay)"])
                update { $0.state = .connectionFailed; $0.failure = failure }
                // A cancelled sleep ends the loop at the `while` check.
                try? await Task.sleep(for: delay)
            }
        }
        return nil
    }

    /// Records what an informer event means for the syncer's health and which keys it makes dirty.
    private func handle(_ informer: String, _ change: RemoteInformers.Change) {
        switch change {
        case .dirty(let keys):
            pending.withLock { $0.merge(keys) }
            ring.yield()
        case .synced:
            let allSynced = progress.withLock { state in
                state.synced.insert(informer)
                return state.synced == state.expected
            }
            if allSynced { ring.yield() }
        case .failed(let error):
            let failure = RemoteConnectionFailure(error)
            progress.withLock { $0.failures[informer] = failure }
            update { _ in }
        case .recovered:
            progress.withLock { _ = $0.failures.removeValue(forKey: informer) }
            update { _ in }
        }
    }

    /// Publishes the cluster's data once every informer listed, then the changes as they come, coalesced.
    private func publishChanges(_ informers: RemoteInformers) async {
        for await _ in doorbell {
            guard progress.withLock({ $0.synced == $0.expected }) else { continue }
            let keys = pending.withLock { state in defer { state = PendingKeys() }; return state }
            if !status.published {
                let replaced = cache.replace(cluster, owner: owner, source: informers)
                logger.info("in sync; data published", metadata: [
                    "endpoints": "\(informers.endpointCount)", "services": "\(informers.serviceCount)", "published": "\(replaced)",
                ])
                update { $0.published = replaced; $0.syncedAt = Date() }
            } else if cache.publish(cluster, owner: owner, informers.change(keys)) {
                statusChanged(.data)
            }
        }
    }

    /// Changes the status under the lock, derives the state from the informers' health, and tells the owner.
    private func update(_ change: (inout RemoteSyncStatus) -> Void) {
        let changed = progress.withLock { state -> Bool in
            let before = state.status
            change(&state.status)
            state.deriveState()
            if state.status.state != .connectionFailed {
                state.status.failingSince = nil
            } else if state.status.failingSince == nil {
                state.status.failingSince = .now
            }
            return state.status != before
        }
        if changed { statusChanged(.status) }
    }
}

/// The informers' health, behind the syncer's lock.
struct SyncProgress {
    var status = RemoteSyncStatus()
    /// Whether discovery succeeded and the informers run.
    var connected = false
    var expected: Set<String> = []
    var synced: Set<String> = []
    var failures: [String: RemoteConnectionFailure] = [:]

    mutating func deriveState() {
        guard connected else { return }
        if let failure = failures.sorted(by: { $0.key < $1.key }).first?.value {
            status.state = .connectionFailed
            status.failure = failure
        } else if synced == expected && status.published {
            status.state = .inSync
            status.failure = nil
        } else {
            status.state = .resyncInProgress
            status.failure = nil
        }
    }
}

/// Keys whose published values must be rebuilt.
struct PendingKeys: Sendable {
    var pods: Set<String> = []
    var hostEndpoints: Set<String> = []
    var services: Set<String> = []

    mutating func merge(_ other: PendingKeys) {
        pods.formUnion(other.pods)
        hostEndpoints.formUnion(other.hostEndpoints)
        services.formUnion(other.services)
    }
}
