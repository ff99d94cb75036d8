import Foundation
import KubeClient
import KubeTestServer
import Testing

@Suite("ObjectStore", .timeLimit(.minutes(2)))
struct ObjectStoreTests {
    static let pods = GroupResource(group: "", plural: "pods")
    static let widgets = GroupResource(group: "example.com", plural: "widgets")

    func makeStore(historyLimit: Int = 100) throws -> ObjectStore {
        var store = ObjectStore(historyLimit: historyLimit)
        store.register(StoredResourceKind(groupResource: Self.pods, kind: "Pod", namespaced: true, hasStatusSubresource: true,
                                          selectableFields: ["spec.nodeName", "status.phase"]))
        store.register(StoredResourceKind(groupResource: Self.widgets, kind: "Widget", namespaced: false, hasStatusSubresource: false))
        _ = try store.create(ObjectStore.namespaces, namespace: "", object: ["metadata": ["name": "default"]])
        return store
    }

    func pod(_ name: String, labels: [String: String] = [:], node: String = "n1") -> JSONValue {
        ["apiVersion": "v1", "kind": "Pod",
         "metadata": ["name": .string(name), "labels": .object(labels.mapValues(JSONValue.string))],
         "spec": ["nodeName": .string(node)], "status": ["phase": "Running"]]
    }

    func key(_ name: String) -> ObjectKey { ObjectKey(Self.pods, namespace: "default", name: name) }

    @Test func createAssignsServerFields() throws {
        var store = try makeStore()
        let created = try store.create(Self.pods, namespace: "default", object: pod("a"))
        #expect(created.metadataField("namespace") == "default")
        #expect(created.metadataField("uid")?.count == 36)
        #expect(created.metadataField("creationTimestamp") != nil)
        #expect(created.metadataField("resourceVersion") == String(store.revision))
        #expect(created["metadata"]?["generation"] == 1)
        #expect(created["status"] == nil, "status is the status subresource's to write")
        #expect(try store.get(key("a")) == created)
    }

    @Test func refusesDuplicatesMissingNamespacesAndBadNames() throws {
        var store = try makeStore()
        _ = try store.create(Self.pods, namespace: "default", object: pod("a"))
        #expect(throws: StoreError.self) { try store.create(Self.pods, namespace: "default", object: pod("a")) }
        do {
            _ = try store.create(Self.pods, namespace: "default", object: pod("a"))
        } catch {
            #expect(error.code == 409 && error.status.reason == "AlreadyExists" && error.description == #"pods "a" already exists"#)
        }
        var versioned = pod("v")
        versioned["metadata"]?["resourceVersion"] = "12"
        do {
            _ = try store.create(Self.pods, namespace: "default", object: versioned)
            Issue.record("created an object that names a version")
        } catch {
            #expect(error.code == 500 && error.description == "resourceVersion should not be set on objects to be created")
        }
        #expect(try store.create(Self.pods, namespace: "default", object: versioned, dryRun: true).metadataField("resourceVersion") == nil)
        do {
            _ = try store.create(Self.pods, namespace: "nowhere", object: pod("b"))
            Issue.record("created in a missing namespace")
        } catch {
            #expect(error.code == 404 && error.description == #"namespaces "nowhere" not found"#)
        }
        do {
            _ = try store.create(Self.pods, namespace: "default", object: pod("Bad_Name"))
            Issue.record("accepted an invalid name")
        } catch {
            #expect(error.code == 422)
            #expect(error.description.hasPrefix(#"Pod "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain"#))
            #expect(error.status.details?.causes?.first?.field == "metadata.name")
        }
    }

    @Test func generateNameMakesAUniqueName() throws {
        var store = try makeStore()
        let first = try store.create(Self.pods, namespace: "default", object: ["metadata": ["generateName": "web-"]])
        let second = try store.create(Self.pods, namespace: "default", object: ["metadata": ["generateName": "web-"]])
        let names = [first.metadataField("name"), second.metadataField("name")].compactMap { $0 }
        #expect(names.count == 2 && Set(names).count == 2 && names.allSatisfy { $0.hasPrefix("web-") && $0.count == 9 })
    }

