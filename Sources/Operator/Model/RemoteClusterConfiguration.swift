import KubeClient

/// Models of the `projectcalico.org` API group.
public enum projectcalico {
    /// `projectcalico.org/v3`.
    public enum v3 {}
}

extension projectcalico.v3 {
    /// One remote cluster to federate from (cluster-scoped, short name `rcc`). Calico's spec, plus the status this
    /// operator writes (DESIGN §6.1).
    public struct RemoteClusterConfiguration: KubernetesResource, Hashable {
        public static let resource = Resource(
            group: "projectcalico.org", version: "v3", plural: "remoteclusterconfigurations",
            kind: "RemoteClusterConfiguration", namespaced: false)

        public var metadata: meta.v1.ObjectMeta
        public var spec: RemoteClusterConfigurationSpec
        public var status: RemoteClusterConfigurationStatus?

        public init(metadata: meta.v1.ObjectMeta, spec: RemoteClusterConfigurationSpec, status: RemoteClusterConfigurationStatus? = nil) {
            self.metadata = metadata
            self.spec = spec
            self.status = status
        }
    }

    /// How to reach the remote cluster (calico-federation.md §1.2): a Secret, or a datastore type and its fields.
    public struct RemoteClusterConfigurationSpec: Codable, Sendable, Hashable {
        public var datastoreType: String?
        public var clusterAccessSecret: core.v1.ObjectReference?
        public var etcdEndpoints: String?
        public var etcdUsername: String?
        public var etcdPassword: String?
        public var etcdKeyFile: String?
        public var etcdCertFile: String?
        public var etcdCACertFile: String?
        public var etcdKey: String?
        public var etcdCert: String?
        public var etcdCACert: String?
        public var kubeconfig: String?
        public var kubeconfigInline: String?
        public var k8sAPIEndpoint: String?
        public var k8sKeyFile: String?
        public var k8sCertFile: String?
        public var k8sCAFile: String?
        public var k8sAPIToken: String?
        public var k8sInsecureSkipTLSVerify: Bool?
        public var syncOptions: SyncOptions?

        public init() {}
    }

    /// `syncOptions`: whether Calico's overlay routing data is synced too.
    public struct SyncOptions: Codable, Sendable, Hashable {
        /// `Enabled` or `Disabled`.
        public var overlayRoutingMode: String?

        public init(overlayRoutingMode: String? = nil) { self.overlayRoutingMode = overlayRoutingMode }
    }

    /// What the operator reports about the remote cluster.
    public struct RemoteClusterConfigurationStatus: Codable, Sendable, Hashable {
        /// Calico's state names: `Connecting`, `ConnectionFailed`, `ResyncInProgress`, `InSync`, `ConfigIncomplete`.
        public var state: String?
        public var observedGeneration: Int64?
        public var remoteEndpoints: Int?
        public var remoteServices: Int?
        public var lastSyncTime: String?
        public var remoteVersion: String?
        public var conditions: [Condition]?

        public init() {}
    }

    /// One status condition (`Ready`, `ConfigValid`, `Connected`, `Synced`, `CredentialsExpiring`).
    public struct Condition: Codable, Sendable, Hashable {
        public var type: String
        /// `True`, `False` or `Unknown`.
        public var status: String
        public var reason: String?
        public var message: String?
        public var lastTransitionTime: String?
        public var observedGeneration: Int64?

        public init(type: String, status: String, reason: String? = nil, message: String? = nil,
                    lastTransitionTime: String? = nil, observedGeneration: Int64? = nil) {
            self.type = type
            self.status = status
            self.reason = reason
            self.message = message
            self.lastTransitionTime = lastTransitionTime
            self.observedGeneration = observedGeneration
        }
    }
}
