import KubeClient

extension ObjectStore {
    /// Everything a store holds that must survive a restart: the revision and every object. The watch history is not
    /// kept: after a restore, watches from older revisions get `410 Gone`, as after an etcd compaction.
    public struct Snapshot: Codable, Sendable, Equatable {
        public struct Entry: Codable, Sendable, Equatable {
            public var group: String
            public var plural: String
            public var object: JSONValue
        }

        public var revision: Int64
        public var entries: [Entry]
    }

    public func snapshot() -> Snapshot {
        var entries: [Snapshot.Entry] = []
        for (resource, byKey) in objects.sorted(by: { $0.key.description < $1.key.description }) {
            for key in byKey.keys.sorted() {
                entries.append(.init(group: resource.group, plural: resource.plural, object: byKey[key]!))
            }
        }
        return Snapshot(revision: revision, entries: entries)
    }

    /// Puts back the objects of `snapshot` whose resources are registered, and its revision. Returns the entries of
    /// unregistered resources (a caller registers them, as CRDs, and restores those after).
    @discardableResult
    public mutating func restore(_ snapshot: Snapshot) -> [Snapshot.Entry] {
        var skipped: [Snapshot.Entry] = []
        for entry in snapshot.entries {
            let resource = GroupResource(group: entry.group, plural: entry.plural)
            guard kinds[resource] != nil, let name = entry.object.metadataString("name") else {
                skipped.append(entry)
                continue
            }
            let key = ObjectKey(resource, namespace: entry.object.metadataString("namespace") ?? "", name: name)
            if objects[resource]?.updateValue(entry.object, forKey: key) == nil, !key.namespace.isEmpty {
                namespaceOccupancy[key.namespace, default: 0] += 1
            }
            encoded[key] = JSONWriter.bytes(entry.object)
            sortedKeys[resource] = nil
        }
        revision = max(revision, snapshot.revision)
        history.removeAll()
        historyStart = 0
        oldestWatchableRevision = revision
        return skipped
    }
}
