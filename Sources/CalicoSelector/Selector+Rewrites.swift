/// A selector that cannot be rewritten for the place it is used.
public enum SelectorRewriteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `global()` in a service-account selector, which Calico's validator rejects.
    case globalInServiceAccountSelector

    public var description: String {
        switch self {
        case .globalInServiceAccountSelector: "global() is not allowed in a service account selector"
        }
    }
}

extension Selector {
    /// The same selector with every label name prefixed, as Calico's `PrefixVisitor` does: `a == "b"` with
    /// prefix `pcns.` becomes `pcns.a == "b"`. `all()` and `global()` are unchanged.
    public func prefixingLabels(with prefix: String) -> Selector {
        Selector(expression.replacing(prefix: prefix, all: .all, global: .global))
    }

    /// How Calico evaluates a `namespaceSelector` against endpoints (§4.4): labels get the `pcns.` prefix,
    /// `all()` becomes `has(projectcalico.org/namespace)` and `global()` becomes
    /// `!has(projectcalico.org/namespace)`.
    public func namespaceSelectorRewrite() -> Selector {
        Selector(expression.replacing(
            prefix: CalicoLabel.namespacePrefix,
            all: .has(label: CalicoLabel.namespace),
            global: .not(.has(label: CalicoLabel.namespace))
        ))
    }

    /// How Calico evaluates a `serviceAccountSelector` (§4.4): labels get the `pcsa.` prefix and `all()` becomes
    /// `has(projectcalico.org/serviceaccount)`.
    /// - Throws: ``SelectorRewriteError/globalInServiceAccountSelector`` when the selector uses `global()`.
    public func serviceAccountSelectorRewrite() throws(SelectorRewriteError) -> Selector {
        if expression.contains(where: { $0 == .global }) { throw .globalInServiceAccountSelector }
        return Selector(expression.replacing(
            prefix: CalicoLabel.serviceAccountPrefix,
            all: .has(label: CalicoLabel.serviceAccount),
            global: .global
        ))
    }

    /// Calico's selector for `serviceAccounts.names`: `projectcalico.org/serviceaccount in {…}`.
    public static func serviceAccountNames(_ names: some Sequence<String>) -> Selector {
        Selector(.set(label: CalicoLabel.serviceAccount, members: names, negated: false))
    }
}

extension SelectorExpression {
    /// This tree with labels prefixed and the `all()` / `global()` leaves replaced.
    func replacing(prefix: String, all: SelectorExpression, global: SelectorExpression) -> SelectorExpression {
        switch self {
        case .all: all
        case .global: global
        case .has(let label): .has(label: prefix + label)
        case .compare(let label, let comparison, let value): .compare(label: prefix + label, comparison, value: value)
        case .set(let label, let values, let negated): .set(label: prefix + label, values: values, negated: negated)
        case .not(let operand): .not(operand.replacing(prefix: prefix, all: all, global: global))
        case .and(let operands): .and(operands.map { $0.replacing(prefix: prefix, all: all, global: global) })
        case .or(let operands): .or(operands.map { $0.replacing(prefix: prefix, all: all, global: global) })
        }
    }

    /// Whether this node or any node below it satisfies `predicate`.
    public func contains(where predicate: (SelectorExpression) -> Bool) -> Bool {
        if predicate(self) { return true }
        switch self {
        case .not(let operand): return operand.contains(where: predicate)
        case .and(let operands), .or(let operands): return operands.contains { $0.contains(where: predicate) }
        case .all, .global, .has, .compare, .set: return false
        }
    }
}
