extension core.v1 {
    /// A Namespace (complete for the fields federation writes: none; labels are what it reads).
    public struct Namespace: KubernetesResource, Hashable {
        public static let resource = Resource(
            group: "", version: "v1", plural: "namespaces", kind: "Namespace", namespaced: false)

        public var metadata: meta.v1.ObjectMeta
        public var status: NamespaceStatus?

        public init(metadata: meta.v1.ObjectMeta, status: NamespaceStatus? = nil) {
            self.metadata = metadata
            self.status = status
        }
    }

    /// A namespace's phase: `Active` or `Terminating`.
    public struct NamespaceStatus: Codable, Sendable, Hashable {
        public var phase: String?
        public init(phase: String? = nil) { self.phase = phase }
    }

    /// A ServiceAccount, as a *read projection* (its labels give remote endpoints `pcsa.*` labels).
    public struct ServiceAccount: KubernetesResource, Hashable {
        public static let resource = Resource(
            group: "", version: "v1", plural: "serviceaccounts", kind: "ServiceAccount", namespaced: true)

        public var metadata: meta.v1.ObjectMeta
        public init(metadata: meta.v1.ObjectMeta) { self.metadata = metadata }
    }

    /// A Secret. `data` values are raw bytes (base64 on the wire).
    public struct Secret: KubernetesResource, Hashable {
        public static let resource = Resource(
            group: "", version: "v1", plural: "secrets", kind: "Secret", namespaced: true)

        public var metadata: meta.v1.ObjectMeta
        public var type: String?
        public var data: [String: [UInt8]]?
        public var immutable: Bool?

        public init(metadata: meta.v1.ObjectMeta, type: String? = nil, data: [String: [UInt8]]? = nil) {
            self.metadata = metadata
            self.type = type
            self.data = data
        }

        enum CodingKeys: String, CodingKey { case metadata, type, data, immutable }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            metadata = try container.decode(meta.v1.ObjectMeta.self, forKey: .metadata)
            type = try container.decodeIfPresent(String.self, forKey: .type)
            immutable = try container.decodeIfPresent(Bool.self, forKey: .immutable)
            if let encoded = try container.decodeIfPresent([String: String].self, forKey: .data) {
                var decoded: [String: [UInt8]] = [:]
                for (key, value) in encoded {
                    guard let bytes = Base64.decode(value) else {
                        throw DecodingError.dataCorruptedError(
                            forKey: .data, in: container, debugDescription: "data.\(key) is not valid base64")
                    }
                    decoded[key] = bytes
                }
                data = decoded
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(metadata, forKey: .metadata)
            try container.encodeIfPresent(type, forKey: .type)
            try container.encodeIfPresent(immutable, forKey: .immutable)
            try container.encodeIfPresent(data?.mapValues { Base64.encode($0) }, forKey: .data)
        }

        /// The value of `data[key]` as UTF-8 text, if present and valid UTF-8.
        public func string(_ key: String) -> String? {
            data?[key].flatMap { String(validating: $0, as: UTF8.self) }
        }
    }

    /// A reference to an object, as used by Endpoints `targetRef` and Event `regarding`.
    public struct ObjectReference: Codable, Sendable, Hashable {
        public var apiVersion: String?
        public var kind: String?
        public var name: String?
        public var namespace: String?
        public var uid: String?
        public var resourceVersion: String?
        public var fieldPath: String?

        public init(
            apiVersion: String? = nil, kind: String? = nil, name: String? = nil, namespace: String? = nil,
            uid: String? = nil, resourceVersion: String? = nil, fieldPath: String? = nil
        ) {
            self.apiVersion = apiVersion
            self.kind = kind
            self.name = name
            self.namespace = namespace
            self.uid = uid
            self.resourceVersion = resourceVersion
            self.fieldPath = fieldPath
        }
    }
}
