import Foundation
import KubeClient
import KubeRuntime
import KubeTestServer
import NIOHTTP1
import Synchronization
import Testing

/// The informer against a real (test) API server: sync, events, dropped watches and forced 410 Gone.
@Suite("Informer", .timeLimit(.minutes(2)))
struct InformerTests {
    /// The projection cached: a service account's name and labels.
    struct Account: Sendable, Equatable {
        var name: String
        var labels: [String: String]
    }

    static func makeInformer(_ server: KubeTestServer) throws -> (Informer<core.v1.ServiceAccount, Account>, ResourceClient<core.v1.ServiceAccount>) {
        let client = try server.client().resource(core.v1.ServiceAccount.self, namespace: "default")
        let informer = Informer(client: client, options: .init(pageSize: 2, backoff: Backoff(initial: .milliseconds(20), maximum: .milliseconds(100))),
                                indexes: ["app": { [$0.labels["app"]].compactMap { $0 } }]) { account in
            Account(name: account.metadata.name ?? "", labels: account.metadata.labels ?? [:])
        }
        return (informer, client)
    }

    static func account(_ name: String, app: String) -> core.v1.ServiceAccount {
        core.v1.ServiceAccount(metadata: .init(name: name, namespace: "default", labels: ["app": app]))
    }

    /// Collects events until `predicate` holds for what was collected (or 10 s pass).
    final class Recorder: Sendable {
        let events = Mutex<[String]>([])
        func record(_ event: InformerEvent<Account>) {
            let text: String = switch event {
            case .added(let key, let object): "added \(key) \(object.labels["app"] ?? "")"
            case .updated(let key, _, let new): "updated \(key) \(new.labels["app"] ?? "")"
            case .deleted(let key, _): "deleted \(key)"
            case .synced: "synced"
            case .resync(let key, _): "resync \(key)"
            case .recovering(let error): "recovering \((error as? KubeAPIError)?.code ?? 0)"
            case .recovered: "recovered"
            }
            events.withLock { $0.append(text) }
        }
        func waitFor(_ predicate: ([String]) -> Bool) async -> [String] {
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline {
                let seen = events.withLock { $0 }
                if predicate(seen) { return seen }
                try? await Task.sleep(for: .milliseconds(20))
            }
            return events.withLock { $0 }
        }
        func clear() { events.withLock { $0.removeAll() } }

        /// Runs `informer` with a new recorder consuming its events.
        static func start(_ informer: Informer<core.v1.ServiceAccount, Account>) -> (Recorder, Running) {
            let recorder = Recorder()
            let run = Task { await informer.run() }
            let consume = Task { for await event in informer.events { recorder.record(event) } }
            return (recorder, Running(run: run, consume: consume))
        }
    }

    /// A running informer and its consumer.
    struct Running {
        let run: Task<Void, Never>
        let consume: Task<Void, Never>

        /// Cancels the informer and waits until it and its consumer finished.
        func stop() async {
            run.cancel()
            await run.value
            await consume.value
        }
    }

    static let accounts = "/api/v1/namespaces/default/serviceaccounts"

    /// Writes to the cluster directly as the admin, bypassing HTTP (and its faults and dropped connections).
    static func write(_ server: KubeTestServer, _ method: HTTPMethod, _ target: String, _ body: String) async throws {
        var headers = HTTPHeaders()
        if method == .PATCH { headers.add(name: "Content-Type", value: "application/merge-patch+json") }
        let request = APIRequest(method: method, target: target, headers: headers, body: Array(body.utf8), certificateUser: .admin)
        let response = await server.cluster.respond(to: request, serverAddress: "direct")
        #expect(response.status < 300, "\(method) \(target): \(String(decoding: response.bodyBytes, as: UTF8.self))")
    }

    func serverNames(_ client: ResourceClient<core.v1.ServiceAccount>) async throws -> Set<String> {
        Set(try await client.listAll().items.compactMap(\.metadata.name))
    }

