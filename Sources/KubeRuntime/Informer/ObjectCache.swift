import Synchronization

/// An informer's cache: objects by key (`namespace/name`), with secondary indexes that a function of the object
/// fills (by namespace, by label value, by owner...). Safe to read from any task while the informer writes.
public final class ObjectCache<Object: Sendable>: Sendable {
    /// An index: the values an object is filed under (none to leave it out).
    public typealias IndexFunction = @Sendable (Object) -> [String]

    private struct State {
        var objects: [String: Object] = [:]
        /// index name -> value -> keys
        var indexes: [String: [String: Set<String>]] = [:]
    }

    private let state = Mutex(State())
    private let indexFunctions: [String: IndexFunction]

    public init(indexes: [String: IndexFunction] = [:]) {
        indexFunctions = indexes
    }

    public func get(_ key: String) -> Object? { state.withLock { $0.objects[key] } }

    public var count: Int { state.withLock { $0.objects.count } }

    public var keys: [String] { state.withLock { Array($0.objects.keys) } }

    public func list() -> [Object] { state.withLock { Array($0.objects.values) } }

    /// The objects filed under `value` in the index `name`.
    public func objects(index name: String, value: String) -> [Object] {
        state.withLock { state in
            (state.indexes[name]?[value] ?? []).compactMap { state.objects[$0] }
        }
    }

    /// The keys filed under `value` in the index `name`.
    public func keys(index name: String, value: String) -> Set<String> {
        state.withLock { $0.indexes[name]?[value] ?? [] }
    }

    /// Stores `object` under `key` and returns what it replaced.
    @discardableResult
    public func put(_ key: String, _ object: Object) -> Object? {
        state.withLock { state in
            let old = state.objects.updateValue(object, forKey: key)
            reindex(&state, key, old: old, new: object)
            return old
        }
    }

    /// Removes `key` and returns what was stored.
    @discardableResult
    public func remove(_ key: String) -> Object? {
        state.withLock { state in
            guard let old = state.objects.removeValue(forKey: key) else { return nil }
            reindex(&state, key, old: old, new: nil)
            return old
        }
    }

    private func reindex(_ state: inout State, _ key: String, old: Object?, new: Object?) {
        for (name, function) in indexFunctions {
            let before = old.map(function) ?? []
            let after = new.map(function) ?? []
            guard before != after else { continue }
            for value in before where !after.contains(value) {
                state.indexes[name]?[value]?.remove(key)
                if state.indexes[name]?[value]?.isEmpty == true { state.indexes[name]?[value] = nil }
            }
            for value in after where !before.contains(value) {
                state.indexes[name, default: [:]][value, default: []].insert(key)
            }
        }
    }
}

extension ObjectCache {
    /// An index by namespace, for objects whose key is `namespace/name`.
    public static func namespaceIndex(key: @escaping @Sendable (Object) -> String) -> IndexFunction {
        { object in
            let objectKey = key(object)
            guard let slash = objectKey.firstIndex(of: "/") else { return [] }
            return [String(objectKey[..<slash])]
        }
    }
}
