import CalicoSelector
import Testing

@Suite("Selector rewrites")
struct SelectorRewriteTests {
    @Test("namespace selectors: pcns. prefix, all() and global() rewritten", arguments: [
        (#"nskey == "nsvalue""#, #"pcns.nskey == "nsvalue""#),
        ("all()", "has(projectcalico.org/namespace)"),
        ("", "has(projectcalico.org/namespace)"),
        ("global()", "!has(projectcalico.org/namespace)"),
        (#"projectcalico.org/name == "prod""#, #"pcns.projectcalico.org/name == "prod""#),
        (#"a != "1" && b contains "2" || c starts with "3" || d ends with "4""#,
         #"((pcns.a != "1" && pcns.b contains "2") || pcns.c starts with "3" || pcns.d ends with "4")"#),
        (#"has(a) && a in {"x"} && b not in {"y"}"#, #"(has(pcns.a) && pcns.a in {"x"} && pcns.b not in {"y"})"#),
        ("!all()", "!has(projectcalico.org/namespace)"),
        // Strings are values, never rewritten.
        (#"a == "all()""#, #"pcns.a == "all()""#),
    ])
    func namespaceSelector(_ input: String, _ expected: String) throws {
        #expect(try Selector(parsing: input).namespaceSelectorRewrite().canonical == expected)
    }

    @Test func namespaceRewriteMatchesEndpointLabels() throws {
        let rewritten = try Selector(parsing: #"team == "a""#).namespaceSelectorRewrite()
        #expect(rewritten.matches(["pcns.team": "a", "team": "b"]))
        #expect(!rewritten.matches(["team": "a"]))
        let global = try Selector(parsing: "global()").namespaceSelectorRewrite()
        #expect(global.matches(["role": "host"]))
        #expect(!global.matches([CalicoLabel.namespace: "default"]))
    }

    @Test func serviceAccountSelector() throws {
        #expect(try Selector(parsing: #"role == "db""#).serviceAccountSelectorRewrite().canonical == #"pcsa.role == "db""#)
        #expect(try Selector(parsing: "all()").serviceAccountSelectorRewrite().canonical == "has(projectcalico.org/serviceaccount)")
        #expect(throws: SelectorRewriteError.globalInServiceAccountSelector) {
            try Selector(parsing: "has(a) || global()").serviceAccountSelectorRewrite()
        }
    }

    @Test func serviceAccountNames() {
        let selector = Selector.serviceAccountNames(["sa2", "sa1", "sa2"])
        #expect(selector.canonical == #"projectcalico.org/serviceaccount in {"sa1", "sa2"}"#)
        #expect(selector.matches([CalicoLabel.serviceAccount: "sa1"]))
    }

    @Test func prefixVisitorMatchesCalico() throws {
        // libcalico-go's visitor table.
        let cases = [
            ("k == 'v'", #"visited/k == "v""#),
            ("k == 'v' && x == 'y'", #"(visited/k == "v" && visited/x == "y")"#),
            ("k == 'v' || has(x)", #"(visited/k == "v" || has(visited/x))"#),
            ("!(k == 'v')", #"!visited/k == "v""#),
            ("k not in {'v'}", #"visited/k not in {"v"}"#),
            ("!(!(k == 'v' && has(t) || all()) && (a in {'b', 'c'}))",
             #"!(!((visited/k == "v" && has(visited/t)) || all()) && visited/a in {"b", "c"})"#),
        ]
        for (input, expected) in cases {
            #expect(try Selector(parsing: input).prefixingLabels(with: "visited/").canonical == expected)
        }
    }
}
