import KubeClient
import KubeRuntime
import KubeTestServer
import Testing

@Suite("EventRecorder", .timeLimit(.minutes(2)))
struct EventRecorderTests {
    static let rcc = core.v1.ObjectReference(apiVersion: "projectcalico.org/v3", kind: "RemoteClusterConfiguration", name: "cluster-b", uid: "u-1")

    @Test func repeatsAggregateIntoOneSeries() async throws {
        try await withKubeTestServer { server in
            let client = try server.client()
            let recorder = EventRecorder(client: client, configuration: .init(reportingController: "federation-operator", reportingInstance: "pod-0"))
            for _ in 0..<3 {
                await recorder.record(.warning, reason: "ConnectionFailed", action: "Connect", note: "dial tcp 10.0.0.1:6443: connection refused", regarding: Self.rcc)
            }
            await recorder.record(.normal, reason: "InSync", action: "Sync", note: "42 endpoints", regarding: Self.rcc)
            let list = try await client.resource(events.v1.Event.self, namespace: "default").list()
            #expect(list.items.count == 2)
            let failed = list.items.first { $0.reason == "ConnectionFailed" }
            #expect(failed?.series?.count == 3)
            #expect(failed?.type == "Warning")
            #expect(failed?.regarding?.name == "cluster-b")
            #expect(failed?.reportingController == "federation-operator")
            #expect(list.items.first { $0.reason == "InSync" }?.series == nil)
        }
    }

    @Test func newEventsPerObjectAreRateLimited() async throws {
        try await withKubeTestServer { server in
            let client = try server.client()
            let recorder = EventRecorder(client: client, configuration: .init(
                reportingController: "federation-operator", reportingInstance: "pod-0", burst: 3, refill: .seconds(3600)))
            for attempt in 0..<5 {
                await recorder.record(.warning, reason: "Failed\(attempt)", action: "Sync", note: "n", regarding: Self.rcc)
            }
            let other = core.v1.ObjectReference(kind: "RemoteClusterConfiguration", name: "cluster-c", uid: "u-2")
            await recorder.record(.normal, reason: "InSync", action: "Sync", note: "n", regarding: other)
            let list = try await client.resource(events.v1.Event.self, namespace: "default").list()
            #expect(list.items.filter { $0.regarding?.name == "cluster-b" }.count == 3)
            #expect(list.items.filter { $0.regarding?.name == "cluster-c" }.count == 1, "the budget is per object")
            #expect(await recorder.dropped == 2)
        }
    }
}
