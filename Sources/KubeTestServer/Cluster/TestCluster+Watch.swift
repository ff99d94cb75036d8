import Foundation
import KubeClient

/// Watches, as kube-apiserver streams them: from a resourceVersion (the changes after it, or one `ERROR` event with
/// `410 Expired` when the history no longer reaches back), or from now with the current objects as `ADDED`;
/// bookmarks when asked for; ending after `timeoutSeconds`.
extension TestCluster {
    /// How long a watch lasts when the client names no `timeoutSeconds` (kube-apiserver's default is 30-60 minutes).
    static let defaultWatchTimeout = Duration.seconds(1800)

    func watch(_ info: RequestInfo, _ request: APIRequest) -> APIResponse {
        do throws(StoreError) {
            let resource = try served(info)
            let filter = try ObjectFilter(request.query, resource: resource)
            let format = ResponseFormat(request, resource: resource)
            let version = request.query["resourceVersion"] ?? ""
            let startRevision: Int64?
            if version.isEmpty || version == "0" {
                startRevision = nil
            } else if let revision = Int64(version) {
                startRevision = revision
            } else {
                throw .badRequest("resourceVersion: Invalid value: \"\(version)\": must be an integer")
            }
            let (stream, output) = AsyncStream<[UInt8]>.makeStream()
            let subscription = WatchSubscription(resource: resource.groupResource, namespace: info.namespace, labels: filter.labels,
                                                 fields: filter.fields, render: format.render, output: output)
            let response = APIResponse(status: 200, headers: [("Content-Type", "application/json")], body: .stream(stream))
            if let startRevision {
                do {
                    for event in try store.events(resource.groupResource, after: startRevision) { subscription.deliver(event) }
                } catch {
                    subscription.send("ERROR", .init(encoding: error.status))
                    subscription.finish()
                    return response
                }
            } else {
                let page = try store.list(resource.groupResource, namespace: info.namespace.isEmpty ? nil : info.namespace, where: filter.predicate)
                for item in page.items { subscription.send("ADDED", format.render(item)) }
            }
            let id = nextWatchID
            nextWatchID += 1
            watches[id] = subscription
            let timeout = request.query["timeoutSeconds"].flatMap { Int64($0) }.map { Duration.seconds($0) } ?? Self.defaultWatchTimeout
            let timer = startTimer(id, timeout: timeout, bookmarks: request.query["allowWatchBookmarks"] == "true",
                                   kind: resource.kind, apiVersion: resource.apiVersion)
            output.onTermination = { _ in
                timer.cancel()
                Task { await self.removeWatch(id) }
            }
            return response
        } catch {
            return .failure(error)
        }
    }

    /// Ends the watch after `timeout`, sending a bookmark every ``bookmarkInterval`` meanwhile when asked.
    private func startTimer(_ id: Int, timeout: Duration, bookmarks: Bool, kind: String, apiVersion: String) -> Task<Void, Never> {
        let interval = bookmarkInterval
        return Task { [weak self] in
            let clock = ContinuousClock()
            let deadline = clock.now + timeout
            while !Task.isCancelled {
                let next = bookmarks ? min(deadline, clock.now + interval) : deadline
                try? await Task.sleep(until: next, clock: clock)
                if Task.isCancelled { return }
                if clock.now >= deadline {
                    await self?.removeWatch(id)
                    return
                }
                await self?.sendBookmark(id, kind: kind, apiVersion: apiVersion)
            }
        }
    }

    private func sendBookmark(_ id: Int, kind: String, apiVersion: String) {
        watches[id]?.send("BOOKMARK", ["kind": .string(kind), "apiVersion": .string(apiVersion),
                                       "metadata": ["resourceVersion": .string(String(store.revision))]])
    }
}

extension JSONValue {
    /// An `Encodable` value as JSON (`{}` if it cannot be encoded).
    init(encoding value: some Encodable) {
        self = (try? JSONValue(parsing: JSONWriter.bytes(encoding: value))) ?? [:]
    }
}
