import CalicoSelector
import Testing

/// (selector, the error message it must give). Messages name what was expected and the character offset.
let rejectedSelectors: [(String, String)] = [
    // libcalico-go's badSelectors.
    ("b == b", #"expected a quoted string after "==" at offset 5, found label "b""#),
    ("b contains b", #"expected a quoted string after "contains" at offset 11, found label "b""#),
    ("b starts with b", #"expected a quoted string after "starts with" at offset 14, found label "b""#),
    ("b ends with b", #"expected a quoted string after "ends with" at offset 12, found label "b""#),
    ("'b1' == b", #"expected an expression (a label comparison, "has(", "all()", "global()", "!" or "(") at offset 0, found string "b1""#),
    ("b", #"expected an operator after label "b" at offset 1, found the end of the selector"#),
    ("a b", #"expected an operator after label "a" at offset 2"#),
    ("!", #"expected an expression (a label comparison, "has(", "all()", "global()", "!" or "(") at offset 1, found the end of the selector"#),
    (#"foo == "bar" &"#, #"expected "&&" at offset 13"#),
    (#"foo == "bar" |"#, #"expected "||" at offset 13"#),
    ("foo != ||", #"expected a quoted string after "!=" at offset 7, found "||""#),
    (#"foo in {"", ||"#, #"expected a quoted string or "}" at offset 12, found "||""#),
    (#"foo in """#, #"expected "{" after "in" at offset 7, found string """#),
    (#""FOO"#, "unterminated string starting at offset 0"),
    (#""FOO'"#, "unterminated string starting at offset 0"),
    ("'FOO", "unterminated string starting at offset 0"),
    ("(", #"expected an expression (a label comparison, "has(", "all()", "global()", "!" or "(") at offset 1, found the end of the selector"#),
    (#"(a == "foo""#, #"expected ")" to close the "(" at offset 0 at offset 11, found the end of the selector"#),
    (")", #"expected an expression (a label comparison, "has(", "all()", "global()", "!" or "(") at offset 0, found ")""#),
    ("()", #"expected an expression (a label comparison, "has(", "all()", "global()", "!" or "(") at offset 1, found ")""#),
    ("%", #"unexpected character "%" at offset 0"#),
    (#"a == "b" && %"#, #"unexpected character "%" at offset 12"#),
    (#"a == "b" || %"#, #"unexpected character "%" at offset 12"#),
    ("a ", #"expected an operator after label "a" at offset 2, found the end of the selector"#),
    ("has(foo) &&", #"expected an expression (a label comparison, "has(", "all()", "global()", "!" or "(") at offset 11, found the end of the selector"#),
    // Whitespace is only space and tab.
    ("a ==\n\"b\"", "unexpected character newline (only spaces and tabs may separate tokens) at offset 4"),
    ("a\n== \"b\"", "expected an operator after label \"a\" at offset 1, found newline (only spaces and tabs may separate tokens)"),
    ("has(a)\r", "unexpected character carriage return (only spaces and tabs may separate tokens) at offset 6"),
    ("\u{0B}has(a)", "unexpected character U+B at offset 0"),
    // Single-character and tripled operators.
    (#"a = "b""#, #"expected "==" at offset 2"#),
    (#"a === "b""#, #"expected "==" at offset 4"#),
    ("has(a) & has(b)", #"expected "&&" at offset 7"#),
    ("has(a) ||| has(b)", #"expected "||" at offset 9"#),
    // Word operators must end at a word boundary and only follow a label.
    (#"a containsx "y""#, #"expected an operator after label "a" at offset 2, found "containsx""#),
    (#"a inx {"y"}"#, #"expected an operator after label "a" at offset 2"#),
    (#"a starts "x""#, #"expected an operator after label "a" at offset 2"#),
    (#"a ends wit "x""#, #"expected an operator after label "a" at offset 2"#),
    (#"a not {"x"}"#, #"expected an operator after label "a" at offset 2, found "not""#),
    (#"a == "b" contains "c""#, #"expected "&&", "||" or the end of the selector at offset 9, found label "contains""#),
    // Functions need the parenthesis right after the word, and a label inside has().
    ("has (a)", #"expected an operator after label "has" at offset 4, found "(""#),
    ("all ()", #"expected an operator after label "all" at offset 4, found "(""#),
    ("global ()", #"expected an operator after label "global" at offset 7, found "(""#),
    ("has()", "expected a label at offset 4"),
    ("has(a b)", #"expected ")" to close "has(" at offset 6"#),
    ("has(a", #"expected ")" to close "has(" at offset 5"#),
    ("all(x)", #"expected ")" to close "all(" at offset 4"#),
    ("global(", #"expected ")" to close "global(" at offset 7"#),
    ("has(a:b)", #"expected ")" to close "has(" at offset 5"#),
    // Labels.
    (#"a:b == "c""#, #"expected an operator after label "a" at offset 1, found ":""#),
    (#"~a == "c""#, #"unexpected character "~" at offset 0"#),
    (String(repeating: "l", count: 513) + #" == "x""#, "label too long at offset 0: 513 characters, at most 512"),
    ("has(" + String(repeating: "l", count: 600) + ")", "label too long at offset 4: 600 characters, at most 512"),
    // No escapes in strings.
    (#"a == "x\"y""#, "unterminated string starting at offset 10 (strings have no escapes; use the other quote kind)"),
    // Sets.
    (#"a in {,}"#, #"expected a quoted string or "}" at offset 6, found ",""#),
    (#"a in {"x",,}"#, #"expected a quoted string or "}" at offset 10, found ",""#),
    (#"a in {"x" "y"}"#, #"expected "," or "}" at offset 10, found string "y""#),
    (#"a in {"x""#, #"expected "," or "}" at offset 9, found the end of the selector"#),
    (#"a in {x}"#, #"expected a quoted string or "}" at offset 6, found label "x""#),
    (#"a in ("x")"#, #"expected "{" after "in" at offset 5, found "(""#),
    // Structure.
    (#"a == "b" c == "d""#, #"expected "&&", "||" or the end of the selector at offset 9, found label "c""#),
    (#"a == "b")"#, #"expected "&&", "||" or the end of the selector at offset 8, found ")""#),
    ("&& has(a)", #"expected an expression (a label comparison, "has(", "all()", "global()", "!" or "(") at offset 0, found "&&""#),
    ("has(a) && || has(b)", #"expected an expression (a label comparison, "has(", "all()", "global()", "!" or "(") at offset 10, found "||""#),
    ("has(a) has(b)", #"expected "&&", "||" or the end of the selector at offset 7, found "has(b)""#),
    ("all() all()", #"expected "&&", "||" or the end of the selector at offset 6, found "all()""#),
    // Offsets count characters, not bytes.
    ("a == \"\u{E9}\u{E9}\" && %", #"unexpected character "%" at offset 13"#),
]

@Suite("Selector parse errors")
struct SelectorParseErrorTests {
    @Test("rejects with a message naming the offset and what was expected", arguments: rejectedSelectors)
    func rejects(_ input: String, _ message: String) {
        do {
            let selector = try Selector(parsing: input)
            Issue.record("accepted as \(selector.canonical)")
        } catch {
            #expect(error.description.hasPrefix(message), "got: \(error.description)")
        }
    }

    @Test func acceptsTheLongestLabel() throws {
        let label = String(repeating: "l", count: 512)
        let selector = try Selector(parsing: label + #" == "x""#)
        #expect(selector.matches([label: "x"]))
    }

    @Test func boundsNesting() throws {
        let depth = Selector.maximumNestingDepth
        let fits = String(repeating: "(", count: depth) + "has(a)" + String(repeating: ")", count: depth)
        #expect(try Selector(parsing: fits).canonical == "has(a)")
        let tooDeep = String(repeating: "(", count: depth + 1) + "has(a)" + String(repeating: ")", count: depth + 1)
        #expect(throws: SelectorParseError.self) { try Selector(parsing: tooDeep) }
        // A long run of "!" is not nesting: it collapses.
        #expect(try Selector(parsing: String(repeating: "!", count: 100_001) + "has(a)").canonical == "!has(a)")
    }

    @Test func errorsHaveMetricLabels() {
        do {
            _ = try Selector(parsing: "'x")
            Issue.record("expected an error")
        } catch {
            #expect(error.reasonLabel == "UnterminatedString")
            #expect(error.offset == 0)
        }
    }
}
