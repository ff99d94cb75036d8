/// Anything a selector can be evaluated against: a map from label name to value.
///
/// Conform a type that computes labels on the fly (for example a pod's own labels layered over its namespace's
/// `pcns.` labels) to avoid building a merged dictionary for each check.
public protocol LabelLookup {
    /// The value of label `name`, or nil when the label is absent.
    func labelValue(_ name: String) -> String?
}

/// Caveat: a dictionary finds keys by Swift string equality, so a non-ASCII key that is only canonically
/// equivalent to the name also matches (Kubernetes label names are ASCII, where the two agree).
extension Dictionary: LabelLookup where Key == String, Value == String {
    @inlinable
    public func labelValue(_ name: String) -> String? { self[name] }
}
