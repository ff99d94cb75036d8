import Foundation
import KubeTestServer
import Testing

/// `federation-operator check` (the built binary) against a test remote cluster.
@Suite("federation-operator check", .timeLimit(.minutes(1)))
struct CheckCommandTests {
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("federation-operator").path

    func check(_ server: KubeTestServer, token: String? = nil, user: UserInfo = .admin) async throws -> ChildProcess.Result {
        let file = NSTemporaryDirectory() + "check-\(UUID().uuidString).kubeconfig"
        try server.kubeconfig(user: user, token: token).write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "not built: \(Self.binary)")
        return try await ChildProcess.run(Self.binary, ["check", "--kubeconfig", file])
    }

    @Test func allPermissionsGrantedPasses() async throws {
        try await withKubeTestServer(name: "remote") { server in
            let result = try await check(server)
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.lines.contains("[ ok ] permission: get, list, watch pods"))
            #expect(result.lines.contains("[ ok ] permission: get, list, watch endpointslices.discovery.k8s.io"))
        }
    }

    @Test func aMissingPermissionIsNamedAndFails() async throws {
        try await withKubeTestServer(name: "remote") { server in
            await server.cluster.addUser(UserInfo(name: "federation"), token: "federation-token", rules: [
                AccessRule(verbs: ["get", "list", "watch"], apiGroups: [""], resources: ["namespaces", "serviceaccounts", "services", "endpoints"]),
                AccessRule(verbs: ["get", "list"], apiGroups: [""], resources: ["pods"]),
            ])
            let result = try await check(server, token: "federation-token", user: UserInfo(name: "federation"))
            #expect(result.status != 0)
            #expect(result.lines.contains("[FAIL] permission: cannot watch pods (cluster-wide)"))
            #expect(result.lines.contains("[FAIL] permission: cannot get, list, watch endpointslices.discovery.k8s.io (cluster-wide)"))
            #expect(result.lines.contains("[warn] cannot get, list, watch hostendpoints.crd.projectcalico.org (cluster-wide) (needed only where Calico's CRDs are installed)"))
            #expect(!result.stdout.contains("federation-token"), "the token is never printed")
        }
    }
}
