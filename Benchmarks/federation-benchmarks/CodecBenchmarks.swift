import Foundation
import KubeClient
import NIOCore

/// The hot models' hand-written JSON paths (``JSONValueConvertible``) against `Codable`: the federated-services
/// controller's own objects (an EndpointSlice of 100 endpoints and an Endpoints object of 100 addresses, with
/// targetRefs), and a Calico NetworkSet of 1,000 nets as the identity publisher writes them (a ``DynamicObject``),
/// each decoded as a watch event and encoded as a write body 2,000 times.
func runCodecBenchmarks() throws {
    let count = 2_000
    let endpoints = (0..<100).map { index in
        discovery.v1.Endpoint(addresses: ["10.1.\(index / 250).\(index % 250 + 1)"], conditions: .init(ready: index % 3 != 0, serving: true, terminating: false),
                              targetRef: core.v1.ObjectReference(kind: "Pod", name: "cluster-1/web-\(index)", namespace: "ns-1"), nodeName: "node-\(index % 7)", zone: "z1")
    }
    var metadata = meta.v1.ObjectMeta(name: "svc-1-abcde", namespace: "ns-1", labels: ["kubernetes.io/service-name": "svc-1", "endpointslice.kubernetes.io/managed-by": "federation-operator"],
                                      ownerReferences: [.init(apiVersion: "v1", kind: "Service", name: "svc-1", uid: "0a1b2c3d-aaaa-bbbb-cccc-0123456789ab", controller: true)],
                                      resourceVersion: "123456")
    metadata.uid = "0a1b2c3d-aaaa-bbbb-cccc-0123456789ac"
    let slice = discovery.v1.EndpointSlice(metadata: metadata, addressType: "IPv4", endpoints: endpoints, ports: [.init(name: "http", protocol: "TCP", port: 8080)])
    let addresses = endpoints.map { core.v1.EndpointAddress(ip: $0.addresses[0], nodeName: $0.nodeName, targetRef: $0.targetRef) }
    let endpointsObject = core.v1.Endpoints(metadata: metadata, subsets: [.init(addresses: Array(addresses[0..<67]), notReadyAddresses: Array(addresses[67...]),
                                                                              ports: [.init(name: "http", port: 8080, protocol: "TCP")])])
    print("| benchmark | objects | input | median time | throughput | objects/s |")
    print("|---|---|---|---|---|---|")
    try measure(slice, count: count)
    try measure(endpointsObject, count: count)
    let networkSet = DynamicObject(apiVersion: "crd.projectcalico.org/v1", kind: "NetworkSet", metadata: metadata, content: [
        "spec": ["nets": .array((0..<1_000).map { .string("10.1.\($0 / 250).\($0 % 250 + 1)/32") })],
    ])
    try measure(networkSet, as: "NetworkSet (DynamicObject, 1,000 nets)", count: count)
}

private func measure<Model: KubernetesObject & JSONValueConvertible & Equatable>(_ object: Model, as label: String? = nil, count: Int) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let event = Data(#"{"type":"MODIFIED","object":"#.utf8) + (try encoder.encode(object)) + Data("}".utf8)
    let buffer = ByteBuffer(bytes: event)
    let name = label ?? String("\(Model.self)".split(separator: ".").last ?? "")
    let decoded = try JSONDecoder().decode(WatchEvent<Model>.self, from: event).object
    let byHand = try Model(json: JSONValue(parsing: Array(event))["object"] ?? .null)
    precondition(decoded == object && byHand == object, "both paths give the object back")
    let codableDecode = try median(runs: 3) {
        for _ in 0..<count { _ = try JSONDecoder().decode(WatchEvent<Model>.self, from: Data(buffer.readableBytesView)) }
    }
    let handDecode = try median(runs: 3) {
        for _ in 0..<count { _ = try Model(json: JSONValue(parsing: Array(buffer.readableBytesView))["object"] ?? .null) }
    }
    let codableEncode = try median(runs: 3) {
        for _ in 0..<count { _ = try encoder.encode(object) }
    }
    let handEncode = median(runs: 3) {
        for _ in 0..<count { _ = JSONWriter.bytes(object.json) }
    }
    print(row("\(name) watch event -> model, Codable", objects: count, bytes: event.count * count, time: codableDecode))
    print(row("\(name) watch event -> model, by hand", objects: count, bytes: event.count * count, time: handDecode))
    print(row("\(name) model -> write body, Codable", objects: count, bytes: event.count * count, time: codableEncode))
    print(row("\(name) model -> write body, by hand", objects: count, bytes: event.count * count, time: handEncode))
}