    @Test func syncsThenFollowsChangesAndIndexes() async throws {
        try await withKubeTestServer { server in
            let (informer, client) = try Self.makeInformer(server)
            for name in ["a", "b", "c"] { _ = try await client.create(Self.account(name, app: "one")) }
            let (recorder, running) = Recorder.start(informer)
            await informer.waitUntilSynced()
            #expect(informer.cache.count == 3, "three pages of two were listed")
            _ = try await client.patch("a", try .merge(["metadata": ["labels": ["app": "two"]]]))
            _ = try await client.patch("b", try .merge(["metadata": ["annotations": ["unprojected": "x"]]]))
            try await client.delete("c")
            let events = await recorder.waitFor { $0.contains("deleted default/c") }
            #expect(events == ["added default/a one", "added default/b one", "added default/c one", "synced", "updated default/a two", "deleted default/c"],
                    "the annotation change left the projection equal, so it is not an update")
            #expect(Set(informer.cache.objects(index: "app", value: "two").map(\.name)) == ["a"])
            #expect(Set(informer.cache.objects(index: "app", value: "one").map(\.name)) == ["b"])
            await running.stop()
        }
    }

    @Test func resyncSendsEveryCachedObjectAgain() async throws {
        try await withKubeTestServer { server in
            let client = try server.client().resource(core.v1.ServiceAccount.self, namespace: "default")
            _ = try await client.create(Self.account("only", app: "x"))
            let informer = Informer(client: client, options: .init(resyncPeriod: .milliseconds(100))) { account in
                Account(name: account.metadata.name ?? "", labels: account.metadata.labels ?? [:])
            }
            let (recorder, running) = Recorder.start(informer)
            let events = await recorder.waitFor { $0.filter { $0 == "resync default/only" }.count >= 2 }
            #expect(events.prefix(2) == ["added default/only x", "synced"])
            #expect(events.filter { $0 == "resync default/only" }.count >= 2)
            await running.stop()
        }
    }

    @Test func resumesAfterDroppedWatchesWithoutMissingChanges() async throws {
        try await withKubeTestServer { server in
            let (informer, client) = try Self.makeInformer(server)
            let (recorder, running) = Recorder.start(informer)
            await informer.waitUntilSynced()
            for round in 0..<5 {
                await server.dropConnections()
                // Written past the HTTP front door: dropping connections also breaks the test's own pooled ones.
                try await Self.write(server, .POST, Self.accounts, #"{"metadata":{"name":"r\#(round)"}}"#)
            }
            _ = await recorder.waitFor { $0.filter { $0.hasPrefix("added") }.count == 5 }
            #expect(Set(informer.cache.keys) == Set((0..<5).map { "default/r\($0)" }))
            #expect(recorder.events.withLock { $0.filter { $0.hasPrefix("added") }.count } == 5, "no object arrived twice")
            await running.stop()
        }
    }

    @Test func reportsFailuresAndTheRecoveryThatFollows() async throws {
        try await withKubeTestServer { server in
            await server.cluster.addUser(UserInfo(name: "late"), token: "late-token")
            let client = try server.client(user: UserInfo(name: "late"), token: "late-token")
                .resource(core.v1.ServiceAccount.self, namespace: "default")
            let informer = Informer(client: client, options: .init(backoff: Backoff(initial: .milliseconds(20), maximum: .milliseconds(50)))) { account in
                Account(name: account.metadata.name ?? "", labels: account.metadata.labels ?? [:])
            }
            let (recorder, running) = Recorder.start(informer)
            _ = await recorder.waitFor { $0.contains("recovering 403") }
            #expect(!informer.hasSynced)
            await server.cluster.addUser(UserInfo(name: "late"), token: "late-token",
                                         rules: [AccessRule(verbs: ["list", "watch"], apiGroups: [""], resources: ["serviceaccounts"])])
            let events = await recorder.waitFor { $0.contains("recovered") }
            #expect(events.filter { $0 != "recovering 403" } == ["synced", "recovered"])
            await running.stop()
        }
    }

    @Test func relistsAfterGoneAndEmitsExactlyTheDifferences() async throws {
        try await withKubeTestServer { server in
            let (informer, client) = try Self.makeInformer(server)
            for name in ["keep", "change", "remove"] { _ = try await client.create(Self.account(name, app: "old")) }
            let (recorder, running) = Recorder.start(informer)
            await informer.waitUntilSynced()
            recorder.clear()

            // While the informer is cut off (requests held, watch dropped), things change behind the HTTP front
            // door and the server forgets its history: the informer's resume gets 410 Gone.
            server.faults.pause()
            await server.dropConnections()
            try await Self.write(server, .PATCH, Self.accounts + "/change", #"{"metadata":{"labels":{"app":"new"}}}"#)
            try await Self.write(server, .DELETE, Self.accounts + "/remove", "")
            try await Self.write(server, .POST, Self.accounts, #"{"metadata":{"name":"added","labels":{"app":"new"}}}"#)
            await server.cluster.compactHistory()
            server.faults.resume()

            let events = await recorder.waitFor { $0.count >= 3 }
            #expect(Set(events) == ["updated default/change new", "deleted default/remove", "added default/added new"])
            #expect(Set(informer.cache.keys.map { String($0.dropFirst("default/".count)) }) == (try await serverNames(client)),
                    "the cache equals the server")
            await running.stop()
        }
    }
}
