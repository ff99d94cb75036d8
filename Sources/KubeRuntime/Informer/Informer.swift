import KubeClient
import Logging
import Synchronization

/// Keeps a live cache of one resource, as client-go's reflector and informer do: a paged list, then a watch from the
/// list's `resourceVersion`; when the watch ends, a new one from the last version seen (bookmarks advance it); on
/// `410 Gone`, a new list whose differences from the cache are emitted as adds, updates and deletes, so consumers
/// see exactly what changed while the watch was down. Errors are retried with ``Backoff``.
///
/// The cache holds `Cached` values made by `project` from each object: a projection (a few fields of a pod) keeps
/// a large cache small. Updates that leave the projection equal are not emitted.
public final class Informer<Watched: KubernetesObject, Cached: Sendable & Equatable>: Sendable {
    public typealias Options = InformerOptions

    public let cache: ObjectCache<Cached>
    /// Changes to the cache, in the order they were applied. Consumed by one task.
    public let events: AsyncStream<InformerEvent<Cached>>
    private let output: AsyncStream<InformerEvent<Cached>>.Continuation
    private let client: ResourceClient<Watched>
    private let project: @Sendable (Watched) -> Cached
    private let options: Options
    private let logger: Logger
    private let syncState = Mutex<(synced: Bool, ended: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, false, []))

    public init(client: ResourceClient<Watched>, options: Options = Options(), indexes: [String: ObjectCache<Cached>.IndexFunction] = [:],
                logger: Logger = Logger(label: "informer"), project: @escaping @Sendable (Watched) -> Cached) {
        self.client = client
        self.options = options
        self.project = project
        cache = ObjectCache(indexes: indexes)
        (events, output) = AsyncStream.makeStream()
        var logger = logger
        logger[metadataKey: "resource"] = "\(client.resource)"
        self.logger = logger
    }

    /// Whether the first full list is in the cache.
    public var hasSynced: Bool { syncState.withLock { $0.synced } }

    /// Returns once the first full list is in the cache, or once ``run()`` has ended (check ``hasSynced``).
    public func waitUntilSynced() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let ready = syncState.withLock { state in
                let ready = state.synced || state.ended
                if !ready { state.waiters.append(waiter) }
                return ready
            }
            if ready { waiter.resume() }
        }
    }

    /// Lists and watches until the task is cancelled; then finishes ``events``.
    public func run() async {
        await withDiscardingTaskGroup { group in
            if let period = options.resyncPeriod {
                group.addTask { await self.resyncEvery(period) }
            }
            await listAndWatch()
            group.cancelAll()
        }
        output.finish()
        // Nobody may wait for a sync that can no longer happen.
        let waiters = syncState.withLock { state in
            state.ended = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    private func listAndWatch() async {
        var backoff = options.backoff
        var resourceVersion: String?
        var failing = false
        var interruptions = 0
        while !Task.isCancelled {
            do {
                if resourceVersion == nil { resourceVersion = try await relist() }
                try await watch(from: &resourceVersion) {
                    if failing { output.yield(.recovered) }
                    failing = false
                }
                backoff.reset()
                interruptions = 0
            } catch is CancellationError {
                return
            } catch let error as KubeAPIError where error.isGone {
                logger.info("resourceVersion expired; listing again", metadata: ["resourceVersion": "\(resourceVersion ?? "")"])
                resourceVersion = nil
            } catch is WatchExpired {
                logger.info("watch expired; listing again", metadata: ["resourceVersion": "\(resourceVersion ?? "")"])
                resourceVersion = nil
            } catch let interrupted as WatchInterrupted {
                // An accepted watch that broke (connection reset, server restart) is routine: resume from the last
                // version at once, and report a failure only if resuming fails.
                guard !Task.isCancelled else { return }
                interruptions += 1
                logger.debug("watch interrupted; resuming", metadata: ["error": "\(interrupted.underlying)"])
                // A watch that keeps breaking is resumed with back-off, not in a tight loop.
                if interruptions > 1 { try? await Task.sleep(for: backoff.next()) }
            } catch {
                guard !Task.isCancelled else { return }
                let delay = backoff.next()
                logger.warning("list or watch failed; retrying", metadata: ["error": "\(error)", "retryIn": "\(delay)"])
                failing = true
                output.yield(.recovering(error))
                // A cancelled sleep ends the loop at the `while` check.
                try? await Task.sleep(for: delay)
            }
        }
    }

    /// Lists everything, page by page, applies the differences to the cache, and returns the list's resourceVersion.
    /// Each page is applied as it arrives, so memory holds one page of whole objects, never the whole list.
    private func relist() async throws -> String {
        var list = ListOptions(labelSelector: options.labelSelector, fieldSelector: options.fieldSelector, limit: options.pageSize)
        var seen = Set<String>()
        var version: String?
        while true {
            let page = try await client.list(list)
            // A continued list is served at the first page's version.
            version = version ?? page.metadata.resourceVersion
            for item in page.items {
                seen.insert(item.key)
                apply(item.key, project(item))
            }
            guard let token = page.metadata.continue, !token.isEmpty else { break }
            list.continueToken = token
            list.resourceVersion = nil
            list.resourceVersionMatch = nil
        }
        for key in cache.keys where !seen.contains(key) {
            if let old = cache.remove(key) { output.yield(.deleted(key: key, old)) }
        }
        markSynced()
        return version ?? ""
    }

    /// Watches from `resourceVersion`, applying events and advancing it, until the server ends the watch.
    /// `started` runs once the server accepted the watch.
    private func watch(from resourceVersion: inout String?, started: () -> Void) async throws {
        let stream = try await client.watch(WatchOptions(
            labelSelector: options.labelSelector, fieldSelector: options.fieldSelector, resourceVersion: resourceVersion,
            allowWatchBookmarks: true, timeoutSeconds: options.watchTimeoutSeconds))
        started()
        do {
            for try await event in stream { try apply(event, &resourceVersion) }
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as KubeAPIError {
            throw error
        } catch is WatchExpired {
            throw WatchExpired()
        } catch {
            throw WatchInterrupted(underlying: error)
        }
    }

    /// Applies one watch event to the cache, advancing `resourceVersion`.
    private func apply(_ event: WatchEvent<Watched>, _ resourceVersion: inout String?) throws {
        switch event {
        case .added(let object), .modified(let object):
            apply(object.key, project(object))
            resourceVersion = object.metadata.resourceVersion ?? resourceVersion
        case .deleted(let object):
            if let old = cache.remove(object.key) { output.yield(.deleted(key: object.key, old)) }
            resourceVersion = object.metadata.resourceVersion ?? resourceVersion
        case .bookmark(let version):
            if !version.isEmpty { resourceVersion = version }
        case .error(let status):
            if status.code == 410 { throw WatchExpired() }
            throw KubeAPIError(status: status, httpCode: status.code ?? 500, request: "watch \(client.resource)")
        }
    }

    /// Stores a projected object, emitting an add, or an update when the projection changed.
    private func apply(_ key: String, _ new: Cached) {
        if let old = cache.put(key, new) {
            if old != new { output.yield(.updated(key: key, old: old, new: new)) }
        } else {
            output.yield(.added(key: key, new))
        }
    }

    private func markSynced() {
        let waiters = syncState.withLock { state -> [CheckedContinuation<Void, Never>]? in
            guard !state.synced else { return nil }
            state.synced = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        guard let waiters else { return }
        output.yield(.synced)
        for waiter in waiters { waiter.resume() }
    }

    private func resyncEvery(_ period: Duration) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: period)
            guard !Task.isCancelled, hasSynced else { continue }
            for key in cache.keys {
                if let object = cache.get(key) { output.yield(.resync(key: key, object)) }
            }
        }
    }
}

