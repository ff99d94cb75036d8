import Foundation
import KubeClient
import Testing

@Suite("JSONValue parsing")
struct JSONParsingTests {
    func parse(_ text: String) throws(JSONParseError) -> JSONValue { try JSONValue(parsing: Array(text.utf8)) }

    @Test func parsesEveryKindOfValue() throws {
        let value = try parse(#" {"a": [1, -2, 3.5, 1e3, true, false, null], "s": "x\"y\\z\/\n\t\u00e9\ud83d\ude00", "o": {}, "l": []} "#)
        #expect(value["a"] == [1, -2, 3.5, 1000.0, true, false, nil])
        #expect(value["s"] == "x\"y\\z/\n\té😀")
        #expect(value["o"] == [:])
        #expect(value["l"] == [])
        #expect(try parse("9223372036854775807") == .int(Int64.max))
        #expect(try parse("9223372036854775808") == .double(9_223_372_036_854_775_808), "too big for Int64")
    }

    @Test func agreesWithJSONDecoder() throws {
        let text = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"app":"web"}},"spec":{"containers":[{"name":"c","ports":[{"containerPort":80}]}],"priority":0.5}}"#
        #expect(try parse(text) == (try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))))
    }

    @Test(arguments: [
        ("", "unexpected end of JSON input"),
        ("{", "unexpected end of JSON input"),
        ("{\"a\" 1}", "invalid character '1' after object key"),
        ("{\"a\":1,}", "invalid character '}' looking for beginning of object key string"),
        ("[1 2]", "invalid character '2' after array element"),
        ("tru", "unexpected end of JSON input"),
        ("nul!", "invalid character '!' in literal null (expecting 'l')"),
        ("01", "invalid character '1' after top-level value"),
        ("-x", "invalid character 'x' in numeric literal"),
        ("\"a\u{01}\"", "invalid character '\\x1' in string literal"),
        ("{} x", "invalid character 'x' after top-level value"),
    ])
    func rejectsMalformedTextWithGoWording(text: String, message: String) {
        #expect(throws: JSONParseError.self) { try parse(text) }
        do {
            _ = try parse(text)
        } catch {
            #expect(error.message == message)
        }
    }

    @Test func refusesHostileNesting() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect { try parse(deep) } throws: { ($0 as? JSONParseError)?.message == "exceeded max depth" }
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect((try? parse(fine)) != nil)
    }
}
