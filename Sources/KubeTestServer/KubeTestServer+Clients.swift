import KubeClient

extension KubeTestServer {
    /// A KubeClient for `user` over the server's kubeconfig (client certificate, or `token` when given).
    public func client(user: UserInfo = .admin, token: String? = nil) throws -> KubeClient {
        KubeClient(connection: try KubeConfigLoader.load(yaml: kubeconfig(user: user, token: token), source: "\(name) kubeconfig").connection())
    }
}

/// Runs `body` against a started server on a free port, and stops the server afterwards, whether `body` throws or not.
public func withKubeTestServer<Result: Sendable>(
    name: String = "test-cluster", tls: Bool = true, cluster: TestCluster = TestCluster(),
    _ body: (KubeTestServer) async throws -> Result
) async throws -> Result {
    let server = try KubeTestServer(name: name, tls: tls, cluster: cluster)
    try await server.start()
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}
