import KubeClient

/// One open watch: which changes it wants and the stream its JSON lines go out on.
///
/// With a label or field selector, an object that starts matching arrives as `ADDED` and one that stops matching as
/// `DELETED`, as kube-apiserver's watch cache reports them.
struct WatchSubscription: Sendable {
    let resource: GroupResource
    /// Empty for every namespace.
    let namespace: String
    let labels: LabelSelectorQuery?
    let fields: FieldSelectorQuery?
    /// How an object goes out: itself, or a one-row Table.
    let render: @Sendable (JSONValue) -> JSONValue
    let output: AsyncStream<[UInt8]>.Continuation

    func wants(_ object: JSONValue) -> Bool {
        (labels?.matches(object) ?? true) && (fields?.matches(object) ?? true)
    }

    func deliver(_ event: ObjectStore.Event) {
        guard namespace.isEmpty || event.key.namespace == namespace else { return }
        let now = wants(event.object)
        let type: String
        switch event.kind {
        case .added:
            guard now else { return }
            type = "ADDED"
        case .deleted:
            guard now else { return }
            type = "DELETED"
        case .modified:
            let before = event.previous.map(wants) ?? false
            switch (before, now) {
            case (true, true): type = "MODIFIED"
            case (false, true): type = "ADDED"
            case (true, false): type = "DELETED"
            case (false, false): return
            }
        }
        send(type, render(event.object))
    }

    func send(_ type: String, _ object: JSONValue) {
        output.yield(Self.line(type, object))
    }

    func finish() { output.finish() }

    /// One watch event as kube-apiserver writes it: a JSON object and a newline.
    static func line(_ type: String, _ object: JSONValue) -> [UInt8] {
        var bytes: [UInt8] = Array("{\"type\":\"\(type)\",\"object\":".utf8)
        JSONWriter.write(object, into: &bytes)
        bytes.append(contentsOf: "}\n".utf8)
        return bytes
    }
}
