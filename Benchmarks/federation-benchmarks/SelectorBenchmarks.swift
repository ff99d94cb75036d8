import CalicoSelector
import Foundation

/// Calico selector parsing, evaluation and the label index (issue 4).
func runSelectorBenchmarks() throws {
    let labelSets = (0..<100_000).map { LabelSet(endpointLabels($0)) }

    // 1. Parsing.
    let texts = [
        #"app == "x" && tier in {"a","b"}"#,
        #"has(projectcalico.org/namespace) && !has(dev)"#,
        #"(role == 'db' || role == 'cache') && env not in {"test", "dev"}"#,
        #"version starts with "v1." && team contains "pay""#,
        "",
    ]
    let parseCount = 500_000
    var parsed = 0
    let parseTime = try median(runs: 5) {
        parsed = 0
        for index in 0..<parseCount { parsed += try Selector(parsing: texts[index % texts.count]).canonical.utf8.count }
    }
    precondition(parsed > 0)

    let rssAfterParsing = peakRSSMiB()
    // 2. Evaluation against 6-label endpoints (pod labels plus Calico's namespace and service-account labels), where
    // app is "x" or "y" so that both sides of `&&` run.
    let evaluated = (0..<65_536).map { index in
        var labels = endpointLabels(index)
        labels["app"] = ["x", "y"][index / 3 % 2]
        return labels
    }
    let evaluations = 10_000_000
    let cases = [
        #"app == "x" && tier in {"a","b"}"#,
        #"has(app)"#,
        #"app != "x""#,
        #"app in {"app-1","app-2","app-3","app-4","app-5","app-6","app-7","app-8","app-9","app-10","app-11","app-12"}"#,
        #"version starts with "v1" || team contains "3""#,
    ]
    let evaluatedSets = evaluated.map(LabelSet.init)
    var evaluationRows: [(String, Double, Double, Int)] = []
    for text in cases {
        let selector = try Selector(parsing: text)
        var matched = 0
        let setTime = median(runs: 3) {
            matched = 0
            for index in 0..<evaluations where selector.matches(evaluatedSets[index & 0xFFFF]) { matched += 1 }
        }
        var matchedInDictionaries = 0
        let dictionaryTime = median(runs: 3) {
            matchedInDictionaries = 0
            for index in 0..<evaluations where selector.matches(evaluated[index & 0xFFFF]) { matchedInDictionaries += 1 }
        }
        precondition(matched == matchedInDictionaries)
        evaluationRows.append((text, Double(evaluations) / setTime.seconds, Double(evaluations) / dictionaryTime.seconds, matched))
    }

    let rssAfterEvaluation = peakRSSMiB()
    // 3. The index: registering one selector over 100,000 label sets.
    var index = LabelIndex<Int, Int>()
    for (id, labels) in labelSets.enumerated() { index.updateLabels(id, labels) }
    var registerRows: [(String, Duration, Int)] = []
    for (offset, text) in [#"app == "app-7""#, #"app == "x" && tier in {"a","b"}"#, "has(tier)", #"!has(tier)"#].enumerated() {
        let selector = try Selector(parsing: text)
        var matches = 0
        let time = median(runs: 5) {
            matches = index.updateSelector(1_000_000 + offset, selector).count
            index.removeSelector(1_000_000 + offset)
        }
        registerRows.append((text, time, matches))
    }

    let rssAfterRegistering = peakRSSMiB()
    // 4. The index: one label-set change with 1,000 selectors registered (over the 100,000 label sets).
    var updateRows: [(String, Double)] = []
    for (name, selectorText) in [
        ("1,000 selectors of the form app == \"app-N\" && tier in {…}", { (n: Int) in #"app == "app-\#(n)" && tier in {"a","b"}"# }),
        ("1,000 mixed: 90% ==/in, 5% has() && ==, 5% unindexable (||, !=)", { (n: Int) in
            switch n % 20 {
            case 0: #"app == "app-\#(n)" || team != "team-\#(n % 50)""#
            case 1: #"has(version) && version == "v\#(n % 7)""#
            default: #"app == "app-\#(n)" && tier in {"a","b"}"#
            }
        }),
        ("1,000 unindexable selectors (app == … || tier == …), the worst case", { (n: Int) in #"app == "app-\#(n)" || tier == "t\#(n)""# }),
    ] {
        var updating = LabelIndex<Int, Int>()
        for (id, labels) in labelSets.enumerated() { updating.updateLabels(id, labels) }
        for n in 0..<1_000 { updating.updateSelector(n, try Selector(parsing: selectorText(n))) }
        let updates = 20_000
        var changes = 0
        let time = median(runs: 3) {
            for step in 0..<updates {
                var labels = endpointLabels(step)
                labels["app"] = "app-\((step * 7) % 1_200)"
                changes += updating.updateLabels(step, LabelSet(labels)).count
                changes += updating.updateLabels(step, labelSets[step]).count
            }
        }
        precondition(changes > 0 || name.contains("unindexable"))
        updateRows.append((name, time.seconds / Double(2 * updates) * 1e6))
    }

    print("| parsing | selectors | median time | selectors/s |")
    print("|---|---|---|---|")
    print("| 5 typical selectors, round robin, parse + canonical text | \(parseCount) | \(format(parseTime.seconds, 3)) s | \(format(Double(parseCount) / parseTime.seconds / 1e6, 2)) M/s |")
    print("")
    print("| evaluation (one core, 6-label endpoints) | LabelSet | [String: String] | matched of \(evaluations) |")
    print("|---|---|---|---|")
    for (text, setRate, dictionaryRate, matched) in evaluationRows {
        print("| `\(text)` | \(format(setRate / 1e6, 1)) M/s | \(format(dictionaryRate / 1e6, 1)) M/s | \(matched) |")
    }
    print("")
    print("| index: register one selector over 100,000 label sets | median time | matches |")
    print("|---|---|---|")
    for (text, time, matches) in registerRows { print("| `\(text)` | \(format(time.seconds * 1e3, 3)) ms | \(matches) |") }
    print("")
    print("| index: one label-set change, 100,000 label sets registered | µs per change |")
    print("|---|---|")
    for (name, micros) in updateRows { print("| \(name) | \(format(micros, 2)) |") }
    print("")
    print("peak RSS: \(format(peakRSSMiB(), 0)) MiB (after parsing \(format(rssAfterParsing, 0)), evaluation \(format(rssAfterEvaluation, 0)), registration \(format(rssAfterRegistering, 0)))")
}

/// A remote pod's effective labels: its own plus the namespace and service account Calico adds.
func endpointLabels(_ index: Int) -> [String: String] {
    [
        "app": "app-\(index % 1_000)",
        "tier": ["a", "b", "c"][index % 3],
        "version": "v\(index % 7)",
        "team": "team-\(index % 50)",
        CalicoLabel.namespace: "ns-\(index % 200)",
        CalicoLabel.serviceAccount: "sa-\(index % 300)",
    ]
}

func format(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }
