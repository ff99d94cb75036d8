import Foundation
import KubeClient
import KubeTestServer
import Testing

/// The product's manifests (`config/crd`, `config/samples`) applied with kubectl, as users will apply them.
@Suite("RemoteClusterConfiguration manifests", .timeLimit(.minutes(2)))
struct RCCManifestTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func crdAndEverySampleApplyAndPrintTheirColumns() async throws {
        try await withKubeTestServer { server in
            let kubectl = try Kubectl(server)
            defer { kubectl.cleanUp() }
            let crd = try await kubectl("apply", "-f", Self.repository + "/config/crd/")
            #expect(crd.stdout == "customresourcedefinition.apiextensions.k8s.io/remoteclusterconfigurations.projectcalico.org created\n", "\(crd.stderr)")
            let samples = try await kubectl("apply", "-f", Self.repository + "/config/samples/")
            #expect(samples.lines.count == 4, "\(samples.stderr)")
            #expect(samples.lines.allSatisfy { $0.hasSuffix(" created") })

            _ = try await kubectl("patch", "rcc", "cluster-b", "--subresource=status", "--type=merge", "-p",
                                  #"{"status":{"state":"InSync","remoteEndpoints":12,"remoteServices":3,"conditions":[{"type":"Ready","status":"True","reason":"InSync","message":"12 endpoints"}]}}"#)
            let table = try await kubectl("get", "rcc", "-o", "wide")
            #expect(table.lines.first == "NAME        DATASTORE    STATE    ENDPOINTS   SERVICES   AGE   MESSAGE")
            let fields = table.lines.dropFirst().first?.split(separator: " ").map(String.init) ?? []
            #expect(fields.prefix(5) == ["cluster-b", "kubernetes", "InSync", "12", "3"])
            #expect(table.lines.dropFirst().first?.hasSuffix("12 endpoints") == true)
            #expect(table.lines.contains { $0.hasPrefix("cluster-d  ") }, "the Secret-based sample has no datastore column")
        }
    }

    @Test func remoteReaderRBACApplies() async throws {
        try await withKubeTestServer(name: "remote") { server in
            let kubectl = try Kubectl(server)
            defer { kubectl.cleanUp() }
            _ = try await kubectl("create", "namespace", "calico-system")
            let applied = try await kubectl("apply", "-f", Self.repository + "/config/rbac/remote-cluster-reader.yaml")
            #expect(applied.lines == [
                "serviceaccount/tigera-federation-remote-cluster created",
                "clusterrole.rbac.authorization.k8s.io/tigera-federation-remote-cluster created",
                "clusterrolebinding.rbac.authorization.k8s.io/tigera-federation-remote-cluster created",
                "secret/tigera-federation-remote-cluster created",
            ], "\(applied.stderr)")
        }
    }

    @Test func invalidSpecsAreRefusedNamingEachField() async throws {
        try await withKubeTestServer { server in
            let kubectl = try Kubectl(server)
            defer { kubectl.cleanUp() }
            _ = try await kubectl("apply", "-f", Self.repository + "/config/crd/")
            let bad = """
                apiVersion: projectcalico.org/v3
                kind: RemoteClusterConfiguration
                metadata: {name: bad}
                spec: {datastoreType: kubernets, k8sAPIEndpoint: "https://no-port.example.com", syncOptions: {overlayRoutingMode: Sometimes}}

                """
            let refused = try await kubectl("apply", "-f", "-", stdin: bad)
            #expect(refused.status != 0)
            #expect(refused.stderr.contains(#"spec.datastoreType: Unsupported value: "kubernets": supported values: "etcdv3", "kubernetes""#))
            #expect(refused.stderr.contains(#"spec.k8sAPIEndpoint: Invalid value: "https://no-port.example.com""#))
            #expect(refused.stderr.contains(#"spec.syncOptions.overlayRoutingMode: Unsupported value: "Sometimes""#))
            let state = try await kubectl("patch", "rcc", "nothing", "--subresource=status", "--type=merge", "-p", #"{"status":{"state":"Happy"}}"#)
            #expect(state.status != 0)
        }
    }
}
