import KubeClient
import KubeTestServer
import Operator

/// Objects a remote cluster holds in the operator's tests: namespaces, service accounts, pods with IPs, services
/// with EndpointSlices, written as the admin.
struct RemoteClusterFixture {
    let client: KubeClient

    init(_ server: KubeTestServer) throws { client = try server.client() }

    func labelNamespace(_ name: String, _ labels: [String: String]) async throws {
        _ = try await client.resource(core.v1.Namespace.self).patch(name, .merge(["metadata": ["labels": labels]]))
    }

    func namespace(_ name: String, labels: [String: String] = [:]) async throws {
        _ = try await client.resource(core.v1.Namespace.self).create(core.v1.Namespace(metadata: .init(name: name, labels: labels)))
    }

    func serviceAccount(_ namespace: String, _ name: String, labels: [String: String] = [:]) async throws {
        _ = try await client.resource(core.v1.ServiceAccount.self, namespace: namespace)
            .create(core.v1.ServiceAccount(metadata: .init(name: name, namespace: namespace, labels: labels)))
    }

    func pod(_ namespace: String, _ name: String, ip: String, labels: [String: String], node: String = "node-1",
             serviceAccount: String? = nil, hostNetwork: Bool? = nil) async throws {
        let pod = core.v1.Pod(metadata: .init(name: name, namespace: namespace, labels: labels),
                              spec: .init(nodeName: node, serviceAccountName: serviceAccount, hostNetwork: hostNetwork))
        let pods = client.resource(core.v1.Pod.self, namespace: namespace)
        _ = try await pods.create(pod)
        // As on a real cluster, a pod's status (its IPs) is written through the status subresource.
        _ = try await pods.patch(name, .merge(["status": core.v1.PodStatus(phase: "Running", podIP: ip, podIPs: [.init(ip: ip)])]), subresource: "status")
    }

    func labelPod(_ namespace: String, _ name: String, _ labels: [String: String]) async throws {
        _ = try await client.resource(core.v1.Pod.self, namespace: namespace).patch(name, .merge(["metadata": ["labels": labels]]))
    }

    /// A service with one TCP port and an EndpointSlice holding `ips`.
    func service(_ namespace: String, _ name: String, port: Int32 = 80, ips: [String], labels: [String: String] = [:]) async throws {
        let service = core.v1.Service(metadata: .init(name: name, namespace: namespace, labels: labels),
                                      spec: .init(ports: [.init(name: "http", protocol: "TCP", port: port)]))
        _ = try await client.resource(core.v1.Service.self, namespace: namespace).create(service)
        let slice = discovery.v1.EndpointSlice(
            metadata: .init(name: "\(name)-1", namespace: namespace, labels: [ServiceEndpointsProjection.serviceNameLabel: name]),
            addressType: "IPv4", endpoints: ips.map { discovery.v1.Endpoint(addresses: [$0]) },
            ports: [.init(name: "http", protocol: "TCP", port: port)])
        _ = try await client.resource(discovery.v1.EndpointSlice.self, namespace: namespace).create(slice)
    }
}
