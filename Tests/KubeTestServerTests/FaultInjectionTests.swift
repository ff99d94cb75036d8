import Foundation
import KubeClient
import KubeTestServer
import Synchronization
import Testing

/// What tests ask of the server to make clients' lives hard: failures, latency, pauses, restarts, lost data.
@Suite("Fault injection and restarts", .timeLimit(.minutes(2)))
struct FaultInjectionTests {
    static let path = "/api/v1/namespaces/default/configmaps"

    @Test func failsTheNextRequestsWithRetryAfter() async throws {
        try await withKubeTestServer(tls: false) { server in
            server.faults.failNext(2, code: 429, retryAfterSeconds: 3)
            let first = try await RawHTTP.send(server, .GET, Self.path)
            #expect(first.status == 429)
            #expect(first.headers.first(name: "Retry-After") == "3")
            #expect(first.json["reason"] == "TooManyRequests")
            #expect(first.json["details"]?["retryAfterSeconds"] == 3)
            #expect(try await RawHTTP.send(server, .GET, Self.path).status == 429)
            #expect(try await RawHTTP.send(server, .GET, Self.path).status == 200)

            server.faults.failNext(1, code: 503)
            let unavailable = try await RawHTTP.send(server, .GET, Self.path)
            #expect(unavailable.status == 503)
            #expect(unavailable.json["reason"] == "ServiceUnavailable")
        }
    }

    @Test func latencyAndPauseHoldRequests() async throws {
        try await withKubeTestServer(tls: false) { server in
            let clock = ContinuousClock()
            server.faults.setLatency(.milliseconds(300))
            let started = clock.now
            _ = try await RawHTTP.send(server, .GET, Self.path)
            #expect(clock.now - started >= .milliseconds(300))
            server.faults.setLatency(.zero)

            server.faults.pause()
            let answered = Atomic(false)
            let request = Task {
                let response = try await RawHTTP.send(server, .GET, Self.path)
                answered.store(true, ordering: .sequentiallyConsistent)
                return response.status
            }
            try await Task.sleep(for: .milliseconds(300))
            let answeredWhilePaused = answered.load(ordering: .sequentiallyConsistent)
            #expect(!answeredWhilePaused, "a paused server answers nothing")
            server.faults.resume()
            #expect(try await request.value == 200)
        }
    }

    @Test func restartKeepsOrDropsData() async throws {
        try await withKubeTestServer(tls: false) { server in
            let port = server.port
            _ = try await RawHTTP.send(server, .POST, Self.path, json: APIServerTests.configMap("kept"))
            try await server.restart()
            #expect(server.port == port)
            #expect(try await RawHTTP.send(server, .GET, Self.path + "/kept").status == 200)

            try await server.restart(keepingData: false)
            #expect(try await RawHTTP.send(server, .GET, Self.path + "/kept").status == 404)
            #expect(try await RawHTTP.send(server, .GET, "/api/v1/namespaces/default").status == 200, "a new cluster's namespaces exist")
        }
    }

    @Test func dataDirectoryCarriesObjectsAndCertificatesAcrossServers() async throws {
        let path = NSTemporaryDirectory() + "kube-test-server-data-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try KubeTestServer(name: "durable", dataDirectory: try DataDirectory(path: path))
        try await first.start()
        let client = try first.client()
        _ = try await client.resource(apiextensions.v1.CustomResourceDefinition.self)
            .create(try Fixtures.widgetCRD.decoded(as: apiextensions.v1.CustomResourceDefinition.self))
        let widgets = client.dynamic(Resource(group: "example.com", version: "v1", plural: "widgets", kind: "Widget", namespaced: true), namespace: "default")
        _ = try await widgets.create(try Fixtures.widget("saved", size: 2).decoded(as: DynamicObject.self))
        let revision = await first.cluster.revision
        await first.stop()

        let second = try KubeTestServer(name: "durable", dataDirectory: try DataDirectory(path: path))
        try await second.start()
        defer { Task { await second.stop() } }
        #expect(second.pki?.caCertificatePEM == first.pki?.caCertificatePEM, "old kubeconfigs keep working")
        let again = try second.client().dynamic(Resource(group: "example.com", version: "v1", plural: "widgets", kind: "Widget", namespaced: true), namespace: "default")
        let saved = try await again.get("saved")
        #expect(saved.metadata.name == "saved")
        #expect(await second.cluster.revision >= revision, "resourceVersions never go back")
        await second.stop()
    }
}

extension JSONValue {
    /// This value decoded as a model.
    func decoded<T: Decodable>(as type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: JSONEncoder().encode(self))
    }
}
