extension SelectorExpression {
    /// Calico's canonical text (`Selector.String()` in libcalico-go): single spaces around operators, `"`
    /// quotes unless the value contains `"`, every `&&`/`||` group in parentheses, `!` directly before its
    /// operand.
    public var canonical: String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .all:
            out += "all()"
        case .global:
            out += "global()"
        case .has(let label):
            out += "has(\(label))"
        case .compare(let label, let comparison, let value):
            out += label
            out += " \(comparison.rawValue) "
            Self.writeQuoted(value, to: &out)
        case .set(let label, let values, let negated):
            out += label
            out += negated ? " not in {" : " in {"
            for (index, value) in values.enumerated() {
                if index > 0 { out += ", " }
                Self.writeQuoted(value, to: &out)
            }
            out += "}"
        case .not(let operand):
            out += "!"
            operand.write(to: &out)
        case .and(let operands):
            Self.writeGroup(operands, separator: " && ", to: &out)
        case .or(let operands):
            Self.writeGroup(operands, separator: " || ", to: &out)
        }
    }

    private static func writeGroup(_ operands: [SelectorExpression], separator: String, to out: inout String) {
        out += "("
        for (index, operand) in operands.enumerated() {
            if index > 0 { out += separator }
            operand.write(to: &out)
        }
        out += ")"
    }

    /// Calico quotes with `"` unless the value contains one. A value holding both quote kinds cannot come from
    /// the parser (there are no escapes); built in code, it prints with `'` and does not parse back, as in Calico.
    private static func writeQuoted(_ value: String, to out: inout String) {
        let quote = value.utf8.contains(UInt8(ascii: "\"")) ? "'" : "\""
        out += quote
        out += value
        out += quote
    }
}
