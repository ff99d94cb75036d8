import Foundation
import KubeClient
import Yams

/// Writes the objects a cluster holds in tests and the demo, as its admin: namespaces, service accounts, pods with
/// IPs (status written through the subresource, as kubelet does), services with an EndpointSlice.
public struct ClusterSeeder: Sendable {
    public let client: KubeClient

    public init(_ server: KubeTestServer) throws { client = try server.client() }

    public init(client: KubeClient) { self.client = client }

    /// Creates the object a YAML manifest describes (one document), e.g. a CRD.
    public func create(yaml: String, as resource: Resource) async throws {
        // Through Yams' typed scalars: a YAMLDecoder would hand `true` to JSONValue as a string.
        let json = try JSONSerialization.data(withJSONObject: try Yams.load(yaml: yaml) as Any)
        _ = try await client.dynamic(resource).create(try JSONDecoder().decode(DynamicObject.self, from: json))
    }

    /// Calico's `networksets` and `globalnetworksets` CRDs, as a cluster running Calico has them.
    public func installCalicoNetworkSetCRDs() async throws {
        try await installCalicoCRD(plural: "networksets", kind: "NetworkSet", namespaced: true)
        try await installCalicoCRD(plural: "globalnetworksets", kind: "GlobalNetworkSet", namespaced: false)
    }

    /// One `crd.projectcalico.org/v1` CRD whose schema keeps every field.
    public func installCalicoCRD(plural: String, kind: String, namespaced: Bool) async throws {
        try await create(yaml: """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: \(plural).crd.projectcalico.org}
            spec:
              group: crd.projectcalico.org
              scope: \(namespaced ? "Namespaced" : "Cluster")
              names: {plural: \(plural), singular: \(kind.lowercased()), kind: \(kind), listKind: \(kind)List}
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
            """, as: apiextensions.v1.CustomResourceDefinition.resource)
    }

    public func labelNamespace(_ name: String, _ labels: [String: String]) async throws {
        _ = try await client.resource(core.v1.Namespace.self).patch(name, .merge(["metadata": ["labels": labels]]))
    }

    public func namespace(_ name: String, labels: [String: String] = [:]) async throws {
        _ = try await client.resource(core.v1.Namespace.self).create(core.v1.Namespace(metadata: .init(name: name, labels: labels)))
    }

    public func serviceAccount(_ namespace: String, _ name: String, labels: [String: String] = [:]) async throws {
        _ = try await client.resource(core.v1.ServiceAccount.self, namespace: namespace)
            .create(core.v1.ServiceAccount(metadata: .init(name: name, namespace: namespace, labels: labels)))
    }

    public func pod(_ namespace: String, _ name: String, ip: String, labels: [String: String], node: String = "node-1",
             serviceAccount: String? = nil, hostNetwork: Bool? = nil) async throws {
        let pod = core.v1.Pod(metadata: .init(name: name, namespace: namespace, labels: labels),
                              spec: .init(nodeName: node, serviceAccountName: serviceAccount, hostNetwork: hostNetwork))
        let pods = client.resource(core.v1.Pod.self, namespace: namespace)
        _ = try await pods.create(pod)
        // As on a real cluster, a pod's status (its IPs) is written through the status subresource.
        _ = try await pods.patch(name, .merge(["status": core.v1.PodStatus(phase: "Running", podIP: ip, podIPs: [.init(ip: ip)])]), subresource: "status")
    }

    public func labelPod(_ namespace: String, _ name: String, _ labels: [String: String]) async throws {
        _ = try await client.resource(core.v1.Pod.self, namespace: namespace).patch(name, .merge(["metadata": ["labels": labels]]))
    }

    /// A service with one TCP port and an EndpointSlice holding `ips`.
    public func service(_ namespace: String, _ name: String, port: Int32 = 80, ips: [String], labels: [String: String] = [:]) async throws {
        let service = core.v1.Service(metadata: .init(name: name, namespace: namespace, labels: labels),
                                      spec: .init(ports: [.init(name: "http", protocol: "TCP", port: port)]))
        _ = try await client.resource(core.v1.Service.self, namespace: namespace).create(service)
        let slice = discovery.v1.EndpointSlice(
            metadata: .init(name: "\(name)-1", namespace: namespace, labels: ["kubernetes.io/service-name": name]),
            addressType: "IPv4", endpoints: ips.map { discovery.v1.Endpoint(addresses: [$0]) },
            ports: [.init(name: "http", protocol: "TCP", port: port)])
        _ = try await client.resource(discovery.v1.EndpointSlice.self, namespace: namespace).create(slice)
    }
}
