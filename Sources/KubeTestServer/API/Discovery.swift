import KubeClient

/// The legacy (unaggregated) discovery documents kubectl and client-go read: `/version`, `/api`, `/api/v1`, `/apis`,
/// `/apis/<group>` and `/apis/<group>/<version>`. Clients that ask for aggregated discovery get these too and fall
/// back, as they do against older servers.
enum Discovery {
    /// The `/version` document for Kubernetes `1.<minor>`; kubectl's wrapper on these machines picks the client of
    /// the same minor version.
    static func version(minor: Int) -> JSONValue {
        ["major": "1", "minor": .string(String(minor)), "gitVersion": .string("v1.\(minor).3"),
         "gitCommit": "0000000000000000000000000000000000000000", "gitTreeState": "clean", "buildDate": "2025-03-11T19:52:21Z",
         "goVersion": "go1.23.6", "compiler": "gc", "platform": "linux/amd64"]
    }

    /// The document for a discovery path, nil when the path is not one.
    static func document(for path: String, catalog: ResourceCatalog, serverAddress: String, minor: Int) -> JSONValue? {
        let parts = path.split(separator: "/").map(String.init)
        switch parts.count {
        case 1 where parts[0] == "version": return version(minor: minor)
        case 1 where parts[0] == "api":
            return ["kind": "APIVersions", "versions": ["v1"],
                    "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]]]
        case 1 where parts[0] == "apis":
            return ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(catalog.groups.map(group))]
        case 2 where parts[0] == "api" && parts[1] == "v1":
            return resourceList(group: "", version: "v1", catalog: catalog)
        case 2 where parts[0] == "apis":
            guard let found = catalog.groups.first(where: { $0.name == parts[1] }) else { return nil }
            var document = group(found)
            document["kind"] = "APIGroup"
            document["apiVersion"] = "v1"
            return document
        case 3 where parts[0] == "apis":
            guard !catalog.resources(group: parts[1], version: parts[2]).isEmpty else { return nil }
            return resourceList(group: parts[1], version: parts[2], catalog: catalog)
        default: return nil
        }
    }

    private static func group(_ group: (name: String, versions: [String])) -> JSONValue {
        let versions: [JSONValue] = group.versions.map { ["groupVersion": .string("\(group.name)/\($0)"), "version": .string($0)] }
        return ["name": .string(group.name), "versions": .array(versions), "preferredVersion": versions.first ?? [:]]
    }

    private static func resourceList(group: String, version: String, catalog: ResourceCatalog) -> JSONValue {
        var resources: [JSONValue] = []
        for resource in catalog.resources(group: group, version: version) {
            var entry: JSONValue = [
                "name": .string(resource.plural), "singularName": .string(resource.singular), "namespaced": .bool(resource.namespaced),
                "kind": .string(resource.kind), "verbs": .array(resource.verbs.map { .string($0) }),
            ]
            if !resource.shortNames.isEmpty { entry["shortNames"] = .array(resource.shortNames.map { .string($0) }) }
            if !resource.categories.isEmpty { entry["categories"] = .array(resource.categories.map { .string($0) }) }
            resources.append(entry)
            if resource.hasStatusSubresource {
                resources.append(["name": .string("\(resource.plural)/status"), "singularName": "", "namespaced": .bool(resource.namespaced),
                                  "kind": .string(resource.kind), "verbs": ["get", "patch", "update"]])
            }
        }
        return ["kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(group.isEmpty ? version : "\(group)/\(version)"),
                "resources": .array(resources)]
    }
}
