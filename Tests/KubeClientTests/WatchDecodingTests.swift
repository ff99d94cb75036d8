import Foundation
import NIOCore
import Testing

@testable import KubeClient

@Suite("Watch stream decoding")
struct WatchDecodingTests {
    /// Three events as kube-apiserver writes them, with a non-ASCII label value so that some splits fall
    /// inside a multi-byte character.
    static let stream = [
        #"{"type":"ADDED","object":{"kind":"Pod","metadata":{"name":"a","namespace":"ns","resourceVersion":"10","labels":{"app":"wéb"}},"status":{"podIP":"10.0.0.1"}}}"#,
        #"{"type":"BOOKMARK","object":{"kind":"Pod","metadata":{"resourceVersion":"12"}}}"#,
        #"{"type":"DELETED","object":{"kind":"Pod","metadata":{"name":"a","namespace":"ns","resourceVersion":"13"}}}"#,
        #"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 1 (13)","reason":"Expired","code":410}}"#,
    ].joined(separator: "\n") + "\n"

    static func describe(_ event: WatchEvent<core.v1.Pod>) -> String {
        switch event {
        case .added(let pod): return "ADDED \(pod.key) \(pod.metadata.labels?["app"] ?? "") \(pod.status?.podIP ?? "")"
        case .modified(let pod): return "MODIFIED \(pod.key)"
        case .deleted(let pod): return "DELETED \(pod.key) \(pod.metadata.resourceVersion ?? "")"
        case .bookmark(let version): return "BOOKMARK \(version)"
        case .error(let status): return "ERROR \(status.code ?? 0) \(status.reason ?? "")"
        }
    }

    static let expected = ["ADDED ns/a wéb 10.0.0.1", "BOOKMARK 12", "DELETED ns/a 13", "ERROR 410 Expired"]

    func decodeAll(_ chunks: [ByteBuffer]) throws -> [String] {
        var decoder = WatchLineDecoder()
        var events: [String] = []
        for chunk in chunks {
            decoder.append(chunk)
            while let line = try decoder.nextLine() {
                events.append(Self.describe(try JSONDecoder().decode(WatchEvent<core.v1.Pod>.self, from: line)))
            }
        }
        #expect(decoder.finish() == nil)
        return events
    }

    @Test func everySingleSplitPointDecodesTheSameEvents() throws {
        let bytes = Array(Self.stream.utf8)
        for split in 0...bytes.count {
            let chunks = [ByteBuffer(bytes: bytes[..<split]), ByteBuffer(bytes: bytes[split...])]
            #expect(try decodeAll(chunks) == Self.expected, "split at \(split)")
        }
    }

    @Test func oneByteChunksDecodeTheSameEvents() throws {
        let chunks = Array(Self.stream.utf8).map { ByteBuffer(bytes: [$0]) }
        #expect(try decodeAll(chunks) == Self.expected)
    }

    /// Thousands of decodes: the test yields between rows so it does not hold a thread of the (two-thread) pool
    /// that timing-sensitive tests running beside it need.
    @Test func everyPairOfSplitPointsDecodesTheSameEvents() async throws {
        let bytes = Array(Self.stream.utf8)
        var wrong: [String] = []
        for first in stride(from: 0, through: bytes.count, by: 7) {
            for second in first...bytes.count {
                let chunks = [
                    ByteBuffer(bytes: bytes[..<first]), ByteBuffer(bytes: bytes[first..<second]),
                    ByteBuffer(bytes: bytes[second...]),
                ]
                if try decodeAll(chunks) != Self.expected { wrong.append("\(first),\(second)") }
            }
            await Task.yield()
        }
        #expect(wrong.isEmpty, "split points that decoded differently: \(wrong.prefix(10))")
    }

    @Test func blankLinesAreSkippedAndAFinalLineWithoutNewlineIsKept() throws {
        var decoder = WatchLineDecoder()
        decoder.append(ByteBuffer(string: "\n\r\n{\"a\":1}\n\n{\"b\":2}"))
        #expect(try decoder.nextLine().map { String(buffer: $0) } == #"{"a":1}"#)
        #expect(try decoder.nextLine() == nil)
        #expect(decoder.finish().map { String(buffer: $0) } == #"{"b":2}"#)
    }

