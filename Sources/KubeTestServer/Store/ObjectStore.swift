import Foundation
import KubeClient

/// One cluster's objects with kube-apiserver's write semantics, as a value with no IO.
///
/// - One cluster-wide `resourceVersion` that increases with every change; `uid`, `creationTimestamp` and
///   `generation` (bumped when anything outside `metadata` and `status` changes) are the server's.
/// - Update with a stale `resourceVersion`: `409 Conflict`; create of an existing name: `409 AlreadyExists`;
///   an update that changes nothing keeps the `resourceVersion` and emits no event.
/// - With a `status` subresource, the main resource keeps the stored status and `status` writes change only status.
/// - Delete of an object with finalizers only sets `deletionTimestamp`; the object goes when its last finalizer is
///   removed. Deleting a namespace deletes its objects, and the namespace goes when they are all gone.
/// - Every change is kept in a bounded history that watches read from; asking for events older than the history
///   is `410 Gone` (``compactHistory()`` forces it).
///
/// - Objects of a kind with a ``StructuralSchema`` (CRDs) are pruned and validated against it.
///
/// Known lies (kube-apiserver does better): `continue` tokens read the current state after the last key instead of
/// a snapshot at the first page's revision; built-in kinds are validated only for names and metadata.
public struct ObjectStore: Sendable {
    /// A change, as watches report it.
    public struct Event: Sendable, Equatable {
        public enum Kind: String, Sendable { case added = "ADDED", modified = "MODIFIED", deleted = "DELETED" }
        public let kind: Kind
        public let key: ObjectKey
        public let object: JSONValue
        /// The object before a `MODIFIED` change, so watches with selectors can tell objects that stopped matching.
        public let previous: JSONValue?
        public let revision: Int64
    }

    /// The resourceVersion of the last change.
    public internal(set) var revision: Int64 = 1
    var kinds: [GroupResource: StoredResourceKind] = [:]
    var objects: [GroupResource: [ObjectKey: JSONValue]] = [:]
    var history: [Event] = []
    var historyStart = 0
    /// Watches may start from this revision or any later one: every change after it is still in the history.
    public internal(set) var oldestWatchableRevision: Int64 = 0
    /// Each object as JSON, encoded once per change, so lists copy bytes instead of serialising every object again.
    var encoded: [ObjectKey: [UInt8]] = [:]
    /// Each resource's keys in list order, rebuilt after objects come or go (not when they change).
    var sortedKeys: [GroupResource: [ObjectKey]] = [:]
    /// Objects a namespace holds, so a terminating namespace knows when it is empty.
    var namespaceOccupancy: [String: Int] = [:]
    /// How many events the history keeps.
    public var historyLimit: Int
    private let clock: @Sendable () -> Date

    public static let namespaces = BuiltInResources.namespaces.groupResource

    public init(historyLimit: Int = 10_000, clock: @escaping @Sendable () -> Date = Date.init) {
        self.historyLimit = historyLimit
        self.clock = clock
        register(BuiltInResources.namespaces.storedKind)
    }

    /// Starts keeping objects of `kind` (idempotent; a changed definition replaces the old one).
    public mutating func register(_ kind: StoredResourceKind) {
        kinds[kind.groupResource] = kind
        if objects[kind.groupResource] == nil { objects[kind.groupResource] = [:] }
    }

    /// Stops serving a resource and deletes its objects (what deleting a CRD does), emitting their deletions.
    public mutating func unregister(_ resource: GroupResource) {
        for key in (objects[resource] ?? [:]).keys.sorted() { remove(key) }
        kinds[resource] = nil
        objects[resource] = nil
    }

    public func kind(of resource: GroupResource) -> StoredResourceKind? { kinds[resource] }

    // MARK: Reads

    public func get(_ key: ObjectKey) throws(StoreError) -> JSONValue {
        _ = try kindOrNotFound(key.resource)
        guard let object = objects[key.resource]?[key] else { throw .notFound(key.resource, key.name) }
        return object
    }

