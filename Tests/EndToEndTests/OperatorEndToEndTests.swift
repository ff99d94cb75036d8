import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KubeTestServer
import Testing

/// The built `federation-operator run` binary and the real kubectl against kube-test-server processes (a local
/// cluster and two remotes), as a user would drive them (issue 5, end-to-end test).
@Suite("End to end: operator binary, kubectl, kube-test-server processes", .timeLimit(.minutes(3)))
struct OperatorEndToEndTests {
    static let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// A kube-test-server process and kubectl for it.
    struct Cluster {
        let process: ChildProcess
        let kubeconfigPath: String
        let kubectl: Kubectl

        static func start(_ name: String, in directory: String) async throws -> Cluster {
            let path = "\(directory)/\(name).kubeconfig"
            let process = try ChildProcess(executable: binaries + "/kube-test-server",
                                           arguments: ["--name", name, "--kubeconfig-out", path])
            try #require(try await eventually { FileManager.default.fileExists(atPath: path) }, "\(name) did not start: \(process.errorOutput)")
            return Cluster(process: process, kubeconfigPath: path, kubectl: try Kubectl(kubeconfigContents: String(contentsOfFile: path, encoding: .utf8)))
        }

        /// Runs kubectl and requires success.
        @discardableResult
        func run(_ arguments: String..., stdin: String? = nil) async throws -> ChildProcess.Result {
            let result = try await kubectl.run(arguments, stdin: stdin)
            try #require(result.status == 0, "kubectl \(arguments.joined(separator: " ")): \(result.stderr)")
            return result
        }

        func stop() async {
            process.terminate()
            _ = await process.finish()
            kubectl.cleanUp()
        }
    }

