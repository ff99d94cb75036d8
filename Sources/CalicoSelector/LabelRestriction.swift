/// What a selector requires of one label for it to match, after Calico's `LabelRestrictions()`; used by
/// ``LabelIndex`` to look only at label sets (or selectors) that can match instead of scanning all of them.
struct LabelRestriction: Equatable {
    /// The label must be present (`has(a)`, `a == "x"`, `a in {…}`, `a contains "x"`, …).
    var mustBePresent = false
    /// The label must be absent (`!has(a)`).
    var mustBeAbsent = false
    /// When non-nil, the label's value must be one of these; empty means the selector can never match.
    var oneOf: Set<String>?
}

extension SelectorExpression {
    /// Restrictions every matching label set satisfies, by label name. Conservative: a label missing from the
    /// result may still be constrained, but every listed restriction holds for every match.
    ///
    /// Values here use Swift string equality, which is looser than the byte equality of evaluation; that only
    /// widens candidate sets, and candidates are always evaluated.
    var labelRestrictions: [String: LabelRestriction] {
        switch self {
        case .all, .global:
            return [:]
        case .has(let label):
            return [label: LabelRestriction(mustBePresent: true)]
        case .compare(let label, .equal, let value):
            return [label: LabelRestriction(mustBePresent: true, oneOf: [value])]
        case .compare(let label, .contains, _), .compare(let label, .startsWith, _), .compare(let label, .endsWith, _):
            return [label: LabelRestriction(mustBePresent: true)]
        case .compare(_, .notEqual, _):
            return [:]
        case .set(let label, let values, negated: false):
            return [label: LabelRestriction(mustBePresent: true, oneOf: Set(values))]
        case .set(_, _, negated: true):
            return [:]
        case .not(.has(let label)):
            return [label: LabelRestriction(mustBeAbsent: true)]
        case .not:
            return [:]
        case .and(let operands):
            return operands.reduce(into: [:]) { merged, operand in
                for (label, restriction) in operand.labelRestrictions {
                    var base = merged[label] ?? LabelRestriction()
                    base.mustBePresent = base.mustBePresent || restriction.mustBePresent
                    base.mustBeAbsent = base.mustBeAbsent || restriction.mustBeAbsent
                    switch (base.oneOf, restriction.oneOf) {
                    case (nil, let values): base.oneOf = values
                    case (let values?, let more?): base.oneOf = values.intersection(more)
                    case (_, nil): break
                    }
                    merged[label] = base
                }
            }
        case .or(let operands):
            var merged = operands[0].labelRestrictions
            for operand in operands.dropFirst() {
                let other = operand.labelRestrictions
                for (label, restriction) in merged {
                    let alternative = other[label] ?? LabelRestriction()
                    var combined = LabelRestriction(
                        mustBePresent: restriction.mustBePresent && alternative.mustBePresent,
                        mustBeAbsent: restriction.mustBeAbsent && alternative.mustBeAbsent
                    )
                    if combined.mustBePresent, let values = restriction.oneOf, let more = alternative.oneOf {
                        combined.oneOf = values.union(more)
                    }
                    merged[label] = combined.mustBePresent || combined.mustBeAbsent ? combined : nil
                }
            }
            return merged
        }
    }
}
