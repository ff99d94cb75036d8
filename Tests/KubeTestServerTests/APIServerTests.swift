import Foundation
import KubeClient
import KubeTestServer
import NIOHTTP1
import Testing

/// The REST protocol on the wire, over plain HTTP with bearer tokens: status codes, Status bodies, watch framing.
@Suite("API server over HTTP", .timeLimit(.minutes(2)))
struct APIServerTests {
    static func configMap(_ name: String, labels: [String: String] = [:]) -> JSONValue {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "labels": .object(labels.mapValues(JSONValue.string))],
         "data": ["k": "v"]]
    }

    static let configMaps = "/api/v1/namespaces/default/configmaps"

    @Test func createGetListAndConflicts() async throws {
        try await withKubeTestServer(tls: false) { server in
            let created = try await RawHTTP.send(server, .POST, Self.configMaps, json: Self.configMap("a", labels: ["app": "x"]))
            #expect(created.status == 201)
            #expect(created.json["metadata"]?["namespace"] == "default")
            let version = try #require(created.json["metadata"]?["resourceVersion"]?.stringValue)

            let again = try await RawHTTP.send(server, .POST, Self.configMaps, json: Self.configMap("a"))
            #expect(again.status == 409)
            #expect(again.json["reason"] == "AlreadyExists")
            #expect(again.json["message"] == "configmaps \"a\" already exists")

            _ = try await RawHTTP.send(server, .POST, Self.configMaps, json: Self.configMap("b", labels: ["app": "y"]))
            let list = try await RawHTTP.send(server, .GET, Self.configMaps + "?labelSelector=app%3Dx")
            #expect(list.json["kind"] == "ConfigMapList")
            #expect(list.json["items"]?.arrayValue?.compactMap { $0["metadata"]?["name"]?.stringValue } == ["a"])

            var stale = created.json
            stale["data"] = ["k": "w"]
            _ = try await RawHTTP.send(server, .PUT, Self.configMaps + "/a", json: stale)
            let conflict = try await RawHTTP.send(server, .PUT, Self.configMaps + "/a", json: stale)
            #expect(conflict.status == 409)
            #expect(conflict.json["reason"] == "Conflict")
            #expect(stale["metadata"]?["resourceVersion"]?.stringValue == version)

            let missing = try await RawHTTP.send(server, .GET, Self.configMaps + "/nope")
            #expect(missing.status == 404)
            #expect(missing.json["message"] == "configmaps \"nope\" not found")
        }
    }

    @Test func badInputGetsStatusNamingTheProblem() async throws {
        try await withKubeTestServer(tls: false) { server in
            let malformed = try await RawHTTP.send(server, .POST, Self.configMaps, body: Array("{\"metadata\": ".utf8))
            #expect(malformed.status == 400)
            #expect(malformed.json["kind"] == "Status")
            #expect(malformed.json["message"]?.stringValue?.hasPrefix("the body of the request was in an unknown format") == true)

            let badName = try await RawHTTP.send(server, .POST, Self.configMaps, json: Self.configMap("Bad_Name"))
            #expect(badName.status == 422)
            #expect(badName.json["details"]?["causes"]?[0]?["field"] == "metadata.name")

            let wrongKind = try await RawHTTP.send(server, .POST, Self.configMaps, json: ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "s"]])
            #expect(wrongKind.status == 400)
            #expect(wrongKind.json["message"] == "the kind in the data (Secret) does not match the expected kind (ConfigMap)")

            let unknown = try await RawHTTP.send(server, .GET, "/apis/example.com/v1/widgets")
            #expect(unknown.status == 404)

            let huge = try await RawHTTP.send(server, .POST, Self.configMaps, body: Array(repeating: UInt8(ascii: " "), count: 3 * 1024 * 1024 + 1))
            #expect(huge.status == 413)
            #expect(huge.json["message"] == "Request entity too large: limit is 3145728")

            let list = try await RawHTTP.send(server, .GET, Self.configMaps)
            #expect(list.json["items"]?.arrayValue?.isEmpty == true, "no failed request stored anything")
        }
    }

    @Test func authenticationAndAuthorization() async throws {
        try await withKubeTestServer(tls: false) { server in
            await server.cluster.addUser(UserInfo(name: "alice"), token: "alice-token",
                                         rules: [AccessRule(verbs: ["get", "list"], apiGroups: [""], resources: ["configmaps"], namespaces: ["default"])])
            let anonymous = try await RawHTTP.send(server, .GET, Self.configMaps, token: "")
            #expect(anonymous.status == 401)
            let unknown = try await RawHTTP.send(server, .GET, Self.configMaps, token: "nobody")
            #expect(unknown.status == 401)
            #expect(unknown.json["reason"] == "Unauthorized")

            let allowed = try await RawHTTP.send(server, .GET, Self.configMaps, token: "alice-token")
            #expect(allowed.status == 200)
            let forbidden = try await RawHTTP.send(server, .POST, Self.configMaps, json: Self.configMap("a"), token: "alice-token")
            #expect(forbidden.status == 403)
            #expect(forbidden.json["message"] == "configmaps is forbidden: User \"alice\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"default\"")
            let otherNamespace = try await RawHTTP.send(server, .GET, "/api/v1/namespaces/kube-system/configmaps/x", token: "alice-token")
            #expect(otherNamespace.json["message"] == "configmaps \"x\" is forbidden: User \"alice\" cannot get resource \"configmaps\" in API group \"\" in the namespace \"kube-system\"")
        }
    }

    @Test func discoveryListsBuiltInsAndCRDs() async throws {
        try await withKubeTestServer(tls: false) { server in
            let version = try await RawHTTP.send(server, .GET, "/version")
            #expect(version.json["gitVersion"]?.stringValue?.hasPrefix("v1.32.") == true)
            let core = try await RawHTTP.send(server, .GET, "/api/v1")
            let pods = core.json["resources"]?.arrayValue?.first { $0["name"] == "pods" }
            #expect(pods?["shortNames"] == ["po"])
            #expect(core.json["resources"]?.arrayValue?.contains { $0["name"] == "pods/status" } == true)

            let crd = try await RawHTTP.send(server, .POST, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", json: Fixtures.widgetCRD)
            #expect(crd.status == 201)
            let groups = try await RawHTTP.send(server, .GET, "/apis")
            #expect(groups.json["groups"]?.arrayValue?.contains { $0["name"] == "example.com" } == true)
            let widgets = try await RawHTTP.send(server, .GET, "/apis/example.com/v1")
            #expect(widgets.json["resources"]?[0]?["shortNames"] == ["wd"])
            let established = try await RawHTTP.send(server, .GET, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com")
            #expect(established.json["status"]?["conditions"]?.arrayValue?.contains { $0["type"] == "Established" && $0["status"] == "True" } == true)

            _ = try await RawHTTP.send(server, .POST, "/apis/example.com/v1/namespaces/default/widgets", json: Fixtures.widget("w1", size: 3))
            _ = try await RawHTTP.send(server, .DELETE, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com")
            let gone = try await RawHTTP.send(server, .GET, "/apis/example.com/v1/namespaces/default/widgets")
            #expect(gone.status == 404, "deleting the CRD stops serving its resource")
            let after = try await RawHTTP.send(server, .GET, "/apis")
            #expect(after.json["groups"]?.arrayValue?.contains { $0["name"] == "example.com" } == false)
        }
    }

    @Test func tablesUsePrinterColumns() async throws {
        try await withKubeTestServer(tls: false) { server in
            _ = try await RawHTTP.send(server, .POST, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", json: Fixtures.widgetCRD)
            _ = try await RawHTTP.send(server, .POST, "/apis/example.com/v1/namespaces/default/widgets", json: Fixtures.widget("w1", size: 3))
            let table = try await RawHTTP.send(server, .GET, "/apis/example.com/v1/namespaces/default/widgets",
                                               accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
            #expect(table.json["kind"] == "Table")
            #expect(table.json["columnDefinitions"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["Name", "Size", "Phase", "Age"])
            let cells = table.json["rows"]?[0]?["cells"]?.arrayValue
            #expect(cells?.prefix(3) == ["w1", 3, nil])
            #expect(cells?.last?.stringValue?.hasSuffix("s") == true)
            #expect(table.json["rows"]?[0]?["object"]?["kind"] == "PartialObjectMetadata")
        }
    }

    @Test func patchesOfEveryKind() async throws {
        try await withKubeTestServer(tls: false) { server in
            let pod: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p"],
                                  "spec": ["containers": [["name": "a", "image": "one"], ["name": "b", "image": "two"]]]]
            _ = try await RawHTTP.send(server, .POST, "/api/v1/namespaces/default/pods", json: pod)
            let path = "/api/v1/namespaces/default/pods/p"
            let strategic = try await RawHTTP.send(server, .PATCH, path, json: ["spec": ["containers": [["name": "b", "image": "three"]]]],
                                                   contentType: "application/strategic-merge-patch+json")
            #expect(strategic.json["spec"]?["containers"] == [["name": "a", "image": "one"], ["name": "b", "image": "three"]])
            let merge = try await RawHTTP.send(server, .PATCH, path, json: ["metadata": ["labels": ["x": "y"]]],
                                               contentType: "application/merge-patch+json")
            #expect(merge.json["metadata"]?["labels"] == ["x": "y"])
            let jsonPatch = try await RawHTTP.send(server, .PATCH, path, json: [["op": "test", "path": "/metadata/labels/x", "value": "z"]],
                                                   contentType: "application/json-patch+json")
            #expect(jsonPatch.status == 422)
            let status = try await RawHTTP.send(server, .PATCH, path + "/status", json: ["status": ["phase": "Running"], "spec": ["nodeName": "n"]],
                                                contentType: "application/merge-patch+json")
            #expect(status.json["status"]?["phase"] == "Running")
            #expect(status.json["spec"]?["nodeName"] == nil, "the status subresource ignores spec")

            _ = try await RawHTTP.send(server, .POST, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", json: Fixtures.widgetCRD)
            _ = try await RawHTTP.send(server, .POST, "/apis/example.com/v1/namespaces/default/widgets", json: Fixtures.widget("w", size: 1))
            let notForCRDs = try await RawHTTP.send(server, .PATCH, "/apis/example.com/v1/namespaces/default/widgets/w", json: ["spec": ["size": 2]],
                                                    contentType: "application/strategic-merge-patch+json")
            #expect(notForCRDs.status == 415)
            let applied = try await RawHTTP.send(server, .PATCH, "/apis/example.com/v1/namespaces/default/widgets/new?fieldManager=test",
                                                 body: Array("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: new\nspec:\n  size: 4\n".utf8),
                                                 contentType: "application/apply-patch+yaml")
            #expect(applied.status == 201)
            #expect(applied.json["spec"]?["size"] == 4)
        }
    }
}
