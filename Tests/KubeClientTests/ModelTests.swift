import Foundation
import Testing

@testable import KubeClient

@Suite("Models decode what kube-apiserver sends")
struct ModelTests {
    @Test func jsonValueKeepsEveryType() throws {
        let text = #"{"a":null,"b":"s","c":{"d":[1,2.5,true,"x",[]]},"e":-3,"f":{}}"#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(value == ["a": nil, "b": "s", "c": ["d": [1, 2.5, true, "x", []]], "e": -3, "f": [:]])
        let encoded = try JSONCoding.encoder.encode(value)
        #expect(String(decoding: encoded, as: UTF8.self) == text)
    }

    @Test func secretDataIsBase64AndBadDataIsReported() throws {
        let secret = try JSONDecoder().decode(
            core.v1.Secret.self,
            from: Data(#"{"metadata":{"name":"remote"},"type":"Opaque","data":{"datastoreType":"a3ViZXJuZXRlcw=="}}"#.utf8))
        #expect(secret.string("datastoreType") == "kubernetes")
        let round = try JSONDecoder().decode(core.v1.Secret.self, from: try JSONCoding.encoder.encode(secret))
        #expect(round == secret)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(core.v1.Secret.self, from: Data(#"{"metadata":{},"data":{"k":"%%"}}"#.utf8))
        }
    }

    @Test func nullCollectionsDecodeAsEmpty() throws {
        let slice = try JSONDecoder().decode(
            discovery.v1.EndpointSlice.self,
            from: Data(#"{"metadata":{"name":"s"},"addressType":"IPv4","endpoints":null}"#.utf8))
        #expect(slice.endpoints.isEmpty)
        let list = try JSONDecoder().decode(
            meta.v1.List<core.v1.Service>.self, from: Data(#"{"metadata":{"resourceVersion":"3"},"items":null}"#.utf8))
        #expect(list.items.isEmpty && list.metadata.resourceVersion == "3")
    }

    @Test func servicePortsAcceptNumberOrNameTargets() throws {
        let service = try JSONDecoder().decode(
            core.v1.Service.self,
            from: Data(#"{"metadata":{"name":"s","namespace":"n"},"spec":{"ports":[{"name":"http","port":80,"targetPort":8080},{"port":443,"targetPort":"https","protocol":"TCP"}]}}"#.utf8))
        #expect(service.spec?.ports?.map(\.targetPort) == [.int(8080), .string("https")])
        #expect(service.key == "n/s")
    }

    @Test func microTimeHasSixFractionDigits() {
        let date = Date(timeIntervalSince1970: 1_700_000_000.25)
        #expect(RFC3339.formatMicro(date) == "2023-11-14T22:13:20.250000Z")
        #expect(RFC3339.parse("2023-11-14T22:13:20Z") == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(RFC3339.parse("yesterday") == nil)
    }
}