    /// Namespace `shop` with `count` pods (IPs written through the status subresource, as kubelet does) and a service.
    static func populate(_ remote: Cluster, pods count: Int, subnet: Int) async throws {
        try await remote.run("create", "namespace", "shop")
        var manifest = ""
        for index in 0..<count {
            manifest += """
                apiVersion: v1
                kind: Pod
                metadata: {name: web-\(index), namespace: shop, labels: {app: web}}
                spec: {nodeName: node-1, containers: [{name: web, image: nginx}]}
                ---

                """
        }
        manifest += """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec: {ports: [{name: http, port: 80, protocol: TCP}]}
            """
        try await remote.run("apply", "-f", "-", stdin: manifest)
        for index in 0..<count {
            try await remote.run("patch", "pod", "web-\(index)", "-n", "shop", "--subresource=status", "--type=merge",
                                 "-p", #"{"status":{"phase":"Running","podIP":"10.\#(subnet).0.\#(index + 1)","podIPs":[{"ip":"10.\#(subnet).0.\#(index + 1)"}]}}"#)
        }
    }

    @Test func rccsReachInSyncShowInKubectlAndADeletedRCCIsPurged() async throws {
        let directory = NSTemporaryDirectory() + "e2e-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }  // Leftovers in /tmp are harmless.
        let local = try await Cluster.start("local", in: directory)
        let remoteA = try await Cluster.start("remote-a", in: directory)
        let remoteB = try await Cluster.start("remote-b", in: directory)
        var operatorProcess: ChildProcess?
        do {
            try await local.run("create", "namespace", "calico-system")
            try await local.run("apply", "-f", Self.repository + "/config/crd/", "-f", Self.repository + "/config/rbac/")
            try await Self.populate(remoteA, pods: 3, subnet: 1)
            try await Self.populate(remoteB, pods: 2, subnet: 2)

            // remote-a by an inline kubeconfig, remote-b by a Secret.
            let inline = try String(contentsOfFile: remoteA.kubeconfigPath, encoding: .utf8)
            let indented = inline.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n")
            try await local.run("apply", "-f", "-", stdin: """
                apiVersion: projectcalico.org/v3
                kind: RemoteClusterConfiguration
                metadata: {name: remote-a}
                spec:
                  datastoreType: kubernetes
                  kubeconfigInline: |
                \(indented)
                ---
                apiVersion: projectcalico.org/v3
                kind: RemoteClusterConfiguration
                metadata: {name: remote-b}
                spec:
                  clusterAccessSecret: {name: remote-b-access, kind: Secret}
                """)
            try await local.run("create", "secret", "generic", "remote-b-access", "-n", "calico-system",
                                "--from-literal=datastoreType=kubernetes", "--from-file=kubeconfig=" + remoteB.kubeconfigPath)

            let process = try ChildProcess(executable: Self.binaries + "/federation-operator", arguments: [
                "run", "--kubeconfig", local.kubeconfigPath, "--namespace", "calico-system",
                "--metrics-bind-address", "127.0.0.1:0", "--health-probe-bind-address", "127.0.0.1:0", "--log-format", "json",
            ])
            operatorProcess = process

            let inSync = try await eventually(timeout: .seconds(30)) {
                let table = try await local.run("get", "rcc")
                return table.lines.filter { $0.contains(" InSync ") }.count == 2
            }
            let table = try await local.run("get", "rcc")
            #expect(inSync, "\(table.stdout)\n\(process.errorOutput.suffix(2000))")
            #expect(table.lines.first?.split(separator: " ") == ["NAME", "DATASTORE", "STATE", "ENDPOINTS", "SERVICES", "AGE"])
            let rows = table.lines.dropFirst().map { $0.split(separator: " ").map(String.init) }
            #expect(rows.first?.prefix(5) == ["remote-a", "kubernetes", "InSync", "3", "1"])
            #expect(rows.last?.prefix(4) == ["remote-b", "InSync", "2", "1"], "a Secret-based RCC shows no datastore")
            let b = try await local.run("get", "rcc", "remote-b", "-o",
                                        #"jsonpath={.status.state},{.status.remoteEndpoints},{.status.conditions[?(@.type=="Ready")].status}"#)
            #expect(b.stdout == "InSync,2,True")

            let metricsAddress = try #require(process.errorOutput.firstMatch(of: /"address":"(127\.0\.0\.1:\d+)"/)?.1)
            let before = try await Self.get("http://\(metricsAddress)/metrics")
            #expect(before.contains(#"federation_remote_endpoints{remote_cluster_name="remote-a"} 3"#))
            #expect(before.contains(#"remote_cluster_connection_status{remote_cluster_name="remote-b"} 2"#))
            #expect(try await Self.get("http://\(metricsAddress)/readyz") == "ok")
            // In-cluster tooling asks which endpoints a Calico selector matches, as `query endpoints` lists them.
            let selected = try await Self.get("http://\(metricsAddress)/debug/endpoints?selector=app+%3D%3D+%22web%22+%26%26+federation.tigera.io%2FremoteClusterName+%3D%3D+%22remote-b%22")
            let document = try JSONSerialization.jsonObject(with: Data(selected.utf8)) as? [String: Any]
            let items = document?["items"] as? [[String: Any]] ?? []
            let names = items.compactMap { $0["name"] as? String }
            let firstIPs = items.first?["ips"] as? [String]
            #expect(names == ["remote-b/web-0", "remote-b/web-1"], "\(selected)")
            #expect(firstIPs == ["10.2.0.1"])
            #expect(try await Self.get("http://\(metricsAddress)/debug/endpoints?selector=app+%3D%3D").hasPrefix("invalid selector: "))

            // kubectl waits until the finalizer is gone: the data is purged by then.
            try await local.run("delete", "rcc", "remote-a", "--timeout=20s")
            let after = try await Self.get("http://\(metricsAddress)/metrics")
            #expect(!after.contains(#"remote_cluster_name="remote-a""#))
            #expect(after.contains(#"federation_remote_endpoints{remote_cluster_name="remote-b"} 2"#))

            process.terminate()
            let exit = await process.finish()
            #expect(exit.status == 0, "graceful shutdown on SIGTERM: \(exit.stderr.suffix(1000))")
            let holder = try await local.run("get", "lease", "federation-operator", "-n", "calico-system", "-o", "jsonpath={.spec.holderIdentity}")
            #expect(holder.stdout.isEmpty, "the lease is released on shutdown")
            for line in exit.stderr.split(separator: "\n") {
                #expect(line.hasPrefix("{") && line.hasSuffix("}"), "JSON log lines: \(line)")
            }
            #expect(!exit.stderr.contains("BEGIN CERTIFICATE") && !exit.stderr.contains("client-key-data") && !exit.stderr.contains("token"),
                    "no credentials in the logs")
        } catch {
            operatorProcess?.terminate()
            throw error
        }
        for cluster in [local, remoteA, remoteB] { await cluster.stop() }
    }

    @Test func theDemoRunsWithoutAClusterAndStopsOnInterrupt() async throws {
        let directory = NSTemporaryDirectory() + "demo-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }  // Leftovers in /tmp are harmless.
        let demo = try ChildProcess(executable: Self.binaries + "/federation-operator",
                                    arguments: ["demo", "--directory", directory, "--pods-per-remote", "3"])
        #expect(try await eventually(timeout: .seconds(30)) { demo.output.contains("Press Ctrl-C to stop.") }, "\(demo.errorOutput)")
        #expect(demo.output.contains("export KUBECONFIG=\(directory)/local.kubeconfig"))
        let kubectl = try Kubectl(kubeconfigContents: String(contentsOfFile: directory + "/local.kubeconfig", encoding: .utf8))
        defer { kubectl.cleanUp() }
        let inSync = try await eventually(timeout: .seconds(20)) {
            let rows = try await kubectl("get", "rcc", "-o", "jsonpath={range .items[*]}{.metadata.name}={.status.state}/{.status.remoteEndpoints} {end}")
            return rows.stdout == "cluster-east=InSync/6 cluster-west=InSync/6 "
        }
        #expect(inSync, "\(demo.errorOutput.suffix(2000))")
        // Per remote: web and invoices pods in two versions each; shop exists locally, billing does not.
        #expect(try await eventually(timeout: .seconds(20)) {
            let namespaced = try await kubectl("get", "networksets", "-n", "shop", "-o", "name").lines.count
            let global = try await kubectl("get", "globalnetworksets", "-o", "name").lines.count
            return namespaced == 4 && global == 4
        }, "remote identities published as network sets")
        // The demo's federated service gathers the web pods of both remotes, as kubectl shows them.
        #expect(try await eventually(timeout: .seconds(20)) {
            let ips = try await kubectl("get", "endpoints", "web-federated", "-n", "shop", "-o", "jsonpath={.subsets[*].addresses[*].ip}").stdout
            return ips.split(separator: " ").sorted() == ["10.1.0.1", "10.1.0.2", "10.1.0.3", "10.2.0.1", "10.2.0.2", "10.2.0.3"]
        }, "federated service endpoints")
        // One slice per source cluster.
        let slices = try await kubectl("get", "endpointslices", "-n", "shop", "-l", "kubernetes.io/service-name=web-federated",
                                       "-o", "jsonpath={.items[*].metadata.labels.federation\\.tigera\\.io/remoteClusterName}")
        #expect(slices.stdout.split(separator: " ").sorted() == ["cluster-east", "cluster-west"])
        kill(demo.processIdentifier, SIGINT)
        let exit = await demo.finish()
        #expect(exit.status == 0, "\(exit.stderr.suffix(1000))")
        #expect(exit.stdout.contains("demo stopped"))
    }

    static func get(_ url: String) async throws -> String {
        let (data, _) = try await URLSession.shared.data(from: URL(string: url)!)
        return String(decoding: data, as: UTF8.self)
    }
}
