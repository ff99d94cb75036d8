import KubeClient
import KubeTestServer
import Testing

@Suite("StructuralSchema", .timeLimit(.minutes(2)))
struct StructuralSchemaTests {
    static let schema = StructuralSchema([
        "type": "object",
        "properties": [
            "spec": ["type": "object", "required": ["mode"], "properties": [
                "mode": ["type": "string", "enum": ["fast", "safe"]],
                "size": ["type": "integer", "minimum": 0, "maximum": 10],
                "name": ["type": "string", "pattern": "^[a-z]+$", "maxLength": 8],
                "port": ["x-kubernetes-int-or-string": true],
                "tags": ["type": "array", "maxItems": 2, "items": ["type": "string"]],
                "labels": ["type": "object", "additionalProperties": ["type": "string"]],
                "extra": ["type": "object", "x-kubernetes-preserve-unknown-fields": true],
            ]],
        ],
    ])

    @Test func prunesUnknownFieldsButKeepsPreservedAndMaps() {
        let object: JSONValue = [
            "apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": "w"],
            "spec": ["mode": "fast", "unknown": 1, "labels": ["a": "b"], "extra": ["anything": ["goes": true]]],
            "status": ["phase": "x"],
        ]
        let outcome = Self.schema.prunedAndValidated(object)
        let pruned = outcome.object
        #expect(outcome.errors.isEmpty)
        #expect(outcome.prunedFields == ["spec.unknown", "status"])
        #expect(pruned["spec"] == ["mode": "fast", "labels": ["a": "b"], "extra": ["anything": ["goes": true]]])
        #expect(pruned["status"] == nil, "status is not in the schema")
        #expect(pruned["metadata"] == ["name": "w"])
    }

    @Test func reportsEachViolationWithItsField() {
        let object: JSONValue = ["spec": ["size": 11, "name": "Bad1", "port": true, "tags": ["a", "b", "c"], "labels": ["k": 1]]]
        let errors = Self.schema.prunedAndValidated(object).errors
        let byField = Dictionary(errors.map { ($0.field ?? "", $0.message ?? "") }, uniquingKeysWith: { first, _ in first })
        #expect(byField["spec.mode"] == "Required value")
        #expect(byField["spec.size"] == "Invalid value: 11: spec.size in body should be less than or equal to 10")
        #expect(byField["spec.name"] == "Invalid value: \"Bad1\": spec.name in body should match '^[a-z]+$'")
        #expect(byField["spec.port"] == "Invalid value: true: spec.port in body must be of type integer-or-string: boolean")
        #expect(byField["spec.tags"] == "Too many: 3: must have at most 2 items")
        #expect(byField["spec.labels.k"] == "Invalid value: \"integer\": spec.labels.k in body must be of type string: \"integer\"")
        let wrongEnum = Self.schema.prunedAndValidated(["spec": ["mode": "slow"]]).errors
        #expect(wrongEnum.map(\.message) == ["Unsupported value: \"slow\": supported values: \"fast\", \"safe\""])
    }

    @Test func storeRejectsInvalidCustomObjectsAndPrunesValidOnes() throws {
        var store = ObjectStore()
        let widgets = GroupResource(group: "example.com", plural: "widgets")
        store.register(StoredResourceKind(groupResource: widgets, kind: "Widget", namespaced: false, hasStatusSubresource: false,
                                          schema: Self.schema))
        #expect {
            try store.create(widgets, namespace: "", object: ["metadata": ["name": "w"], "spec": ["mode": "fast", "size": -1]])
        } throws: { error in
            (error as? StoreError)?.description == "Widget.example.com \"w\" is invalid: spec.size: Invalid value: -1: spec.size in body should be greater than or equal to 0"
        }
        let created = try store.create(widgets, namespace: "", object: ["metadata": ["name": "w"], "spec": ["mode": "fast", "bogus": 1]])
        #expect(created["spec"] == ["mode": "fast"])
        let before = store.revision
        var unchanged = created
        unchanged["spec"] = ["mode": "fast", "bogus": 2]
        _ = try store.update(ObjectKey(widgets, namespace: "", name: "w"), object: unchanged)
        #expect(store.revision == before, "a change only to pruned fields is no change")
        #expect {
            try store.update(ObjectKey(widgets, namespace: "", name: "w"), object: unchanged, rejectUnknownFields: true)
        } throws: { error in
            (error as? StoreError)?.description == "Widget in version \"\" cannot be handled as a Widget: strict decoding error: unknown field \"spec.bogus\""
        }
    }
}
