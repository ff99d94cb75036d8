import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization
import X509

/// An HTTP/1.1 server (HTTPS when given a TLS context) on NIO that hands each request, body read whole, to an async
/// handler and writes its answer: a body at once, or a stream of chunks flushed one by one until the stream ends or
/// the client goes away. Bodies over ``maximumBodyBytes`` get `413` as kube-apiserver answers them.
public final class HTTPServer: Sendable {
    public typealias Handler = @Sendable (APIRequest) async -> APIResponse

    /// kube-apiserver's limit on a request body.
    public static let maximumBodyBytes = 3 * 1024 * 1024

    private typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    private struct State {
        var serverChannel: (any Channel)?
        var connections: [ObjectIdentifier: any Channel] = [:]
        var acceptLoop: Task<Void, Never>?
        /// Accepted connections not yet served. NIO drops connections that were accepted while the listener closes;
        /// a dropped `NIOAsyncChannel` that never ran `executeThenClose` traps (swift-nio #2813). Holding them here
        /// until they are served, or closed at stop, avoids that.
        var unserved: [ObjectIdentifier: Connection] = [:]
    }

    private let handler: Handler
    private let tls: NIOSSLContext?
    private let logger: Logger
    private let state = Mutex(State())

    public init(tls: NIOSSLContext?, logger: Logger = Logger(label: "kube-test-server"), handler: @escaping Handler) {
        self.tls = tls
        self.logger = logger
        self.handler = handler
    }

    /// Starts listening on `host:port` (port 0 picks a free one) and returns the port bound.
    public func start(host: String = "127.0.0.1", port: Int) async throws -> Int {
        let tls = self.tls
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    let connection = try Connection(wrappingChannelSynchronously: channel)
                    self.state.withLock { $0.unserved[ObjectIdentifier(channel)] = connection }
                    return connection
                }
            }
        let boundPort = server.channel.localAddress?.port ?? port
        let loop = Task { await self.accept(server) }
        state.withLock {
            $0.serverChannel = server.channel
            $0.acceptLoop = loop
        }
        return boundPort
    }

    /// Stops listening, closes every connection (ending their watches) and waits for the handlers to finish.
    public func stop() async {
        let (server, connections, loop) = state.withLock { state in
            // `unserved` stays: its connections are finished below, never just released.
            defer {
                state.serverChannel = nil
                state.connections = [:]
                state.acceptLoop = nil
            }
            return (state.serverChannel, Array(state.connections.values), state.acceptLoop)
        }
        try? await server?.close()
        for connection in connections { try? await connection.close() }
        await loop?.value
        // Connections accepted as the listener closed: finish them so they close cleanly.
        for connection in state.withLock({ state in defer { state.unserved.removeAll() }; return Array(state.unserved.values) }) {
            try? await connection.executeThenClose { _, _ in }  // Closing a dead connection may fail; nothing to do then.
        }
    }

    /// Closes every open connection, which ends every watch, and leaves the server listening.
    public func closeConnections() async {
        let connections = state.withLock { Array($0.connections.values) }
        for connection in connections { try? await connection.close() }
    }

    private func accept(_ server: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>) async {
        await withDiscardingTaskGroup { group in
            do {
                try await server.executeThenClose { inbound in
                    for try await connection in inbound {
                        group.addTask { await self.serveClosingOnHangUp(connection) }
                    }
                }
            } catch {
                logger.debug("listener ended", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Serves one connection in a task that is cancelled when the channel closes, so a watch stream whose client went
    /// away stops at once instead of at its next event.
    private func serveClosingOnHangUp(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        let channel = connection.channel
        let id = ObjectIdentifier(channel)
        state.withLock { $0.connections[id] = channel }
        let task = Task { await self.serve(connection) }
        channel.closeFuture.whenComplete { _ in task.cancel() }
        await task.value
        state.withLock { _ = $0.connections.removeValue(forKey: id) }
    }

    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        // Whoever takes a connection out of `unserved` finishes it: this task, or `stop`.
        guard state.withLock({ $0.unserved.removeValue(forKey: ObjectIdentifier(connection.channel)) != nil }) else { return }
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                var body: [UInt8] = []
                var tooLarge = false
                var certificateUser: UserInfo??
                for try await part in inbound {
                    switch part {
                    case .head(let requestHead):
                        head = requestHead
                        body = []
                        tooLarge = false
                    case .body(let chunk):
                        if body.count + chunk.readableBytes > Self.maximumBodyBytes {
                            tooLarge = true
                        } else if !tooLarge {
                            body.append(contentsOf: chunk.readableBytesView)
                        }
                    case .end:
                        guard let requestHead = head else { continue }
                        if certificateUser == nil { certificateUser = await self.certificateUser(of: connection.channel) }
                        let request = APIRequest(method: requestHead.method, target: requestHead.uri, headers: requestHead.headers,
                                                 body: body, certificateUser: certificateUser ?? nil)
                        let response = tooLarge ? Self.tooLarge : await handler(request)
                        try await write(response, to: outbound, keepAlive: requestHead.isKeepAlive, version: requestHead.version)
                        if !requestHead.isKeepAlive || Task.isCancelled { return }
                    }
                }
            }
        } catch {
            logger.trace("connection ended", metadata: ["error": "\(error)"])
        }
    }

    private static var tooLarge: APIResponse {
        .failure(StoreError(code: 413, reason: "RequestEntityTooLarge", message: "Request entity too large: limit is \(maximumBodyBytes)"))
    }

    private func write(_ response: APIResponse, to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>,
                       keepAlive: Bool, version: HTTPVersion) async throws {
        var headers = HTTPHeaders(response.headers)
        headers.replaceOrAdd(name: "Date", value: HTTPDate.now)
        headers.replaceOrAdd(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let status = HTTPResponseStatus(statusCode: response.status)
        switch response.body {
        case .bytes(let bytes):
            headers.replaceOrAdd(name: "Content-Length", value: String(bytes.count))
            try await outbound.write(.head(HTTPResponseHead(version: version, status: status, headers: headers)))
            if !bytes.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes)))) }
            try await outbound.write(.end(nil))
        case .stream(let chunks):
            headers.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
            try await outbound.write(.head(HTTPResponseHead(version: version, status: status, headers: headers)))
            for await chunk in chunks {
                try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: chunk))))
            }
            try await outbound.write(.end(nil))
        }
    }

    /// The user a verified client certificate names: CN is the user, each O a group.
    private func certificateUser(of channel: any Channel) async -> UserInfo? {
        guard tls != nil, let certificate = try? await channel.nioSSL_peerCertificate().get(),
              let parsed = try? Certificate(derEncoded: certificate.toDERBytes()) else { return nil }
        var name: String?
        var groups: [String] = []
        for rdn in parsed.subject {
            for attribute in rdn {
                if attribute.type == .RDNAttributeType.commonName { name = String(attribute.value) }
                if attribute.type == .RDNAttributeType.organizationName, let group = String(attribute.value) { groups.append(group) }
            }
        }
        return name.map { UserInfo(name: $0, groups: groups + ["system:authenticated"]) }
    }
}

/// The `Date` header's format.
enum HTTPDate {
    static var now: String {
        var time = time_t(0)
        _ = Foundation.time(&time)
        var parts = tm()
        gmtime_r(&time, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
