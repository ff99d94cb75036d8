import Foundation
import KubeClient
import Logging

/// Writes `events.k8s.io/v1` Events about objects, as client-go's event recorder does for the new Events API:
/// - the same event (object, type, reason, action, note) seen again within `seriesWindow` does not make a new Event:
///   the first one gets a `series` whose count and last-observed time are patched;
/// - each object may start at most `burst` new Events, then one more per `refill` (repeats of an existing series
///   are always counted), so a hot loop cannot flood the API server;
/// - failures are logged, never thrown: events are best effort and must not fail a reconcile.
public actor EventRecorder {
    public enum EventType: String, Sendable { case normal = "Normal", warning = "Warning" }

    public struct Configuration: Sendable {
        public var reportingController: String
        public var reportingInstance: String
        public var seriesWindow: Duration
        public var burst: Int
        public var refill: Duration

        public init(reportingController: String, reportingInstance: String, seriesWindow: Duration = .seconds(360),
                    burst: Int = 25, refill: Duration = .seconds(300)) {
            self.reportingController = reportingController
            self.reportingInstance = reportingInstance
            self.seriesWindow = seriesWindow
            self.burst = burst
            self.refill = refill
        }
    }

    private struct SeriesKey: Hashable {
        var object: String
        var type: String
        var reason: String
        var action: String
        var note: String
    }

    private struct Series {
        var name: String
        var namespace: String
        var count: Int32
        var lastSeen: ContinuousClock.Instant
    }

    public let configuration: Configuration
    private let client: KubeClient
    private let logger: Logger
    private var series: [SeriesKey: Series] = [:]
    private var budgets: [String: (tokens: Double, at: ContinuousClock.Instant)] = [:]
    /// Events not written because their object exceeded its budget.
    public private(set) var dropped = 0

    public init(client: KubeClient, configuration: Configuration, logger: Logger = Logger(label: "events")) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
    }

    /// Records that `reason` happened to `regarding` (`note` is the human-readable detail, cut to 1 kB).
    public func record(_ type: EventType, reason: String, action: String, note: String, regarding: core.v1.ObjectReference) async {
        let note = String(note.utf8.prefix(1024)) ?? String(note.prefix(256))
        let objectKey = "\(regarding.kind ?? "")/\(regarding.namespace ?? "")/\(regarding.name ?? "")/\(regarding.uid ?? "")"
        let key = SeriesKey(object: objectKey, type: type.rawValue, reason: reason, action: action, note: note)
        let now = ContinuousClock.now
        if var existing = series[key], now - existing.lastSeen < configuration.seriesWindow {
            existing.count += 1
            existing.lastSeen = now
            series[key] = existing
            if await patchSeries(existing) { return }
            series[key] = nil
        }
        guard takeBudget(objectKey, now: now) else {
            dropped += 1
            logger.debug("event dropped: too many for one object", metadata: ["object": "\(objectKey)", "reason": "\(reason)"])
            return
        }
        let namespace = (regarding.namespace ?? "").isEmpty ? "default" : regarding.namespace!
        let date = Date()
        let name = "\(regarding.name ?? "event").\(String(UInt64(date.timeIntervalSince1970 * 1e9), radix: 16))"
        let event = events.v1.Event(
            metadata: .init(name: name, namespace: namespace), eventTime: RFC3339.formatMicro(date),
            reportingController: configuration.reportingController, reportingInstance: configuration.reportingInstance,
            action: action, reason: reason, regarding: regarding, note: note, type: type.rawValue)
        do {
            _ = try await client.resource(events.v1.Event.self, namespace: namespace).create(event)
            series[key] = Series(name: name, namespace: namespace, count: 1, lastSeen: now)
        } catch {
            logger.warning("cannot write event", metadata: ["reason": "\(reason)", "object": "\(objectKey)", "error": "\(error)"])
        }
    }

    /// Counts a repeat on the existing Event; false when that Event is gone (a new one is made instead).
    private func patchSeries(_ entry: Series) async -> Bool {
        let patch: JSONValue = ["series": ["count": .int(Int64(entry.count)), "lastObservedTime": .string(RFC3339.formatMicro(Date()))]]
        do {
            _ = try await client.resource(events.v1.Event.self, namespace: entry.namespace).patch(entry.name, try .merge(patch))
            return true
        } catch {
            logger.debug("cannot update event series; writing a new event", metadata: ["event": "\(entry.name)", "error": "\(error)"])
            return false
        }
    }

    /// One token from the object's bucket (`burst`, refilled one per `refill`).
    private func takeBudget(_ object: String, now: ContinuousClock.Instant) -> Bool {
        var budget = budgets[object] ?? (Double(configuration.burst), now)
        budget.tokens = min(Double(configuration.burst), budget.tokens + (now - budget.at).seconds / max(configuration.refill.seconds, 1e-9))
        budget.at = now
        guard budget.tokens >= 1 else {
            budgets[object] = budget
            return false
        }
        budget.tokens -= 1
        budgets[object] = budget
        return true
    }
}
