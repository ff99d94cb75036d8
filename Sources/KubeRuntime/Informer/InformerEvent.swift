/// What an informer tells its consumers after its cache changed.
public enum InformerEvent<Object: Sendable>: Sendable {
    case added(key: String, Object)
    case updated(key: String, old: Object, new: Object)
    case deleted(key: String, Object)
    /// The first full list is in the cache (sent once, after that list's events).
    case synced
    /// A periodic resync: every cached object, for consumers that reconcile everything at intervals.
    case resync(key: String, Object)
    /// A list or watch failed; the informer retries with back-off and keeps its cache meanwhile.
    case recovering(any Error)
    /// A list or watch succeeded again after ``recovering(_:)``.
    case recovered

    /// The key of the object concerned; nil for `synced`.
    public var key: String? {
        switch self {
        case .added(let key, _), .updated(let key, _, _), .deleted(let key, _), .resync(let key, _): key
        case .synced, .recovering, .recovered: nil
        }
    }
}
