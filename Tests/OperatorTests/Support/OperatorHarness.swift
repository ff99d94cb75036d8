import Foundation
import KubeClient
import KubeRuntime
import KubeTestServer
import Logging
import Operator

/// A local cluster with the RCC CRD installed, and the operator running against it in-process.
struct OperatorHarness {
    typealias RCC = projectcalico.v3.RemoteClusterConfiguration
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    static let operatorNamespace = "calico-system"

    let local: KubeTestServer
    let client: KubeClient
    let federation: FederationOperator
    let logger: Logger
    let reconciler: RemoteClusterReconciler.Options
    let credentialsDirectory: String
    let remoteOutageGrace: Duration

    var rccs: ResourceClient<RCC> { client.resource(RCC.self) }

    /// Installs the CRD from `config/crd/` and creates the operator's namespace.
    init(local: KubeTestServer, reconciler: RemoteClusterReconciler.Options = Self.fastReconciler,
         logger: Logger = Logger(label: "federation-operator"),
         credentialsDirectory: String = NSTemporaryDirectory() + "no-credentials", remoteOutageGrace: Duration = .seconds(60)) async throws {
        self.local = local
        self.logger = logger
        self.reconciler = reconciler
        self.credentialsDirectory = credentialsDirectory
        self.remoteOutageGrace = remoteOutageGrace
        // Not rate limited like a production client (20 requests/s): tests create and delete RCCs by the hundred.
        client = KubeClient(connection: try local.client().connection, options: KubeClientOptions(qps: 1000, burst: 1000))
        let yaml = try String(contentsOfFile: Self.repository + "/config/crd/remoteclusterconfigurations.projectcalico.org.yaml", encoding: .utf8)
        let seeder = try ClusterSeeder(local)
        try await seeder.create(yaml: yaml, as: apiextensions.v1.CustomResourceDefinition.resource)
        try await seeder.namespace(Self.operatorNamespace)
        federation = Self.makeOperator(client: client, reconciler: reconciler, logger: logger, credentialsDirectory: credentialsDirectory,
                                       remoteOutageGrace: remoteOutageGrace)
    }

    private init(_ other: OperatorHarness) {
        local = other.local
        client = other.client
        logger = other.logger
        reconciler = other.reconciler
        credentialsDirectory = other.credentialsDirectory
        remoteOutageGrace = other.remoteOutageGrace
        federation = Self.makeOperator(client: client, reconciler: reconciler, logger: logger, credentialsDirectory: credentialsDirectory,
                                       remoteOutageGrace: remoteOutageGrace)
    }

    /// The same cluster with a new operator process (nothing carried over but what the API server holds).
    func restarted() -> OperatorHarness { OperatorHarness(self) }

    /// Drift repair runs every second, so tests see it act.
    private static func makeOperator(client: KubeClient, reconciler: RemoteClusterReconciler.Options, logger: Logger,
                                     credentialsDirectory: String, remoteOutageGrace: Duration) -> FederationOperator {
        let policy = RemoteCredentialPolicy(credentialsDirectory: credentialsDirectory, operatorNamespace: Self.operatorNamespace)
        return FederationOperator(client: client, configuration: .init(
            policy: policy, reconciler: reconciler, instance: "test", calicoCRDPollInterval: .milliseconds(200),
            services: .init(resync: .seconds(1), outageCheckInterval: .milliseconds(100)), remoteOutageGrace: remoteOutageGrace), logger: logger)
    }

    static let fastReconciler = RemoteClusterReconciler.Options(
        statusInterval: .milliseconds(50), filePollInterval: .seconds(1),
        syncer: RemoteClusterSyncer.Options(connectBackoff: Backoff(initial: .milliseconds(50), maximum: .milliseconds(300)),
                                            informer: InformerOptions(backoff: Backoff(initial: .milliseconds(50), maximum: .milliseconds(300)))))

    /// Runs the operator while `body` runs.
    func running(_ body: () async throws -> Void) async throws {
        let task = Task { await federation.run() }
        defer { task.cancel() }
        try await body()
        task.cancel()
        await task.value
    }

    /// An RCC whose credentials are the remote's admin kubeconfig, inline.
    static func inlineRCC(_ name: String, remote: KubeTestServer) throws -> RCC {
        var spec = RCC.Spec()
        spec.datastoreType = "kubernetes"
        spec.kubeconfigInline = try remote.kubeconfig()
        return RCC(metadata: .init(name: name), spec: spec)
    }

    func status(_ name: String) async throws -> projectcalico.v3.RemoteClusterConfigurationStatus? {
        try await rccs.get(name).status
    }

    func condition(_ name: String, _ type: String) async throws -> projectcalico.v3.Condition? {
        try await status(name)?.conditions?.first { $0.type == type }
    }
}
