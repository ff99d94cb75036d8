import Synchronization

/// Shares one copy of each distinct label map among the objects that carry it (the replicas of a workload have the
/// same labels), so a cache of 100,000 pods holds a few thousand label maps, not 100,000.
///
/// Caveat: it forgets everything once it holds ``limit`` maps (labels that churn, like a timestamp, would otherwise
/// grow it forever); objects keep their maps, later ones start sharing again.
final class LabelInterner: Sendable {
    static let limit = 100_000

    private let maps = Mutex(Set<[String: String]>())

    func intern(_ labels: [String: String]) -> [String: String] {
        if labels.isEmpty { return [:] }
        return maps.withLock { maps in
            if let index = maps.firstIndex(of: labels) { return maps[index] }
            if maps.count >= Self.limit { maps.removeAll() }
            maps.insert(labels)
            return labels
        }
    }
}
