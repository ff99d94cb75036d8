import Foundation
import KubeClient

/// Kubernetes' protobuf encoding (`application/vnd.kubernetes.protobuf`) for the objects kubectl's typed clients
/// send that way: `SelfSubjectAccessReview` (`kubectl auth can-i`) and the `kubectl create namespace|configmap|secret|
/// serviceaccount` kinds. Answers go back as JSON, which kubectl also accepts. Other kinds get `415`.
enum ProtobufObjects {
    static let mediaType = "application/vnd.kubernetes.protobuf"

    /// The body as JSON: the `k8s\0` envelope (a runtime.Unknown holding apiVersion, kind and the raw message)
    /// decoded for the kinds this server reads.
    static func json(_ body: [UInt8]) throws(StoreError) -> JSONValue {
        let magic: [UInt8] = [0x6b, 0x38, 0x73, 0x00]
        guard body.starts(with: magic), let unknown = ProtobufReader.fields(body[4...]),
              let typeMeta = ProtobufReader.bytes(unknown, 1).flatMap(ProtobufReader.fields),
              let raw = ProtobufReader.bytes(unknown, 2)
        else { throw .badRequest("the protobuf body is not a Kubernetes protobuf envelope") }
        let apiVersion = ProtobufReader.string(typeMeta, 1) ?? ""
        let kind = ProtobufReader.string(typeMeta, 2) ?? ""
        guard let message = ProtobufReader.fields(raw) else { throw .badRequest("malformed \(kind) in protobuf") }
        var object: JSONValue = ["apiVersion": .string(apiVersion), "kind": .string(kind),
                                 "metadata": ProtobufReader.bytes(message, 1).flatMap(ProtobufReader.fields).map(objectMeta) ?? [:]]
        switch (apiVersion, kind) {
        case ("authorization.k8s.io/v1", "SelfSubjectAccessReview"):
            return review(message, apiVersion: apiVersion, kind: kind)
        case ("v1", "Namespace"), ("v1", "ServiceAccount"):
            return object
        case ("v1", "ConfigMap"):
            object["data"] = stringMap(message, 2)
            return object
        case ("v1", "Secret"):
            object["data"] = .object(entries(message, 2).mapValues { .string(Data($0).base64EncodedString()) })
            object["type"] = ProtobufReader.string(message, 3).map { .string($0) }
            return object
        default:
            throw StoreError(code: 415, reason: "UnsupportedMediaType",
                             message: "the test server cannot read \(kind) in \(mediaType); send application/json")
        }
    }

    /// The ObjectMeta fields a client sets: name, generateName, namespace, labels, annotations, finalizers.
    private static func objectMeta(_ fields: [(number: Int, value: ProtobufReader.Value)]) -> JSONValue {
        var metadata: [String: JSONValue] = [:]
        for (number, name) in [(1, "name"), (2, "generateName"), (3, "namespace")] {
            if let value = ProtobufReader.string(fields, number) { metadata[name] = .string(value) }
        }
        for (number, name) in [(11, "labels"), (12, "annotations")] where fields.contains(where: { $0.number == number }) {
            metadata[name] = stringMap(fields, number)
        }
        let finalizers = fields.compactMap { field -> JSONValue? in
            guard field.number == 14, case .bytes(let bytes) = field.value else { return nil }
            return .string(String(decoding: bytes, as: UTF8.self))
        }
        if !finalizers.isEmpty { metadata["finalizers"] = .array(finalizers) }
        return .object(metadata)
    }

    /// A `map<string, bytes>` field: repeated entries of key (1) and value (2).
    private static func entries(_ fields: [(number: Int, value: ProtobufReader.Value)], _ number: Int) -> [String: [UInt8]] {
        var map: [String: [UInt8]] = [:]
        for field in fields where field.number == number {
            guard case .bytes(let entry) = field.value, let parts = ProtobufReader.fields(entry) else { continue }
            map[ProtobufReader.string(parts, 1) ?? ""] = Array(ProtobufReader.bytes(parts, 2) ?? [])
        }
        return map
    }

    private static func stringMap(_ fields: [(number: Int, value: ProtobufReader.Value)], _ number: Int) -> JSONValue {
        .object(entries(fields, number).mapValues { .string(String(decoding: $0, as: UTF8.self)) })
    }

    private static func review(_ review: [(number: Int, value: ProtobufReader.Value)], apiVersion: String, kind: String) -> JSONValue {
        var attributes: [String: JSONValue] = [:]
        if let spec = ProtobufReader.bytes(review, 2).flatMap(ProtobufReader.fields),
           let resource = ProtobufReader.bytes(spec, 1).flatMap(ProtobufReader.fields) {
            for (number, name) in [(1, "namespace"), (2, "verb"), (3, "group"), (4, "version"), (5, "resource"), (6, "subresource"), (7, "name")] {
                if let value = ProtobufReader.string(resource, number) { attributes[name] = .string(value) }
            }
        }
        return ["apiVersion": .string(apiVersion), "kind": .string(kind), "metadata": [:],
                "spec": attributes.isEmpty ? [:] : ["resourceAttributes": .object(attributes)]]
    }
}
