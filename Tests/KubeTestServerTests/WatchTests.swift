import Foundation
import KubeClient
import KubeTestServer
import Testing

/// Watches as kube-apiserver streams them, read off the wire and through KubeClient.
@Suite("Watch", .timeLimit(.minutes(2)))
struct WatchTests {
    static let configMaps = "/api/v1/namespaces/default/configmaps"

    static func create(_ server: KubeTestServer, _ name: String, labels: [String: String] = [:]) async throws -> JSONValue {
        try await RawHTTP.send(server, .POST, configMaps, json: APIServerTests.configMap(name, labels: labels)).json
    }

    @Test func streamsChangesAfterAResourceVersionAsJSONLines() async throws {
        try await withKubeTestServer(tls: false) { server in
            let first = try await Self.create(server, "a")
            let version = try #require(first["metadata"]?["resourceVersion"]?.stringValue)
            let (status, lines) = try await RawHTTP.watchLines(server, Self.configMaps + "?watch=true&resourceVersion=\(version)", count: 3) {
                _ = try await Self.create(server, "b")
                _ = try await RawHTTP.send(server, .PATCH, Self.configMaps + "/a", json: ["data": ["k": "changed"]],
                                           contentType: "application/merge-patch+json")
                _ = try await RawHTTP.send(server, .DELETE, Self.configMaps + "/b")
            }
            #expect(status == 200)
            let events = lines.map { line -> (String, String) in
                let event = (try? JSONDecoder().decode(JSONValue.self, from: Data(line.utf8))) ?? .null
                return (event["type"]?.stringValue ?? "", event["object"]?["metadata"]?["name"]?.stringValue ?? "")
            }
            #expect(events.map(\.0) == ["ADDED", "MODIFIED", "DELETED"])
            #expect(events.map(\.1) == ["b", "a", "b"])
            #expect(lines.allSatisfy { $0.hasPrefix("{\"type\":\"") && $0.hasSuffix("}") }, "one JSON object a line")
        }
    }

    @Test func watchFromNowStartsWithTheCurrentObjects() async throws {
        try await withKubeTestServer(tls: false) { server in
            _ = try await Self.create(server, "a")
            let (_, lines) = try await RawHTTP.watchLines(server, Self.configMaps + "?watch=1", count: 2) {
                _ = try await Self.create(server, "b")
            }
            #expect(lines.count == 2)
            #expect(lines[0].contains("\"ADDED\"") && lines[0].contains("\"name\":\"a\""))
            #expect(lines[1].contains("\"ADDED\"") && lines[1].contains("\"name\":\"b\""))
        }
    }

    @Test func selectorWatchSeesObjectsLeaveAndEnter() async throws {
        try await withKubeTestServer(tls: false) { server in
            let start = try #require(try await Self.create(server, "a", labels: ["app": "x"])["metadata"]?["resourceVersion"]?.stringValue)
            let (_, lines) = try await RawHTTP.watchLines(server, Self.configMaps + "?watch=true&labelSelector=app%3Dx&resourceVersion=\(start)", count: 2) {
                _ = try await RawHTTP.send(server, .PATCH, Self.configMaps + "/a", json: ["metadata": ["labels": ["app": "y"]]],
                                           contentType: "application/merge-patch+json")
                _ = try await Self.create(server, "ignored", labels: ["app": "y"])
                _ = try await RawHTTP.send(server, .PATCH, Self.configMaps + "/a", json: ["metadata": ["labels": ["app": "x"]]],
                                           contentType: "application/merge-patch+json")
            }
            #expect(lines.map { $0.contains("\"DELETED\"") } == [true, false])
            #expect(lines.last?.contains("\"ADDED\"") == true)
            #expect(!lines.joined().contains("ignored"))
        }
    }

    @Test func tooOldResourceVersionGetsAnExpiredErrorEvent() async throws {
        try await withKubeTestServer(tls: false) { server in
            let version = try #require(try await Self.create(server, "a")["metadata"]?["resourceVersion"]?.stringValue)
            _ = try await Self.create(server, "b")
            await server.cluster.compactHistory()
            let (status, lines) = try await RawHTTP.watchLines(server, Self.configMaps + "?watch=true&resourceVersion=\(version)", count: 5)
            #expect(status == 200)
            #expect(lines.count == 1, "the stream ends after the error")
            let event = try JSONDecoder().decode(JSONValue.self, from: Data(lines[0].utf8))
            #expect(event["type"] == "ERROR")
            #expect(event["object"]?["code"] == 410)
            #expect(event["object"]?["reason"] == "Expired")
        }
    }

    @Test func bookmarksCarryTheLatestResourceVersion() async throws {
        let cluster = TestCluster(bookmarkInterval: .milliseconds(100))
        try await withKubeTestServer(tls: false, cluster: cluster) { server in
            let version = try #require(try await Self.create(server, "a")["metadata"]?["resourceVersion"]?.stringValue)
            let (_, lines) = try await RawHTTP.watchLines(server, Self.configMaps + "?watch=true&allowWatchBookmarks=true&resourceVersion=\(version)", count: 1)
            let event = try JSONDecoder().decode(JSONValue.self, from: Data(lines[0].utf8))
            #expect(event["type"] == "BOOKMARK")
            #expect(event["object"]?["kind"] == "ConfigMap")
            #expect(event["object"]?["metadata"]?["resourceVersion"]?.stringValue == version)
        }
    }

    @Test func timeoutSecondsAndDroppedConnectionsEndWatches() async throws {
        try await withKubeTestServer(tls: false) { server in
            let clock = ContinuousClock()
            let started = clock.now
            let (_, lines) = try await RawHTTP.watchLines(server, Self.configMaps + "?watch=true&timeoutSeconds=1", count: 1)
            #expect(lines.isEmpty)
            #expect(clock.now - started >= .seconds(1))

            // Dropped connections end the stream, cleanly or mid-chunk as a real server's restart does; either way the
            // watch returns long before its 30-minute default timeout.
            let dropped = clock.now
            let ended = try? await RawHTTP.watchLines(server, Self.configMaps + "?watch=true", count: 1) {
                Task {
                    try await Task.sleep(for: .milliseconds(200))
                    await server.dropConnections()
                }
            }
            #expect(ended?.lines.isEmpty ?? true)
            #expect(clock.now - dropped < .seconds(5))
        }
    }

    @Test func kubeClientWatchesOverTLSWithAClientCertificate() async throws {
        try await withKubeTestServer { server in
            let client = try server.client()
            let accounts = client.resource(core.v1.ServiceAccount.self, namespace: "default")
            let list = try await accounts.list()
            let stream = try await accounts.watch(WatchOptions(resourceVersion: list.metadata.resourceVersion, timeoutSeconds: 5))
            _ = try await accounts.create(core.v1.ServiceAccount(metadata: .init(name: "from-client")))
            var names: [String] = []
            for try await event in stream {
                if case .added(let object) = event { names.append(object.metadata.name ?? "") }
                break
            }
            #expect(names == ["from-client"])
        }
    }
}
