/// An object of any kind, with typed metadata and every other top-level member kept as JSON.
///
/// Used for resources the client has no model for (Calico `NetworkSet`, `HostEndpoint`, RCCs); nothing
/// is lost on a read-modify-write round trip.
public struct DynamicObject: KubernetesObject, Hashable {
    public var metadata: meta.v1.ObjectMeta
    /// Every top-level member except `metadata` (`apiVersion`, `kind`, `spec`, `status`, ...).
    public var content: [String: JSONValue]

    public init(
        apiVersion: String, kind: String, metadata: meta.v1.ObjectMeta, content: [String: JSONValue] = [:]
    ) {
        self.metadata = metadata
        self.content = content
        self.content["apiVersion"] = .string(apiVersion)
        self.content["kind"] = .string(kind)
    }

    public var apiVersion: String? { content["apiVersion"]?.stringValue }
    public var kind: String? { content["kind"]?.stringValue }

    /// A top-level member other than `metadata`, e.g. `object["spec"]?["nets"]`.
    public subscript(key: String) -> JSONValue? {
        get { content[key] }
        set { content[key] = newValue }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        var content: [String: JSONValue] = [:]
        var metadata = meta.v1.ObjectMeta()
        for key in container.allKeys {
            if key.stringValue == "metadata" {
                metadata = try container.decode(meta.v1.ObjectMeta.self, forKey: key)
            } else {
                content[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
            }
        }
        self.metadata = metadata
        self.content = content
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyKey.self)
        try container.encode(metadata, forKey: AnyKey("metadata"))
        for (key, value) in content { try container.encode(value, forKey: AnyKey(key)) }
    }
}
