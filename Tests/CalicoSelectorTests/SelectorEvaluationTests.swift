import CalicoSelector
import Testing

/// One selector with label sets it must match and label sets it must not.
struct EvaluationCase: CustomTestStringConvertible, Sendable {
    let selector: String
    let matches: [[String: String]]
    let rejects: [[String: String]]
    var testDescription: String { selector.isEmpty ? "(empty)" : selector }

    init(_ selector: String, matches: [[String: String]] = [], rejects: [[String: String]] = []) {
        self.selector = selector
        self.matches = matches
        self.rejects = rejects
    }
}

/// The semantics table of `calico-federation.md` §5.3, precedence of §5.2, and libcalico-go's own cases.
let evaluationCases: [EvaluationCase] = [
    // == and != with present and absent labels.
    EvaluationCase(#"a == "b""#, matches: [["a": "b"], ["a": "b", "c": "d"]], rejects: [[:], ["a": "c"], ["c": "d"], ["a": "B"], ["a": "b "]]),
    EvaluationCase(#"a == ''"#, matches: [["a": ""]], rejects: [[:], ["a": " "]]),
    EvaluationCase(#"a != "b""#, matches: [[:], ["a": "c"], ["a": ""], ["c": "b"]], rejects: [["a": "b"]]),
    EvaluationCase(#"a != 'a'"#, matches: [[:]], rejects: [["a": "a"]]),
    // Byte-exact comparison: composed and decomposed é are different values.
    EvaluationCase("a == \"\u{E9}\"", matches: [["a": "\u{E9}"]], rejects: [["a": "e\u{301}"]]),
    EvaluationCase("a in {\"\u{E9}\"}", matches: [["a": "\u{E9}"]], rejects: [["a": "e\u{301}"]]),
    EvaluationCase("a starts with \"e\"", matches: [["a": "e\u{301}"]], rejects: [["a": "\u{E9}"]]),
    // has / !has, including the empty value.
    EvaluationCase("has(a)", matches: [["a": "b"], ["a": ""]], rejects: [[:], ["b": "a"]]),
    EvaluationCase("!has(a)", matches: [[:], ["b": "b"]], rejects: [["a": ""]]),
    EvaluationCase("has( a )", matches: [["a": "x"]], rejects: [[:]]),
    // in / not in.
    EvaluationCase(#"a in {"'", '"', "c"}"#, matches: [["a": "c"], ["a": "\""], ["a": "'"]], rejects: [[:], ["a": "e"]]),
    EvaluationCase(#"a not in {"'", '"', "c"}"#, matches: [[:], ["a": "e"]], rejects: [["a": "c"], ["a": "\""], ["a": "'"]]),
    EvaluationCase("a in {}", rejects: [[:], ["a": ""], ["a": "x"]]),
    EvaluationCase("a not in {}", matches: [[:], ["a": ""], ["a": "x"]]),
    EvaluationCase(#"a in {"x",}"#, matches: [["a": "x"]], rejects: [["a": ""]]),
    EvaluationCase(#"a in {"1","2","3","4","5","6","7","8","9","10","11"}"#, matches: [["a": "11"], ["a": "1"]], rejects: [["a": "12"], [:]]),
    EvaluationCase(#"a not in {"1","2","3","4","5","6","7","8","9","10","11"}"#, matches: [["a": "12"], [:]], rejects: [["a": "9"]]),
    EvaluationCase(#"a in {""}"#, matches: [["a": ""]], rejects: [[:], ["a": "x"]]),
    // contains / starts with / ends with.
    EvaluationCase(#"a contains "a""#, matches: [["a": "a"], ["a": "bab"], ["a": "aaa", "b": "c"]], rejects: [[:], ["a": "b"], ["b": "aaa"]]),
    EvaluationCase(#"a starts with "a""#, matches: [["a": "a"], ["a": "abb"]], rejects: [[:], ["a": "b"], ["a": "baa"], ["b": "aaa"]]),
    EvaluationCase(#"a ends with "a""#, matches: [["a": "a"], ["a": "bba"]], rejects: [[:], ["a": "b"], ["a": "aab"], ["b": "aaa"]]),
    EvaluationCase(#"a contains """#, matches: [["a": ""], ["a": "x"]], rejects: [[:]]),
    EvaluationCase(#"a starts with """#, matches: [["a": "x"]], rejects: [[:]]),
    EvaluationCase(#"a ends with ''"#, matches: [["a": "x"]], rejects: [[:]]),
    EvaluationCase(#"a contains "long value""#, matches: [["a": "a long value!"]], rejects: [["a": "long"]]),
    // all(), global(), empty.
    EvaluationCase("", matches: [[:], ["a": "b"]]),
    EvaluationCase(" \t ", matches: [[:]]),
    EvaluationCase("all()", matches: [[:], ["a": "b"]]),
    EvaluationCase("all( )", matches: [[:]]),
    EvaluationCase("global()", matches: [[:], ["a": "b"]]),
    EvaluationCase("!all()", rejects: [[:], ["a": "b"]]),
    EvaluationCase("!global()", rejects: [[:]]),
    // ! binds to one primary and stacks by parity.
    EvaluationCase(#"!a == "b""#, matches: [[:], ["a": "c"]], rejects: [["a": "b"]]),
    EvaluationCase(#"!a in {"a"}"#, matches: [["a": "b"]], rejects: [["a": "a"]]),
    EvaluationCase("!!has(b)", matches: [["b": ""]], rejects: [["a": "b"]]),
    EvaluationCase("! has(a)", rejects: [["a": "b"]]),
    EvaluationCase("!!! has(a)", matches: [[:]], rejects: [["a": "b"]]),
    EvaluationCase("!! ! has(a)", rejects: [["a": "b"]]),
    EvaluationCase("! !!has(a)", rejects: [["a": "b"]]),
    EvaluationCase(#"!a == "x" && b == "y""#, matches: [["b": "y"]], rejects: [["a": "x", "b": "y"]]),
    EvaluationCase(#"!(a == "x" && b == "y")"#, matches: [["a": "x"], ["b": "y"]], rejects: [["a": "x", "b": "y"]]),
    // && and || with precedence.
    EvaluationCase(#"a == "b" && c == "d""#, matches: [["a": "b", "c": "d"]], rejects: [[:], ["a": "b", "c": "e"], ["a": "c", "c": "d"], ["c": "d"], ["a": "b"]]),
    EvaluationCase(#"a == "b" || c == "d""#, matches: [["a": "b", "c": "d"], ["a": "b"], ["c": "d"]], rejects: [[:], ["a": "e", "c": "e"]]),
    EvaluationCase(#"a == "1" || b == "1" && c == "1""#, matches: [["a": "1"], ["b": "1", "c": "1"]], rejects: [["b": "1"], ["c": "1"]]),
    EvaluationCase(#"(a == "1" || b == "1") && c == "1""#, matches: [["a": "1", "c": "1"]], rejects: [["a": "1"], ["b": "1"]]),
    EvaluationCase(#"a == "1" && b == "1" || c == "1""#, matches: [["c": "1"], ["a": "1", "b": "1"]], rejects: [["a": "1"]]),
    EvaluationCase(#"a == 'a1' && b != 'b1'"#, rejects: [["a": "a1", "b": "b1"]]),
    EvaluationCase(#"a != 'a1' || b != 'b1'"#, matches: [["a": "a1"]], rejects: [["a": "a1", "b": "b1"]]),
    EvaluationCase(#"! a == 'a1' || ! b == 'b1'"#, rejects: [["a": "a1", "b": "b1"]]),
    EvaluationCase("has(a) && !has(b)", matches: [["a": "a"]], rejects: [["a": "a", "b": "b"]]),
    EvaluationCase("!(!has(a) || has(b))", matches: [["a": "a"]], rejects: [[:], ["b": "b"]]),
    EvaluationCase("((((has(a)))))", matches: [["a": "a"]], rejects: [[:]]),
    EvaluationCase(#"has(a) && has(b) && has(c)"#, matches: [["a": "", "b": "", "c": ""]], rejects: [["a": "", "b": ""]]),
    EvaluationCase(#"has(a) || has(b) || has(c)"#, matches: [["c": ""]], rejects: [["d": ""]]),
    // Keywords are labels.
    EvaluationCase(#"contains == "x""#, matches: [["contains": "x"]], rejects: [[:]]),
    EvaluationCase(#"has == "x""#, matches: [["has": "x"]], rejects: [["has": "y"]]),
    EvaluationCase(#"in == "x""#, matches: [["in": "x"]]),
    EvaluationCase(#"all == "x""#, matches: [["all": "x"]]),
    EvaluationCase(#"not in {"x"}"#, matches: [["not": "x"]], rejects: [["not": "y"]]),
    EvaluationCase(#"in in {"x"}"#, matches: [["in": "x"]]),
    EvaluationCase(#"starts starts with "s""#, matches: [["starts": "sx"]]),
    // Label characters.
    EvaluationCase(#"projectcalico.org/namespace == "ns-1""#, matches: [["projectcalico.org/namespace": "ns-1"]]),
    EvaluationCase(#"A_b.c/d-9 == "v""#, matches: [["A_b.c/d-9": "v"]], rejects: [["a_b.c/d-9": "v"]]),
    // Strings hold any bytes, quotes of the other kind included.
    EvaluationCase(#"a == 'say "hi"'"#, matches: [["a": #"say "hi""#]]),
    EvaluationCase(#"a == "it's""#, matches: [["a": "it's"]]),
    EvaluationCase(#"a == "x && y || !z""#, matches: [["a": "x && y || !z"]]),
    EvaluationCase("a == \"tab\there\"", matches: [["a": "tab\there"]]),
    EvaluationCase("a == \"line\nbreak\"", matches: [["a": "line\nbreak"]]),
    // Operators without spaces.
    EvaluationCase(#"a=="b"&&c!="d"||has(e)"#, matches: [["a": "b"], ["e": ""]], rejects: [["a": "b", "c": "d"]]),
    EvaluationCase(#"a in{"x"}"#, matches: [["a": "x"]]),
    EvaluationCase(#"a contains"x""#, matches: [["a": "yxy"]]),
    EvaluationCase(#"a startswith "x""#, matches: [["a": "xy"]]),
    EvaluationCase(#"a endswith "x""#, matches: [["a": "yx"]]),
    EvaluationCase(#"a notin {"x"}"#, matches: [["a": "y"]], rejects: [["a": "x"]]),
    EvaluationCase("a starts \t with \"x\"", matches: [["a": "xy"]]),
    EvaluationCase(#"a not   in {"x"}"#, matches: [["a": "y"]]),
]

@Suite("Selector evaluation")
struct SelectorEvaluationTests {
    @Test("matches and rejects as Calico does", arguments: evaluationCases)
    func evaluates(_ testCase: EvaluationCase) throws {
        let selector = try Selector(parsing: testCase.selector)
        for labels in testCase.matches {
            #expect(selector.matches(labels), "\(testCase.selector) should match \(labels)")
        }
        for labels in testCase.rejects {
            #expect(!selector.matches(labels), "\(testCase.selector) should not match \(labels)")
        }
    }

    @Test("the canonical form evaluates like the original", arguments: evaluationCases)
    func canonicalEvaluatesTheSame(_ testCase: EvaluationCase) throws {
        let canonical = try Selector(parsing: try Selector(parsing: testCase.selector).canonical)
        for labels in testCase.matches { #expect(canonical.matches(labels)) }
        for labels in testCase.rejects { #expect(!canonical.matches(labels)) }
    }

    @Test func evaluatesComputedLabels() throws {
        struct Layered: LabelLookup {
            let own: [String: String]
            let inherited: [String: String]
            func labelValue(_ name: String) -> String? { own[name] ?? inherited[name] }
        }
        let selector = try Selector(parsing: #"app == "web" && pcns.team == "a""#)
        #expect(selector.matches(Layered(own: ["app": "web"], inherited: ["pcns.team": "a"])))
        #expect(!selector.matches(Layered(own: ["app": "web"], inherited: ["pcns.team": "b"])))
    }
}
