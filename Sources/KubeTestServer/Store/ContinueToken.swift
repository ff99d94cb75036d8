import Foundation

/// Where a paged list stops: the revision of its first page and the last key returned, opaque to clients
/// (base64 of a small JSON document, as kube-apiserver's tokens are).
struct ContinueToken: Codable, Equatable {
    var revision: Int64
    var namespace: String
    var name: String

    init(revision: Int64, after key: ObjectKey) {
        self.revision = revision
        self.namespace = key.namespace
        self.name = key.name
    }

    /// The position after which the next page starts (the resource is not compared).
    var after: ObjectKey { ObjectKey(GroupResource(group: "", plural: ""), namespace: namespace, name: name) }

    var encoded: String {
        // Encoding three plain fields cannot fail; an empty token would only restart the list.
        let data = (try? JSONEncoder().encode(self)) ?? Data()
        return data.base64EncodedString()
    }

    init(decoding token: String) throws(StoreError) {
        guard let data = Data(base64Encoded: token), let decoded = try? JSONDecoder().decode(ContinueToken.self, from: data) else {
            throw .badRequest("continue key is not valid: the token is not one this server issued")
        }
        self = decoded
    }
}
