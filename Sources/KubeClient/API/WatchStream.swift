import AsyncHTTPClient
import NIOCore

/// The events of one watch request, decoded as they arrive.
///
/// Guarantees: memory is bounded by the largest single event, not by the stream's length (the body is
/// pulled chunk by chunk, with back-pressure); cancelling the consuming task, or dropping the iterator,
/// closes the connection.
/// Caveats: iterate it once. The sequence ends (`nil`) when the server closes the watch (after
/// `timeoutSeconds`) or the consuming task is cancelled; a broken connection or an undecodable event throws.
public struct WatchStream<Object: Decodable & Sendable>: AsyncSequence, Sendable {
    public typealias Element = WatchEvent<Object>

    let body: HTTPClientResponse.Body
    let request: String
    let maxEventBytes: Int

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(
            body: body.makeAsyncIterator(), request: request, lines: WatchLineDecoder(maxLineBytes: maxEventBytes))
    }

    /// Pulls body chunks only when no complete event is buffered.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var body: HTTPClientResponse.Body.AsyncIterator
        let request: String
        var lines: WatchLineDecoder
        var bodyEnded = false

        public mutating func next() async throws -> WatchEvent<Object>? {
            while true {
                let line: ByteBuffer?
                do {
                    line = try lines.nextLine()
                } catch {
                    throw KubeClientError.watchLineTooLong(request: request, limit: error.limit)
                }
                if let line { return try decode(line) }
                if bodyEnded { return try lines.finish().map(decode) }
                let chunk: ByteBuffer?
                do {
                    chunk = try await body.next()
                } catch is CancellationError {
                    return nil
                } catch {
                    if Task.isCancelled { return nil }
                    throw KubeClientError.transport(request: request, underlying: SendableErrorDescription(error))
                }
                if let chunk { lines.append(chunk) } else { bodyEnded = true }
            }
        }

        private func decode(_ line: ByteBuffer) throws -> WatchEvent<Object> {
            do {
                if let event = try WatchEvent<Object>.decodedByHand(line) { return event }
                return try JSONCoding.decoder.decode(WatchEvent<Object>.self, from: line)
            } catch {
                throw KubeClientError.decoding(
                    request: request, type: "watch event of \(Object.self)", underlying: SendableErrorDescription(error))
            }
        }
    }
}
