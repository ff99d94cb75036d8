/// Options of a list request.
public struct ListOptions: Sendable, Hashable {
    /// e.g. `app=web,tier in (a,b)`.
    public var labelSelector: String?
    /// e.g. `metadata.name=x`.
    public var fieldSelector: String?
    /// Page size; `nil` asks for everything at once.
    public var limit: Int?
    /// Token of the page to fetch, from the previous page's `metadata.continue`.
    public var continueToken: String?
    public var resourceVersion: String?
    public var resourceVersionMatch: ResourceVersionMatch?

    public init(
        labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil, continueToken: String? = nil,
        resourceVersion: String? = nil, resourceVersionMatch: ResourceVersionMatch? = nil
    ) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continueToken = continueToken
        self.resourceVersion = resourceVersion
        self.resourceVersionMatch = resourceVersionMatch
    }

    var query: [(String, String)] {
        var query: [(String, String)] = []
        if let labelSelector, !labelSelector.isEmpty { query.append(("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { query.append(("fieldSelector", fieldSelector)) }
        if let limit { query.append(("limit", String(limit))) }
        if let continueToken, !continueToken.isEmpty { query.append(("continue", continueToken)) }
        if let resourceVersion { query.append(("resourceVersion", resourceVersion)) }
        if let resourceVersionMatch { query.append(("resourceVersionMatch", resourceVersionMatch.rawValue)) }
        return query
    }
}

/// How a list's `resourceVersion` is interpreted.
public enum ResourceVersionMatch: String, Sendable, Hashable {
    case notOlderThan = "NotOlderThan"
    case exact = "Exact"
}

/// Options of a watch request.
public struct WatchOptions: Sendable, Hashable {
    public var labelSelector: String?
    public var fieldSelector: String?
    /// Events after this version; `nil` starts from "now" (after a synthetic ADDED for each existing object).
    public var resourceVersion: String?
    /// Ask for BOOKMARK events carrying the latest `resourceVersion`, so a resumed watch starts close to now.
    public var allowWatchBookmarks: Bool
    /// The server ends the stream after this long; the client's deadline is this plus a margin.
    public var timeoutSeconds: Int

    /// client-go's reflector picks 5 to 10 minutes; 5 keeps reconnections rare but regular.
    public static let defaultTimeoutSeconds = 300
    /// Longer watches are shortened to this, so the server always ends a watch before the client's idle
    /// read timeout would.
    public static let maxTimeoutSeconds = 600

    public init(
        labelSelector: String? = nil, fieldSelector: String? = nil, resourceVersion: String? = nil,
        allowWatchBookmarks: Bool = true, timeoutSeconds: Int = WatchOptions.defaultTimeoutSeconds
    ) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.resourceVersion = resourceVersion
        self.allowWatchBookmarks = allowWatchBookmarks
        self.timeoutSeconds = timeoutSeconds
    }

    var query: [(String, String)] {
        var query: [(String, String)] = [("watch", "true")]
        if let labelSelector, !labelSelector.isEmpty { query.append(("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { query.append(("fieldSelector", fieldSelector)) }
        if let resourceVersion { query.append(("resourceVersion", resourceVersion)) }
        if allowWatchBookmarks { query.append(("allowWatchBookmarks", "true")) }
        query.append(("timeoutSeconds", String(min(max(1, timeoutSeconds), Self.maxTimeoutSeconds))))
        return query
    }
}

/// Options of create, update and patch.
public struct WriteOptions: Sendable, Hashable {
    /// Validate and return the result without persisting it.
    public var dryRun: Bool
    /// Who is writing (required for server-side apply).
    public var fieldManager: String?
    /// Server-side apply only: take ownership of conflicting fields.
    public var force: Bool

    public init(dryRun: Bool = false, fieldManager: String? = nil, force: Bool = false) {
        self.dryRun = dryRun
        self.fieldManager = fieldManager
        self.force = force
    }

    var query: [(String, String)] {
        var query: [(String, String)] = []
        if dryRun { query.append(("dryRun", "All")) }
        if let fieldManager { query.append(("fieldManager", fieldManager)) }
        if force { query.append(("force", "true")) }
        return query
    }
}

/// Options of delete and deleteCollection.
public struct DeleteOptions: Sendable, Hashable, Encodable {
    public var propagationPolicy: PropagationPolicy?
    public var preconditions: Preconditions?
    public var gracePeriodSeconds: Int?
    public var dryRun: Bool

    public init(
        propagationPolicy: PropagationPolicy? = nil, preconditions: Preconditions? = nil,
        gracePeriodSeconds: Int? = nil, dryRun: Bool = false
    ) {
        self.propagationPolicy = propagationPolicy
        self.preconditions = preconditions
        self.gracePeriodSeconds = gracePeriodSeconds
        self.dryRun = dryRun
    }

    /// What happens to dependents (objects whose ownerReferences name the deleted one).
    public enum PropagationPolicy: String, Sendable, Hashable, Encodable {
        case foreground = "Foreground"
        case background = "Background"
        case orphan = "Orphan"
    }

    /// Delete only if the object still has this uid / resourceVersion.
    public struct Preconditions: Sendable, Hashable, Encodable {
        public var uid: String?
        public var resourceVersion: String?

        public init(uid: String? = nil, resourceVersion: String? = nil) {
            self.uid = uid
            self.resourceVersion = resourceVersion
        }
    }

    enum CodingKeys: String, CodingKey {
        case kind, apiVersion, propagationPolicy, preconditions, gracePeriodSeconds, dryRun
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("DeleteOptions", forKey: .kind)
        try container.encode("v1", forKey: .apiVersion)
        try container.encodeIfPresent(propagationPolicy, forKey: .propagationPolicy)
        try container.encodeIfPresent(preconditions, forKey: .preconditions)
        try container.encodeIfPresent(gracePeriodSeconds, forKey: .gracePeriodSeconds)
        if dryRun { try container.encode(["All"], forKey: .dryRun) }
    }
}
