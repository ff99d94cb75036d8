import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The operator's plain-HTTP endpoints: `/healthz` (the process serves), `/readyz` (ready: caches synced, or a
/// standby) and `/metrics` (Prometheus text). Each answer is computed when asked, from live state.
///
/// Guarantees: ``run()`` listens until cancelled, then closes the listener and every connection.
public struct ProbeServer: Sendable {
    /// One endpoint's answer.
    public struct Answer: Sendable {
        public var status: Int
        public var contentType: String
        public var body: String

        public init(status: Int = 200, contentType: String = "text/plain; charset=utf-8", body: String) {
            self.status = status
            self.contentType = contentType
            self.body = body
        }
    }

    /// Answers a request, given its query parameters (form-decoded: `+` is a space).
    public typealias Route = @Sendable (_ query: [String: String]) async -> Answer

    public let host: String
    public let port: Int
    private let routes: [String: Route]
    private let logger: Logger

    public init(host: String, port: Int, routes: [String: Route], logger: Logger = Logger(label: "probes")) {
        self.host = host
        self.port = port
        self.routes = routes
        self.logger = logger
    }

    /// Parses `host:port` or `:port` (all interfaces), as controller-runtime's bind-address flags are written.
    public static func address(_ text: String) throws(ProbeAddressError) -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ProbeAddressError(text: text)
        }
        let host = String(text[..<colon])
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }

    /// Binds, then serves until cancelled. Returns the bound port through `bound` (useful with port 0).
    public func run(bound: @Sendable (Int) -> Void = { _ in }) async throws {
        // Accepted connections not yet served: NIO drops those accepted while the listener closes, and a dropped
        // `NIOAsyncChannel` that never ran `executeThenClose` traps (swift-nio #2813). Whoever removes one from here
        // finishes it: its serving task, or the shutdown below.
        let unserved = UnservedConnections()
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    let connection = try Connection(wrappingChannelSynchronously: channel)
                    unserved.add(connection)
                    return connection
                }
            }
        bound(server.channel.localAddress?.port ?? port)
        logger.info("serving probes and metrics", metadata: ["address": "\(host):\(server.channel.localAddress?.port ?? port)"])
        do {
            try await serve(server, unserved)
        } catch {
            await Self.finish(unserved)
            throw error
        }
        await Self.finish(unserved)
    }

    /// Accepts and serves connections until cancelled (or the listener fails).
    private func serve(_ server: NIOAsyncChannel<Connection, Never>, _ unserved: UnservedConnections) async throws {
        try await withTaskCancellationHandler {
            do {
                try await withThrowingDiscardingTaskGroup { group in
                    try await server.executeThenClose { inbound in
                        for try await connection in inbound where unserved.take(connection) {
                            group.addTask { await self.serve(connection) }
                        }
                    }
                }
            } catch where Task.isCancelled {
                // Closed for shutdown: not a failure.
            }
        } onCancel: {
            server.channel.close(promise: nil)
        }
    }

    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    /// Finishes the connections no task took, so none is released unfinished.
    private static func finish(_ unserved: UnservedConnections) async {
        for connection in unserved.takeAll() {
            try? await connection.executeThenClose { _, _ in }  // A closed connection's failure is moot.
        }
    }

    private func serve(_ connection: Connection) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                for try await part in inbound {
                    switch part {
                    case .head(let requestHead): head = requestHead
                    case .body: continue
                    case .end:
                        guard let head else { continue }
                        let parts = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
                        let path = String(parts.first ?? "")
                        let query = parts.count > 1 ? Self.parameters(String(parts[1])) : [:]
                        let answer = await routes[path]?(query) ?? Answer(status: 404, body: "404 page not found\n")
                        var headers = HTTPHeaders([("Content-Type", answer.contentType), ("Content-Length", "\(answer.body.utf8.count)")])
                        headers.add(name: "Connection", value: head.isKeepAlive ? "keep-alive" : "close")
                        try await outbound.write(.head(HTTPResponseHead(version: head.version, status: .init(statusCode: answer.status), headers: headers)))
                        try await outbound.write(.body(.byteBuffer(ByteBuffer(string: answer.body))))
                        try await outbound.write(.end(nil))
                        if !head.isKeepAlive || Task.isCancelled { return }
                    }
                }
            }
        } catch {
            logger.trace("probe connection ended", metadata: ["error": "\(error)"])
        }
    }
}

extension ProbeServer {
    /// `a=1&b=x+y` → `["a": "1", "b": "x y"]`; the last of repeated names wins.
    static func parameters(_ query: String) -> [String: String] {
        var parameters: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let nameAndValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring?) -> String {
                let spaced = (text ?? "").replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            parameters[decode(nameAndValue.first)] = decode(nameAndValue.count > 1 ? nameAndValue[1] : nil)
        }
        return parameters
    }
}

/// A bind address that is not `host:port` or `:port`.
public struct ProbeAddressError: Error, CustomStringConvertible {
    public var text: String
    public var description: String { "invalid bind address \"\(text)\": expected host:port or :port (port 0-65535)" }
}

/// Accepted connections that no task serves yet, held so none is released unfinished.
final class UnservedConnections: Sendable {
    private let connections = Mutex<[ObjectIdentifier: ProbeServer.Connection]>([:])

    func add(_ connection: ProbeServer.Connection) {
        connections.withLock { $0[ObjectIdentifier(connection.channel)] = connection }
    }

    /// Whether the caller took `connection` (and must finish it).
    func take(_ connection: ProbeServer.Connection) -> Bool {
        connections.withLock { $0.removeValue(forKey: ObjectIdentifier(connection.channel)) != nil }
    }

    func takeAll() -> [ProbeServer.Connection] {
        connections.withLock { connections in defer { connections.removeAll() }; return Array(connections.values) }
    }
}
