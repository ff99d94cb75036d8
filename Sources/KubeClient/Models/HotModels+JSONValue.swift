// The hand-written JSON paths of the models federation reads and writes at every remote change (see
// JSONValueConvertible). Each mirrors the model's Codable form member for member.

extension meta.v1.ObjectMeta: JSONValueConvertible {
    public init(json: JSONValue) throws(JSONShapeError) {
        let fields = try JSONFields(json, path: "metadata")
        self.init(name: try fields.string("name"), namespace: try fields.string("namespace"), labels: try fields.stringMap("labels"),
                  annotations: try fields.stringMap("annotations"), ownerReferences: try fields.objects("ownerReferences"),
                  finalizers: try fields.strings("finalizers"), resourceVersion: try fields.string("resourceVersion"))
        generateName = try fields.string("generateName")
        uid = try fields.string("uid")
        generation = try fields.integer("generation")
        creationTimestamp = try fields.string("creationTimestamp")
        deletionTimestamp = try fields.string("deletionTimestamp")
        deletionGracePeriodSeconds = try fields.integer("deletionGracePeriodSeconds")
    }

    public var json: JSONValue {
        var members = JSONMembers()
        members.set("name", name)
        members.set("generateName", generateName)
        members.set("namespace", namespace)
        members.set("uid", uid)
        members.set("resourceVersion", resourceVersion)
        members.set("generation", generation)
        members.set("creationTimestamp", creationTimestamp)
        members.set("deletionTimestamp", deletionTimestamp)
        members.set("deletionGracePeriodSeconds", deletionGracePeriodSeconds)
        members.set("labels", labels)
        members.set("annotations", annotations)
        members.set("ownerReferences", ownerReferences)
        members.set("finalizers", finalizers)
        return members.json
    }
}

extension meta.v1.OwnerReference: JSONValueConvertible {
    public init(json: JSONValue) throws(JSONShapeError) {
        let fields = try JSONFields(json, path: "ownerReferences[]")
        self.init(apiVersion: try fields.requiredString("apiVersion"), kind: try fields.requiredString("kind"), name: try fields.requiredString("name"),
                  uid: try fields.requiredString("uid"), controller: try fields.bool("controller"), blockOwnerDeletion: try fields.bool("blockOwnerDeletion"))
    }

    public var json: JSONValue {
        var members = JSONMembers()
        members.set("apiVersion", apiVersion)
        members.set("kind", kind)
        members.set("name", name)
        members.set("uid", uid)
        members.set("controller", controller)
        members.set("blockOwnerDeletion", blockOwnerDeletion)
        return members.json
    }
}

extension core.v1.ObjectReference: JSONValueConvertible {
    public init(json: JSONValue) throws(JSONShapeError) {
        let fields = try JSONFields(json, path: "targetRef")
        self.init(apiVersion: try fields.string("apiVersion"), kind: try fields.string("kind"), name: try fields.string("name"),
                  namespace: try fields.string("namespace"), uid: try fields.string("uid"), resourceVersion: try fields.string("resourceVersion"),
                  fieldPath: try fields.string("fieldPath"))
    }

    public var json: JSONValue {
        var members = JSONMembers()
        members.set("apiVersion", apiVersion)
        members.set("kind", kind)
        members.set("name", name)
        members.set("namespace", namespace)
        members.set("uid", uid)
        members.set("resourceVersion", resourceVersion)
        members.set("fieldPath", fieldPath)
        return members.json
    }
}

extension discovery.v1.EndpointSlice: JSONValueConvertible {
    public init(json: JSONValue) throws(JSONShapeError) {
        let fields = try JSONFields(json)
        let metadata = try fields.requiredObject("metadata", as: meta.v1.ObjectMeta.self)
        // `endpoints: null` is how the API server serialises an empty slice.
        self.init(metadata: metadata, addressType: try fields.requiredString("addressType"), endpoints: try fields.objects("endpoints") ?? [],
                  ports: try fields.objects("ports"))
    }

    public var json: JSONValue {
        var members = JSONMembers()
        members.set("metadata", metadata)
        members.set("addressType", addressType)
        members.set("endpoints", endpoints)
        members.set("ports", ports)
        return members.json
    }
}

extension discovery.v1.Endpoint: JSONValueConvertible {
    public init(json: JSONValue) throws(JSONShapeError) {
        let fields = try JSONFields(json, path: "endpoints[]")
        guard let addresses = try fields.strings("addresses") else { throw JSONShapeError(field: "endpoints[].addresses", expected: "an array of strings") }
        self.init(addresses: addresses, conditions: try fields.object("conditions"), hostname: try fields.string("hostname"),
                  targetRef: try fields.object("targetRef"), nodeName: try fields.string("nodeName"), zone: try fields.string("zone"))
    }

    public var json: JSONValue {
        var members = JSONMembers()
        members.set("addresses", addresses)
        members.set("conditions", conditions)
        members.set("hostname", hostname)
        members.set("targetRef", targetRef)
        members.set("nodeName", nodeName)
        members.set("zone", zone)
        return members.json
    }
}

