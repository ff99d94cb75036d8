/// Every resource a test cluster serves, built-in and from CRDs, looked up the ways requests and discovery need.
public struct ResourceCatalog: Sendable {
    private(set) var resources: [ServedResource] = []
    /// Resources served because of a CRD, by the CRD's name.
    private var fromCRDs: [String: [ServedResource]] = [:]

    public init(builtIns: [ServedResource] = BuiltInResources.all) {
        resources = builtIns
    }

    /// The resource named by a request path: group, version and plural.
    public func resource(group: String, version: String, plural: String) -> ServedResource? {
        resources.first { $0.group == group && $0.version == version && $0.plural == plural }
    }

    /// Resources of one group version, in the order served.
    public func resources(group: String, version: String) -> [ServedResource] {
        resources.filter { $0.group == group && $0.version == version }
    }

    /// Named groups (not the core group) with their versions, first version preferred, in the order first served.
    public var groups: [(name: String, versions: [String])] {
        var order: [String] = []
        var versions: [String: [String]] = [:]
        for resource in resources where !resource.group.isEmpty {
            if versions[resource.group] == nil { order.append(resource.group) }
            if !(versions[resource.group] ?? []).contains(resource.version) { versions[resource.group, default: []].append(resource.version) }
        }
        return order.map { ($0, versions[$0] ?? []) }
    }

    /// Replaces what the CRD `name` serves (nothing, when `served` is empty). Returns the resources no longer served.
    @discardableResult
    public mutating func setCRD(_ name: String, serving served: [ServedResource]) -> [ServedResource] {
        let previous = fromCRDs[name] ?? []
        resources.removeAll { previous.contains($0) }
        resources.append(contentsOf: served)
        fromCRDs[name] = served.isEmpty ? nil : served
        return previous.filter { old in !served.contains { $0.groupResource == old.groupResource } }
    }
}
