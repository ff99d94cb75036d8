import NIOCore

/// Splits a watch response body into lines, whatever the chunk boundaries.
///
/// kube-apiserver writes one JSON event per line. Chunks may end anywhere (inside an event, inside a
/// multi-byte character, between `}` and `\n`); this decoder keeps the unfinished tail and only hands out
/// complete lines. It scans each byte once, however many chunks an event spans, and gives up on an event
/// larger than `maxLineBytes` instead of growing without bound.
public struct WatchLineDecoder: Sendable {
    private var buffer: ByteBuffer
    /// Bytes of `buffer` (from its reader index) already searched for a newline.
    private var scanned = 0
    public let maxLineBytes: Int

    public init(maxLineBytes: Int = 64 << 20) {
        self.maxLineBytes = maxLineBytes
        self.buffer = ByteBuffer()
    }

    /// Adds the next chunk of the body.
    public mutating func append(_ chunk: ByteBuffer) {
        var chunk = chunk
        if buffer.readableBytes == 0 {
            buffer = chunk
            scanned = 0
        } else {
            if buffer.readerIndex > 0 && buffer.readerIndex * 2 > buffer.capacity { buffer.discardReadBytes() }
            buffer.writeBuffer(&chunk)
        }
    }

    /// The next complete non-empty line (without its newline), or `nil` when more bytes are needed.
    /// Throws when an unfinished line is already longer than the limit.
    public mutating func nextLine() throws(LineTooLong) -> ByteBuffer? {
        while true {
            let view = buffer.readableBytesView
            let start = view.startIndex + scanned
            guard let newline = view[start...].firstIndex(of: UInt8(ascii: "\n")) else {
                scanned = view.count
                if scanned > maxLineBytes { throw LineTooLong(limit: maxLineBytes) }
                return nil
            }
            let length = newline - view.startIndex
            // Reading the slice and the newline cannot fail: both are within the readable bytes.
            let line = buffer.readSlice(length: length) ?? ByteBuffer()
            buffer.moveReaderIndex(forwardBy: 1)
            scanned = 0
            if length > maxLineBytes { throw LineTooLong(limit: maxLineBytes) }
            if !Self.isBlank(line) { return line }
        }
    }

    /// At the end of the body: the final line if it lacked a newline, `nil` if nothing but whitespace is left.
    public mutating func finish() -> ByteBuffer? {
        let rest = buffer.readSlice(length: buffer.readableBytes) ?? ByteBuffer()
        scanned = 0
        return Self.isBlank(rest) ? nil : rest
    }

    private static func isBlank(_ line: ByteBuffer) -> Bool {
        line.readableBytesView.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\t") }
    }

    /// A line exceeded ``WatchLineDecoder/maxLineBytes``.
    public struct LineTooLong: Error, Sendable {
        public var limit: Int
    }
}
