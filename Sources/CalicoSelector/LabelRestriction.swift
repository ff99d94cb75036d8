/// What a selector requires of one label for it to match, after Calico's `LabelRestrictions()` (without its
/// "must be absent", which no index lookup can use): the label must be present and, when ``oneOf`` is set, have
/// one of those values. ``LabelIndex`` uses it to look only at label sets (or selectors) that can match instead of
/// scanning all of them.
struct LabelRestriction: Equatable {
    /// When non-nil, the label's value must be one of these; empty means the selector can never match.
    var oneOf: Set<String>?
}

extension SelectorExpression {
    /// The labels every matching label set has, by name. Conservative: a label missing from the result may still
    /// be constrained, but every listed restriction holds for every match.
    ///
    /// Values here use Swift string equality, which is looser than the byte equality of evaluation; that only
    /// widens candidate sets, and candidates are always evaluated.
    var labelRestrictions: [String: LabelRestriction] {
        switch self {
        case .all, .global, .compare(_, .notEqual, _), .set(_, _, negated: true), .not:
            return [:]
        case .has(let label), .compare(let label, .contains, _), .compare(let label, .startsWith, _),
             .compare(let label, .endsWith, _):
            return [label: LabelRestriction()]
        case .compare(let label, .equal, let value):
            return [label: LabelRestriction(oneOf: [value])]
        case .set(let label, let values, negated: false):
            return [label: LabelRestriction(oneOf: Set(values))]
        case .and(let operands):
            return operands.reduce(into: [:]) { merged, operand in
                for (label, restriction) in operand.labelRestrictions {
                    guard let existing = merged[label] else {
                        merged[label] = restriction
                        continue
                    }
                    if let values = existing.oneOf, let more = restriction.oneOf {
                        merged[label] = LabelRestriction(oneOf: values.intersection(more))
                    } else {
                        merged[label] = LabelRestriction(oneOf: existing.oneOf ?? restriction.oneOf)
                    }
                }
            }
        case .or(let operands):
            var merged = operands[0].labelRestrictions
            for operand in operands.dropFirst() {
                let other = operand.labelRestrictions
                for (label, restriction) in merged {
                    guard let alternative = other[label] else {
                        merged[label] = nil
                        continue
                    }
                    if let values = restriction.oneOf, let more = alternative.oneOf {
                        merged[label] = LabelRestriction(oneOf: values.union(more))
                    } else {
                        merged[label] = LabelRestriction()
                    }
                }
            }
            return merged
        }
    }
}
