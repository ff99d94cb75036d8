extension meta.v1 {
    /// Metadata every persisted object has: name, namespace, labels, versioning and ownership.
    ///
    /// Timestamps stay RFC 3339 strings, as kube-apiserver sends them; decoding them into dates for every
    /// object of a large list would cost time the operator does not need to spend.
    public struct ObjectMeta: Codable, Sendable, Hashable {
        public var name: String?
        public var generateName: String?
        public var namespace: String?
        public var uid: String?
        public var resourceVersion: String?
        public var generation: Int64?
        public var creationTimestamp: String?
        public var deletionTimestamp: String?
        public var deletionGracePeriodSeconds: Int64?
        public var labels: [String: String]?
        public var annotations: [String: String]?
        public var ownerReferences: [OwnerReference]?
        public var finalizers: [String]?

        public init(
            name: String? = nil, namespace: String? = nil, labels: [String: String]? = nil,
            annotations: [String: String]? = nil, ownerReferences: [OwnerReference]? = nil,
            finalizers: [String]? = nil, resourceVersion: String? = nil
        ) {
            self.name = name
            self.namespace = namespace
            self.labels = labels
            self.annotations = annotations
            self.ownerReferences = ownerReferences
            self.finalizers = finalizers
            self.resourceVersion = resourceVersion
        }
    }

    /// A reference from a dependent object to the object that owns it (garbage collection, `kubectl tree`).
    public struct OwnerReference: Codable, Sendable, Hashable {
        public var apiVersion: String
        public var kind: String
        public var name: String
        public var uid: String
        public var controller: Bool?
        public var blockOwnerDeletion: Bool?

        public init(
            apiVersion: String, kind: String, name: String, uid: String, controller: Bool? = nil,
            blockOwnerDeletion: Bool? = nil
        ) {
            self.apiVersion = apiVersion
            self.kind = kind
            self.name = name
            self.uid = uid
            self.controller = controller
            self.blockOwnerDeletion = blockOwnerDeletion
        }
    }

    /// Metadata of a list: the collection's `resourceVersion` to watch from and the paging token.
    public struct ListMeta: Codable, Sendable, Hashable {
        public var resourceVersion: String?
        /// Token for the next page; absent or empty on the last page.
        public var `continue`: String?
        public var remainingItemCount: Int64?

        public init(resourceVersion: String? = nil, continue: String? = nil) {
            self.resourceVersion = resourceVersion
            self.continue = `continue`
        }
    }

    /// One page of a list response (`PodList`, `ServiceList`, ...).
    public struct List<Item: Decodable & Sendable>: Decodable, Sendable {
        public var metadata: ListMeta
        public var items: [Item]

        enum CodingKeys: String, CodingKey { case metadata, items }

        public init(metadata: ListMeta, items: [Item]) {
            self.metadata = metadata
            self.items = items
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            metadata = try container.decodeIfPresent(ListMeta.self, forKey: .metadata) ?? ListMeta()
            // kube-apiserver sends `"items": null` for an empty list of some resources.
            items = try container.decodeIfPresent([Item].self, forKey: .items) ?? []
        }
    }

    /// A status condition as in `metav1.Condition` (used on RCC status).
    public struct Condition: Codable, Sendable, Hashable {
        public var type: String
        /// `True`, `False` or `Unknown`.
        public var status: String
        public var observedGeneration: Int64?
        public var lastTransitionTime: String
        public var reason: String
        public var message: String

        public init(
            type: String, status: String, observedGeneration: Int64? = nil, lastTransitionTime: String,
            reason: String, message: String
        ) {
            self.type = type
            self.status = status
            self.observedGeneration = observedGeneration
            self.lastTransitionTime = lastTransitionTime
            self.reason = reason
            self.message = message
        }
    }
}
