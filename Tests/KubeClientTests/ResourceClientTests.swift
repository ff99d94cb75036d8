import Foundation
import Testing

@testable import KubeClient
import KubeTestServer

/// Exact request shapes of every verb, and watch streaming, against a scripted server (L1).
@Suite("Resource verbs and watch streams", .timeLimit(.minutes(1)))
struct ResourceClientTests {
    let pki: TestPKI

    init() throws { pki = try TestPKI() }

    func server(script: @escaping ScriptedHTTPServer.Script) async throws -> ScriptedHTTPServer {
        try await ScriptedHTTPServer(
            tls: try ScriptedHTTPServer.tls(certificatePEM: pki.serverCertificatePEM, keyPEM: pki.serverKeyPEM),
            script: script)
    }

    static let podJSON = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"ns","resourceVersion":"5","labels":{"app":"web"}},"spec":{"nodeName":"n1","containers":[{"name":"c","image":"nginx"}]},"status":{"phase":"Running","podIPs":[{"ip":"10.0.0.7"}]}}"#

    @Test func writesSendTheRightMethodPathQueryAndBody() async throws {
        let server = try await server { request in
            if request.method == "DELETE" && request.path.hasSuffix("/gone") {
                return .full(status: 200, body: #"{"kind":"Status","apiVersion":"v1","status":"Success"}"#)
            }
            return .full(status: request.method == "POST" ? 201 : 200, body: Self.podJSON)
        }
        defer { Task { try await server.shutdown() } }
        let pods = try client(for: server, pki: pki).resource(core.v1.Pod.self, namespace: "ns")
        let pod = core.v1.Pod(metadata: .init(name: "web", labels: ["app": "web"], resourceVersion: "5"))

        let created = try await pods.create(pod, options: WriteOptions(dryRun: true))
        #expect(created.status?.podIPs?.first?.ip == "10.0.0.7")
        _ = try await pods.update(pod)
        _ = try await pods.updateStatus(pod)
        _ = try await pods.patch("web", try .merge(["metadata": ["labels": ["tier": "a"]]] as JSONValue))
        _ = try await pods.patch("web", try .json([.replace("/metadata/labels/app", "api"), .remove("/metadata/labels/x")]))
        _ = try await pods.patch(
            "web", try .apply(pod), subresource: "status", options: WriteOptions(fieldManager: "federation-operator", force: true))
        let remaining = try await pods.delete(
            "web", options: DeleteOptions(propagationPolicy: .foreground, preconditions: .init(uid: "u1", resourceVersion: "5")))
        #expect(remaining?.metadata.name == "web")
        #expect(try await pods.delete("gone") == nil)

        let requests = server.requests
        let shapes = requests.map { "\($0.method) \($0.uri) \($0.header("Content-Type") ?? "-")" }
        #expect(shapes == [
            "POST /api/v1/namespaces/ns/pods?dryRun=All application/json",
            "PUT /api/v1/namespaces/ns/pods/web application/json",
            "PUT /api/v1/namespaces/ns/pods/web/status application/json",
            "PATCH /api/v1/namespaces/ns/pods/web application/merge-patch+json",
            "PATCH /api/v1/namespaces/ns/pods/web application/json-patch+json",
            "PATCH /api/v1/namespaces/ns/pods/web/status?fieldManager=federation-operator&force=true application/apply-patch+yaml",
            "DELETE /api/v1/namespaces/ns/pods/web application/json",
            "DELETE /api/v1/namespaces/ns/pods/gone application/json",
        ])
        #expect(requests[0].body.contains(#""apiVersion":"v1""#) && requests[0].body.contains(#""kind":"Pod""#))
        #expect(requests[1].body.contains(#""resourceVersion":"5""#))
        #expect(requests[3].body == #"{"metadata":{"labels":{"tier":"a"}}}"#)
        #expect(requests[4].body == #"[{"op":"replace","path":"\/metadata\/labels\/app","value":"api"},{"op":"remove","path":"\/metadata\/labels\/x"}]"#)
        #expect(requests[6].body == #"{"apiVersion":"v1","kind":"DeleteOptions","preconditions":{"resourceVersion":"5","uid":"u1"},"propagationPolicy":"Foreground"}"#)
    }

    @Test func applyWithoutFieldManagerIsRefusedLocally() async throws {
        let server = try await server { _ in .full(status: 200, body: Self.podJSON) }
        defer { Task { try await server.shutdown() } }
        let pods = try client(for: server, pki: pki).resource(core.v1.Pod.self, namespace: "ns")
        await #expect(throws: KubeClientError.self) {
            try await pods.patch("web", try .apply(core.v1.Pod(metadata: .init(name: "web"))))
        }
        #expect(server.requests.isEmpty)
    }

    @Test func namespacedWritesNeedANamespace() async throws {
        let server = try await server { _ in .full(status: 200, body: Self.podJSON) }
        defer { Task { try await server.shutdown() } }
        let pods = try client(for: server, pki: pki).resource(core.v1.Pod.self)
        await #expect(throws: KubeClientError.self) { try await pods.create(core.v1.Pod(metadata: .init(name: "x"))) }
        _ = try await pods.create(core.v1.Pod(metadata: .init(name: "x", namespace: "from-object")))
        #expect(server.requests.map(\.uri) == ["/api/v1/namespaces/from-object/pods"])
    }

    @Test func listAllFollowsContinueTokensAndQueries() async throws {
        let server = try await server { request in
            let page = request.query["continue"] == nil
                ? #"{"metadata":{"resourceVersion":"100","continue":"tok1"},"items":[{"metadata":{"name":"a","namespace":"x"}}]}"#
                : #"{"metadata":{"resourceVersion":"100"},"items":[{"metadata":{"name":"b","namespace":"y"}}]}"#
            return .full(status: 200, body: page)
        }
        defer { Task { try await server.shutdown() } }
        let pods = try client(for: server, pki: pki).resource(core.v1.Pod.self)
        let result = try await pods.listAll(
            ListOptions(labelSelector: "app in (a,b)", fieldSelector: "spec.nodeName=n1", limit: 1, resourceVersion: "0", resourceVersionMatch: .notOlderThan))
        #expect(result.items.map(\.key) == ["x/a", "y/b"])
        #expect(result.resourceVersion == "100")
        #expect(server.requests.map(\.uri) == [
            "/api/v1/pods?labelSelector=app%20in%20%28a%2Cb%29&fieldSelector=spec.nodeName%3Dn1&limit=1&resourceVersion=0&resourceVersionMatch=NotOlderThan",
            "/api/v1/pods?labelSelector=app%20in%20%28a%2Cb%29&fieldSelector=spec.nodeName%3Dn1&limit=1&continue=tok1",
        ])
    }

    @Test func errorsAreTyped() async throws {
        let server = try await server { request in
            request.method == "GET"
                ? .full(status: 404, body: statusJSON(404, "NotFound", #"pods \"x\" not found"#))
                : .full(status: 409, body: statusJSON(409, "Conflict", "the object has been modified"))
        }
        defer { Task { try await server.shutdown() } }
        let pods = try client(for: server, pki: pki).resource(core.v1.Pod.self, namespace: "ns")
        await #expect { try await pods.get("x") } throws: { ($0 as? KubeAPIError)?.isNotFound == true }
        await #expect {
            try await pods.update(core.v1.Pod(metadata: .init(name: "x")))
        } throws: { error in
            guard let error = error as? KubeAPIError else { return false }
            return error.isConflict && error.request == "PUT /api/v1/namespaces/ns/pods/x"
        }
    }

    @Test func undecodableBodyIsADecodingErrorWithTheField() async throws {
        let server = try await server { _ in .full(status: 200, body: #"{"metadata":{"name":"x"},"addressType":7,"endpoints":[]}"#) }
        defer { Task { try await server.shutdown() } }
        let slices = try client(for: server, pki: pki).resource(discovery.v1.EndpointSlice.self, namespace: "ns")
        await #expect {
            try await slices.get("x")
        } throws: { error in
            guard let error = error as? KubeClientError, case .decoding = error else { return false }
            return error.description.contains("addressType")
        }
    }

    @Test func dynamicObjectsRoundTripUnknownFields() async throws {
        let networkSet = #"{"apiVersion":"crd.projectcalico.org/v1","kind":"NetworkSet","metadata":{"name":"a","namespace":"ns"},"spec":{"nets":["10.0.0.1/32"]}}"#
        let server = try await server { _ in .full(status: 200, body: networkSet) }
        defer { Task { try await server.shutdown() } }
        let resource = Resource(group: "crd.projectcalico.org", version: "v1", plural: "networksets", kind: "NetworkSet", namespaced: true)
        let sets = try client(for: server, pki: pki).dynamic(resource, namespace: "ns")
        var object = try await sets.get("a")
        #expect(object["spec"]?["nets"] == ["10.0.0.1/32"])
        object["spec"]?["nets"] = ["10.0.0.2/32"]
        _ = try await sets.update(object)
        let sent = try #require(server.requests.last)
        #expect(sent.uri == "/apis/crd.projectcalico.org/v1/namespaces/ns/networksets/a")
        // Written by hand (JSONValueConvertible): keys sorted, slashes not escaped, as Go's encoder writes them.
        #expect(sent.body == #"{"apiVersion":"crd.projectcalico.org/v1","kind":"NetworkSet","metadata":{"name":"a","namespace":"ns"},"spec":{"nets":["10.0.0.2/32"]}}"#)
    }

    @Test func watchStreamsTypedEventsAcrossChunkBoundaries() async throws {
        let body = WatchDecodingTests.stream
        let bytes = Array(body.utf8)
        // Chunks of 37 bytes: boundaries fall inside events, inside "é", and next to newlines.
        let chunks = stride(from: 0, to: bytes.count, by: 37).map { Array(bytes[$0..<min($0 + 37, bytes.count)]) }
        let server = try await server { _ in .stream(chunks: chunks, interval: .milliseconds(1), end: true) }
        defer { Task { try await server.shutdown() } }
        let pods = try client(for: server, pki: pki).resource(core.v1.Pod.self, namespace: "ns")
        var seen: [String] = []
        for try await event in try await pods.watch(WatchOptions(resourceVersion: "9", timeoutSeconds: 30)) {
            seen.append(WatchDecodingTests.describe(event))
        }
        #expect(seen == WatchDecodingTests.expected)
        #expect(server.requests.first?.uri == "/api/v1/namespaces/ns/pods?watch=true&resourceVersion=9&allowWatchBookmarks=true&timeoutSeconds=30")
    }

    @Test func watchEventsArriveAsTheServerWritesThem() async throws {
        let events = (1...3).map {
            #"{"type":"MODIFIED","object":{"metadata":{"name":"p\#($0)","namespace":"ns"}}}"# + "\n"
        }
        // Split each event in two writes, 20 ms apart, and keep the stream open afterwards.
        let chunks = events.flatMap { [Array($0.utf8.prefix(10)), Array($0.utf8.dropFirst(10))] }
        let server = try await server { _ in .stream(chunks: chunks, interval: .milliseconds(20), end: false) }
        defer { Task { try await server.shutdown() } }
        let pods = try client(for: server, pki: pki).resource(core.v1.Pod.self, namespace: "ns")
        var iterator = try await pods.watch().makeAsyncIterator()
        for expected in ["p1", "p2", "p3"] {
            let event = try await iterator.next()
            guard case .modified(let pod) = event else {
                Issue.record("expected MODIFIED, got \(String(describing: event))")
                return
            }
            #expect(pod.metadata.name == expected)
        }
    }

    /// Plain HTTP: over TLS the client's close waits for the test server's close_notify (NIOSSL's 5 s
    /// shutdown timeout), which would measure the test server, not the client.
    @Test func cancellingTheConsumerClosesTheConnection() async throws {
        let server = try await ScriptedHTTPServer { _ in
            .stream(chunks: [Array((#"{"type":"ADDED","object":{"metadata":{"name":"a","namespace":"ns"}}}"# + "\n").utf8)], end: false)
        }
        defer { Task { try await server.shutdown() } }
        let pods = try client(for: server, pki: nil).resource(core.v1.Pod.self, namespace: "ns")
        let firstEvent = AsyncStreamBox()
        let consumer = Task {
            for try await event in try await pods.watch() {
                if case .added = event { firstEvent.signal() }
            }
            return Task.isCancelled
        }
        try await firstEvent.wait()
        #expect(server.closedConnections == 0)
        consumer.cancel()
        #expect(try await consumer.value == true)
        #expect(try await eventually { server.closedConnections == 1 })
    }

    @Test func watchThatFailsToStartThrowsTheStatus() async throws {
        let server = try await server { _ in .full(status: 410, body: statusJSON(410, "Expired", "too old resource version: 1 (50)")) }
        defer { Task { try await server.shutdown() } }
        let pods = try client(for: server, pki: pki).resource(core.v1.Pod.self)
        await #expect { try await pods.watch(WatchOptions(resourceVersion: "1")) } throws: { ($0 as? KubeAPIError)?.isGone == true }
    }
}

/// A one-shot signal between tasks.
final class AsyncStreamBox: Sendable {
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() { (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1)) }

    func signal() { continuation.yield() }

    func wait() async throws {
        for await _ in stream { return }
        throw CancellationError()
    }
}
