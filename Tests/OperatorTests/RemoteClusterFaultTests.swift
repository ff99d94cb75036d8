import Foundation
import KubeClient
import KubeTestServer
import Operator
import Testing

/// Bad input and faults (issue 5): each ends in a precise status, never a crash, and never disturbs other RCCs.
@Suite("RemoteClusterConfiguration faults", .timeLimit(.minutes(2)))
struct RemoteClusterFaultTests {
    typealias RCC = projectcalico.v3.RemoteClusterConfiguration

    static func rcc(_ name: String, kubeconfig: String) -> RCC {
        var spec = RCC.Spec()
        spec.datastoreType = "kubernetes"
        spec.kubeconfigInline = kubeconfig
        return RCC(metadata: .init(name: name), spec: spec)
    }

    /// The `Connected` condition once it is False.
    static func failedConnection(_ harness: OperatorHarness, _ name: String) async throws -> projectcalico.v3.Condition? {
        _ = try await eventually { try await harness.condition(name, "Connected")?.status == "False" }
        return try await harness.condition(name, "Connected")
    }

    @Test func wrongCAWrongTokenAndMissingClusterEachSayWhatIsWrong() async throws {
        try await withKubeTestServer(name: "local") { local in
            try await withKubeTestServer(name: "remote") { remote in
                try await withKubeTestServer(name: "other") { other in
                    let harness = try await OperatorHarness(local: local)
                    try await harness.running {
                        let good = try remote.kubeconfig()
                        let otherCA = try Self.field("certificate-authority-data", in: other.kubeconfig())
                        let wrongCA = good.replacingOccurrences(of: try Self.field("certificate-authority-data", in: good), with: otherCA)
                        _ = try await harness.rccs.create(Self.rcc("wrong-ca", kubeconfig: wrongCA))
                        _ = try await harness.rccs.create(Self.rcc("wrong-token", kubeconfig: try remote.kubeconfig(user: UserInfo(name: "nobody"), token: "not-a-token")))
                        _ = try await harness.rccs.create(Self.rcc("missing-cluster", kubeconfig: good.replacingOccurrences(of: "cluster: remote\n", with: "cluster: elsewhere\n")))
                        _ = try await harness.rccs.create(Self.rcc("healthy", kubeconfig: good))

                        let tls = try #require(try await Self.failedConnection(harness, "wrong-ca"))
                        #expect(tls.reason == "TLSHandshakeFailed", "\(tls.message ?? "")")
                        #expect(tls.message == "GET /version: TLS handshake failed (CERTIFICATE_VERIFY_FAILED): the server's certificate is not signed by the CA the kubeconfig trusts; check certificate-authority(-data)")
                        #expect(try await harness.status("wrong-ca")?.state == "ConnectionFailed")
                        let token = try #require(try await Self.failedConnection(harness, "wrong-token"))
                        #expect(token.reason == "Unauthorized")
                        #expect(token.message?.contains("401") == true)
                        #expect(token.message?.contains("not-a-token") == false, "no credential in status")
                        #expect(try await eventually { try await harness.status("missing-cluster")?.state == "ConfigIncomplete" })
                        let missing = try await harness.condition("missing-cluster", "ConfigValid")
                        #expect(missing?.reason == "InvalidKubeconfig")
                        #expect(missing?.message?.contains("elsewhere") == true, "\(missing?.message ?? "")")
                        #expect(try await eventually { try await harness.status("healthy")?.state == "InSync" }, "the broken RCCs do not affect a healthy one")
                    }
                }
            }
        }
    }

    @Test func aTokenAboutToExpireWarnsInStatus() async throws {
        try await withKubeTestServer(name: "local") { local in
            try await withKubeTestServer(name: "remote") { remote in
                let exp = Int(Date().timeIntervalSince1970) + 3 * 86400 + 3600
                let payload = Data(#"{"exp":\#(exp)}"#.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
                    .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                let jwt = "eyJhbGciOiJub25lIn0.\(payload).c2ln"
                await remote.cluster.addUser(.admin, token: jwt)
                let harness = try await OperatorHarness(local: local)
                try await harness.running {
                    _ = try await harness.rccs.create(Self.rcc("expiring", kubeconfig: try remote.kubeconfig(token: jwt)))
                    #expect(try await eventually { try await harness.status("expiring")?.state == "InSync" })
                    let warning = try #require(try await harness.condition("expiring", "CredentialsExpiring"))
                    #expect(warning.status == "True")
                    #expect(warning.message?.hasPrefix("the token expires at ") == true && warning.message?.contains("(in 3 days)") == true,
                            "\(warning.message ?? "")")
                    #expect(warning.message?.contains(jwt) == false)
                }
            }
        }
    }

    @Test func aSecretWithoutDatastoreTypeNamesTheKey() async throws {
        try await withKubeTestServer(name: "local") { local in
            let harness = try await OperatorHarness(local: local)
            try await harness.running {
                let secret = core.v1.Secret(metadata: .init(name: "access", namespace: OperatorHarness.operatorNamespace),
                                            data: ["kubeconfig": Array("apiVersion: v1".utf8)])
                _ = try await harness.client.resource(core.v1.Secret.self, namespace: OperatorHarness.operatorNamespace).create(secret)
                var spec = RCC.Spec()
                spec.clusterAccessSecret = core.v1.ObjectReference(name: "access")
                _ = try await harness.rccs.create(RCC(metadata: .init(name: "no-type"), spec: spec))
                #expect(try await eventually { try await harness.condition("no-type", "ConfigValid")?.reason == "InvalidSpec" })
                let message = try await harness.condition("no-type", "ConfigValid")?.message ?? ""
                #expect(message.contains("secret calico-system/access") && message.contains("datastoreType"), "\(message)")
            }
        }
    }

