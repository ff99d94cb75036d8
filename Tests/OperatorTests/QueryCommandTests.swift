import Foundation
import KubeClient
import KubeTestServer
import Operator
import Testing

/// `federation-operator query endpoints` (the built binary) against a local cluster with RCCs for a live remote and
/// an unreachable one (issue 6 §3).
@Suite("federation-operator query", .timeLimit(.minutes(1)))
struct QueryCommandTests {
    func query(_ local: KubeTestServer, _ arguments: [String]) async throws -> ChildProcess.Result {
        let file = NSTemporaryDirectory() + "query-\(UUID().uuidString).kubeconfig"
        try local.kubeconfig().write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        try #require(FileManager.default.isExecutableFile(atPath: CheckCommandTests.binary), "not built: \(CheckCommandTests.binary)")
        return try await ChildProcess.run(CheckCommandTests.binary, ["query"] + (arguments.first == "services" ? [] : ["endpoints"]) + arguments + ["--kubeconfig", file, "--timeout", "3"])
    }

    @Test func listsLocalAndRemoteEndpointsAndReportsTheRCCThatCouldNotBeRead() async throws {
        try await withKubeTestServer(name: "local") { local in
            try await withKubeTestServer(name: "east") { east in
                let gone = try KubeTestServer(name: "gone")
                _ = try await gone.start()
                let goneRCC = try OperatorHarness.inlineRCC("gone", remote: gone)
                await gone.stop()
                let harness = try await OperatorHarness(local: local)  // Installs the RCC CRD; the operator does not run.
                try await ClusterSeeder(local).namespace("shop")
                try await ClusterSeeder(local).pod("shop", "web-local", ip: "10.6.0.1", labels: ["app": "web"])
                let remote = try ClusterSeeder(east)
                try await remote.namespace("shop", labels: ["team": "blue"])
                try await remote.pod("shop", "web-1", ip: "10.6.1.1", labels: ["app": "web"])
                try await remote.pod("shop", "db-1", ip: "10.6.1.9", labels: ["app": "db"])
                _ = try await harness.rccs.create(try OperatorHarness.inlineRCC("east", remote: east))
                _ = try await harness.rccs.create(goneRCC)

                let table = try await query(local, ["--selector", #"app == "web""#])
                #expect(table.status == 1, "an RCC could not be read: \(table.stderr)")
                #expect(table.lines == [
                    "CLUSTER   NAMESPACE   NAME         IPS        LABELS",
                    "(local)   shop        web-local    10.6.0.1   app=web,pcns.projectcalico.org/name=shop,projectcalico.org/namespace=shop,projectcalico.org/orchestrator=k8s",
                    "east      shop        east/web-1   10.6.1.1   app=web,federation.tigera.io/remoteClusterName=east,pcns.projectcalico.org/name=shop,pcns.team=blue,projectcalico.org/namespace=shop,projectcalico.org/orchestrator=k8s",
                ])
                let errors = table.stderr.split(separator: "\n").map(String.init)
                #expect(errors.prefix(2) == ["The following problems were encountered connecting to the remote clusters",
                                             "which may have resulted in incomplete data:"])
                #expect(errors.count == 3)
                #expect(errors.last?.hasPrefix("RemoteClusterConfiguration(gone): connection to remote cluster failed: ") == true, "\(errors)")

                // The remote's labels select across clusters; JSON names them with the RCC prefix.
                let json = try await query(local, ["--selector", "pcns.team == 'blue'", "-o", "json"])
                let list = try JSONDecoder().decode(EndpointRecordList.self, from: Data(json.stdout.utf8))
                #expect(list.items.map(\.name) == ["east/db-1", "east/web-1"])
                #expect(list.items.first?.cluster == "east")
                #expect(list.items.first?.ips == ["10.6.1.9"])

                // Once the broken RCC is gone, the answer is complete: exit 0.
                try await harness.rccs.delete("gone")
                let yaml = try await query(local, ["-n", "shop", "-o", "yaml"])
                #expect(yaml.status == 0, "\(yaml.stderr)")
                #expect(yaml.stderr.isEmpty)
                #expect(yaml.stdout.split(separator: "\n").filter { $0.hasPrefix("  name: ") } == ["  name: web-local", "  name: east/db-1", "  name: east/web-1"])

                let invalid = try await query(local, ["--selector", "app ==="])
                #expect(invalid.status == 2)
                #expect(invalid.stderr.hasPrefix("invalid selector: "))
            }
        }
    }

    @Test func servicesListsEachFederatedServiceWithItsBackingPerCluster() async throws {
        try await withKubeTestServer(name: "local") { local in
            try await withKubeTestServer(name: "east") { east in
                let harness = try await OperatorHarness(local: local)  // Installs the RCC CRD; the operator does not run.
                let seeder = try ClusterSeeder(local)
                try await seeder.namespace("shop")
                try await FederatedServicesTests.backingService(seeder, "shop", "web-local", labels: ["run": "web"], port: ("http", 8080), ready: ["10.0.0.1"])
                try await FederatedServicesTests.federatedService(seeder, "shop", "web-fed", selector: "run == 'web'")
                try await FederatedServicesTests.federatedService(seeder, "shop", "broken", selector: "run ==")
                let remote = try ClusterSeeder(east)
                try await remote.namespace("shop")
                try await FederatedServicesTests.backingService(remote, "shop", "web", labels: ["run": "web"], port: ("http", 8080), ready: ["10.1.0.1", "10.1.0.2"])
                _ = try await harness.rccs.create(try OperatorHarness.inlineRCC("east", remote: east))

                let table = try await query(local, ["services"])
                #expect(table.status == 0, "\(table.stderr)")
                let rows = table.lines.map { $0.split(separator: /\s{3,}/).map(String.init) }
                #expect(rows.first == ["NAMESPACE", "NAME", "SELECTOR", "BACKING", "ENDPOINTS"])
                #expect(rows.last == ["shop", "web-fed", "run == 'web'", "web-local (1), east/web (2)", "3"])
                let broken = rows.dropFirst().first ?? []
                #expect(broken.prefix(3) == ["shop", "broken", "run =="])
                #expect(broken.count > 3 && broken[3].hasPrefix("ServiceSelector expression 'run ==' in annotation 'federation.tigera.io/serviceSelector' is not valid: "))
                let json = try await query(local, ["services", "-o", "json"])
                let list = try JSONDecoder().decode(FederatedServiceRecordList.self, from: Data(json.stdout.utf8))
                #expect(list.items.map(\.name) == ["broken", "web-fed"])
                #expect(list.items.first?.problem?.hasPrefix("ServiceSelector expression 'run ==' in annotation") == true)
                #expect(list.items.last?.backing == [.init(cluster: nil, name: "web-local", endpoints: 1), .init(cluster: "east", name: "web", endpoints: 2)])
            }
        }
    }
}
