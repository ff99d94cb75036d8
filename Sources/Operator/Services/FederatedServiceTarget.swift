import KubeClient

/// The local objects one federated Service's controller writes: its Endpoints and its managed EndpointSlices.
struct Target: Sendable {
    let client: KubeClient
    let namespace: String
    let name: String

    private var endpoints: ResourceClient<core.v1.Endpoints> { client.resource(core.v1.Endpoints.self, namespace: namespace) }
    private var slices: ResourceClient<discovery.v1.EndpointSlice> { client.resource(discovery.v1.EndpointSlice.self, namespace: namespace) }

    func currentEndpoints() async throws -> core.v1.Endpoints? {
        do {
            return try await endpoints.get(name)
        } catch let error as KubeAPIError where error.isNotFound {
            return nil
        }
    }

    /// The service's slices that federation-operator manages.
    func currentSlices() async throws -> [discovery.v1.EndpointSlice] {
        let selector = "\(ServiceEndpointsProjection.serviceNameLabel)=\(name),\(FederatedService.sliceManagedByKey)=\(FederatedService.managerName)"
        return try await slices.list(ListOptions(labelSelector: selector)).items
    }

    func write(_ desired: core.v1.Endpoints, exists: Bool) async throws {
        if exists { _ = try await endpoints.update(desired) } else { _ = try await endpoints.create(desired) }
    }

    func deleteEndpoints() async throws {
        do {
            try await endpoints.delete(name)
        } catch let error as KubeAPIError where error.isNotFound {
            // Already gone.
        }
    }

    /// Writes slice changes; updates are guarded by the resourceVersion they were planned from.
    func apply(_ changes: FederatedSlicePlanner.Changes) async throws {
        for slice in changes.create { _ = try await slices.create(slice) }
        for slice in changes.update { _ = try await slices.update(slice) }
        for name in changes.delete {
            do {
                try await slices.delete(name)
            } catch let error as KubeAPIError where error.isNotFound {
                // Already gone.
            }
        }
    }
}