    /// One page of a list: objects in key order, the revision the list reflects, and where the next page starts.
    public struct ListPage: Sendable {
        public var items: [JSONValue]
        /// The items as JSON, as the store keeps them.
        public var encodedItems: [[UInt8]] = []
        public var revision: Int64
        /// Pass back as `continue` for the next page; nil on the last page.
        public var continueToken: String?
        /// Matching objects after this page, when there is a next page.
        public var remainingItemCount: Int?
    }

    /// Objects of `resource` in key order (namespace, then name), optionally in one namespace, filtered, and cut
    /// into pages of `limit`.
    /// - Throws: `404` for an unknown resource, `400` for a malformed `continue` token.
    /// - Parameter include: a filter; nil lists everything without reading objects it does not return, which keeps
    ///   a page of a large unfiltered list cheap.
    public mutating func list(
        _ resource: GroupResource, namespace: String?, limit: Int? = nil, continue token: String? = nil,
        where include: ((JSONValue) -> Bool)? = nil
    ) throws(StoreError) -> ListPage {
        _ = try kindOrNotFound(resource)
        let all = objects[resource] ?? [:]
        var listRevision = revision
        let keys = keysInOrder(resource)
        var index = keys.startIndex
        if let token, !token.isEmpty {
            let position = try ContinueToken(decoding: token)
            listRevision = position.revision
            index = Self.firstIndex(in: keys) { position.after < $0 }
        }
        var page = ListPage(items: [], revision: listRevision)
        let pageSize = (limit ?? 0) > 0 ? limit! : Int.max
        var lastKey: ObjectKey?
        while index < keys.endIndex, page.items.count < pageSize {
            let key = keys[index]
            index += 1
            guard namespace == nil || key.namespace == namespace, let object = all[key], include?(object) ?? true else { continue }
            page.items.append(object)
            page.encodedItems.append(encoded[key] ?? JSONWriter.bytes(object))
            lastKey = key
        }
        let remaining = keys[index...].count { key in
            guard namespace == nil || key.namespace == namespace else { return false }
            guard let include else { return true }
            return all[key].map(include) ?? false
        }
        page.continueToken = remaining > 0 ? lastKey.map { ContinueToken(revision: listRevision, after: $0).encoded } : nil
        page.remainingItemCount = remaining > 0 ? remaining : nil
        return page
    }

    /// The keys of `resource` sorted, from the cache when no object came or went since.
    private mutating func keysInOrder(_ resource: GroupResource) -> [ObjectKey] {
        if let keys = sortedKeys[resource] { return keys }
        let keys = (objects[resource] ?? [:]).keys.sorted()
        sortedKeys[resource] = keys
        return keys
    }

