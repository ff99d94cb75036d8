import ArgumentParser
import Foundation
import KubeTestServer
import Logging

/// `kube-test-server`: runs one in-process Kubernetes API server until SIGINT or SIGTERM.
@main
struct KubeTestServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kube-test-server",
        abstract: "Serve a Kubernetes API for tests on 127.0.0.1 (HTTPS with its own CA unless --no-tls).")

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 0

    @Option(help: "The cluster's name in the kubeconfig written.")
    var name = "kube-test-server"

    @Flag(inversion: .prefixedNo, help: "Serve HTTPS with a generated CA and client-certificate users.")
    var tls = true

    @Option(name: .customLong("kubeconfig-out"), help: "Write an admin kubeconfig to this file.")
    var kubeconfigOut: String?

    @Option(help: "YAML file of extra users: name, token, groups, rules.")
    var users: String?

    @Option(name: .customLong("data-dir"), help: "Keep certificates and objects in this directory across runs.")
    var dataDirectory: String?

    @Option(name: .customLong("kubernetes-minor-version"), help: "Report Kubernetes 1.<N> in /version (kubectl's wrapper picks that client).")
    var minorVersion = 32

    @Option(help: "Create this many running pods (with IPs and labels) at start, for benchmarks.")
    var seedPods = 0

    @Option(help: "Namespaces the seeded pods are spread over.")
    var seedNamespaces = 100

    @Option(help: "Second octet of the seeded pods' IPs (10.<N>.x.y), so clusters do not overlap.")
    var seedSubnet = 0

    func run() async throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let server = try KubeTestServer(name: name, tls: tls, cluster: TestCluster(minorVersion: minorVersion),
                                        dataDirectory: try dataDirectory.map { try DataDirectory(path: $0) })
        if let users { await (try UsersFile(path: users)).add(to: server.cluster) }
        if seedPods > 0 { try await server.cluster.seed(pods: seedPods, namespaces: seedNamespaces, subnet: seedSubnet) }
        try await server.start(port: port)
        if let kubeconfigOut {
            try server.kubeconfig().write(toFile: kubeconfigOut, atomically: true, encoding: .utf8)
        }
        FileHandle.standardOutput.write(Data("kube-test-server \(name) listening on \(server.url)\n".utf8))
        await waitForTermination()
        await server.stop()
    }

    /// Returns at the first SIGINT or SIGTERM.
    private func waitForTermination() async {
        let (signals, received) = AsyncStream<Int32>.makeStream()
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { received.yield(number) }
            source.resume()
            sources.append(source)
        }
        for await _ in signals { break }
        for source in sources { source.cancel() }
    }
}
