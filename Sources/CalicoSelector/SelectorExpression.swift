/// The syntax tree of a Calico selector. Parentheses are not nodes: `((a == "b"))` is the comparison itself.
public indirect enum SelectorExpression: Sendable, Hashable {
    /// `all()`: true for every label set.
    case all
    /// `global()`: true for every label set when evaluated as a plain selector; only a namespace selector's
    /// rewrite gives it a meaning (``Selector/namespaceSelectorRewrite()``).
    case global
    /// `has(label)`.
    case has(label: String)
    /// `label == "v"`, `label != "v"`, `label contains "v"`, `label starts with "v"`, `label ends with "v"`.
    case compare(label: String, SelectorComparison, value: String)
    /// `label in {…}` or, when `negated`, `label not in {…}`. The parser gives `values` sorted by their UTF-8
    /// bytes and without duplicates (build with ``set(label:members:negated:)`` to get the same).
    case set(label: String, values: [String], negated: Bool)
    /// `!operand`.
    case not(SelectorExpression)
    /// `a && b && …`, two or more operands.
    case and([SelectorExpression])
    /// `a || b || …`, two or more operands.
    case or([SelectorExpression])
}

/// The comparison operators that take one string literal.
public enum SelectorComparison: String, Sendable, Hashable, CaseIterable {
    case equal = "=="
    case notEqual = "!="
    case contains = "contains"
    case startsWith = "starts with"
    case endsWith = "ends with"
}

extension SelectorExpression {
    /// Builds a set node with Calico's set normalisation: members sorted by their UTF-8 bytes and de-duplicated.
    public static func set(label: String, members: some Sequence<String>, negated: Bool) -> SelectorExpression {
        var unique: [String] = []
        for member in members.sorted(by: ByteOrder.precedes) where unique.last.map({ !ByteOrder.equal($0, member) }) ?? true {
            unique.append(member)
        }
        return .set(label: label, values: unique, negated: negated)
    }
}