    @Test func updatesCheckResourceVersionAndSkipNoOps() throws {
        var store = try makeStore()
        let created = try store.create(Self.pods, namespace: "default", object: pod("a"))
        var changed = created
        changed["spec"] = ["nodeName": "n2"]
        let updated = try store.update(key("a"), object: changed)
        #expect(updated["metadata"]?["generation"] == 2)
        #expect(Int(updated.metadataField("resourceVersion") ?? "") ?? 0 > Int(created.metadataField("resourceVersion") ?? "") ?? 0)
        // The first version is stale now.
        do {
            _ = try store.update(key("a"), object: changed)
            Issue.record("stale write accepted")
        } catch {
            #expect(error.code == 409)
            #expect(error.description == #"Operation cannot be fulfilled on pods "a": the object has been modified; please apply your changes to the latest version and try again"#)
        }
        let revision = store.revision
        #expect(try store.update(key("a"), object: updated) == updated)
        #expect(store.revision == revision, "an update that changes nothing is not a change")
        var relabelled = updated
        relabelled.setLabel("tier", "web")
        let afterLabel = try store.update(key("a"), object: relabelled)
        #expect(afterLabel["metadata"]?["generation"] == 2, "metadata changes do not bump the generation")
    }

    @Test func statusSubresourceSplitsWrites() throws {
        var store = try makeStore()
        let created = try store.create(Self.pods, namespace: "default", object: pod("a"))
        var statusWrite = created
        statusWrite["status"] = ["phase": "Succeeded"]
        statusWrite["spec"] = ["nodeName": "ignored"]
        let afterStatus = try store.update(key("a"), object: statusWrite, subresource: "status")
        #expect(afterStatus["status"]?["phase"] == "Succeeded")
        #expect(afterStatus["spec"]?["nodeName"] == "n1")
        #expect(afterStatus["metadata"]?["generation"] == 1)
        var mainWrite = afterStatus
        mainWrite["status"] = ["phase": "Failed"]
        #expect(try store.update(key("a"), object: mainWrite)["status"]?["phase"] == "Succeeded")
        // Without a status subresource the main resource owns status.
        let widget = try store.create(Self.widgets, namespace: "", object: ["metadata": ["name": "w"], "status": ["ok": true]])
        #expect(widget["status"]?["ok"] == true)
    }

    @Test func finalizersDelayDeletion() throws {
        var store = try makeStore()
        var object = pod("a")
        object.setMetadata("finalizers", ["example.com/cleanup"])
        _ = try store.create(Self.pods, namespace: "default", object: object)
        let marked = try store.delete(key("a"))
        #expect(marked["metadata"]?["deletionTimestamp"] != nil)
        #expect(try store.get(key("a"))["metadata"]?["deletionTimestamp"] != nil)
        var adding = try store.get(key("a"))
        adding.setMetadata("finalizers", ["example.com/cleanup", "example.com/more"])
        #expect(throws: StoreError.self) { try store.update(key("a"), object: adding) }
        var released = try store.get(key("a"))
        released.setMetadata("finalizers", nil)
        _ = try store.update(key("a"), object: released)
        #expect(throws: StoreError.self) { try store.get(key("a")) }
        let events = try store.events(Self.pods, after: 0).map(\.kind)
        #expect(events == [.added, .modified, .deleted])
    }

    @Test func deletingANamespaceDeletesItsObjects() throws {
        var store = try makeStore()
        _ = try store.create(Self.pods, namespace: "default", object: pod("a"))
        var kept = pod("b")
        kept.setMetadata("finalizers", ["example.com/cleanup"])
        _ = try store.create(Self.pods, namespace: "default", object: kept)
        let namespaceKey = ObjectKey(ObjectStore.namespaces, namespace: "", name: "default")
        let terminating = try store.delete(namespaceKey)
        #expect(terminating["status"]?["phase"] == "Terminating")
        #expect(try store.list(Self.pods, namespace: "default").items.map { $0.metadataField("name") } == ["b"])
        #expect(throws: StoreError.self) { try store.create(Self.pods, namespace: "default", object: pod("c")) }
        var released = try store.get(key("b"))
        released.setMetadata("finalizers", nil)
        _ = try store.update(key("b"), object: released)
        #expect(throws: StoreError.self) { try store.get(namespaceKey) }
    }

    @Test func watchHistoryIsBoundedAndCompactable() throws {
        var store = try makeStore(historyLimit: 3)
        let start = store.revision
        for index in 0..<5 { _ = try store.create(Self.pods, namespace: "default", object: pod("p\(index)")) }
        do {
            _ = try store.events(Self.pods, after: start)
            Issue.record("served events the history no longer has")
        } catch {
            #expect(error.code == 410 && error.status.reason == "Expired")
        }
        let recent = try store.events(Self.pods, after: store.revision - 3)
        #expect(recent.map { $0.object.metadataField("name") } == ["p2", "p3", "p4"])
        #expect(recent.map(\.revision) == Array((store.revision - 2)...store.revision))
        store.compactHistory()
        #expect(try store.events(Self.pods, after: store.revision).isEmpty)
        #expect(throws: StoreError.self) { try store.events(Self.pods, after: store.revision - 1) }
    }

