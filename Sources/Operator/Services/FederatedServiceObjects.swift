import KubeClient
import KubeRuntime
import Logging
import Synchronization

/// The local objects the federated-services controller writes, read from informers: every Endpoints object (only
/// the ones carrying the annotation are kept whole) and the EndpointSlices it manages. A change to any of them
/// queues its service, so edits are repaired at once.
///
/// An informer lags behind the controller's own writes; planning slices from a cache that has not seen the last
/// write could create a slice twice. So every slice write is remembered (its name and the resourceVersion it got)
/// until the informer delivers it (or 10 s passed); while a service has such writes, ``isCurrent(_:)`` is false
/// and the controller tries again shortly, as Kubernetes' EndpointSlice controller does.
final class FederatedServiceObjects: Sendable {
    /// An Endpoints object as far as the controller cares.
    enum Endpoints: Sendable, Equatable {
        /// Not the controller's (no annotation): left alone.
        case unowned
        case owned(core.v1.Endpoints)
    }

    private struct Expectation {
        /// The resourceVersion the write got; nil for a deletion.
        var resourceVersion: String?
        var at: ContinuousClock.Instant
    }

    static let byService = "service"
    static let owned = "owned"
    private static let expectationLifetime: Duration = .seconds(10)

    let client: KubeClient
    let endpoints: Informer<core.v1.Endpoints, Endpoints>
    let slices: Informer<discovery.v1.EndpointSlice, discovery.v1.EndpointSlice>
    /// Service key → slice name → the write the informer has not delivered yet.
    private let expected = Mutex<[String: [String: Expectation]]>([:])
    /// Service key → the resourceVersion of the controller's last Endpoints write.
    private let written = Mutex<[String: String]>([:])

    init(client: KubeClient, logger: Logger) {
        self.client = client
        let byOwnership: [String: ObjectCache<Endpoints>.IndexFunction] = [Self.owned: { if case .owned = $0 { [Self.owned] } else { [] } }]
        endpoints = Informer(client: client.resource(core.v1.Endpoints.self), indexes: byOwnership, logger: logger) { object in
            object.metadata.annotations?[FederatedService.selectorAnnotation] == nil ? .unowned : .owned(object)
        }
        let managed = InformerOptions(labelSelector: "\(FederatedService.sliceManagedByKey)=\(FederatedService.managerName)")
        slices = Informer(client: client.resource(discovery.v1.EndpointSlice.self), options: managed,
                          indexes: [Self.byService: { [Self.serviceKey(of: $0)] }], logger: logger) { $0 }
    }

    /// `namespace/service` a slice belongs to.
    static func serviceKey(of slice: discovery.v1.EndpointSlice) -> String {
        "\(slice.metadata.namespace ?? "")/\(slice.metadata.labels?[ServiceEndpointsProjection.serviceNameLabel] ?? "")"
    }

    func endpoints(of key: String) -> Endpoints? { endpoints.cache.get(key) }

    /// `namespace/service` of every owned Endpoints object and every managed slice.
    func managedServiceKeys() -> Set<String> {
        endpoints.cache.keys(index: Self.owned, value: Self.owned).union(slices.cache.list().map(Self.serviceKey(of:)))
    }

    func slices(of key: String) -> [discovery.v1.EndpointSlice] { slices.cache.objects(index: Self.byService, value: key) }

    /// Whether the slice cache has every slice write made for `key`.
    func isCurrent(_ key: String) -> Bool {
        let now = ContinuousClock.now
        return expected.withLock { expected in
            guard let writes = expected[key] else { return true }
            let pending = writes.filter { now - $0.value.at < Self.expectationLifetime }
            expected[key] = pending.isEmpty ? nil : pending
            return pending.isEmpty
        }
    }

    /// Notes a slice event: a write the controller waits for has arrived when its name and version match. Returns
    /// whether the event is such a write (the controller's own, nothing to react to).
    func observed(_ event: InformerEvent<discovery.v1.EndpointSlice>) -> Bool {
        let (slice, deleted): (discovery.v1.EndpointSlice?, Bool) = switch event {
        case .added(_, let slice), .resync(_, let slice): (slice, false)
        case .updated(_, _, let slice): (slice, false)
        case .deleted(_, let slice): (slice, true)
        case .synced, .recovering, .recovered: (nil, false)
        }
        guard let slice, let name = slice.metadata.name else { return false }
        let key = Self.serviceKey(of: slice)
        return expected.withLock { expected in
            guard let expectation = expected[key]?[name], deleted || expectation.resourceVersion == slice.metadata.resourceVersion else { return false }
            expected[key]?[name] = nil
            if expected[key]?.isEmpty == true { expected[key] = nil }
            return true
        }
    }

