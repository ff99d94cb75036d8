import Foundation
import Synchronization

/// Reads a bearer token from a file and re-reads it whenever the file's modification time or size
/// changes (the kubelet rotates projected service account tokens in place).
///
/// Guarantees: a rotated token is used by the first request after the rotation.
/// Caveats: costs one `stat` per request.
final class TokenFileReader: Sendable {
    let path: String
    private let cache = Mutex<Cached?>(nil)

    private struct Cached {
        var token: String
        var modified: Date?
        var size: Int?
    }

    init(path: String) { self.path = path }

    func token() throws(KubeClientError) -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)  // a missing file fails the read below
        let modified = attributes?[.modificationDate] as? Date
        let size = (attributes?[.size] as? NSNumber)?.intValue
        if let cached = cache.withLock({ $0 }), cached.modified == modified, cached.size == size, modified != nil {
            return cached.token
        }
        let token: String
        do {
            token = try KubeConfigLoader.readText(path).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            throw .credentials("tokenFile \(error)")
        }
        guard !token.isEmpty else { throw .credentials("tokenFile \(path) is empty") }
        cache.withLock { $0 = Cached(token: token, modified: modified, size: size) }
        return token
    }
}