    @Test func anEventOverTheLimitIsRejectedBeforeItIsComplete() throws {
        var decoder = WatchLineDecoder(maxLineBytes: 16)
        decoder.append(ByteBuffer(string: "{\"short\":1}\n"))
        #expect(try decoder.nextLine() != nil)
        decoder.append(ByteBuffer(string: String(repeating: "x", count: 17)))
        #expect(throws: WatchLineDecoder.LineTooLong.self) { try decoder.nextLine() }
    }

    @Test func unknownEventTypeIsADecodingError() throws {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(WatchEvent<core.v1.Pod>.self, from: Data(#"{"type":"WHAT","object":{}}"#.utf8))
        }
    }
}

@Suite("Status bodies become typed errors")
struct StatusDecodingTests {
    func error(_ code: Int, _ body: String, headers: [(String, String)] = []) -> KubeAPIError {
        HTTPTransport.apiError(
            code: code, headers: .init(headers), body: ByteBuffer(string: body),
            request: .init(method: .GET, path: "/api/v1/namespaces/a/pods/b"))
    }

    @Test func notFound() {
        let e = error(404, #"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"pods \"b\" not found","reason":"NotFound","details":{"name":"b","kind":"pods"},"code":404}"#)
        #expect(e.isNotFound && !e.isConflict)
        #expect(e.description == #"GET /api/v1/namespaces/a/pods/b: 404 NotFound: pods "b" not found"#)
        #expect(e.status.details?.name == "b")
    }

    @Test func conflictAlreadyExistsAndGone() {
        #expect(error(409, #"{"kind":"Status","reason":"Conflict","code":409}"#).isConflict)
        #expect(error(409, #"{"kind":"Status","reason":"AlreadyExists","code":409}"#).isAlreadyExists)
        #expect(error(410, #"{"kind":"Status","reason":"Expired","code":410}"#).isGone)
        #expect(error(410, #"{"kind":"Status","reason":"Gone","code":410}"#).isGone)
    }

    @Test func invalidKeepsFieldCauses() {
        let e = error(
            422,
            #"{"kind":"Status","reason":"Invalid","code":422,"message":"bad","details":{"causes":[{"reason":"FieldValueNotSupported","message":"Unsupported value: \"x\"","field":"spec.datastoreType"}]}}"#
        )
        #expect(e.isInvalid)
        #expect(e.causes.map(\.field) == ["spec.datastoreType"])
    }

    @Test func forbiddenAndUnauthorized() {
        let e = error(403, #"{"kind":"Status","reason":"Forbidden","code":403,"message":"pods is forbidden: User \"bob\" cannot list resource \"pods\""}"#)
        #expect(e.isForbidden)
        #expect(e.status.message?.contains("cannot list") == true)
        #expect(error(401, #"{"kind":"Status","reason":"Unauthorized","code":401}"#).isUnauthorized)
    }

    @Test func tooManyRequestsCarriesRetryAfter() {
        let fromHeader = error(429, #"{"kind":"Status","reason":"TooManyRequests","code":429}"#, headers: [("Retry-After", "3")])
        #expect(fromHeader.isTooManyRequests && fromHeader.retryAfter == .seconds(3))
        let fromDetails = error(429, #"{"kind":"Status","code":429,"details":{"retryAfterSeconds":7}}"#)
        #expect(fromDetails.isTooManyRequests && fromDetails.retryAfter == .seconds(7))
    }

    @Test func nonStatusBodyKeepsAnExcerptAndTheCode() {
        let e = error(502, "<html>Bad Gateway</html>")
        #expect(e.code == 502 && e.reason == .unknown)
        #expect(e.status.message == "<html>Bad Gateway</html>")
        #expect(error(500, "").reason == .internalError)
        #expect(error(504, "").reason == .timeout)
    }
}

@Suite("Rate limiter and retry policy decisions")
struct TransportPolicyTests {
    @Test func bucketAllowsBurstThenPacesAtQPS() {
        var bucket = TokenBucket(qps: 10, burst: 3)
        #expect((0..<3).map { _ in bucket.reserve(at: .zero) } == [.zero, .zero, .zero])
        #expect(bucket.reserve(at: .zero) == .milliseconds(100))
        #expect(bucket.reserve(at: .zero) == .milliseconds(200))
        // After a second the bucket has refilled to at most `burst` tokens, minus what was reserved.
        var rested = TokenBucket(qps: 10, burst: 3)
        _ = rested.reserve(at: .zero)
        #expect(rested.reserve(at: .seconds(10)) == .zero)
        #expect(rested.reserve(at: .seconds(10)) == .zero)
        #expect(rested.reserve(at: .seconds(10)) == .zero)
        #expect(rested.reserve(at: .seconds(10)) == .milliseconds(100))
        var unlimited = TokenBucket(qps: 0, burst: 1)
        #expect((0..<100).allSatisfy { _ in unlimited.reserve(at: .zero) == .zero })
    }

    @Test func retryDecisions() {
        let policy = RetryPolicy.default
        #expect(policy.delay(afterAttempt: 0, method: "POST", outcome: .status(429, retryAfter: .seconds(2)), jitter: 0.5) == .seconds(2))
        #expect(policy.delay(afterAttempt: 0, method: "GET", outcome: .status(429, retryAfter: .seconds(600)), jitter: 0) == .seconds(60))
        #expect(policy.delay(afterAttempt: 0, method: "GET", outcome: .status(503, retryAfter: nil), jitter: 0) == .milliseconds(100))
        #expect(policy.delay(afterAttempt: 0, method: "PUT", outcome: .status(503, retryAfter: nil), jitter: 0) == nil)
        #expect(policy.delay(afterAttempt: 0, method: "GET", outcome: .status(404, retryAfter: nil), jitter: 0) == nil)
        #expect(policy.delay(afterAttempt: 0, method: "GET", outcome: .status(501, retryAfter: nil), jitter: 0) == nil)
        #expect(policy.delay(afterAttempt: 0, method: "POST", outcome: .connectFailed, jitter: 0) == .milliseconds(100))
        #expect(policy.delay(afterAttempt: 0, method: "POST", outcome: .connectionBroken, jitter: 0) == nil)
        #expect(policy.delay(afterAttempt: 5, method: "GET", outcome: .connectFailed, jitter: 0) == nil)
    }

    @Test func backoffDoublesWithJitterAndIsCapped() {
        let policy = RetryPolicy.default
        #expect(policy.backoff(attempt: 0, jitter: 0) == .milliseconds(100))
        #expect(policy.backoff(attempt: 0, jitter: 1) == .milliseconds(200))
        #expect(policy.backoff(attempt: 1, jitter: 1) == .milliseconds(400))
        #expect(policy.backoff(attempt: 3, jitter: 0.5) == .milliseconds(1200))
        #expect(policy.backoff(attempt: 20, jitter: 1) == .seconds(10))
        #expect(policy.backoff(attempt: 20, jitter: 0) == .seconds(5))
    }

    @Test func resourcePathsAndEscaping() {
        #expect(core.v1.Pod.resource.path(namespace: "a", name: "b", subresource: "status") == "/api/v1/namespaces/a/pods/b/status")
        #expect(core.v1.Pod.resource.path(namespace: nil) == "/api/v1/pods")
        #expect(core.v1.Namespace.resource.path(namespace: "ignored", name: "x") == "/api/v1/namespaces/x")
        #expect(discovery.v1.EndpointSlice.resource.path(namespace: "n") == "/apis/discovery.k8s.io/v1/namespaces/n/endpointslices")
        #expect(core.v1.Pod.resource.path(namespace: "a", name: "../x y") == "/api/v1/namespaces/a/pods/..%2Fx%20y")
        #expect(discovery.v1.EndpointSlice.resource.description == "endpointslices.discovery.k8s.io")
    }
}