    /// The first index whose key satisfies `isAfter` (keys are sorted, so the predicate flips once).
    private static func firstIndex(in keys: [ObjectKey], where isAfter: (ObjectKey) -> Bool) -> Int {
        var low = 0, high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if isAfter(keys[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// The changes to `resource` (to every resource when nil) after `revision`, oldest first.
    /// - Throws: `410 Expired` when the history no longer holds every change after `revision`.
    public func events(_ resource: GroupResource?, after revision: Int64) throws(StoreError) -> [Event] {
        guard revision >= oldestWatchableRevision else {
            throw .expired(requested: revision, oldest: oldestWatchableRevision)
        }
        var low = historyStart, high = history.count
        while low < high {
            let middle = (low + high) / 2
            if history[middle].revision <= revision { low = middle + 1 } else { high = middle }
        }
        guard let resource else { return Array(history[low...]) }
        return history[low...].filter { $0.key.resource == resource }
    }

    // MARK: Writes

    /// Stores a new object and returns it as stored. `rejectUnknownFields` refuses fields a CRD's schema would prune.
    public mutating func create(_ resource: GroupResource, namespace: String, object: JSONValue, dryRun: Bool = false,
                                rejectUnknownFields: Bool = false) throws(StoreError) -> JSONValue
    {
        let kind = try kindOrNotFound(resource)
        // kube-apiserver's storage refuses a create that names a version (a dry run does not reach that check).
        if !dryRun, let version = object.metadataString("resourceVersion"), !version.isEmpty, version != "0" {
            throw .storage("resourceVersion should not be set on objects to be created")
        }
        var object = object
        let name = try nameForCreate(kind, object: &object)
        let key = ObjectKey(resource, namespace: kind.namespaced ? namespace : "", name: name)
        if kind.namespaced { try requireLiveNamespace(namespace) }
        guard objects[resource]?[key] == nil else { throw .alreadyExists(resource, name) }
        if kind.hasStatusSubresource, resource != Self.namespaces { object["status"] = nil }
        object = try conforming(object, to: kind, name: name, rejectUnknownFields: rejectUnknownFields)
        object.setMetadata("namespace", kind.namespaced ? .string(namespace) : nil)
        object.setMetadata("uid", .string(UUID().uuidString.lowercased()))
        object.setMetadata("creationTimestamp", .string(RFC3339.format(clock())))
        object.setMetadata("generation", 1)
        for field in ["deletionTimestamp", "deletionGracePeriodSeconds", "resourceVersion", "selfLink"] { object.setMetadata(field, nil) }
        if resource == Self.namespaces { object["status"] = ["phase": "Active"] }
        if dryRun { return object }
        return record(.added, key, object)
    }

    /// Replaces an object (or, with `subresource: "status"`, its status) and returns it as stored.
    public mutating func update(_ key: ObjectKey, object: JSONValue, subresource: String? = nil, dryRun: Bool = false,
                                rejectUnknownFields: Bool = false) throws(StoreError) -> JSONValue
    {
        let kind = try kindOrNotFound(key.resource)
        let old = try get(key)
        try requireMatchingName(object, key)
        if let expected = object.metadataString("resourceVersion"), !expected.isEmpty,
           expected != old.metadataString("resourceVersion") {
            throw .modifiedSinceRead(key.resource, key.name)
        }
        var new: JSONValue
        switch subresource {
        case "status":
            guard kind.hasStatusSubresource else { throw .notFound(key.resource, key.name) }
            new = old
            new["status"] = object["status"]
            new = try conforming(new, to: kind, name: key.name, rejectUnknownFields: rejectUnknownFields)
        case nil:
            new = object
            if kind.hasStatusSubresource { new["status"] = old["status"] }
            new = try conforming(new, to: kind, name: key.name, rejectUnknownFields: rejectUnknownFields)
            try checkFinalizers(of: new, replacing: old, kind: kind, name: key.name)
            let outsideMetadata: Set<String> = ["metadata", "status", "apiVersion", "kind"]
            let generation = old["metadata"]?["generation"]?.intValue ?? 1
            let specChanged = new.removing(outsideMetadata) != old.removing(outsideMetadata)
            new.setMetadata("generation", .int(specChanged ? generation + 1 : generation))
        default:
            throw .notFound(key.resource, key.name)
        }
        for field in ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "namespace", "name"] {
            new.setMetadata(field, old["metadata"]?[field])
        }
        new.setMetadata("resourceVersion", old["metadata"]?["resourceVersion"])
        if new == old { return old }
        if dryRun { return new }
        if new["metadata"]?["deletionTimestamp"] != nil, new.finalizers.isEmpty {
            objects[key.resource]?[key] = new
            return remove(key) ?? new
        }
        return record(.modified, key, new)
    }

    /// Deletes an object: at once without finalizers, else by setting `deletionTimestamp`. Returns the object as
    /// it was removed or as it now stands.
    public mutating func delete(_ key: ObjectKey, preconditionUID: String? = nil, preconditionResourceVersion: String? = nil,
                                dryRun: Bool = false) throws(StoreError) -> JSONValue
    {
        let old = try get(key)
        if let uid = preconditionUID, uid != old.metadataString("uid") {
            throw .conflict(key.resource, key.name, "Precondition failed: UID in precondition: \(uid), UID in object meta: \(old.metadataString("uid") ?? "")")
        }
        if let version = preconditionResourceVersion, version != old.metadataString("resourceVersion") {
            throw .conflict(key.resource, key.name, "Precondition failed: ResourceVersion in precondition: \(version), ResourceVersion in object meta: \(old.metadataString("resourceVersion") ?? "")")
        }
        if dryRun { return old }
        if key.resource == Self.namespaces { return deleteNamespace(key, old) }
        guard old.finalizers.isEmpty else { return markDeleting(key, old) }
        return remove(key) ?? old
    }

    /// Drops the watch history so that any watch from an earlier revision gets `410 Gone`.
    public mutating func compactHistory() {
        history.removeAll()
        historyStart = 0
        oldestWatchableRevision = revision
    }

    // MARK: Internals

    private mutating func deleteNamespace(_ key: ObjectKey, _ namespace: JSONValue) -> JSONValue {
        var marked = namespace
        if namespace["metadata"]?["deletionTimestamp"] == nil {
            marked.setMetadata("deletionTimestamp", .string(RFC3339.format(clock())))
            marked["status"] = ["phase": "Terminating"]
            marked = record(.modified, key, marked)
        }
        for (resource, kind) in kinds where kind.namespaced {
            for objectKey in (objects[resource] ?? [:]).keys.sorted() where objectKey.namespace == key.name {
                if let object = objects[resource]?[objectKey] {
                    _ = object.finalizers.isEmpty ? remove(objectKey) : markDeleting(objectKey, object)
                }
            }
        }
        return removeNamespaceIfEmpty(key.name) ?? marked
    }

    /// Removes a terminating namespace once nothing is left in it.
    @discardableResult
    private mutating func removeNamespaceIfEmpty(_ name: String) -> JSONValue? {
        let key = ObjectKey(Self.namespaces, namespace: "", name: name)
        guard let namespace = objects[Self.namespaces]?[key], namespace["metadata"]?["deletionTimestamp"] != nil,
              namespace.finalizers.isEmpty else { return nil }
        return namespaceOccupancy[name, default: 0] > 0 ? nil : remove(key)
    }

    private mutating func markDeleting(_ key: ObjectKey, _ object: JSONValue) -> JSONValue {
        guard object["metadata"]?["deletionTimestamp"] == nil else { return object }
        var marked = object
        marked.setMetadata("deletionTimestamp", .string(RFC3339.format(clock())))
        marked.setMetadata("deletionGracePeriodSeconds", 0)
        return record(.modified, key, marked)
    }

    @discardableResult
    private mutating func remove(_ key: ObjectKey) -> JSONValue? {
        guard var object = objects[key.resource]?.removeValue(forKey: key) else { return nil }
        encoded[key] = nil
        sortedKeys[key.resource] = nil
        if !key.namespace.isEmpty { namespaceOccupancy[key.namespace, default: 1] -= 1 }
        revision += 1
        object.setMetadata("resourceVersion", .string(String(revision)))
        append(Event(kind: .deleted, key: key, object: object, previous: nil, revision: revision))
        if !key.namespace.isEmpty { removeNamespaceIfEmpty(key.namespace) }
        return object
    }

    private mutating func record(_ kind: Event.Kind, _ key: ObjectKey, _ object: JSONValue) -> JSONValue {
        revision += 1
        var stored = object
        stored.setMetadata("resourceVersion", .string(String(revision)))
        if kind == .added, !key.namespace.isEmpty { namespaceOccupancy[key.namespace, default: 0] += 1 }
        let previous = objects[key.resource, default: [:]].updateValue(stored, forKey: key)
        encoded[key] = JSONWriter.bytes(stored)
        if previous == nil { sortedKeys[key.resource] = nil }
        append(Event(kind: kind, key: key, object: stored, previous: previous, revision: revision))
        return stored
    }

    private mutating func append(_ event: Event) {
        history.append(event)
        if history.count - historyStart > historyLimit {
            oldestWatchableRevision = history[historyStart].revision
            historyStart += 1
            if historyStart > historyLimit {
                history.removeFirst(historyStart)
                historyStart = 0
            }
        }
    }

    private func kindOrNotFound(_ resource: GroupResource) throws(StoreError) -> StoredResourceKind {
        guard let kind = kinds[resource] else {
            throw StoreError(code: 404, reason: "NotFound", message: "the server could not find the requested resource (\(resource))")
        }
        return kind
    }

    private func requireLiveNamespace(_ namespace: String) throws(StoreError) {
        guard let object = objects[Self.namespaces]?[ObjectKey(Self.namespaces, namespace: "", name: namespace)] else {
            throw .notFound(Self.namespaces, namespace)
        }
        if object["metadata"]?["deletionTimestamp"] != nil {
            throw StoreError(code: 403, reason: "Forbidden",
                             message: "unable to create new content in namespace \(namespace) because it is being terminated")
        }
    }

    /// The name to create under: `metadata.name`, or `metadata.generateName` plus five random characters.
    private func nameForCreate(_ kind: StoredResourceKind, object: inout JSONValue) throws(StoreError) -> String {
        var name = object.metadataString("name") ?? ""
        if name.isEmpty, let prefix = object.metadataString("generateName"), !prefix.isEmpty {
            let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
            name = prefix + String((0..<5).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
            object.setMetadata("name", .string(name))
        }
        guard !name.isEmpty else {
            throw .invalid(kind: kind.kind, group: kind.groupResource.group, name: "",
                           causes: [.init(reason: "FieldValueRequired", message: "Required value: name or generateName is required", field: "metadata.name")])
        }
        if let problem = kind.nameRule.problem(with: name) {
            throw .invalid(kind: kind.kind, group: kind.groupResource.group, name: name,
                           causes: [.init(reason: "FieldValueInvalid", message: "Invalid value: \"\(name)\": \(problem)", field: "metadata.name")])
        }
        return name
    }

    /// The object pruned to its kind's schema, or `422 Invalid` with the schema's field errors.
    /// With `rejectUnknownFields` (`fieldValidation=Strict`), fields the schema does not know are `400 BadRequest`.
    private func conforming(_ object: JSONValue, to kind: StoredResourceKind, name: String, rejectUnknownFields: Bool) throws(StoreError) -> JSONValue {
        guard let schema = kind.schema else { return object }
        let outcome = schema.prunedAndValidated(object)
        if rejectUnknownFields, !outcome.prunedFields.isEmpty {
            let version = (object["apiVersion"]?.stringValue ?? "").split(separator: "/").last.map(String.init) ?? ""
            let fields = outcome.prunedFields.map { "unknown field \"\($0)\"" }.joined(separator: ", ")
            throw .badRequest("\(kind.kind) in version \"\(version)\" cannot be handled as a \(kind.kind): strict decoding error: \(fields)")
        }
        guard outcome.errors.isEmpty else {
            throw .invalid(kind: kind.kind, group: kind.groupResource.group, name: name, causes: outcome.errors)
        }
        return outcome.object
    }

    private func requireMatchingName(_ object: JSONValue, _ key: ObjectKey) throws(StoreError) {
        let name = object.metadataString("name") ?? ""
        guard name == key.name else {
            throw .badRequest("the name of the object (\(name)) does not match the name on the URL (\(key.name))")
        }
    }

    /// An object being deleted may lose finalizers but not gain them.
    private func checkFinalizers(of new: JSONValue, replacing old: JSONValue, kind: StoredResourceKind, name: String) throws(StoreError) {
        guard old["metadata"]?["deletionTimestamp"] != nil else { return }
        let added = Set(new.finalizers).subtracting(old.finalizers)
        guard added.isEmpty else {
            throw .invalid(kind: kind.kind, group: kind.groupResource.group, name: name,
                           causes: [.init(reason: "FieldValueForbidden", message: "Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers \(added.sorted())", field: "metadata.finalizers")])
        }
    }
}
