import AsyncHTTPClient
import Foundation
import KubeClient
import KubeTestServer
import NIOCore
import NIOHTTP1

/// KubeTestServer (issue 8) over loopback HTTP: creating, listing and watching 100,000 pods, memory per object,
/// and the time from a write to its watch event.
func runServerBenchmarks() async throws {
    let podCount = 100_000
    let namespaces = 50
    let server = try KubeTestServer(name: "bench", tls: false)
    try await server.start()
    let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(connectionPool: .init(idleTimeout: .seconds(60))))
    let client = LoopbackClient(http: http, server: server)

    for index in 0..<namespaces {
        _ = try await client.send(.POST, "/api/v1/namespaces", body: Array(#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team-\#(index)"}}"#.utf8))
    }
    let bodies = (0..<podCount).map { Array(podJSON($0).replacingOccurrences(of: #""resourceVersion":"\#(100000 + $0)","#, with: "").utf8) }
    let averageBody = bodies.reduce(0) { $0 + $1.count } / podCount
    let rssBefore = currentRSSMiB()

    // 1. Creates: 8 concurrent clients, each POSTing its share.
    let clients = 8
    let createStart = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for first in 0..<clients {
            group.addTask {
                for index in stride(from: first, to: podCount, by: clients) {
                    let (status, _) = try await client.send(.POST, "/api/v1/namespaces/team-\(index % namespaces)/pods", body: bodies[index])
                    precondition(status == 201, "create failed with \(status)")
                }
            }
        }
        try await group.waitForAll()
    }
    let createTime = ContinuousClock.now - createStart
    let rssAfter = currentRSSMiB()

    // 2. List all pods across namespaces, bytes received by the client.
    var listBytes = 0
    let listTime = try await medianAsync(runs: 3) {
        let (status, bytes) = try await client.send(.GET, "/api/v1/pods")
        precondition(status == 200)
        listBytes = bytes
    }
    let pageTime = try await medianAsync(runs: 5) { _ = try await client.send(.GET, "/api/v1/pods?limit=500") }

    // 3. Watch delivery: one watch, 2,000 sequential label patches, each timed from just before the PATCH is sent
    //    until its event line arrives.
    let latencies = try await watchDeliveryLatencies(client, count: 2_000)

    print("average pod body: \(averageBody) bytes; \(podCount) pods in \(namespaces) namespaces")
    print("| measure | result |")
    print("|---|---|")
    print("| create \(podCount) pods over HTTP, \(clients) clients | \(String(format: "%.1f", createTime.seconds)) s, \(String(format: "%.0f", Double(podCount) / createTime.seconds)) pods/s |")
    print("| memory per stored pod (RSS growth / pods) | \(String(format: "%.1f", (rssAfter - rssBefore) * 1024 / Double(podCount))) KiB |")
    print("| list all \(podCount) pods (\(String(format: "%.0f", Double(listBytes) / 1_000_000)) MB), median of 3 | \(String(format: "%.2f", listTime.seconds)) s, \(String(format: "%.0f", Double(listBytes) / 1_000_000 / listTime.seconds)) MB/s |")
    print("| list one page of 500, median of 5 | \(String(format: "%.1f", pageTime.seconds * 1000)) ms |")
    print("| watch delivery, write to event, p50 / p99 / max of \(latencies.count) | \(ms(latencies, 0.5)) / \(ms(latencies, 0.99)) / \(ms(latencies, 1.0)) ms |")
    print("peak RSS: \(String(format: "%.0f", peakRSSMiB())) MiB")
    try await http.shutdown()
    await server.stop()
}

/// Write-to-delivery times of `count` patches on one pod, sorted.
private func watchDeliveryLatencies(_ client: LoopbackClient, count: Int) async throws -> [Duration] {
    let path = "/api/v1/namespaces/team-0/pods"
    _ = try await client.send(.POST, path, body: Array(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"watched"},"spec":{"containers":[{"name":"c","image":"i"}]}}"#.utf8))
    var request = HTTPClientRequest(url: client.server.url + path + "?watch=true&fieldSelector=metadata.name%3Dwatched")
    request.headers.add(name: "Authorization", value: "Bearer \(client.server.adminToken)")
    let response = try await client.http.execute(request, timeout: .seconds(600))
    let (arrivals, arrived) = AsyncStream<ContinuousClock.Instant>.makeStream()
    let reader = Task {
        var skippedInitial = false
        for try await chunk in response.body {
            let newlines = chunk.readableBytesView.filter { $0 == UInt8(ascii: "\n") }.count
            for _ in 0..<newlines {
                if !skippedInitial { skippedInitial = true; continue }  // the synthetic ADDED of a watch from now
                arrived.yield(.now)
            }
        }
    }
    var iterator = arrivals.makeAsyncIterator()
    var latencies: [Duration] = []
    for index in 0..<count {
        let sent = ContinuousClock.now
        _ = try await client.send(.PATCH, path + "/watched", body: Array(#"{"metadata":{"labels":{"n":"\#(index)"}}}"#.utf8),
                                  contentType: "application/merge-patch+json")
        guard let arrival = await iterator.next() else { break }
        latencies.append(arrival - sent)
    }
    reader.cancel()
    return latencies.sorted()
}

/// Requests to a test server with its admin token, counting the bytes of the answer.
private struct LoopbackClient: Sendable {
    let http: HTTPClient
    let server: KubeTestServer

    func send(_ method: HTTPMethod, _ path: String, body: [UInt8]? = nil, contentType: String = "application/json") async throws -> (Int, Int) {
        var request = HTTPClientRequest(url: server.url + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(server.adminToken)")
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await http.execute(request, timeout: .seconds(120))
        var bytes = 0
        for try await chunk in response.body { bytes += chunk.readableBytes }
        return (Int(response.status.code), bytes)
    }
}

/// The resident set size now, from /proc/self/statm.
func currentRSSMiB() -> Double {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let pages = Double(text.split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? 0)
    return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1024 / 1024
}

func medianAsync(runs: Int, _ body: () async throws -> Void) async rethrows -> Duration {
    var times: [Duration] = []
    for _ in 0..<runs {
        let start = ContinuousClock.now
        try await body()
        times.append(ContinuousClock.now - start)
    }
    return times.sorted()[runs / 2]
}
