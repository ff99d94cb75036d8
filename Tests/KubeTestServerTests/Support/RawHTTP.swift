import AsyncHTTPClient
import Foundation
import KubeClient
import KubeTestServer
import NIOCore
import NIOHTTP1

/// One HTTP exchange with a plain-HTTP test server, bytes as they are on the wire (no client library in between).
struct RawResponse {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }
    var json: JSONValue { (try? JSONDecoder().decode(JSONValue.self, from: Data(body))) ?? .null }
}

enum RawHTTP {
    /// Sends a request with the admin's token unless `token` is given ("" sends none).
    static func send(_ server: KubeTestServer, _ method: HTTPMethod, _ path: String, body: [UInt8]? = nil,
                     contentType: String = "application/json", accept: String? = nil, token: String? = nil,
                     timeout: TimeAmount = .seconds(10)) async throws -> RawResponse {
        var request = HTTPClientRequest(url: server.url + path)
        request.method = method
        let credential = token ?? server.adminToken
        if !credential.isEmpty { request.headers.add(name: "Authorization", value: "Bearer \(credential)") }
        if let accept { request.headers.add(name: "Accept", value: accept) }
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: timeout)
        var bytes: [UInt8] = []
        for try await chunk in response.body { bytes.append(contentsOf: chunk.readableBytesView) }
        return RawResponse(status: Int(response.status.code), headers: response.headers, body: bytes)
    }

    static func send(_ server: KubeTestServer, _ method: HTTPMethod, _ path: String, json: JSONValue,
                     contentType: String = "application/json", token: String? = nil) async throws -> RawResponse {
        let data = try JSONEncoder().encode(json)
        return try await send(server, method, path, body: Array(data), contentType: contentType, token: token)
    }

    /// Reads a watch response's body line by line until `count` lines arrived or the stream ends.
    static func watchLines(_ server: KubeTestServer, _ path: String, count: Int, accept: String? = nil,
                           during action: @Sendable () async throws -> Void = {}) async throws -> (status: Int, lines: [String]) {
        var request = HTTPClientRequest(url: server.url + path)
        request.headers.add(name: "Authorization", value: "Bearer \(server.adminToken)")
        if let accept { request.headers.add(name: "Accept", value: accept) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
        try await action()
        var buffer: [UInt8] = []
        var lines: [String] = []
        for try await chunk in response.body {
            buffer.append(contentsOf: chunk.readableBytesView)
            while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                lines.append(String(decoding: buffer[..<newline], as: UTF8.self))
                buffer.removeSubrange(...newline)
            }
            if lines.count >= count { break }
        }
        return (Int(response.status.code), lines)
    }
}

extension JSONValue {
    /// The JSON text of a value, for comparing whole lines.
    var jsonText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? ""
    }
}

extension JSONValue {
    /// Element `index` of an array, nil for anything else.
    subscript(index: Int) -> JSONValue? {
        guard let items = arrayValue, items.indices.contains(index) else { return nil }
        return items[index]
    }
}
