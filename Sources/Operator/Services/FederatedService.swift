/// The names federated services are recognised and marked by (calico-federation.md §6.2, §6.5, DESIGN §6.8).
public enum FederatedService {
    /// On a Service: its backing services' selector, which makes it federated. On an Endpoints object: the
    /// controller owns it.
    public static let selectorAnnotation = "federation.tigera.io/serviceSelector"
    /// The EndpointSlice label naming the controller that manages a slice.
    public static let sliceManagedByKey = "endpointslice.kubernetes.io/managed-by"
    public static let managerName = "federation-operator"
    /// Keeps Kubernetes' EndpointSlice mirroring off the Endpoints the operator writes (it writes the slices).
    public static let skipMirrorLabel = "endpointslice.kubernetes.io/skip-mirror"
    /// Set on an Endpoints object truncated at ``maxEndpointsAddresses`` (as Kubernetes' controller does).
    public static let overCapacityAnnotation = "endpoints.kubernetes.io/over-capacity"
    /// The most addresses an Endpoints object holds; the slices hold them all.
    public static let maxEndpointsAddresses = 1000
}
