/// Where a cluster's published endpoints and services are read from: the caches of the syncer that published them.
/// Values are computed when read (effective labels included), so the data is held once, in the informers' caches.
public protocol FederationSource: Sendable {
    /// Every endpoint, for a full pass.
    func endpoints() -> [RemoteEndpoint]
    /// Every service.
    func services() -> [RemoteService]
    /// The services of one namespace.
    func services(inNamespace namespace: String) -> [RemoteService]
    /// One endpoint by its key (`<rcc>/<namespace>/<pod>` or `<rcc>/<hostendpoint>`).
    func endpoint(_ key: String) -> RemoteEndpoint?
    /// One service by its key (`<rcc>/<namespace>/<name>`).
    func service(_ key: String) -> RemoteService?
    var endpointCount: Int { get }
    var serviceCount: Int { get }
}

extension FederationSource {
    public func services(inNamespace namespace: String) -> [RemoteService] { services().filter { $0.namespace == namespace } }
}
