extension events.v1 {
    /// An `events.k8s.io/v1` Event (complete).
    public struct Event: KubernetesResource, Hashable {
        public static let resource = Resource(
            group: "events.k8s.io", version: "v1", plural: "events", kind: "Event", namespaced: true)

        public var metadata: meta.v1.ObjectMeta
        /// When the event was first seen, RFC 3339 with microseconds.
        public var eventTime: String
        public var series: EventSeries?
        public var reportingController: String?
        public var reportingInstance: String?
        public var action: String?
        public var reason: String?
        public var regarding: core.v1.ObjectReference?
        public var related: core.v1.ObjectReference?
        public var note: String?
        /// `Normal` or `Warning`.
        public var type: String?

        public init(
            metadata: meta.v1.ObjectMeta, eventTime: String, reportingController: String? = nil,
            reportingInstance: String? = nil, action: String? = nil, reason: String? = nil,
            regarding: core.v1.ObjectReference? = nil, note: String? = nil, type: String? = nil
        ) {
            self.metadata = metadata
            self.eventTime = eventTime
            self.reportingController = reportingController
            self.reportingInstance = reportingInstance
            self.action = action
            self.reason = reason
            self.regarding = regarding
            self.note = note
            self.type = type
        }
    }

    /// How often an aggregated event was seen.
    public struct EventSeries: Codable, Sendable, Hashable {
        public var count: Int32
        public var lastObservedTime: String

        public init(count: Int32, lastObservedTime: String) {
            self.count = count
            self.lastObservedTime = lastObservedTime
        }
    }
}
