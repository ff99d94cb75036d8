import Foundation
import KubeClient

/// Where `kube-test-server --data-dir` keeps a cluster between runs: its certificates (`pki.json`, so kubeconfigs
/// stay valid) and its objects (`objects.json`, written atomically whenever the revision has moved).
public struct DataDirectory: Sendable {
    public let path: String

    public init(path: String) throws {
        self.path = path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    private var pkiFile: String { path + "/pki.json" }
    private var objectsFile: String { path + "/objects.json" }

    /// The saved certificates, or new ones saved for next time.
    func pki(name: String) throws -> ClusterPKI {
        if let data = FileManager.default.contents(atPath: pkiFile) {
            do {
                return try JSONDecoder().decode(ClusterPKI.self, from: data)
            } catch {
                throw DataDirectoryError(file: pkiFile, reason: "\(error)")
            }
        }
        let pki = try ClusterPKI(name: "\(name)-ca")
        try write(JSONEncoder().encode(pki), to: pkiFile)
        return pki
    }

    /// The saved objects, nil when none were saved.
    func snapshot() throws -> ObjectStore.Snapshot? {
        guard let data = FileManager.default.contents(atPath: objectsFile) else { return nil }
        do {
            return try JSONDecoder().decode(ObjectStore.Snapshot.self, from: data)
        } catch {
            throw DataDirectoryError(file: objectsFile, reason: "\(error)")
        }
    }

    func save(_ snapshot: ObjectStore.Snapshot) throws {
        try write(JSONEncoder().encode(snapshot), to: objectsFile)
    }

    private func write(_ data: Data, to file: String) throws {
        try data.write(to: URL(fileURLWithPath: file), options: .atomic)
    }
}

/// A data directory file that cannot be read back.
public struct DataDirectoryError: Error, CustomStringConvertible {
    public let file: String
    public let reason: String
    public var description: String { "data directory file \(file) is unreadable: \(reason)" }
}
