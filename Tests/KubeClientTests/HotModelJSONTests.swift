import Foundation
import Testing

@testable import KubeClient

/// The hand-written JSON paths of Endpoints and EndpointSlices give exactly what Codable gives.
@Suite("Hot models: hand-written JSON equals Codable")
struct HotModelJSONTests {
    static let fullSlice = #"""
    {"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","addressType":"IPv4",
     "metadata":{"name":"web-abc","generateName":"web-","namespace":"shop","uid":"u-1","resourceVersion":"42","generation":3,
       "creationTimestamp":"2026-11-23T10:00:00Z","labels":{"kubernetes.io/service-name":"web","note":"caf\u00e9 \"quoted\"\n"},
       "annotations":{"a":"b"},"ownerReferences":[{"apiVersion":"v1","kind":"Service","name":"web","uid":"s-1","controller":true,"blockOwnerDeletion":true}],
       "finalizers":["f"],"managedFields":[{"manager":"kube-controller-manager","operation":"Update"}]},
     "endpoints":[{"addresses":["10.0.0.1"],"conditions":{"ready":true,"serving":true,"terminating":false},"hostname":"h",
       "targetRef":{"kind":"Pod","name":"east/web-0","namespace":"shop","uid":"p-1","resourceVersion":"7"},"nodeName":"n1","zone":"z1",
       "hints":{"forZones":[{"name":"z1"}]}},
      {"addresses":["fd00::1","fd00::2"],"conditions":{}},
      {"addresses":[],"conditions":null,"targetRef":null}],
     "ports":[{"name":"http","protocol":"TCP","port":8080,"appProtocol":"http"},{"port":53},{"name":null}]}
    """#

    static let edgeSlices = [
        #"{"metadata":{},"addressType":"FQDN","endpoints":null}"#,
        #"{"metadata":{"name":"x","labels":null,"deletionTimestamp":"2026-11-23T10:00:00Z","deletionGracePeriodSeconds":30},"addressType":"IPv4","endpoints":[],"ports":[]}"#,
        #"{"addressType":"IPv6","metadata":{"name":"\ud83d\ude00\/slash"},"endpoints":[{"addresses":["fd00::1"],"zone":null}],"ports":null}"#,
    ]

    static let endpoints = [
        #"""
        {"kind":"Endpoints","apiVersion":"v1","metadata":{"name":"web","namespace":"shop","annotations":{"federation.tigera.io/serviceSelector":"run == \"web\""}},
         "subsets":[{"addresses":[{"ip":"10.0.0.1","nodeName":"n1","hostname":"h","targetRef":{"kind":"Pod","name":"east/web-0","namespace":"shop"}}],
           "notReadyAddresses":[{"ip":"10.0.0.2"}],"ports":[{"name":"http","port":8080,"protocol":"TCP"},{"port":9090,"appProtocol":"h2c"}]},
          {"ports":[{"port":1}]}]}
        """#,
        #"{"metadata":{"name":"empty"}}"#,
        #"{"metadata":{"name":"null-subsets"},"subsets":null}"#,
    ]

    static func byHand<T: JSONValueConvertible>(_ type: T.Type, _ text: String) throws -> T {
        try T(json: JSONValue(parsing: Array(text.utf8)))
    }

    @Test func slicesDecodeAsCodableDecodesThem() throws {
        for text in [Self.fullSlice] + Self.edgeSlices {
            let expected = try JSONDecoder().decode(discovery.v1.EndpointSlice.self, from: Data(text.utf8))
            #expect(try Self.byHand(discovery.v1.EndpointSlice.self, text) == expected, "\(text)")
        }
        let full = try Self.byHand(discovery.v1.EndpointSlice.self, Self.fullSlice)
        #expect(full.metadata.labels?["note"] == "café \"quoted\"\n")
        #expect(full.endpoints.count == 3 && full.ports?.count == 3)
    }

    @Test func endpointsDecodeAsCodableDecodesThem() throws {
        for text in Self.endpoints {
            let expected = try JSONDecoder().decode(core.v1.Endpoints.self, from: Data(text.utf8))
            #expect(try Self.byHand(core.v1.Endpoints.self, text) == expected, "\(text)")
        }
    }

    @Test func writtenBodiesAreTheDocumentsCodableWrites() throws {
        let slice = try JSONDecoder().decode(discovery.v1.EndpointSlice.self, from: Data(Self.fullSlice.utf8))
        let endpoints = try JSONDecoder().decode(core.v1.Endpoints.self, from: Data(Self.endpoints[0].utf8))
        let encoder = JSONEncoder()
        #expect(try JSONValue(parsing: JSONWriter.bytes(slice.json)) == JSONValue(parsing: Array(encoder.encode(slice))))
        #expect(try JSONValue(parsing: JSONWriter.bytes(endpoints.json)) == JSONValue(parsing: Array(encoder.encode(endpoints))))
        #expect(try JSONDecoder().decode(discovery.v1.EndpointSlice.self, from: Data(JSONWriter.bytes(slice.json))) == slice)
        #expect(try JSONDecoder().decode(core.v1.Endpoints.self, from: Data(JSONWriter.bytes(endpoints.json))) == endpoints)
    }

    @Test func listsAndWatchEventsTakeTheSamePath() throws {
        let list = #"{"kind":"EndpointSliceList","metadata":{"resourceVersion":"9","continue":"c","remainingItemCount":4},"items":[\#(Self.fullSlice)]}"#
        let decoded = try JSONModelDecoding.decode(meta.v1.List<discovery.v1.EndpointSlice>.self, from: .init(string: list))
        let codable = try JSONDecoder().decode(meta.v1.List<discovery.v1.EndpointSlice>.self, from: Data(list.utf8))
        #expect(decoded.items == codable.items && decoded.metadata == codable.metadata)
        #expect(decoded.metadata.continue == "c" && decoded.metadata.remainingItemCount == 4)
        let empty = try JSONModelDecoding.decode(meta.v1.List<core.v1.Endpoints>.self, from: .init(string: #"{"metadata":null,"items":null}"#))
        #expect(empty.items.isEmpty)
        let event = try WatchEvent<discovery.v1.EndpointSlice>.decodedByHand(.init(string: #"{"type":"MODIFIED","object":\#(Self.fullSlice)}"#))
        guard case .modified(let object) = event else { Issue.record("not a MODIFIED event: \(String(describing: event))"); return }
        #expect(object == (try Self.byHand(discovery.v1.EndpointSlice.self, Self.fullSlice)))
        // Other event types and other models are left to Decodable.
        #expect(try WatchEvent<discovery.v1.EndpointSlice>.decodedByHand(.init(string: #"{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"5"}}}"#)) == nil)
        #expect(try WatchEvent<core.v1.Pod>.decodedByHand(.init(string: #"{"type":"ADDED","object":{"metadata":{}}}"#)) == nil)
    }

    @Test func dynamicObjectsKeepEveryMemberAsCodableDoes() throws {
        let text = #"{"apiVersion":"crd.projectcalico.org/v1","kind":"NetworkSet","metadata":{"name":"east-1","namespace":"shop","labels":{"a":"b"}},"spec":{"nets":["10.0.0.1/32","fd00::1/128"],"n":5,"x":2.5,"t":true,"z":null,"o":{"k":[]}}}"#
        let codable = try JSONDecoder().decode(DynamicObject.self, from: Data(text.utf8))
        let byHand = try Self.byHand(DynamicObject.self, text)
        #expect(byHand == codable)
        #expect(byHand["spec"]?["nets"] == ["10.0.0.1/32", "fd00::1/128"])
        #expect(try JSONValue(parsing: JSONWriter.bytes(byHand.json)) == JSONValue(parsing: Array(text.utf8)))
        #expect(try Self.byHand(DynamicObject.self, #"{"kind":"X"}"#).metadata == meta.v1.ObjectMeta())
    }

    @Test func wrongShapesNameTheMember() {
        let cases: [(String, JSONShapeError)] = [
            (#"{"metadata":{"name":5},"addressType":"IPv4"}"#, JSONShapeError(field: "metadata.name", expected: "a string")),
            (#"{"metadata":{},"endpoints":[]}"#, JSONShapeError(field: "addressType", expected: "a string")),
            (#"{"metadata":{},"addressType":"IPv4","endpoints":[{"addresses":"10.0.0.1"}]}"#,
             JSONShapeError(field: "endpoints[].addresses", expected: "an array of strings")),
            (#"{"metadata":{},"addressType":"IPv4","ports":[{"port":3000000000}]}"#, JSONShapeError(field: "ports[].port", expected: "an integer that fits Int32")),
            (#"{"metadata":{"labels":{"a":1}},"addressType":"IPv4"}"#, JSONShapeError(field: "metadata.labels.a", expected: "a string")),
            (#"[]"#, JSONShapeError(field: "(document)", expected: "an object")),
        ]
        for (text, expected) in cases {
            #expect(throws: expected, "\(text)") { try Self.byHand(discovery.v1.EndpointSlice.self, text) }
        }
    }
}
