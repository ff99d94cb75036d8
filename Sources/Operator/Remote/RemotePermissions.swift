import KubeClient

/// The read-only access federation needs on a remote cluster (DESIGN §6.5; `config/rbac/remote-cluster-reader.yaml`
/// grants exactly this), and a check of it through SelfSubjectAccessReview.
public enum RemotePermissions {
    /// One resource and the verbs needed on it.
    public struct Requirement: Sendable, Hashable {
        public var group: String
        public var resource: String
        public var verbs: [String]
        /// Not fatal when missing: HostEndpoints are read only where Calico's CRDs exist.
        public var optional: Bool
    }

    public static let required: [Requirement] = [
        ("", "pods", false), ("", "namespaces", false), ("", "serviceaccounts", false), ("", "services", false),
        ("", "endpoints", false), ("discovery.k8s.io", "endpointslices", false), ("crd.projectcalico.org", "hostendpoints", true),
    ].map { Requirement(group: $0.0, resource: $0.1, verbs: ["get", "list", "watch"], optional: $0.2) }

    /// The outcome for one requirement: the verbs the server refused.
    public struct Result: Sendable, Hashable, CustomStringConvertible {
        public var requirement: Requirement
        public var denied: [String]

        public var description: String {
            let qualified = requirement.group.isEmpty ? requirement.resource : "\(requirement.resource).\(requirement.group)"
            return denied.isEmpty ? "\(requirement.verbs.joined(separator: ", ")) \(qualified)"
                : "cannot \(denied.joined(separator: ", ")) \(qualified) (cluster-wide)"
        }
    }

    private static let reviews = Resource(group: "authorization.k8s.io", version: "v1", plural: "selfsubjectaccessreviews",
                                          kind: "SelfSubjectAccessReview", namespaced: false)

    /// Asks the remote, for every verb of every requirement, whether the client's user may do it cluster-wide.
    public static func check(using client: KubeClient) async throws -> [Result] {
        var results: [Result] = []
        for requirement in required {
            var denied: [String] = []
            for verb in requirement.verbs {
                let review = DynamicObject(
                    apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview", metadata: .init(),
                    content: ["spec": ["resourceAttributes": ["verb": .string(verb), "group": .string(requirement.group),
                                                              "resource": .string(requirement.resource)]]])
                let answer = try await client.dynamic(reviews).create(review)
                if answer["status"]?["allowed"] != true { denied.append(verb) }
            }
            results.append(Result(requirement: requirement, denied: denied))
        }
        return results
    }
}
