import KubeClient

/// Strategic merge patch (`application/strategic-merge-patch+json`) for the built-in resources: like a merge patch,
/// except that the lists Kubernetes tags with a merge key merge element by element (`$patch: delete` removes one),
/// lists of strings tagged `merge` take the union, and the `$patch`, `$retainKeys`, `$setElementOrder/` and
/// `$deleteFromPrimitiveList/` directives kubectl sends are understood. The merge keys are those of the resources
/// this server serves; any other list is replaced, as for a field without a patch strategy.
enum StrategicMergePatch {
    enum ListRule { case mergeKey(String), union }

    /// List rules by kind and path (`[]` stands for any element).
    static let rules: [String: [String: ListRule]] = [
        "*": ["metadata.finalizers": .union, "metadata.ownerReferences": .mergeKey("uid")],
        "Pod": ["spec.containers": .mergeKey("name"), "spec.initContainers": .mergeKey("name"),
                "spec.ephemeralContainers": .mergeKey("name"), "spec.volumes": .mergeKey("name"),
                "spec.imagePullSecrets": .mergeKey("name"), "spec.hostAliases": .mergeKey("ip"),
                "spec.containers[].ports": .mergeKey("containerPort"), "spec.containers[].env": .mergeKey("name"),
                "spec.containers[].volumeMounts": .mergeKey("mountPath"), "spec.initContainers[].env": .mergeKey("name"),
                "status.conditions": .mergeKey("type")],
        "Service": ["spec.ports": .mergeKey("port")],
        "Node": ["status.conditions": .mergeKey("type"), "status.addresses": .mergeKey("type"), "spec.podCIDRs": .union],
        "Namespace": ["status.conditions": .mergeKey("type")],
        "ServiceAccount": ["secrets": .mergeKey("name"), "imagePullSecrets": .mergeKey("name")],
    ]

    static func apply(_ patch: JSONValue, to target: JSONValue, kind: String) throws(StoreError) -> JSONValue {
        guard case .object(let changes) = patch else { throw .badRequest("a strategic merge patch must be a JSON object") }
        return merge(changes, into: target, path: "", kind: kind) ?? [:]
    }

    /// Nil when the patch deletes the object (`$patch: delete`).
    private static func merge(_ changes: [String: JSONValue], into target: JSONValue, path: String, kind: String) -> JSONValue? {
        switch changes["$patch"]?.stringValue {
        case "delete": return nil
        case "replace": return .object(changes.filter { !$0.key.hasPrefix("$") })
        default: break
        }
        var result = target.objectValue ?? [:]
        for (key, change) in changes where !key.hasPrefix("$") {
            let childPath = path.isEmpty ? key : "\(path).\(key)"
            switch change {
            case .null: result[key] = nil
            case .object(let nested): result[key] = merge(nested, into: result[key] ?? [:], path: childPath, kind: kind)
            case .array(let items): result[key] = mergeList(items, into: result[key]?.arrayValue ?? [], path: childPath, kind: kind)
            default: result[key] = change
            }
        }
        for (key, removals) in changes where key.hasPrefix("$deleteFromPrimitiveList/") {
            let field = String(key.dropFirst("$deleteFromPrimitiveList/".count))
            let remove = removals.arrayValue ?? []
            if let items = result[field]?.arrayValue { result[field] = .array(items.filter { !remove.contains($0) }) }
        }
        return .object(result)
    }

    private static func mergeList(_ items: [JSONValue], into target: [JSONValue], path: String, kind: String) -> JSONValue {
        switch rules[kind]?[path] ?? rules["*"]?[path] {
        case nil:
            return .array(items)
        case .union:
            return .array(target + items.filter { !target.contains($0) })
        case .mergeKey(let key):
            if items.contains(where: { $0["$patch"] == "replace" }) {
                return .array(items.filter { $0["$patch"] == nil })
            }
            var result = target
            for item in items {
                guard case .object(let changes) = item, let value = changes[key] else { continue }
                let existing = result.firstIndex { $0[key] == value }
                if changes["$patch"] == "delete" {
                    result.removeAll { $0[key] == value }
                } else if let existing {
                    result[existing] = merge(changes, into: result[existing], path: path + "[]", kind: kind) ?? result[existing]
                } else {
                    result.append(merge(changes, into: [:], path: path + "[]", kind: kind) ?? item)
                }
            }
            return .array(result)
        }
    }
}
