import Foundation
import KubeClient
import KubeTestServer
import Testing

func json(_ text: String) throws -> JSONValue {
    try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
}

@Suite("Patches", .timeLimit(.minutes(2)))
struct PatchTests {
    @Test("merge patch follows RFC 7386's examples", arguments: [
        (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
        (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
        (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
        (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
        (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
        (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
        (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
        (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
        (#"{"e":null}"#, #"{"a":1}"#, #"{"e":null,"a":1}"#),
        (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
        (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
    ])
    func mergePatch(_ target: String, _ patch: String, _ expected: String) throws {
        #expect(MergePatch.apply(try json(patch), to: try json(target)) == (try json(expected)))
    }

    @Test("JSON patch follows RFC 6902's examples", arguments: [
        (#"{"foo":"bar"}"#, #"[{"op":"add","path":"/baz","value":"qux"}]"#, #"{"baz":"qux","foo":"bar"}"#),
        (#"{"foo":["bar","baz"]}"#, #"[{"op":"add","path":"/foo/1","value":"qux"}]"#, #"{"foo":["bar","qux","baz"]}"#),
        (#"{"baz":"qux","foo":"bar"}"#, #"[{"op":"remove","path":"/baz"}]"#, #"{"foo":"bar"}"#),
        (#"{"foo":["bar","qux","baz"]}"#, #"[{"op":"remove","path":"/foo/1"}]"#, #"{"foo":["bar","baz"]}"#),
        (#"{"baz":"qux","foo":"bar"}"#, #"[{"op":"replace","path":"/baz","value":"boo"}]"#, #"{"baz":"boo","foo":"bar"}"#),
        (#"{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}"#, #"[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]"#,
         #"{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}"#),
        (#"{"foo":["all","grass","cows","eat"]}"#, #"[{"op":"move","from":"/foo/1","path":"/foo/3"}]"#, #"{"foo":["all","cows","eat","grass"]}"#),
        (#"{"foo":"bar"}"#, #"[{"op":"add","path":"/child","value":{"grandchild":{}}}]"#, #"{"foo":"bar","child":{"grandchild":{}}}"#),
        (#"{"foo":["bar"]}"#, #"[{"op":"add","path":"/foo/-","value":["abc","def"]}]"#, #"{"foo":["bar",["abc","def"]]}"#),
        (#"{"/":9,"~1":10}"#, #"[{"op":"test","path":"/~01","value":10},{"op":"copy","from":"/~1","path":"/a"}]"#, #"{"/":9,"~1":10,"a":9}"#),
        (#"{"metadata":{"labels":{"app.kubernetes.io/name":"x"}}}"#, #"[{"op":"replace","path":"/metadata/labels/app.kubernetes.io~1name","value":"y"}]"#,
         #"{"metadata":{"labels":{"app.kubernetes.io/name":"y"}}}"#),
    ])
    func jsonPatch(_ target: String, _ patch: String, _ expected: String) throws {
        #expect(try JSONPatch.apply(try json(patch), to: try json(target)) == (try json(expected)))
    }

    @Test("JSON patch failures reject the whole patch", arguments: [
        (#"{"foo":"bar"}"#, #"[{"op":"add","path":"/baz/bat","value":"qux"}]"#, 422),
        (#"{"baz":"qux"}"#, #"[{"op":"test","path":"/baz","value":"bar"}]"#, 422),
        (#"{"a":1}"#, #"[{"op":"remove","path":"/b"}]"#, 422),
        (#"{"a":1}"#, #"[{"op":"replace","path":"/b","value":2}]"#, 422),
        (#"{"a":[1]}"#, #"[{"op":"add","path":"/a/5","value":2}]"#, 422),
        (#"{"a":1}"#, #"[{"op":"jump","path":"/a"}]"#, 400),
        (#"{"a":1}"#, #"{"op":"add"}"#, 400),
        (#"{"a":1}"#, #"[{"op":"add","path":"a","value":1}]"#, 400),
        (#"{"a":1}"#, #"[{"op":"add","path":"/b"}]"#, 400),
    ])
    func jsonPatchFailures(_ target: String, _ patch: String, _ code: Int) throws {
        let (patchValue, targetValue) = (try json(patch), try json(target))
        do {
            let result = try JSONPatch.apply(patchValue, to: targetValue)
            Issue.record("applied: \(result)")
        } catch {
            #expect(error.code == code, "\(error)")
        }
    }
}