extension Informer where Cached == Watched, Watched: Equatable {
    /// An informer that caches whole objects.
    public convenience init(client: ResourceClient<Watched>, options: Options = Options(),
                            indexes: [String: ObjectCache<Cached>.IndexFunction] = [:], logger: Logger = Logger(label: "informer")) {
        self.init(client: client, options: options, indexes: indexes, logger: logger) { $0 }
    }
}

/// A watch ended by an `ERROR` event with `410 Gone`: the version it resumed from is too old.
struct WatchExpired: Error {}

/// An accepted watch whose stream broke.
struct WatchInterrupted: Error {
    let underlying: any Error
}

/// What an ``Informer`` watches and how.
public struct InformerOptions: Sendable {
    public var labelSelector: String?
    public var fieldSelector: String?
    /// Items per list page.
    public var pageSize: Int
    /// The server ends each watch after this long (a new one starts at once).
    public var watchTimeoutSeconds: Int
    /// Every cached object is sent again as ``InformerEvent/resync(key:_:)`` at this interval; nil for never.
    public var resyncPeriod: Duration?
    public var backoff: Backoff

    public init(labelSelector: String? = nil, fieldSelector: String? = nil, pageSize: Int = 500,
                watchTimeoutSeconds: Int = WatchOptions.defaultTimeoutSeconds, resyncPeriod: Duration? = nil,
                backoff: Backoff = Backoff()) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.pageSize = pageSize
        self.watchTimeoutSeconds = watchTimeoutSeconds
        self.resyncPeriod = resyncPeriod
        self.backoff = backoff
    }
}
