import KubeClient

/// Reading and writing the `metadata` of an object held as JSON.
extension JSONValue {
    /// `metadata.<field>` as a string.
    func metadataString(_ field: String) -> String? { self["metadata"]?[field]?.stringValue }

    /// Sets `metadata.<field>`; `nil` removes it.
    mutating func setMetadata(_ field: String, _ value: JSONValue?) {
        guard case .object(var fields) = self else { return }
        self = .null  // drop the second reference so the dictionaries below are edited in place
        var metadata = fields["metadata"]?.objectValue ?? [:]
        metadata[field] = value
        fields["metadata"] = .object(metadata)
        self = .object(fields)
    }

    /// `metadata.labels`, empty when absent.
    var labels: [String: String] {
        (self["metadata"]?["labels"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
    }

    /// `metadata.finalizers`, empty when absent.
    var finalizers: [String] {
        (self["metadata"]?["finalizers"]?.arrayValue ?? []).compactMap(\.stringValue)
    }

    /// The object without the members named, for comparing the parts a write may change.
    func removing(_ members: Set<String>) -> JSONValue {
        guard case .object(let fields) = self else { return self }
        return .object(fields.filter { !members.contains($0.key) })
    }
}
