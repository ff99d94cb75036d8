import KubeClient

/// How a request wants objects back: as JSON objects and lists, or as a Table when its `Accept` header asks for one.
struct ResponseFormat: Sendable {
    let table: TableRenderer?

    init(_ request: APIRequest, resource: ServedResource) {
        let accept = request.headers[canonicalForm: "accept"].joined(separator: ",")
        let wantsTable = accept.split(separator: ",").first.map { $0.contains("as=Table") } ?? false
        table = wantsTable ? TableRenderer(resource: resource, includeObject: request.query["includeObject"]) : nil
    }

    func object(_ object: JSONValue, status: Int = 200) -> APIResponse {
        .json(JSONWriter.bytes(render(object)), status: status)
    }

    /// The object as it goes out: itself, or a one-row Table.
    func render(_ object: JSONValue) -> JSONValue {
        guard let table else { return object }
        return table.table([object], metadata: ["resourceVersion": object["metadata"]?["resourceVersion"] ?? ""])
    }

    func list(_ page: ObjectStore.ListPage, kind: String, apiVersion: String) -> APIResponse {
        var metadata: [String: JSONValue] = ["resourceVersion": .string(String(page.revision))]
        if let token = page.continueToken { metadata["continue"] = .string(token) }
        if let remaining = page.remainingItemCount { metadata["remainingItemCount"] = .int(Int64(remaining)) }
        if let table { return .json(JSONWriter.bytes(table.table(page.items, metadata: .object(metadata)))) }
        // Written piece by piece: the items are the bulk of a large list and need no intermediate array value.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(page.encodedItems.reduce(256) { $0 + $1.count + 1 })
        bytes.append(contentsOf: "{\"apiVersion\":".utf8)
        JSONWriter.writeString(apiVersion, into: &bytes)
        bytes.append(contentsOf: ",\"items\":[".utf8)
        let encoded = page.encodedItems.count == page.items.count ? page.encodedItems : page.items.map(JSONWriter.bytes)
        for (index, item) in encoded.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: item)
        }
        bytes.append(contentsOf: "],\"kind\":".utf8)
        JSONWriter.writeString(kind + "List", into: &bytes)
        bytes.append(contentsOf: ",\"metadata\":".utf8)
        JSONWriter.write(.object(metadata), into: &bytes)
        bytes.append(UInt8(ascii: "}"))
        return .json(bytes)
    }
}

/// The label and field selectors of a list, watch or deletecollection.
struct ObjectFilter: Sendable {
    let labels: LabelSelectorQuery?
    let fields: FieldSelectorQuery?

    init(_ query: [String: String], resource: ServedResource) throws(StoreError) {
        labels = try query["labelSelector"].flatMap { $0.isEmpty ? nil : $0 }.map { text throws(StoreError) in try LabelSelectorQuery(parsing: text) }
        fields = try query["fieldSelector"].flatMap { $0.isEmpty ? nil : $0 }.map { text throws(StoreError) in
            try FieldSelectorQuery(parsing: text, supported: resource.selectableFields)
        }
    }

    func matches(_ object: JSONValue) -> Bool {
        (labels?.matches(object) ?? true) && (fields?.matches(object) ?? true)
    }

    /// The filter for ``ObjectStore/list(_:namespace:limit:continue:where:)``: nil when nothing is filtered.
    var predicate: ((JSONValue) -> Bool)? {
        if labels == nil, fields == nil { return nil }
        let filter = self
        return { object in filter.matches(object) }
    }
}

/// What a delete asks beside the object: preconditions and dry run, from the `DeleteOptions` body.
struct DeleteOptions: Sendable {
    var uid: String?
    var resourceVersion: String?
    var dryRun = false

    init(_ request: APIRequest) throws(StoreError) {
        guard !request.body.isEmpty else { return }
        let options = try RequestBody.json(request.body)
        uid = options["preconditions"]?["uid"]?.stringValue
        resourceVersion = options["preconditions"]?["resourceVersion"]?.stringValue
        dryRun = options["dryRun"]?.arrayValue?.contains("All") ?? false
    }
}
