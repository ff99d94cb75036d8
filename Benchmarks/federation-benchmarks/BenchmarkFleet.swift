import Foundation
import KubeClient
import KubeTestServer
import Operator

/// A local cluster and seeded remote clusters, each a kube-test-server in a child process (so the benchmark process's
/// memory and CPU are the operator's), with the RCC CRD on the local cluster and one RCC per remote.
struct BenchmarkFleet {
    typealias RCC = projectcalico.v3.RemoteClusterConfiguration

    let directory: String
    let remotes: [String]
    private let children: [ChildProcess]

    /// Starts `remotes` clusters (`cluster-0`...) of `podsPerRemote` pods (subnet `10.<n+1>.`) and a local one
    /// without pods. With `services`, each remote also has that many services (`svc-<i>`) of `endpointsPerService`
    /// endpoints (subnet `10.<n+101>.`), and the local cluster as many federated services selecting them.
    static func start(remotes count: Int, podsPerRemote: Int, labelSets: Int = 1000, services: Int = 0,
                      endpointsPerService: Int = 0) async throws -> BenchmarkFleet {
        let directory = NSTemporaryDirectory() + "federation-bench-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let names = ["local"] + (0..<count).map { "cluster-\($0)" }
        let children = try names.enumerated().map { index, name in
            try ChildProcess(executable: CommandLine.arguments[0], arguments: [
                "serve-cluster", name, index == 0 ? "0" : "\(podsPerRemote)", "\(index)", "\(directory)/\(name).kubeconfig", "\(labelSets)",
                "\(services)", index == 0 ? "0" : "\(endpointsPerService)",
            ])
        }
        let fleet = BenchmarkFleet(directory: directory, remotes: Array(names.dropFirst()), children: children)
        let start = ContinuousClock.now
        for name in names {
            while !FileManager.default.fileExists(atPath: "\(directory)/\(name).kubeconfig") {
                try await Task.sleep(for: .milliseconds(50))
                if ContinuousClock.now - start > .seconds(300) {
                    fleet.stop()
                    throw BenchmarkError("cluster \(name) did not start")
                }
            }
        }
        let local = try fleet.client("local")
        let path = "config/crd/remoteclusterconfigurations.projectcalico.org.yaml"
        guard let yaml = try? String(contentsOfFile: path, encoding: .utf8) else {
            fleet.stop()
            throw BenchmarkError("run from the repository root: \(path) not found")
        }
        try await ClusterSeeder(client: local).create(yaml: yaml, as: apiextensions.v1.CustomResourceDefinition.resource)
        _ = try await local.resource(core.v1.Namespace.self).create(core.v1.Namespace(metadata: .init(name: "calico-system")))
        print("setup: \(count) remote clusters x \(podsPerRemote) pods in \(String(format: "%.1f", (ContinuousClock.now - start).seconds)) s")
        return fleet
    }

    /// A client of cluster `name`; `qps` 0 is not rate limited (its requests are what is timed).
    func client(_ name: String, unthrottled: Bool = false) throws -> KubeClient {
        let connection = try KubeConfigLoader.load(path: "\(directory)/\(name).kubeconfig").connection()
        return unthrottled ? KubeClient(connection: connection, options: KubeClientOptions(qps: 100_000, burst: 100_000)) : KubeClient(connection: connection)
    }

    /// One RCC per remote, with its admin kubeconfig inline.
    func createRCCs() async throws {
        let local = try client("local")
        for name in remotes {
            var spec = RCC.Spec()
            spec.datastoreType = "kubernetes"
            spec.kubeconfigInline = try String(contentsOfFile: "\(directory)/\(name).kubeconfig", encoding: .utf8)
            _ = try await local.resource(RCC.self).create(RCC(metadata: .init(name: name), spec: spec))
        }
    }

    /// Waits until every RCC is `InSync`; returns how long that took from `start`.
    func waitForInSync(since start: ContinuousClock.Instant) async throws -> Duration {
        let rccs = try client("local").resource(RCC.self)
        while true {
            let states = try await rccs.list().items.map { $0.status?.state }
            if states.count == remotes.count && states.allSatisfy({ $0 == "InSync" }) { return ContinuousClock.now - start }
            if ContinuousClock.now - start > .seconds(300) { throw BenchmarkError("not in sync after 300 s: \(states)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    func stop() {
        children.forEach { $0.terminate() }
        try? FileManager.default.removeItem(atPath: directory)  // A leftover temporary directory is harmless.
    }
}

/// `federation-benchmarks serve-cluster NAME PODS SUBNET KUBECONFIG [LABELSETS [SERVICES ENDPOINTS]]`: a seeded test
/// cluster in this child process; services with no endpoints are federated ones.
func serveCluster(_ arguments: [String]) async throws {
    guard arguments.count >= 4, let pods = Int(arguments[1]), let subnet = Int(arguments[2]) else {
        throw BenchmarkError("usage: serve-cluster NAME PODS SUBNET KUBECONFIG [LABELSETS [SERVICES ENDPOINTS]]")
    }
    let number = { (index: Int) in arguments.count > index ? Int(arguments[index]) : nil }
    let server = try KubeTestServer(name: arguments[0])
    try await server.cluster.seed(pods: pods, namespaces: 100, subnet: subnet, labelSets: number(4) ?? 1000)
    if let services = number(5), services > 0 {
        let endpoints = number(6) ?? 0
        try await server.cluster.seedServices(services, namespaces: 100, endpointsPerService: endpoints, subnet: subnet + 100, federated: endpoints == 0)
    }
    _ = try await server.start()
    try server.kubeconfig().write(toFile: arguments[3], atomically: true, encoding: .utf8)
    // Serves until the parent terminates this process.
    while true { try await Task.sleep(for: .seconds(3600)) }
}

/// A benchmark that could not run.
struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