    @Test func listsInKeyOrderWithSelectors() throws {
        var store = try makeStore()
        for (name, app, node) in [("c", "web", "n1"), ("a", "web", "n2"), ("b", "db", "n1")] {
            _ = try store.create(Self.pods, namespace: "default", object: pod(name, labels: ["app": app], node: node))
        }
        #expect(try store.list(Self.pods, namespace: nil).items.map { $0.metadataField("name") } == ["a", "b", "c"])
        let web = try LabelSelectorQuery(parsing: "app in (web, api),!legacy")
        #expect(try store.list(Self.pods, namespace: "default", where: web.matches).items.count == 2)
        let onNode = try FieldSelectorQuery(parsing: "spec.nodeName=n1,metadata.name!=c", supported: ["spec.nodeName"])
        #expect(try store.list(Self.pods, namespace: nil, where: onNode.matches).items.map { $0.metadataField("name") } == ["b"])
        #expect(throws: StoreError.self) { try FieldSelectorQuery(parsing: "spec.host=x", supported: ["spec.nodeName"]) }
    }

    @Test func pagesWithContinueTokens() throws {
        var store = try makeStore()
        for index in 0..<7 { _ = try store.create(Self.pods, namespace: "default", object: pod("p\(index)")) }
        let listRevision = store.revision
        var names: [String] = []
        var token: String?
        var pages = 0
        repeat {
            let page = try store.list(Self.pods, namespace: "default", limit: 3, continue: token)
            names += page.items.compactMap { $0.metadataField("name") }
            #expect(page.revision == listRevision)
            // p9 is created after the first page; this store's continue reads the current state (a documented lie).
            #expect(page.remainingItemCount == [4, 2, nil][pages])
            token = page.continueToken
            pages += 1
            if pages == 1 { _ = try store.create(Self.pods, namespace: "default", object: pod("p9")) }
        } while token != nil
        #expect(pages == 3)
        #expect(names == ["p0", "p1", "p2", "p3", "p4", "p5", "p6", "p9"])
        #expect(throws: StoreError.self) { try store.list(Self.pods, namespace: nil, continue: "not-a-token") }
    }
}

@Suite("Label selector queries", .timeLimit(.minutes(2)))
struct LabelSelectorQueryTests {
    @Test("match as apimachinery's labels.Parse", arguments: [
        ("", ["a": "1"], true),
        ("a", ["a": ""], true),
        ("a", [:], false),
        ("!a", [:], true),
        ("a=1", ["a": "1"], true),
        ("a==1", ["a": "2"], false),
        ("a!=1", [:], true),
        ("a!=1", ["a": "1"], false),
        ("a in (1, 2)", ["a": "2"], true),
        ("a in (1,2)", [:], false),
        ("a notin (1,2)", [:], true),
        ("a notin (1,2)", ["a": "1"], false),
        ("a>5", ["a": "6"], true),
        ("a<5", ["a": "6"], false),
        ("a=1, b", ["a": "1", "b": "x"], true),
        ("a=1,b", ["a": "1"], false),
        ("app.kubernetes.io/name=web", ["app.kubernetes.io/name": "web"], true),
        ("a=", ["a": ""], true),
    ] as [(String, [String: String], Bool)])
    func matches(_ text: String, _ labels: [String: String], _ expected: Bool) throws {
        #expect(try LabelSelectorQuery(parsing: text).matches(labels) == expected)
    }

    @Test("reject malformed selectors with 400", arguments: ["a in 1", "a in (1", "a ~ 1", "!", "a>x", "=1", "a=1 b=2"])
    func rejects(_ text: String) {
        do {
            let query = try LabelSelectorQuery(parsing: text)
            Issue.record("accepted as \(query)")
        } catch {
            #expect(error.code == 400 && error.description.hasPrefix("unable to parse requirement: "))
        }
    }
}

extension JSONValue {
    func metadataField(_ name: String) -> String? { self["metadata"]?[name]?.stringValue }

    mutating func setMetadata(_ field: String, _ value: JSONValue?) {
        var metadata = self["metadata"]?.objectValue ?? [:]
        metadata[field] = value
        self["metadata"] = .object(metadata)
    }

    mutating func setLabel(_ name: String, _ value: String) {
        var labels = self["metadata"]?["labels"]?.objectValue ?? [:]
        labels[name] = .string(value)
        setMetadata("labels", .object(labels))
    }
}
