import ArgumentParser
import Foundation
import KubeClient
import KubeRuntime
import Logging
import Operator

/// `federation-operator run`: the operator process. Connects to the local cluster, competes for leadership, and
/// while leading runs the RCC controller and the remote syncers; serves `/healthz`, `/readyz` and `/metrics`;
/// shuts down gracefully on SIGTERM. Losing the lease exits non-zero so Kubernetes restarts the pod clean.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the operator against the local cluster.")

    @Option(help: "Kubeconfig file(s), ':'-separated; default in-cluster, then $KUBECONFIG, then ~/.kube/config.")
    var kubeconfig: String?

    @Option(help: "Kubeconfig context; default the current-context.")
    var context: String?

    @Option(help: "The operator's own namespace (Secrets, the lease); default $POD_NAMESPACE, the in-cluster namespace, then calico-system.")
    var namespace: String?

    @Option(help: "Compete for a Lease so only one replica works at a time.")
    var leaderElect: Bool = true

    @Option(help: "Name of the leader election Lease.")
    var leaderElectionID: String = "federation-operator"

    @Option(help: "Where /metrics is served (host:port or :port; 0 picks a free port).")
    var metricsBindAddress: String = ":8080"

    @Option(help: "Where /healthz and /readyz are served.")
    var healthProbeBindAddress: String = ":8081"

    @Option(help: "Log format: text or json.")
    var logFormat: LogFormat = .text

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    @Option(help: "Directory that kubeconfig and certificate files named by RCCs must be in.")
    var remoteCredentialsDir: String = "/etc/calico-federation"

    @Flag(help: "Let remote kubeconfigs run exec credential plugins.")
    var allowExecCredentials = false

    @Option(help: "Namespaces clusterAccessSecret Secrets may be read from, comma-separated; default the operator's namespace.")
    var secretNamespaces: String?

    @Option(help: "How remote identities reach local policy: calico (NetworkSets and GlobalNetworkSets) or none.")
    var identityPublisher: IdentityPublisherMode = .calico

    enum IdentityPublisherMode: String, ExpressibleByArgument { case calico, none }

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level: unknown level \"\(logLevel)\"") }
        do {
            _ = try ProbeServer.address(metricsBindAddress)
            _ = try ProbeServer.address(healthProbeBindAddress)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func run() async throws {
        logFormat.bootstrap(level: Logger.Level(rawValue: logLevel) ?? .info)
        let logger = Logger(label: "federation-operator")
        let connection: ClusterConnection
        do {
            connection = try localConnection()
        } catch {
            logger.critical("cannot configure the connection to the local cluster", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
        let namespace = operatorNamespace()
        let policy = RemoteCredentialPolicy(
            credentialsDirectory: remoteCredentialsDir, allowExecCredentials: allowExecCredentials, operatorNamespace: namespace,
            secretNamespaces: secretNamespaces.map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) })
        let client = KubeClient(connection: connection, logger: logger)
        let federation = FederationOperator(client: client, configuration: .init(policy: policy, publishIdentities: identityPublisher == .calico),
                                            logger: logger)
        let elector = leaderElect
            ? try LeaderElector(client: client, configuration: .init(leaseName: leaderElectionID, namespace: namespace,
                                                                      identity: LeaderElector.defaultIdentity), logger: logger)
            : nil
        logger.info("starting", metadata: ["server": "\(connection.server)", "namespace": "\(namespace)", "leaderElection": "\(leaderElect)"])

        let probes = try probeServers(federation: federation, elector: elector, logger: logger)
        let shutDownBySignal = try await ShutdownSignal.cancelling {
            // Leading ends once: at shutdown, or when the lease is lost (then the elector must not compete again).
            let (leadEnded, endLead) = AsyncStream<Void>.makeStream()
            await withDiscardingTaskGroup { group in
                for server in probes {
                    group.addTask {
                        do { try await server.run() } catch { logger.error("probe server failed", metadata: ["error": "\(error)"]) }
                    }
                }
                group.addTask {
                    if let elector {
                        await elector.run { await federation.run(); endLead.finish() }
                    } else {
                        await federation.run()
                    }
                    endLead.finish()
                }
                for await _ in leadEnded {}
                group.cancelAll()
            }
            return Task.isCancelled
        }
        if !shutDownBySignal {
            logger.error("lost the leader lease; exiting so the process restarts clean")
            throw ExitCode(1)
        }
        logger.info("shut down")
    }

    /// `--kubeconfig`, else in-cluster, else `$KUBECONFIG` / `~/.kube/config`.
    private func localConnection() throws -> ClusterConnection {
        if let kubeconfig { return try KubeConfigLoader.load(pathList: kubeconfig).connection(context: context) }
        if let host = ProcessInfo.processInfo.environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty {
            return try ClusterConnection.inCluster()
        }
        return try KubeConfigLoader.loadDefault().connection(context: context)
    }

    private func operatorNamespace() -> String {
        if let namespace, !namespace.isEmpty { return namespace }
        if let namespace = ProcessInfo.processInfo.environment["POD_NAMESPACE"], !namespace.isEmpty { return namespace }
        if let namespace = try? String(contentsOfFile: ClusterConnection.serviceAccountDirectory + "/namespace", encoding: .utf8),
           !namespace.isEmpty {  // Absent outside a pod: fall through to the default.
            return namespace.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return "calico-system"
    }

    /// One server per distinct address: metrics and probes may share one.
    private func probeServers(federation: FederationOperator, elector: LeaderElector?, logger: Logger) throws -> [ProbeServer] {
        let metrics: ProbeServer.Route = {
            var metrics = await federation.metrics()
            let leading = await elector?.isLeader ?? true
            metrics.add("leader_election_master_status", "gauge", help: "1 while this replica leads.",
                        [.init([("name", leaderElectionID)], leading ? 1 : 0)])
            return .init(contentType: "text/plain; version=0.0.4; charset=utf-8", body: metrics.text)
        }
        let healthz: ProbeServer.Route = { .init(body: "ok") }
        let readyz: ProbeServer.Route = {
            if federation.isReady { return .init(body: "ok") }
            // A standby is ready: it can take over; only a leader waits for its caches.
            if let elector, !(await elector.isLeader) { return .init(body: "ok: standby") }
            return .init(status: 503, body: "caches not synced\n")
        }
        let metricsAddress = try ProbeServer.address(metricsBindAddress)
        let healthAddress = try ProbeServer.address(healthProbeBindAddress)
        if metricsAddress == healthAddress {
            return [ProbeServer(host: metricsAddress.host, port: metricsAddress.port,
                                routes: ["/metrics": metrics, "/healthz": healthz, "/readyz": readyz], logger: logger)]
        }
        return [ProbeServer(host: metricsAddress.host, port: metricsAddress.port, routes: ["/metrics": metrics], logger: logger),
                ProbeServer(host: healthAddress.host, port: healthAddress.port, routes: ["/healthz": healthz, "/readyz": readyz], logger: logger)]
    }
}
