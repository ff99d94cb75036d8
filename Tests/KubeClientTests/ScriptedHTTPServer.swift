import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// A loopback HTTP(S) server that answers each request with what the test's script says, and records
/// what it received (method, URI, headers, body, client certificate) and how many connections closed.
///
/// Known lies: HTTP/1.1 only; no Kubernetes semantics beyond what a script returns.
final class ScriptedHTTPServer: Sendable {
    struct Request: Sendable {
        var method: String
        var uri: String
        var headers: [(String, String)]
        var body: String
        /// DER of the client certificate presented, if any.
        var clientCertificateDER: [UInt8]?

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
        var path: String { String(uri.split(separator: "?", maxSplits: 1).first ?? "") }
        var query: [String: String] {
            guard let components = URLComponents(string: uri) else { return [:] }
            var out: [String: String] = [:]
            for item in components.queryItems ?? [] { out[item.name] = item.value ?? "" }
            return out
        }
    }

    enum Response: Sendable {
        /// A complete response.
        case full(status: Int, headers: [(String, String)] = [], body: String)
        /// A chunked response: each chunk written after `interval`; then the stream ends or stays open.
        case stream(chunks: [[UInt8]], interval: Duration = .zero, end: Bool)
    }

    typealias Script = @Sendable (Request) -> Response

    let port: Int
    private let channel: any Channel
    private let log = Log()

    /// What the server saw, shared with its channel handlers.
    private final class Log: Sendable {
        let requests = Mutex<[Request]>([])
        let closed = Atomic<Int>(0)
    }

    var requests: [Request] { log.requests.withLock { $0 } }
    var closedConnections: Int { log.closed.load(ordering: .relaxed) }

    init(tls: TLSConfiguration? = nil, script: @escaping Script) async throws {
        let sslContext = try tls.map { try NIOSSLContext(configuration: $0) }
        isTLS = tls != nil
        let log = self.log
        let recorder: @Sendable (Request) -> Void = { request in log.requests.withLock { $0.append(request) } }
        let onClose: @Sendable () -> Void = { log.closed.add(1, ordering: .relaxed) }
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(
                        ScriptHandler(script: script, record: recorder, onClose: onClose))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
    }

    let isTLS: Bool

    var url: String { "\(isTLS ? "https" : "http")://127.0.0.1:\(port)" }

    func shutdown() async throws {
        try await channel.close()
    }

    /// A server TLS configuration from PEM material, optionally asking for client certificates signed by `clientCA`.
    static func tls(certificatePEM: String, keyPEM: String, clientCA: String? = nil) throws -> TLSConfiguration {
        var config = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8)).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem)))
        if let clientCA {
            config.certificateVerification = .noHostnameVerification
            config.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(clientCA.utf8)))
        }
        return config
    }
}

private final class ScriptHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let script: ScriptedHTTPServer.Script
    let record: @Sendable (ScriptedHTTPServer.Request) -> Void
    let onClose: @Sendable () -> Void
    var head: HTTPRequestHead?
    var body = ByteBuffer()

    init(
        script: @escaping ScriptedHTTPServer.Script, record: @escaping @Sendable (ScriptedHTTPServer.Request) -> Void,
        onClose: @escaping @Sendable () -> Void
    ) {
        self.script = script
        self.record = record
        self.onClose = onClose
    }

    func channelInactive(context: ChannelHandlerContext) {
        onClose()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
        case .body(var chunk):
            body.writeBuffer(&chunk)
        case .end:
            guard let head else { return }
            let certificate = try? context.pipeline.syncOperations.nioSSL_peerCertificate()?.toDERBytes()
            let request = ScriptedHTTPServer.Request(
                method: head.method.rawValue, uri: head.uri, headers: head.headers.map { ($0.name, $0.value) },
                body: String(buffer: body), clientCertificateDER: certificate ?? nil)
            record(request)
            respond(script(request), context: context, keepAlive: head.isKeepAlive)
        }
    }

    private func respond(_ response: ScriptedHTTPServer.Response, context: ChannelHandlerContext, keepAlive: Bool) {
        switch response {
        case .full(let status, let headers, let body):
            var head = HTTPResponseHead(version: .http1_1, status: .init(statusCode: status))
            for (name, value) in headers { head.headers.add(name: name, value: value) }
            head.headers.replaceOrAdd(name: "Content-Length", value: String(body.utf8.count))
            if head.headers["Content-Type"].isEmpty { head.headers.add(name: "Content-Type", value: "application/json") }
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        case .stream(let chunks, let interval, let end):
            var head = HTTPResponseHead(version: .http1_1, status: .ok)
            head.headers.add(name: "Content-Type", value: "application/json")
            head.headers.add(name: "Transfer-Encoding", value: "chunked")
            context.writeAndFlush(wrapOutboundOut(.head(head)), promise: nil)
            writeChunks(chunks[...], interval: interval, end: end, context: context)
        }
    }

    private func writeChunks(
        _ chunks: ArraySlice<[UInt8]>, interval: Duration, end: Bool, context: ChannelHandlerContext
    ) {
        guard let first = chunks.first else {
            if end { context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil) }
            return
        }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let delay = TimeAmount.nanoseconds(
            interval.components.seconds * 1_000_000_000 + interval.components.attoseconds / 1_000_000_000)
        context.eventLoop.scheduleTask(in: delay) {
            let (handler, context) = loopBound.value
            guard context.channel.isActive else { return }
            context.writeAndFlush(handler.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: first)))), promise: nil)
            handler.writeChunks(chunks.dropFirst(), interval: interval, end: end, context: context)
        }
    }
}
