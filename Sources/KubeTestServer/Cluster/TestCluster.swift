import Foundation
import KubeClient

/// One test cluster's state: its objects, the resources it serves (built-in and from CRDs) and its open watches.
/// Every request runs as one actor turn, so a write and the watch events it causes are atomic.
public actor TestCluster {
    var store: ObjectStore
    public private(set) var catalog: ResourceCatalog
    var watches: [Int: WatchSubscription] = [:]

    /// How many watches are open now (a client that stops watching closes its own).
    public var openWatchCount: Int { watches.count }
    var nextWatchID = 0
    /// Every change up to this revision has gone to the watches.
    var publishedRevision: Int64
    /// Bearer tokens and the users they authenticate.
    var tokens: [String: UserInfo] = [:]
    var authorizer = Authorizer()
    /// How often watches that asked for bookmarks get one.
    public var bookmarkInterval: Duration

    /// The Kubernetes version `/version` reports is `1.<minorVersion>`.
    public let minorVersion: Int

    public init(historyLimit: Int = 10_000, bookmarkInterval: Duration = .seconds(60), minorVersion: Int = 32) {
        (store, catalog) = Self.fresh(historyLimit: historyLimit)
        self.minorVersion = minorVersion
        self.bookmarkInterval = bookmarkInterval
        publishedRevision = store.revision
    }

    /// A store with the built-in resources and a new cluster's namespaces.
    private static func fresh(historyLimit: Int) -> (ObjectStore, ResourceCatalog) {
        var store = ObjectStore(historyLimit: historyLimit)
        let catalog = ResourceCatalog()
        for resource in catalog.resources { store.register(resource.storedKind) }
        for name in ["default", "kube-system", "kube-public", "kube-node-lease"] {
            _ = try? store.create(ObjectStore.namespaces, namespace: "", object: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]])
        }
        return (store, catalog)
    }

    /// Drops every object and CRD, ending every watch: the cluster as new. Users stay.
    public func reset() {
        closeWatches()
        (store, catalog) = Self.fresh(historyLimit: store.historyLimit)
        publishedRevision = store.revision
    }

    /// The resourceVersion of the last change.
    public var revision: Int64 { store.revision }

    /// Drops the watch history: watches from any earlier revision get `410 Gone`.
    public func compactHistory() { store.compactHistory() }

    /// How many events the watch history keeps.
    public func setHistoryLimit(_ limit: Int) { store.historyLimit = limit }

    /// Ends every open watch, as a restarting kube-apiserver does.
    public func closeWatches() {
        for watch in watches.values { watch.finish() }
        watches.removeAll()
    }

    // MARK: CRDs

    /// Serves what a stored CRD defines, or stops serving it when `crd` is nil (the CRD is gone).
    func applyCRD(named name: String, _ crd: JSONValue?) {
        var served: [ServedResource] = []
        if let crd, let typed = try? crd.decode(as: apiextensions.v1.CustomResourceDefinition.self) {
            served = ServedResource.served(by: typed)
        }
        let dropped = catalog.setCRD(name, serving: served)
        for resource in served { store.register(resource.storedKind) }
        for resource in dropped { store.unregister(resource.groupResource) }
        publish()
    }

    // MARK: Watch fan-out

    /// Sends every change not yet published to the watches that want it.
    func publish() {
        guard store.revision > publishedRevision else { return }
        let events = (try? store.events(nil, after: publishedRevision)) ?? []
        publishedRevision = store.revision
        guard !watches.isEmpty else { return }
        for event in events {
            for watch in watches.values where watch.resource == event.key.resource {
                watch.deliver(event)
            }
        }
    }

    func removeWatch(_ id: Int) {
        watches.removeValue(forKey: id)?.finish()
    }
}

extension JSONValue {
    /// Decodes this value as a typed model.
    func decode<T: Decodable>(as type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(JSONWriter.bytes(self)))
    }
}

extension TestCluster {
    /// The cluster's objects and revision, for a data directory.
    public func snapshot() -> ObjectStore.Snapshot { store.snapshot() }

    /// Puts `snapshot`'s objects back (replacing any with the same key): CRDs first, so the resources they define are
    /// served before their objects return. Watches from before the restore get `410 Gone`.
    public func restore(_ snapshot: ObjectStore.Snapshot) {
        let skipped = store.restore(snapshot)
        let crds = BuiltInResources.customResourceDefinitions.groupResource
        for entry in snapshot.entries where GroupResource(group: entry.group, plural: entry.plural) == crds {
            applyCRD(named: entry.object.metadataString("name") ?? "", entry.object)
        }
        store.restore(ObjectStore.Snapshot(revision: snapshot.revision, entries: skipped))
        publishedRevision = store.revision
    }
}