extension discovery.v1.EndpointConditions: JSONValueConvertible {
    public init(json: JSONValue) throws(JSONShapeError) {
        let fields = try JSONFields(json, path: "endpoints[].conditions")
        self.init(ready: try fields.bool("ready"), serving: try fields.bool("serving"), terminating: try fields.bool("terminating"))
    }

    public var json: JSONValue {
        var members = JSONMembers()
        members.set("ready", ready)
        members.set("serving", serving)
        members.set("terminating", terminating)
        return members.json
    }
}

extension discovery.v1.EndpointPort: JSONValueConvertible {
    public init(json: JSONValue) throws(JSONShapeError) {
        let fields = try JSONFields(json, path: "ports[]")
        self.init(name: try fields.string("name"), protocol: try fields.string("protocol"), port: try fields.integer("port"),
                  appProtocol: try fields.string("appProtocol"))
    }

    public var json: JSONValue {
        var members = JSONMembers()
        members.set("name", name)
        members.set("protocol", `protocol`)
        members.set("port", port)
        members.set("appProtocol", appProtocol)
        return members.json
    }
}

extension core.v1.Endpoints: JSONValueConvertible {
    public init(json: JSONValue) throws(JSONShapeError) {
        let fields = try JSONFields(json)
        let metadata = try fields.requiredObject("metadata", as: meta.v1.ObjectMeta.self)
        self.init(metadata: metadata, subsets: try fields.objects("subsets"))
    }

    public var json: JSONValue {
        var members = JSONMembers()
        members.set("metadata", metadata)
        members.set("subsets", subsets)
        return members.json
    }
}

extension core.v1.EndpointSubset: JSONValueConvertible {
    public init(json: JSONValue) throws(JSONShapeError) {
        let fields = try JSONFields(json, path: "subsets[]")
        self.init(addresses: try fields.objects("addresses"), notReadyAddresses: try fields.objects("notReadyAddresses"), ports: try fields.objects("ports"))
    }

    public var json: JSONValue {
        var members = JSONMembers()
        members.set("addresses", addresses)
        members.set("notReadyAddresses", notReadyAddresses)
        members.set("ports", ports)
        return members.json
    }
}

extension core.v1.EndpointAddress: JSONValueConvertible {
    public init(json: JSONValue) throws(JSONShapeError) {
        let fields = try JSONFields(json, path: "subsets[].addresses[]")
        self.init(ip: try fields.requiredString("ip"), hostname: try fields.string("hostname"), nodeName: try fields.string("nodeName"),
                  targetRef: try fields.object("targetRef"))
    }

    public var json: JSONValue {
        var members = JSONMembers()
        members.set("ip", ip)
        members.set("hostname", hostname)
        members.set("nodeName", nodeName)
        members.set("targetRef", targetRef)
        return members.json
    }
}

extension core.v1.EndpointPort: JSONValueConvertible {
    public init(json: JSONValue) throws(JSONShapeError) {
        let fields = try JSONFields(json, path: "subsets[].ports[]")
        guard let port: Int32 = try fields.integer("port") else { throw JSONShapeError(field: "subsets[].ports[].port", expected: "an integer") }
        self.init(name: try fields.string("name"), port: port, protocol: try fields.string("protocol"), appProtocol: try fields.string("appProtocol"))
    }

    public var json: JSONValue {
        var members = JSONMembers()
        members.set("name", name)
        members.set("port", port)
        members.set("protocol", `protocol`)
        members.set("appProtocol", appProtocol)
        return members.json
    }
}

extension meta.v1.List: JSONValueListDecodable where Item: JSONValueConvertible {
    init(listJSON json: JSONValue) throws {
        let fields = try JSONFields(json)
        let listMetadata = json["metadata"] ?? .null
        let list = try JSONFields(listMetadata == .null ? .object([:]) : listMetadata, path: "metadata")
        var metadata = meta.v1.ListMeta(resourceVersion: try list.string("resourceVersion"), continue: try list.string("continue"))
        metadata.remainingItemCount = try list.integer("remainingItemCount")
        // kube-apiserver sends `"items": null` for an empty list of some resources.
        self.init(metadata: metadata, items: try fields.objects("items") ?? [])
    }
}

extension DynamicObject: JSONValueConvertible {
    /// Every member but `metadata` is kept as parsed: no type probing, which makes `Codable` decode these at a sixth
    /// of its speed on typed models (decode table in BENCHMARKS.md).
    public init(json: JSONValue) throws(JSONShapeError) {
        guard case .object(var members) = json else { throw JSONShapeError(field: "(document)", expected: "an object") }
        metadata = try JSONFields(json).object("metadata") ?? meta.v1.ObjectMeta()
        members["metadata"] = nil
        content = members
    }

    public var json: JSONValue {
        var members = content
        members["metadata"] = metadata.json
        return .object(members)
    }
}
