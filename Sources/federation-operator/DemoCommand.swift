import ArgumentParser
import Foundation
import KubeClient
import KubeTestServer
import Logging
import Operator

/// `federation-operator demo`: the whole product on one machine, no cluster needed. Starts a local and two remote
/// clusters (in-process API servers on loopback), installs the CRD, fills the remotes with namespaces, pods and
/// services, applies an RCC for each (one by inline kubeconfig, one by a Secret), runs the operator, and prints the
/// kubectl commands to watch it work. Runs until Ctrl-C.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Run the operator against embedded local and remote clusters.")

    @Option(help: "Where the kubeconfigs are written; default a new temporary directory.")
    var directory: String?

    @Option(help: "The CRD manifest; default config/crd/remoteclusterconfigurations.projectcalico.org.yaml in the current directory or beside the binary's checkout.")
    var crd: String?

    @Option(help: "Pods per remote cluster.")
    var podsPerRemote = 6

    @Option(help: "Port of /metrics, /healthz and /readyz (0 picks a free one).")
    var metricsPort = 0

    @Option(help: "Log level.")
    var logLevel: String = "info"

    static let crdPath = "config/crd/remoteclusterconfigurations.projectcalico.org.yaml"

    func run() async throws {
        LogFormat.text.bootstrap(level: Logger.Level(rawValue: logLevel) ?? .info)
        let crdYAML = try loadCRD()
        let directory = try self.directory ?? Self.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)

        let local = try KubeTestServer(name: "local")
        let remotes = [("cluster-east", 1), ("cluster-west", 2)]
        let remoteServers = try remotes.map { try KubeTestServer(name: $0.0) }
        for server in [local] + remoteServers {
            _ = try await server.start()
            try server.kubeconfig().write(toFile: "\(directory)/\(server.name).kubeconfig", atomically: true, encoding: .utf8)
        }
        for (server, (_, subnet)) in zip(remoteServers, remotes) {
            try await Self.fill(try ClusterSeeder(server), subnet: subnet, pods: podsPerRemote)
        }
        let namespace = "calico-system"
        let seeder = try ClusterSeeder(local)
        try await seeder.create(yaml: crdYAML, as: apiextensions.v1.CustomResourceDefinition.resource)
        // As a Calico cluster has them, so remote identities are published as network sets; `shop` exists locally.
        try await seeder.installCalicoNetworkSetCRDs()
        try await seeder.namespace(namespace)
        try await seeder.namespace("shop")
        // A federated service: its Endpoints and slices gather the web pods of both remotes.
        _ = try await seeder.client.resource(core.v1.Service.self, namespace: "shop").create(core.v1.Service(
            metadata: .init(name: "web-federated", namespace: "shop", annotations: [FederatedService.selectorAnnotation: #"app == "web""#]),
            spec: .init(ports: [.init(name: "http", protocol: "TCP", port: 80)])))
        try await Self.applyRCCs(local: try local.client(), east: remoteServers[0], west: remoteServers[1], namespace: namespace)

        let logger = Logger(label: "federation-operator")
        let policy = RemoteCredentialPolicy(credentialsDirectory: directory, operatorNamespace: namespace)
        let federation = FederationOperator(client: try local.client(), configuration: .init(policy: policy, instance: "demo"), logger: logger)
        let routes = OperatorRoutes(federation: federation, elector: nil, leaderElectionID: "demo")
        let probes = ProbeServer(host: "127.0.0.1", port: metricsPort, routes: routes.all, logger: logger)
        let directoryPath = directory
        let podsPerRemote = self.podsPerRemote
        _ = try await ShutdownSignal.cancelling {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    do {
                        try await probes.run { port in Self.printGuide(directory: directoryPath, metricsPort: port, pods: podsPerRemote) }
                    } catch {
                        logger.error("probe server failed", metadata: ["error": "\(error)"])
                    }
                }
                await federation.run()
                group.cancelAll()
            }
        }
        for server in [local] + remoteServers { await server.stop() }
        print("demo stopped; kubeconfigs are left in \(directory)")
    }

    private func loadCRD() throws -> String {
        var candidates = crd.map { [$0] } ?? [Self.crdPath]
        if crd == nil {
            // A binary built in a checkout (.build/<triple>/debug/...) finds the checkout's manifest above it.
            var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            while directory.path != "/" {
                candidates.append(directory.path + "/" + Self.crdPath)
                directory = directory.deletingLastPathComponent()
            }
        }
        for path in candidates where FileManager.default.fileExists(atPath: path) {
            return try String(contentsOfFile: path, encoding: .utf8)
        }
        throw ValidationError("cannot find \(crd ?? Self.crdPath) here or above the binary: run from the repository root or pass --crd")
    }

    private static func temporaryDirectory() throws -> String {
        NSTemporaryDirectory() + "federation-demo-" + String(UUID().uuidString.prefix(8)).lowercased()
    }

    /// Namespaces `shop` (team blue) and `billing` (team green), a service account, labelled pods with IPs
    /// `10.<subnet>.x.y`, and a service per namespace.
    static func fill(_ seeder: ClusterSeeder, subnet: Int, pods: Int) async throws {
        for (index, (namespace, team, app)) in [("shop", "blue", "web"), ("billing", "green", "invoices")].enumerated() {
            try await seeder.namespace(namespace, labels: ["team": team])
            try await seeder.serviceAccount(namespace, app, labels: ["tier": index == 0 ? "frontend" : "backend"])
            var ips: [String] = []
            for pod in 0..<pods {
                let ip = "10.\(subnet).\(index).\(pod + 1)"
                ips.append(ip)
                try await seeder.pod(namespace, "\(app)-\(pod)", ip: ip, labels: ["app": app, "version": pod % 2 == 0 ? "v1" : "v2"],
                                     node: "node-\(pod % 3)", serviceAccount: app)
            }
            try await seeder.service(namespace, app, ips: ips, labels: ["app": app])
        }
    }

    /// cluster-east by an inline kubeconfig, cluster-west by a `clusterAccessSecret`.
    static func applyRCCs(local: KubeClient, east: KubeTestServer, west: KubeTestServer, namespace: String) async throws {
        typealias RCC = projectcalico.v3.RemoteClusterConfiguration
        var inline = RCC.Spec()
        inline.datastoreType = "kubernetes"
        inline.kubeconfigInline = try east.kubeconfig()
        _ = try await local.resource(RCC.self).create(RCC(metadata: .init(name: east.name), spec: inline))
        let secret = core.v1.Secret(metadata: .init(name: "\(west.name)-access", namespace: namespace),
                                    data: ["datastoreType": Array("kubernetes".utf8), "kubeconfig": Array(try west.kubeconfig().utf8)])
        _ = try await local.resource(core.v1.Secret.self, namespace: namespace).create(secret)
        var bySecret = RCC.Spec()
        bySecret.clusterAccessSecret = core.v1.ObjectReference(kind: "Secret", name: "\(west.name)-access")
        _ = try await local.resource(RCC.self).create(RCC(metadata: .init(name: west.name), spec: bySecret))
    }

    static func printGuide(directory: String, metricsPort: Int, pods: Int) {
        // Written at once, unbuffered, so a pipe sees it while the demo runs.
        FileHandle.standardOutput.write(Data("""

            federation-operator demo is running: a local cluster and two remotes (cluster-east, cluster-west),
            each remote with \(pods * 2) pods in namespaces shop and billing. Kubeconfigs are in \(directory).

              export KUBECONFIG=\(directory)/local.kubeconfig
              kubectl get rcc -o wide                  # both remotes: InSync, \(pods * 2) endpoints, 2 services
              kubectl get rcc cluster-east -o yaml     # conditions, counts, remote version
              kubectl get events.events.k8s.io -A      # state transitions
              kubectl get networksets,globalnetworksets -A --show-labels   # remote identities for local policy
              kubectl get endpoints,endpointslices -n shop   # web-federated: the web pods of both remotes

            Change a remote and watch the counts follow:
              kubectl --kubeconfig \(directory)/cluster-east.kubeconfig delete pod web-0 -n shop
              kubectl get rcc cluster-east

            Break one (the other is unaffected), then remove it (its data is purged):
              kubectl patch rcc cluster-east --type=merge -p '{"spec":{"kubeconfigInline":"not: [yaml"}}'
              kubectl delete rcc cluster-east

            Ask which endpoints a Calico selector matches, here and in both remotes (as calicoq does):
              swift run federation-operator query endpoints --selector 'app == "web"'
              swift run federation-operator query services
              curl -G http://127.0.0.1:\(metricsPort)/debug/endpoints --data-urlencode 'selector=app == "web"'

            Metrics: curl http://127.0.0.1:\(metricsPort)/metrics
            Press Ctrl-C to stop.

            """.utf8))
    }
}
