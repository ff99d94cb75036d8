extension coordination.v1 {
    /// A Lease, the lock of leader election (complete).
    public struct Lease: KubernetesResource, Hashable {
        public static let resource = Resource(
            group: "coordination.k8s.io", version: "v1", plural: "leases", kind: "Lease", namespaced: true)

        public var metadata: meta.v1.ObjectMeta
        public var spec: LeaseSpec?

        public init(metadata: meta.v1.ObjectMeta, spec: LeaseSpec? = nil) {
            self.metadata = metadata
            self.spec = spec
        }
    }

    /// Who holds a lease and until when. Times are RFC 3339 with microseconds (`MicroTime`).
    public struct LeaseSpec: Codable, Sendable, Hashable {
        public var holderIdentity: String?
        public var leaseDurationSeconds: Int32?
        public var acquireTime: String?
        public var renewTime: String?
        public var leaseTransitions: Int32?

        public init(
            holderIdentity: String? = nil, leaseDurationSeconds: Int32? = nil, acquireTime: String? = nil,
            renewTime: String? = nil, leaseTransitions: Int32? = nil
        ) {
            self.holderIdentity = holderIdentity
            self.leaseDurationSeconds = leaseDurationSeconds
            self.acquireTime = acquireTime
            self.renewTime = renewTime
            self.leaseTransitions = leaseTransitions
        }
    }
}
