import Foundation
import KubeClient
import Logging

/// Leader election on a `coordination.k8s.io/v1` Lease, as client-go's leaderelection does it:
/// - a candidate takes the lease when it is free, or when its holder has not renewed it for `leaseDuration` as
///   measured on the candidate's own clock since it last saw the lease change (no trust in other clocks);
/// - the leader renews every `retryPeriod`; if it cannot renew for `renewDeadline` (shorter than `leaseDuration`) it
///   stops leading, and its `lead` work is cancelled and awaited before ``run(whileLeading:)`` goes on, so its
///   controllers have stopped before any other candidate can take the lease;
/// - on cancellation the leader releases the lease (empty holder) so a standby takes over at once.
/// Every write is an update with the read `resourceVersion`, so two candidates can never both win.
public actor LeaderElector {
    /// Timings and names; the defaults are client-go's (15 s, 10 s, 2 s).
    public struct Configuration: Sendable {
        public var leaseName: String
        public var namespace: String
        /// Who this candidate is; the pod name in a cluster.
        public var identity: String
        public var leaseDuration: Duration
        public var renewDeadline: Duration
        public var retryPeriod: Duration
        public var releaseOnCancel: Bool

        public init(leaseName: String, namespace: String, identity: String, leaseDuration: Duration = .seconds(15),
                    renewDeadline: Duration = .seconds(10), retryPeriod: Duration = .seconds(2), releaseOnCancel: Bool = true) {
            self.leaseName = leaseName
            self.namespace = namespace
            self.identity = identity
            self.leaseDuration = leaseDuration
            self.renewDeadline = renewDeadline
            self.retryPeriod = retryPeriod
            self.releaseOnCancel = releaseOnCancel
        }

        /// client-go's checks: the renew deadline must end before the lease could be taken, with room for a retry.
        public func validate() throws(LeaderElectionError) {
            if leaseName.isEmpty || namespace.isEmpty || identity.isEmpty {
                throw .invalidConfiguration("leaseName, namespace and identity must not be empty")
            }
            guard retryPeriod > .zero else { throw .invalidConfiguration("retryPeriod must be positive") }
            guard leaseDuration > renewDeadline else {
                throw .invalidConfiguration("leaseDuration (\(leaseDuration)) must be greater than renewDeadline (\(renewDeadline))")
            }
            guard renewDeadline > retryPeriod * 1.2 else {
                throw .invalidConfiguration("renewDeadline (\(renewDeadline)) must be greater than 1.2 × retryPeriod (\(retryPeriod))")
            }
        }
    }

    /// The candidate's identity in a cluster: `$POD_NAME` (set from the downward API), else the host name, which
    /// is the pod name too.
    public static var defaultIdentity: String {
        ProcessInfo.processInfo.environment["POD_NAME"].flatMap { $0.isEmpty ? nil : $0 } ?? ProcessInfo.processInfo.hostName
    }

    public let configuration: Configuration
    private let leases: ResourceClient<coordination.v1.Lease>
    private let logger: Logger
    /// The lease as last read, and when (on this clock) it was first seen in that state.
    private var observed: (spec: coordination.v1.LeaseSpec?, at: ContinuousClock.Instant)?
    public private(set) var isLeader = false

    /// - Throws: ``LeaderElectionError/invalidConfiguration(_:)`` for timings that cannot keep one leader.
    public init(client: KubeClient, configuration: Configuration, logger: Logger = Logger(label: "leader-election")) throws(LeaderElectionError) {
        try configuration.validate()
        self.configuration = configuration
        leases = client.resource(coordination.v1.Lease.self, namespace: configuration.namespace)
        var logger = logger
        logger[metadataKey: "lease"] = "\(configuration.namespace)/\(configuration.leaseName)"
        logger[metadataKey: "identity"] = "\(configuration.identity)"
        self.logger = logger
    }

    /// Competes for the lease until cancelled, running `lead` while holding it. When leadership is lost, `lead` is
    /// cancelled and awaited, and the candidate competes again.
    public func run(whileLeading lead: @escaping @Sendable () async -> Void) async {
        while !Task.isCancelled {
            guard await acquire() else { break }
            isLeader = true
            logger.info("became leader")
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await lead() }
                group.addTask { await self.renewUntilLost() }
                await group.next()
                group.cancelAll()
                await group.waitForAll()
            }
            isLeader = false
            logger.info("stopped leading")
            // A cancelled task's requests are cancelled too: release from a task of its own.
            if Task.isCancelled, configuration.releaseOnCancel { await Task { await self.release() }.value }
        }
    }

    // MARK: Internals

    /// Tries every `retryPeriod` until the lease is ours; false when cancelled first.
    private func acquire() async -> Bool {
        while !Task.isCancelled {
            // Bounded like a renewal: a slow API server must not make every attempt give up before its answer.
            if await attempt(until: .now + configuration.renewDeadline) { return true }
            try? await Task.sleep(for: jittered(configuration.retryPeriod))
        }
        return false
    }

    /// Renews every `retryPeriod`; returns when renewal failed for `renewDeadline`, or on cancellation.
    private func renewUntilLost() async {
        var lastRenewal = ContinuousClock.now
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.retryPeriod)
            if Task.isCancelled { return }
            let deadline = lastRenewal + configuration.renewDeadline
            if await attempt(until: deadline) {
                lastRenewal = .now
            } else if ContinuousClock.now >= deadline {
                logger.warning("could not renew the lease within the renew deadline; stepping down",
                               metadata: ["renewDeadline": "\(configuration.renewDeadline)"])
                return
            }
        }
    }

    /// One try to take or renew the lease, given up at `deadline` (a hung request must not keep a leader leading).
    private func attempt(until deadline: ContinuousClock.Instant) async -> Bool {
        await withTaskGroup(of: Bool?.self) { group in
            group.addTask { await self.tryAcquireOrRenew() }
            group.addTask {
                try? await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? false
        }
    }

    private func tryAcquireOrRenew() async -> Bool {
        let now = RFC3339.formatMicro(Date())
        let identity = configuration.identity
        let seconds = Int32(configuration.leaseDuration.components.seconds)
        let lease: coordination.v1.Lease
        do {
            lease = try await leases.get(configuration.leaseName)
        } catch let error as KubeAPIError where error.code == 404 {
            let new = coordination.v1.Lease(
                metadata: .init(name: configuration.leaseName, namespace: configuration.namespace),
                spec: .init(holderIdentity: identity, leaseDurationSeconds: seconds, acquireTime: now, renewTime: now, leaseTransitions: 0))
            do {
                record(try await leases.create(new).spec)
                return true
            } catch {
                logger.debug("lost the race to create the lease", metadata: ["error": "\(error)"])
                return false
            }
        } catch {
            logger.debug("cannot read the lease", metadata: ["error": "\(error)"])
            return false
        }
        if observed?.spec != lease.spec { record(lease.spec) }
        let holder = lease.spec?.holderIdentity ?? ""
        let duration = Duration.seconds(Int64(lease.spec?.leaseDurationSeconds ?? seconds))
        if !holder.isEmpty, holder != identity, let seenAt = observed?.at, seenAt + duration > .now {
            return false
        }
        var updated = lease
        var spec = lease.spec ?? .init()
        if holder != identity {
            spec.acquireTime = now
            spec.leaseTransitions = (spec.leaseTransitions ?? 0) + (holder.isEmpty ? 0 : 1)
        }
        spec.holderIdentity = identity
        spec.leaseDurationSeconds = seconds
        spec.renewTime = now
        updated.spec = spec
        do {
            record(try await leases.update(updated).spec)
            return true
        } catch {
            logger.debug("lease update refused", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// Gives the lease up: empty holder and a one-second duration, so a standby takes it on its next try.
    private func release() async {
        guard var lease = try? await leases.get(configuration.leaseName), lease.spec?.holderIdentity == configuration.identity else { return }
        let now = RFC3339.formatMicro(Date())
        lease.spec?.holderIdentity = ""
        lease.spec?.leaseDurationSeconds = 1
        lease.spec?.renewTime = now
        lease.spec?.acquireTime = now
        do {
            _ = try await leases.update(lease)
            logger.info("released the lease")
        } catch {
            logger.warning("could not release the lease; a standby takes over when it expires", metadata: ["error": "\(error)"])
        }
    }

    private func record(_ spec: coordination.v1.LeaseSpec?) { observed = (spec, .now) }

    private func jittered(_ period: Duration) -> Duration { period + period * Double.random(in: 0...0.2) }
}
