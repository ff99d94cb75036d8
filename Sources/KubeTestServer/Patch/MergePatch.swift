import KubeClient

/// JSON merge patch (RFC 7386), `application/merge-patch+json`: objects merge member by member, `null` removes a
/// member, anything else (arrays included) replaces the target.
public enum MergePatch {
    public static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let changes) = patch else { return patch }
        var result = target.objectValue ?? [:]
        for (key, change) in changes {
            if change == .null {
                result[key] = nil
            } else {
                result[key] = apply(change, to: result[key] ?? .null)
            }
        }
        return .object(result)
    }
}
