/// One thing wrong with a RemoteClusterConfiguration spec (or the spec read from its Secret): the field, and a
/// message in Calico's words saying what to fix. Never contains a credential value.
public struct RCCValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The field path, e.g. `spec.k8sAPIEndpoint`, or `secret calico-system/remote-b: datastoreType`.
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }

    /// A bounded label for metrics and the `ConfigValid` condition's reason.
    public var reasonLabel: String { "InvalidSpec" }
}
