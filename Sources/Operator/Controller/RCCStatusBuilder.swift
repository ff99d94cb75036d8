import Foundation
import KubeClient

/// Computes an RCC's status from what the controller knows (DESIGN §3, §6.1): the state in Calico's names, the
/// `ConfigValid`, `Connected`, `Synced` and `Ready` conditions, and the counts of published data. Pure: the same
/// inputs give the same status, and a condition keeps its `lastTransitionTime` while its status does not change, so
/// an unchanged world yields an unchanged status (and no write).
public struct RCCStatusBuilder: Sendable {
    public typealias Status = projectcalico.v3.RemoteClusterConfigurationStatus
    public typealias Condition = projectcalico.v3.Condition

    /// Where the controller got with an RCC.
    public enum Outcome: Sendable {
        /// The spec or its Secret cannot be used.
        case configIncomplete(RemoteConfigError)
        /// The configuration is valid but names a datastore this operator cannot read yet.
        case unsupported(reason: String, message: String)
        /// A syncer runs; this is its status.
        case syncing(RemoteSyncStatus)
    }

    public var generation: Int64?
    public var previous: Status?
    public var outcome: Outcome
    /// Endpoints and services published for the cluster (kept while it is unreachable).
    public var counts: (endpoints: Int, services: Int)?
    /// When the credentials expire, if they say.
    public var credentialExpiry: CredentialExpiry?
    /// Whether the identity publisher publishes (nil: it is turned off, or has not looked for the Calico CRDs yet).
    public var identityPublishing: Bool?
    /// The cluster's IPs that are also used elsewhere, as the publisher last found them.
    public var ipOverlap: IPOverlapReport?

    public init(generation: Int64?, previous: Status?, outcome: Outcome, counts: (endpoints: Int, services: Int)?,
                credentialExpiry: CredentialExpiry? = nil, identityPublishing: Bool? = nil, ipOverlap: IPOverlapReport? = nil) {
        self.generation = generation
        self.previous = previous
        self.outcome = outcome
        self.counts = counts
        self.credentialExpiry = credentialExpiry
        self.identityPublishing = identityPublishing
        self.ipOverlap = ipOverlap
    }

    public func build(now: Date) -> Status {
        var status = Status()
        status.observedGeneration = generation
        status.remoteEndpoints = counts?.endpoints ?? 0
        status.remoteServices = counts?.services ?? 0
        var conditions: [Condition] = []
        switch outcome {
        case .configIncomplete(let error):
            status.state = "ConfigIncomplete"
            conditions = [
                condition("ConfigValid", false, error.reasonLabel, error.description),
                condition("Connected", false, "ConfigIncomplete", "not connecting until the configuration is valid"),
                condition("Synced", false, "ConfigIncomplete", "no data is synced from this cluster"),
            ]
        case .unsupported(let reason, let message):
            status.state = "ConfigIncomplete"
            conditions = [
                condition("ConfigValid", true, "Valid", "the configuration is valid"),
                condition("Connected", false, reason, message),
                condition("Synced", false, reason, message),
            ]
        case .syncing(let sync):
            status.state = sync.state.rawValue
            status.remoteVersion = sync.remoteVersion
            status.lastSyncTime = sync.syncedAt.map(RFC3339.format) ?? previous?.lastSyncTime
            conditions = [condition("ConfigValid", true, "Valid", "the configuration is valid")]
            conditions += Self.connectionConditions(sync, counts: counts).map { condition($0.type, $0.isTrue, $0.reason, $0.message) }
        }
        let ready = status.state == "InSync"
        conditions.insert(condition("Ready", ready, ready ? "InSync" : status.state ?? "Unknown",
                                    ready ? "the remote cluster's endpoints and services are in sync" : readyMessage(conditions)), at: 0)
        if case .syncing(let sync) = outcome, let publishing = identityPublishing {
            conditions.append(published(publishing, dataPublished: sync.published))
            if publishing, let overlap = ipOverlap {
                conditions.append(condition("IPOverlap", overlap.count > 0, overlap.count > 0 ? "OverlappingIPs" : "NoOverlap", overlap.message))
            }
        }
        if let expiry = credentialExpiry, expiry.isWithinWarningWindow(now: now) {
            conditions.append(expiring(expiry, now: now))
        }
        status.conditions = conditions.map { stamped($0, now: now) }
        return status
    }

