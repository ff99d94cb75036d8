import Foundation
import KubeClient
import KubeTestServer
import Testing

@Suite("Resource catalog", .timeLimit(.minutes(2)))
struct CatalogTests {
    @Test func builtInsAreUniqueAndStorable() throws {
        let keys = BuiltInResources.all.map { "\($0.apiVersion)/\($0.plural)" }
        #expect(Set(keys).count == keys.count)
        var store = ObjectStore()
        for resource in BuiltInResources.all { store.register(resource.storedKind) }
        _ = try store.create(ObjectStore.namespaces, namespace: "", object: ["metadata": ["name": "default"]])
        let service = try store.create(GroupResource(group: "", plural: "services"), namespace: "default", object: ["metadata": ["name": "web"]])
        #expect(service["metadata"]?["namespace"] == "default")
        // Services take RFC 1035 labels: no leading digit.
        #expect(throws: StoreError.self) {
            try store.create(GroupResource(group: "", plural: "services"), namespace: "default", object: ["metadata": ["name": "1web"]])
        }
        #expect(throws: StoreError.self) { try store.create(ObjectStore.namespaces, namespace: "", object: ["metadata": ["name": "a.b"]]) }
    }

    @Test func customResourceDefinitionsServeTheirVersions() throws {
        let crd = try JSONDecoder().decode(apiextensions.v1.CustomResourceDefinition.self, from: Data(#"""
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
         "metadata":{"name":"remoteclusterconfigurations.projectcalico.org"},
         "spec":{"group":"projectcalico.org","scope":"Cluster",
                 "names":{"plural":"remoteclusterconfigurations","singular":"remoteclusterconfiguration","kind":"RemoteClusterConfiguration","shortNames":["rcc"]},
                 "versions":[{"name":"v3","served":true,"storage":true,"subresources":{"status":{}}},
                             {"name":"v2","served":false,"storage":false}]}}
        """#.utf8))
        let served = ServedResource.served(by: crd)
        #expect(served.count == 1)
        let rcc = try #require(served.first)
        #expect(rcc.apiVersion == "projectcalico.org/v3" && rcc.shortNames == ["rcc"] && !rcc.namespaced && rcc.hasStatusSubresource)
        #expect(rcc.groupResource.description == "remoteclusterconfigurations.projectcalico.org")
    }
}
