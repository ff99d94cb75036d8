import KubeClient

/// The OpenAPI v3 documents kubectl reads before it writes: `/openapi/v3` lists a document per group version, and
/// each document's PATCH operations carry `x-kubernetes-group-version-kind` and a `fieldValidation` query
/// parameter, which tells kubectl to leave field validation to the server instead of downloading schemas to
/// validate on the client. The documents hold no schemas: `kubectl explain` is not supported.
enum OpenAPIDocuments {
    /// The document for an `/openapi/v3...` path, nil when there is none.
    static func document(for path: String, catalog: ResourceCatalog) -> JSONValue? {
        guard path.hasPrefix("/openapi/v3") else { return nil }
        let groupVersion = path.dropFirst("/openapi/v3".count).drop { $0 == "/" }
        if groupVersion.isEmpty { return root(catalog) }
        let parts = groupVersion.split(separator: "/").map(String.init)
        switch parts.count {
        case 2 where parts[0] == "api": return document(group: "", version: parts[1], catalog: catalog)
        case 3 where parts[0] == "apis": return document(group: parts[1], version: parts[2], catalog: catalog)
        default: return nil
        }
    }

    private static func root(_ catalog: ResourceCatalog) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        for served in Set(catalog.resources.map { GroupVersion(group: $0.group, version: $0.version) }) {
            let name = served.group.isEmpty ? "api/\(served.version)" : "apis/\(served.group)/\(served.version)"
            let hash = fingerprint(JSONWriter.bytes(document(group: served.group, version: served.version, catalog: catalog) ?? [:]))
            paths[name] = ["serverRelativeURL": .string("/openapi/v3/\(name)?hash=\(hash)")]
        }
        return ["paths": .object(paths)]
    }

    private static func document(group: String, version: String, catalog: ResourceCatalog) -> JSONValue? {
        let resources = catalog.resources(group: group, version: version)
        guard !resources.isEmpty else { return nil }
        let prefix = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        var paths: [String: JSONValue] = [:]
        for resource in resources where resource.verbs.contains("patch") {
            let scope = resource.namespaced ? "\(prefix)/namespaces/{namespace}" : prefix
            let gvk: JSONValue = ["group": .string(group), "version": .string(version), "kind": .string(resource.kind)]
            let patch: JSONValue = [
                "x-kubernetes-group-version-kind": gvk, "x-kubernetes-action": "patch",
                "parameters": [["name": "fieldValidation", "in": "query", "schema": ["type": "string", "uniqueItems": true]],
                               ["name": "fieldManager", "in": "query", "schema": ["type": "string", "uniqueItems": true]]],
                "responses": ["200": ["description": "OK"]],
            ]
            paths["\(scope)/\(resource.plural)/{name}"] = ["patch": patch]
            if resource.hasStatusSubresource { paths["\(scope)/\(resource.plural)/{name}/status"] = ["patch": patch] }
        }
        return ["openapi": "3.0.0", "info": ["title": "Kubernetes", "version": "unversioned"], "paths": .object(paths),
                "components": ["schemas": [:]]]
    }

    private struct GroupVersion: Hashable {
        var group: String
        var version: String
    }

    /// FNV-1a of the document, so the URL changes when the document does and clients' caches stay right.
    private static func fingerprint(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 16, uppercase: true)
    }
}