    /// `Connected` and `Synced` for a running syncer.
    private static func connectionConditions(_ sync: RemoteSyncStatus, counts: (endpoints: Int, services: Int)?)
        -> [(type: String, isTrue: Bool?, reason: String, message: String)]
    {
        let kept = counts.map { "; the last synced data (\($0.endpoints) endpoints, \($0.services) services) is kept" } ?? ""
        switch sync.state {
        case .connecting:
            return [("Connected", nil, "Connecting", "connecting to the remote API server"),
                    ("Synced", false, "Connecting", "waiting for the connection")]
        case .connectionFailed:
            let failure = sync.failure ?? RemoteConnectionFailure(reason: "RemoteError", message: "the remote cluster cannot be read")
            return [("Connected", false, failure.reason, failure.message),
                    ("Synced", false, "ConnectionFailed", "cannot read the remote cluster; retrying with back-off" + kept)]
        case .resyncInProgress:
            return [("Connected", true, "Connected", "connected to the remote API server \(sync.remoteVersion ?? "")"),
                    ("Synced", false, "ResyncInProgress", "listing the remote cluster's endpoints and services")]
        case .inSync:
            return [("Connected", true, "Connected", "connected to the remote API server \(sync.remoteVersion ?? "")"),
                    ("Synced", true, "InSync", "watching the remote cluster's endpoints and services")]
        }
    }

    /// `IdentityPublished`: whether local policy can see this cluster's identities as Calico network sets.
    private func published(_ publishing: Bool, dataPublished: Bool) -> Condition {
        guard publishing else {
            return condition("IdentityPublished", false, "CalicoCRDsMissing",
                             "the local cluster has no crd.projectcalico.org networksets and globalnetworksets; install Calico's CRDs and publishing starts by itself")
        }
        return dataPublished
            ? condition("IdentityPublished", true, "Published", "remote identities are published as Calico network sets")
            : condition("IdentityPublished", nil, "WaitingForSync", "published once the remote cluster is in sync")
    }

    /// The `CredentialsExpiring` warning: which credential, when, and what to do.
    private func expiring(_ expiry: CredentialExpiry, now: Date) -> Condition {
        let when = RFC3339.format(expiry.expiresAt)
        let days = Int(expiry.expiresAt.timeIntervalSince(now) / 86400)
        let expired = expiry.expiresAt <= now
        let message = expired
            ? "the \(expiry.credential) expired at \(when); replace the remote credentials"
            : "the \(expiry.credential) expires at \(when) (in \(days) day\(days == 1 ? "" : "s")); renew the remote credentials before then"
        return condition("CredentialsExpiring", true, expired ? "CredentialsExpired" : "CredentialsExpiringSoon", message)
    }

    private func readyMessage(_ conditions: [Condition]) -> String {
        conditions.first { $0.status != "True" }?.message ?? "not in sync"
    }

    /// A condition with the generation it describes; `isTrue == nil` is `Unknown`.
    private func condition(_ type: String, _ isTrue: Bool?, _ reason: String, _ message: String) -> Condition {
        Condition(type: type, status: isTrue.map { $0 ? "True" : "False" } ?? "Unknown", reason: reason, message: message,
                  observedGeneration: generation)
    }

    /// Keeps the previous transition time while the condition's status is unchanged.
    private func stamped(_ condition: Condition, now: Date) -> Condition {
        var condition = condition
        let before = previous?.conditions?.first { $0.type == condition.type }
        condition.lastTransitionTime = before?.status == condition.status ? before?.lastTransitionTime : RFC3339.format(now)
        return condition
    }
}
