import NIOHTTP1

/// What a request path and method ask for, parsed as kube-apiserver's RequestInfoFactory parses them.
struct RequestInfo: Sendable, Equatable {
    var verb: String
    var group: String
    var version: String
    var namespace: String
    var resource: String
    var name: String
    var subresource: String

    /// Parses `/api/v1/...` and `/apis/<group>/<version>/...` paths that name a resource; nil for anything else
    /// (discovery, `/version`, unknown paths).
    init?(method: HTTPMethod, path: String, query: [String: String]) {
        var parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let prefix = parts.first else { return nil }
        switch prefix {
        case "api" where parts.count >= 3:
            group = ""
            version = parts[1]
            parts.removeFirst(2)
        case "apis" where parts.count >= 4:
            group = parts[1]
            version = parts[2]
            parts.removeFirst(3)
        default:
            return nil
        }
        var watchPath = false
        if parts.first == "watch" {
            watchPath = true
            parts.removeFirst()
        }
        namespace = ""
        if parts.first == "namespaces", parts.count > 1 {
            namespace = parts[1]
            if parts.count > 2, !["status", "finalize"].contains(parts[2]) { parts.removeFirst(2) }
        }
        guard let resource = parts.first else { return nil }
        self.resource = resource
        name = parts.count > 1 ? parts[1] : ""
        subresource = parts.count > 2 ? parts[2] : ""
        guard parts.count <= 3 else { return nil }
        let watch = watchPath || ["true", "1"].contains(query["watch"] ?? "")
        switch method {
        case .GET, .HEAD: verb = watch ? "watch" : (name.isEmpty ? "list" : "get")
        case .POST: verb = "create"
        case .PUT: verb = "update"
        case .PATCH: verb = "patch"
        case .DELETE: verb = name.isEmpty ? "deletecollection" : "delete"
        default: return nil
        }
    }

    /// What the authorizer checks.
    var accessAttributes: AccessAttributes {
        AccessAttributes(verb: verb, apiGroup: group, resource: resource, subresource: subresource, namespace: namespace, name: name)
    }
}
