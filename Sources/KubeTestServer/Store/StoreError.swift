import KubeClient

/// A request the store refuses, with the `Status` kube-apiserver would answer.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The response body, code and reason included.
    public let status: meta.v1.Status

    public var code: Int { status.code ?? 500 }
    public var description: String { status.message ?? "\(code)" }

    init(code: Int, reason: String, message: String, details: meta.v1.StatusDetails? = nil) {
        status = meta.v1.Status(message: message, reason: reason, details: details, code: code)
    }

    static func notFound(_ resource: GroupResource, _ name: String) -> StoreError {
        StoreError(code: 404, reason: "NotFound", message: "\(resource) \"\(name)\" not found",
                   details: .init(name: name, group: resource.group, kind: resource.plural))
    }

    static func alreadyExists(_ resource: GroupResource, _ name: String) -> StoreError {
        StoreError(code: 409, reason: "AlreadyExists", message: "\(resource) \"\(name)\" already exists",
                   details: .init(name: name, group: resource.group, kind: resource.plural))
    }

    static func conflict(_ resource: GroupResource, _ name: String, _ why: String) -> StoreError {
        StoreError(code: 409, reason: "Conflict", message: "Operation cannot be fulfilled on \(resource) \"\(name)\": \(why)",
                   details: .init(name: name, group: resource.group, kind: resource.plural))
    }

    static func modifiedSinceRead(_ resource: GroupResource, _ name: String) -> StoreError {
        conflict(resource, name, "the object has been modified; please apply your changes to the latest version and try again")
    }

    /// `422 Invalid` with one cause a field, as kube-apiserver's validation answers.
    /// The message names the kind qualified by its group (`Widget.example.com`), and brackets several causes.
    static func invalid(kind: String, group: String, name: String, causes: [meta.v1.StatusCause]) -> StoreError {
        let each = causes.map { "\($0.field ?? ""): \($0.message ?? "")" }
        let summary = each.count == 1 ? each[0] : "[\(each.joined(separator: ", "))]"
        let qualifiedKind = group.isEmpty ? kind : "\(kind).\(group)"
        return StoreError(code: 422, reason: "Invalid", message: "\(qualifiedKind) \"\(name)\" is invalid: \(summary)",
                          details: .init(name: name, group: group, kind: kind, causes: causes))
    }

    /// A storage error kube-apiserver passes on as it is: 500 with no reason (`StatusReasonUnknown`).
    static func storage(_ message: String) -> StoreError {
        StoreError(code: 500, reason: "", message: message)
    }

    static func badRequest(_ message: String) -> StoreError {
        StoreError(code: 400, reason: "BadRequest", message: message)
    }

    /// `410 Gone`: the requested resourceVersion is older than the history kept.
    static func expired(requested: Int64, oldest: Int64) -> StoreError {
        StoreError(code: 410, reason: "Expired", message: "too old resource version: \(requested) (\(oldest))")
    }
}