    @Test func brokenWatchesAndForcedGoneStillFollowEveryChange() async throws {
        try await withKubeTestServer(name: "local") { local in
            try await withKubeTestServer(name: "flaky") { remote in
                let seeder = try ClusterSeeder(remote)
                try await seeder.namespace("shop")
                let harness = try await OperatorHarness(local: local)
                try await harness.running {
                    _ = try await harness.rccs.create(Self.rcc("flaky", kubeconfig: try remote.kubeconfig()))
                    #expect(try await eventually { try await harness.status("flaky")?.state == "InSync" })
                    for round in 0..<6 {
                        // The seeder's own keep-alive connection may be among the dropped ones: a POST on it fails
                        // with no answer, so it is tried again (an answered one that created the pod is kept).
                        for attempt in 1...3 {
                            do {
                                try await seeder.pod("shop", "pod-\(round)", ip: "10.9.0.\(round + 1)", labels: ["round": "\(round)"])
                                break
                            } catch let error as KubeAPIError where error.isAlreadyExists {
                                break
                            } catch where !(error is KubeAPIError) && attempt < 3 {
                                continue
                            }
                        }
                        // Every other round the watches break; every third the history is compacted, so resuming
                        // gets 410 Gone and the syncer relists.
                        if round % 2 == 0 { await remote.dropConnections() }
                        if round % 3 == 0 { await remote.cluster.compactHistory() }
                    }
                    let cache = harness.federation.federation
                    #expect(try await eventually { cache.counts(of: "flaky")?.endpoints == 6 })
                    #expect(Set(cache.endpoints(of: "flaky").map(\.name)) == Set((0..<6).map { "pod-\($0)" }))
                    #expect(try await eventually { try await harness.status("flaky")?.remoteEndpoints == 6 })
                    #expect(try await eventually { try await harness.status("flaky")?.state == "InSync" })
                }
            }
        }
    }

    @Test func aRemoteThatGoesAwayKeepsItsDataAndRecovers() async throws {
        try await withKubeTestServer(name: "local") { local in
            let remote = try KubeTestServer(name: "away")
            _ = try await remote.start()
            let seeder = try ClusterSeeder(remote)
            try await seeder.namespace("shop")
            try await seeder.pod("shop", "p", ip: "10.8.0.1", labels: [:])
            let harness = try await OperatorHarness(local: local)
            try await harness.running {
                _ = try await harness.rccs.create(Self.rcc("away", kubeconfig: try remote.kubeconfig()))
                #expect(try await eventually { try await harness.status("away")?.state == "InSync" })
                await remote.stop()
                #expect(try await eventually { try await harness.status("away")?.state == "ConnectionFailed" })
                #expect(try await harness.status("away")?.remoteEndpoints == 1, "the last good data is kept (DESIGN §6.4)")
                #expect(try await harness.condition("away", "Synced")?.message?.contains("is kept") == true)
                try await remote.restart(keepingData: true)
                #expect(try await eventually(timeout: .seconds(30)) { try await harness.status("away")?.state == "InSync" })
            }
            await remote.stop()
        }
    }

    @Test func twentyRCCsOfWhichFiveAreBrokenAndDeletionsWhileConnecting() async throws {
        try await withKubeTestServer(name: "local") { local in
            try await withKubeTestServer(name: "shared-remote") { remote in
                try await ClusterSeeder(remote).namespace("shop")
                try await ClusterSeeder(remote).pod("shop", "p", ip: "10.7.0.1", labels: [:])
                let harness = try await OperatorHarness(local: local)
                try await harness.running {
                    let good = try remote.kubeconfig()
                    let unreachable = good.replacingOccurrences(of: remote.url, with: "https://127.0.0.1:1")
                    for index in 0..<20 {
                        _ = try await harness.rccs.create(Self.rcc("rcc-\(index)", kubeconfig: index % 4 == 0 ? unreachable : good))
                    }
                    let healthy = (0..<20).filter { $0 % 4 != 0 }
                    #expect(try await eventually(timeout: .seconds(30)) {
                        let list = try await harness.rccs.list().items
                        return list.filter { $0.status?.state == "InSync" }.count == healthy.count
                            && list.filter { $0.status?.state == "ConnectionFailed" }.count == 5
                    })
                    // Deleting RCCs that are still connecting (unreachable) stops their syncers and lets them go.
                    for index in stride(from: 0, to: 20, by: 4) { try await harness.rccs.delete("rcc-\(index)") }
                    #expect(try await eventually { try await harness.rccs.list().items.count == 15 })
                    #expect(try await eventually { await harness.federation.registry.clusters.count == 15 })
                    #expect(Set(harness.federation.federation.clusters) == Set(healthy.map { "rcc-\($0)" }))
                }
            }
        }
    }

    /// The value of `key: value` in a kubeconfig.
    static func field(_ key: String, in kubeconfig: String) throws -> String {
        let line = try #require(kubeconfig.split(separator: "\n").first { $0.contains("\(key): ") })
        return String(line.split(separator: ": ", maxSplits: 1)[1])
    }
}
