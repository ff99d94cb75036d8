import KubeClient

/// What a remote API server serves that changes what is read from it (DESIGN §6.5).
struct RemoteDiscovery: Sendable {
    var version: String
    /// `discovery.k8s.io/v1` EndpointSlices; otherwise core Endpoints are read.
    var servesEndpointSlices: Bool
    /// `crd.projectcalico.org/v1` HostEndpoints (Calico's KDD datastore).
    var servesHostEndpoints: Bool

    static func discover(_ client: KubeClient) async throws -> RemoteDiscovery {
        let version = try await client.version()
        let slices = try await client.serverResources(apiVersion: discovery.v1.EndpointSlice.resource.apiVersion)
        let calico = try await client.serverResources(apiVersion: HostEndpointProjection.resource.apiVersion)
        return RemoteDiscovery(
            version: version.gitVersion,
            servesEndpointSlices: slices?.resources.contains { $0.name == discovery.v1.EndpointSlice.resource.plural } ?? false,
            servesHostEndpoints: calico?.resources.contains { $0.name == HostEndpointProjection.resource.plural } ?? false)
    }
}
