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

    @OptionGroup var cluster: LocalClusterOptions

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

    @OptionGroup var credentials: CredentialPolicyOptions

    @Option(help: "How remote identities reach local policy: calico (NetworkSets and GlobalNetworkSets) or none.")
    var identityPublisher: IdentityPublisherMode = .calico

    enum IdentityPublisherMode: String, ExpressibleByArgument { case calico, none }

    @Option(name: .customLong("federated-services"), help: "Whether Services annotated federation.tigera.io/serviceSelector get federated Endpoints and EndpointSlices: true or false.")
    var federateServices = true

    @Option(help: "How long an unreachable remote keeps its addresses in federated services (e.g. 60s, 2m).")
    var remoteOutageGrace = DurationArgument(.seconds(60), "60s")

    @Option(help: "How often every federated service's Endpoints and slices are checked and repaired (e.g. 5m).")
    var federatedServicesResync = DurationArgument(.seconds(300), "5m")

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
            connection = try cluster.connection()
        } catch {
            logger.critical("cannot configure the connection to the local cluster", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
        let namespace = LocalClusterOptions.operatorNamespace(self.namespace)
        let policy = credentials.policy(operatorNamespace: namespace)
        let client = KubeClient(connection: connection, logger: logger)
        let federation = FederationOperator(client: client, configuration: .init(
            policy: policy, publishIdentities: identityPublisher == .calico, federateServices: federateServices,
            services: .init(resync: federatedServicesResync.duration), remoteOutageGrace: remoteOutageGrace.duration),
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

    /// One server per distinct address: metrics and probes may share one.
    private func probeServers(federation: FederationOperator, elector: LeaderElector?, logger: Logger) throws -> [ProbeServer] {
        let routes = OperatorRoutes(federation: federation, elector: elector, leaderElectionID: leaderElectionID)
        let metricsAddress = try ProbeServer.address(metricsBindAddress)
        let healthAddress = try ProbeServer.address(healthProbeBindAddress)
        if metricsAddress == healthAddress {
            return [ProbeServer(host: metricsAddress.host, port: metricsAddress.port, routes: routes.all, logger: logger)]
        }
        return [ProbeServer(host: metricsAddress.host, port: metricsAddress.port, routes: routes.metrics, logger: logger),
                ProbeServer(host: healthAddress.host, port: healthAddress.port, routes: routes.probes, logger: logger)]
    }
}
