import KubeClient

/// A Kubernetes `fieldSelector` query parameter (`metadata.name=web,status.phase!=Running`), limited as
/// kube-apiserver limits it to the fields each resource supports.
public struct FieldSelectorQuery: Sendable, Equatable {
    /// `field=value` (or `==`) when `equal`, else `field!=value`.
    public struct Requirement: Sendable, Equatable {
        public let field: String
        public let value: String
        public let equal: Bool
    }

    /// Fields every resource supports.
    public static let commonFields: Set<String> = ["metadata.name", "metadata.namespace"]

    public let requirements: [Requirement]

    /// - Parameter supported: the resource's own selectable fields, beside ``commonFields``.
    /// - Throws: `400 BadRequest` for a malformed requirement or a field the resource does not support.
    public init(parsing text: String, supported: Set<String>) throws(StoreError) {
        var requirements: [Requirement] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: true) {
            let requirement: Requirement
            if let range = part.range(of: "!=") {
                requirement = Requirement(field: String(part[..<range.lowerBound]), value: String(part[range.upperBound...]), equal: false)
            } else if let range = part.range(of: "==") ?? part.range(of: "=") {
                requirement = Requirement(field: String(part[..<range.lowerBound]), value: String(part[range.upperBound...]), equal: true)
            } else {
                throw .badRequest("invalid selector: '\(text)'; can't understand '\(part)'")
            }
            guard Self.commonFields.contains(requirement.field) || supported.contains(requirement.field) else {
                throw .badRequest("field label not supported: \(requirement.field)")
            }
            requirements.append(requirement)
        }
        self.requirements = requirements
    }

    public func matches(_ object: JSONValue) -> Bool {
        requirements.allSatisfy { requirement in
            var value: JSONValue? = object
            for component in requirement.field.split(separator: ".") { value = value?[String(component)] }
            let actual: String = switch value {
            case .string(let text): text
            case .bool(let flag): String(flag)
            case .int(let number): String(number)
            default: ""
            }
            return (actual == requirement.value) == requirement.equal
        }
    }
}
