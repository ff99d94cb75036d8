/// A parsed Calico selector, such as `app == "web" && tier in {"a", "b"}`.
///
/// Parsing follows Calico's `libcalico-go` selector parser exactly (see `calico-federation.md` §5): the same
/// inputs are accepted and rejected, evaluation gives the same answers, and ``canonical`` prints the same
/// normalised text as Calico's `Selector.String()`.
///
/// ```swift
/// let selector = try Selector(parsing: #"app == "web" && tier in {"b", "a"}"#)
/// selector.matches(["app": "web", "tier": "a"])   // true
/// selector.canonical                               // (app == "web" && tier in {"a", "b"})
/// ```
///
/// Caveats: nesting deeper than ``Selector/maximumNestingDepth`` parentheses is rejected (Calico has no limit;
/// a bound keeps a hostile annotation from exhausting the stack).
public struct Selector: Sendable, Hashable, CustomStringConvertible {
    /// The parsed expression tree.
    public let expression: SelectorExpression
    /// Calico's canonical text for this selector; two selectors with the same canonical text are the same.
    public let canonical: String
    let program: SelectorProgram

    /// The most parentheses that may be open at once.
    public static let maximumNestingDepth = 128

    /// Parses `text`; an empty or blank selector means `all()`.
    /// - Throws: ``SelectorParseError`` with the offset of the problem and what was expected there.
    public init(parsing text: String) throws(SelectorParseError) {
        self.init(try SelectorParser.parse(text))
    }

    /// Wraps an expression built in code (for example by a rewrite).
    public init(_ expression: SelectorExpression) {
        self.expression = expression
        self.canonical = expression.canonical
        self.program = SelectorProgram(expression)
    }

    /// Whether `labels` satisfy this selector.
    public func matches(_ labels: [String: String]) -> Bool {
        program.evaluate(labels)
    }

    /// Whether `labels` satisfy this selector; the fastest form to evaluate.
    public func matches(_ labels: LabelSet) -> Bool {
        program.evaluate(labels)
    }

    /// Whether `labels` satisfy this selector, for label sets computed on the fly.
    public func matches(_ labels: some LabelLookup) -> Bool {
        program.evaluate(labels)
    }

    /// A selector that matches every label set.
    public static let all = Selector(.all)

    public var description: String { canonical }

    public static func == (lhs: Selector, rhs: Selector) -> Bool { lhs.canonical == rhs.canonical }
    public func hash(into hasher: inout Hasher) { hasher.combine(canonical) }
}