    /// Whether an Endpoints event is the controller's own last write of that object (nothing to react to).
    func isOwnWrite(_ event: InformerEvent<Endpoints>) -> Bool {
        guard case .updated(let key, _, .owned(let object)) = event else {
            if case .added(let key, .owned(let object)) = event { return ownEndpointsWrite(key, object) }
            return false
        }
        return ownEndpointsWrite(key, object)
    }

    private func ownEndpointsWrite(_ key: String, _ object: core.v1.Endpoints) -> Bool {
        written.withLock { written in
            guard let version = written[key], version == object.metadata.resourceVersion else { return false }
            written[key] = nil
            return true
        }
    }

    /// Writes slice changes for service `key` (updates unconditionally: the controller owns managed slices).
    func apply(_ changes: FederatedSlicePlanner.Changes, namespace: String, key: String) async throws {
        let resource = client.resource(discovery.v1.EndpointSlice.self, namespace: namespace)
        for slice in changes.create {
            let created = try await resource.createReturningMetadata(slice)
            expect(key, created.name, created.resourceVersion)
        }
        for slice in changes.update {
            var unconditional = slice
            unconditional.metadata.resourceVersion = nil
            let updated = try await resource.updateReturningMetadata(unconditional)
            expect(key, updated.name, updated.resourceVersion)
        }
        for name in changes.delete {
            do {
                try await resource.delete(name)
                expect(key, name, nil)
            } catch let error as KubeAPIError where error.isNotFound {
                // Already gone.
            }
        }
    }

    /// Remembers a write until the cache has it. The cache is looked at after the write is recorded: an event that
    /// came before (or a write that changed nothing, which brings none) is already there.
    private func expect(_ key: String, _ name: String?, _ resourceVersion: String?) {
        guard let name else { return }
        let cacheKey = "\(key.prefix { $0 != "/" })/\(name)"
        expected.withLock { $0[key, default: [:]][name] = Expectation(resourceVersion: resourceVersion, at: .now) }
        let cached = slices.cache.get(cacheKey)
        guard resourceVersion == nil ? cached == nil : cached?.metadata.resourceVersion == resourceVersion else { return }
        expected.withLock { expected in
            expected[key]?[name] = nil
            if expected[key]?.isEmpty == true { expected[key] = nil }
        }
    }

    /// Creates or replaces the service's Endpoints. A replacement is guarded by the version the ownership was checked
    /// on: the controller's own last write while the cache has not delivered it yet, else the cached one. So a user
    /// who removes the ownership annotation meanwhile makes the write fail (409, retried from the newer cache) rather
    /// than be overwritten, and a cache lagging behind the controller's own write causes no conflict.
    func write(_ desired: core.v1.Endpoints, exists: Bool) async throws {
        let resource = client.resource(core.v1.Endpoints.self, namespace: desired.metadata.namespace ?? "")
        let key = "\(desired.metadata.namespace ?? "")/\(desired.metadata.name ?? "")"
        let ownWrite = written.withLock { $0[key] }
        var guarded = desired
        guarded.metadata.resourceVersion = ownWrite ?? desired.metadata.resourceVersion
        let result: meta.v1.ObjectMeta
        do {
            if exists {
                result = try await resource.updateReturningMetadata(guarded)
            } else {
                do {
                    var created = desired
                    created.metadata.resourceVersion = nil  // The API refuses a create that names a version.
                    result = try await resource.createReturningMetadata(created)
                } catch let error as KubeAPIError where error.isAlreadyExists && ownWrite != nil {
                    // Created by an earlier reconcile the cache has not seen yet.
                    result = try await resource.updateReturningMetadata(guarded)
                }
            }
        } catch let error as KubeAPIError where error.isConflict {
            // Changed by someone else, or an own write whose echo never came: the next try goes by the cache.
            written.withLock { _ = $0.removeValue(forKey: key) }
            throw error
        }
        if let version = result.resourceVersion {
            written.withLock { $0[key] = version }
        }
    }

    func deleteEndpoints(namespace: String, name: String) async throws {
        do {
            try await client.resource(core.v1.Endpoints.self, namespace: namespace).delete(name)
        } catch let error as KubeAPIError where error.isNotFound {
            // Already gone.
        }
    }
}
