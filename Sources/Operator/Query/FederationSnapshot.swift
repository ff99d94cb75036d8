import KubeClient
import Logging

/// The local cluster's endpoints and every RCC's remote endpoints, read once the way the operator reads them
/// (credentials resolved by the same policy, one syncer per cluster), for `federation-operator query`: the calicoq
/// analog (calico-federation.md §2.4).
///
/// Each remote is listed once, all in parallel, until every one is in sync or the timeout passes. A remote that
/// did not get in sync contributes nothing and a problem line in Calico's words; so does an RCC whose
/// configuration is not usable (beyond calicoq, which leaves those out).
public struct FederationSnapshot: Sendable {
    public typealias RCC = projectcalico.v3.RemoteClusterConfiguration

    /// The local cluster's endpoints (``FederationCache/localCluster``).
    public var local: [RemoteEndpoint]
    /// The endpoints of every remote that got in sync.
    public var remote: [RemoteEndpoint]
    /// The local cluster's services.
    public var localServices: [RemoteService]
    /// The services of every remote that got in sync.
    public var remoteServices: [RemoteService]
    /// One line per RCC that could not be read, sorted: `RemoteClusterConfiguration(<name>): <what went wrong>`.
    public var problems: [String]

    /// calicoq's header above the problem lines.
    public static let problemsHeader = "The following problems were encountered connecting to the remote clusters\nwhich may have resulted in incomplete data:"

    /// Reads everything; throws only when the local cluster itself cannot be read.
    public static func take(client: KubeClient, policy: RemoteCredentialPolicy, timeout: Duration,
                            logger: Logger = Logger(label: "federation-query")) async throws -> FederationSnapshot {
        let rccs = try await client.resource(RCC.self).list().items
        let secrets = client
        let resolver = RemoteCredentialResolver(policy: policy) { namespace, name in
            do {
                return try await secrets.resource(core.v1.Secret.self, namespace: namespace).get(name).data ?? [:]
            } catch let error as KubeAPIError where error.isNotFound {
                return nil
            }
        }
        let remotes = FederationCache()
        let local = FederationCache()
        var syncers: [RemoteClusterSyncer] = []
        var problems: [String] = []
        for rcc in rccs {
            let name = rcc.metadata.name ?? ""
            do {
                switch try await resolver.resolve(rcc.spec) {
                case .kubernetes(let connection):
                    // One look, bounded by the timeout: the syncer's own back-off retries, not the client's.
                    let client = KubeClient(connection: connection, options: KubeClientOptions(requestTimeout: timeout, retry: .none), logger: logger)
                    syncers.append(RemoteClusterSyncer(cluster: name, client: client, cache: remotes, logger: logger) { _ in })
                case .etcd:
                    problems.append(problem(name, "could not initialize etcdv3 client: the etcdv3 datastore is not supported by federation-operator"))
                }
            } catch {
                problems.append(problem(name, "configuration is not usable: \(error)"))
            }
        }
        let localSyncer = RemoteClusterSyncer(cluster: FederationCache.localCluster, client: client, cache: local, logger: logger) { _ in }
        let all = syncers + [localSyncer]
        await withDiscardingTaskGroup { group in
            for syncer in all { group.addTask { await syncer.run() } }
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline, !all.allSatisfy({ $0.status.state == .inSync }), !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(20))
            }
            group.cancelAll()
        }
        guard localSyncer.status.state == .inSync else {
            let status = localSyncer.status
            throw FederationQueryError.localClusterUnreadable(state: status.state.rawValue, cause: status.failure?.message)
        }
        for syncer in syncers where syncer.status.state != .inSync {
            problems.append(problem(syncer.cluster, describe(syncer.status, timeout: timeout)))
        }
        let clusters = remotes.clusters.sorted()
        return FederationSnapshot(local: local.endpoints(of: FederationCache.localCluster), remote: clusters.flatMap { remotes.endpoints(of: $0) },
                                  localServices: local.services(of: FederationCache.localCluster),
                                  remoteServices: clusters.flatMap { remotes.services(of: $0) }, problems: problems.sorted())
    }

    private static func problem(_ rcc: String, _ text: String) -> String { "RemoteClusterConfiguration(\(rcc)): \(text)" }

    /// calicoq's words for a syncer that is not in sync.
    private static func describe(_ status: RemoteSyncStatus, timeout: Duration) -> String {
        switch status.state {
        case .connecting: "still connecting to remote cluster"
        case .connectionFailed: "connection to remote cluster failed: \(status.failure?.message ?? "timed out after \(timeout)")"
        case .resyncInProgress: "data synchronization did not complete"
        case .inSync: "in sync"
        }
    }
}

/// Why `federation-operator query` could not answer at all.
public enum FederationQueryError: Error, CustomStringConvertible {
    /// The local cluster's endpoints did not get in sync before the timeout.
    case localClusterUnreadable(state: String, cause: String?)

    public var description: String {
        switch self {
        case .localClusterUnreadable(let state, let cause):
            "cannot read the local cluster's endpoints (\(state))" + (cause.map { ": \($0)" } ?? "")
        }
    }
}
