/// Where a kind of object lives in the Kubernetes REST API: group, version, plural name and scope.
///
/// `Resource` builds the request paths of kube-apiserver (`/api/v1/namespaces/ns/pods/name/status`,
/// `/apis/discovery.k8s.io/v1/endpointslices`), so nothing else in the client writes a path by hand.
public struct Resource: Sendable, Hashable, CustomStringConvertible {
    /// API group; empty for the core group.
    public var group: String
    public var version: String
    /// Lower-case plural used in paths, e.g. `pods`.
    public var plural: String
    /// `kind` of one object, e.g. `Pod`.
    public var kind: String
    /// Whether objects live in a namespace.
    public var namespaced: Bool

    public init(group: String, version: String, plural: String, kind: String, namespaced: Bool) {
        self.group = group
        self.version = version
        self.plural = plural
        self.kind = kind
        self.namespaced = namespaced
    }

    /// `v1` for the core group, `group/version` otherwise; the value of an object's `apiVersion`.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// `pods` or `endpointslices.discovery.k8s.io`, as kubectl names resources.
    public var description: String { group.isEmpty ? plural : "\(plural).\(group)" }

    /// The path of a collection (`name == nil`) or of one object, optionally of a subresource.
    ///
    /// A `nil` namespace on a namespaced resource addresses all namespaces (valid for list and watch only).
    public func path(namespace: String?, name: String? = nil, subresource: String? = nil) -> String {
        var path = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        if namespaced, let namespace {
            path += "/namespaces/\(Self.escape(namespace))"
        }
        path += "/\(plural)"
        if let name {
            path += "/\(Self.escape(name))"
            if let subresource { path += "/\(subresource)" }
        }
        return path
    }

    /// Percent-encodes a path segment. Valid Kubernetes names never need it; it keeps a bad name from
    /// changing the path it is sent to.
    static func escape(_ segment: String) -> String {
        PercentEncoding.encode(segment, alsoAllowed: PercentEncoding.pathSegmentExtras)
    }
}
