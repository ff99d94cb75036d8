import CalicoSelector
import Testing

@Suite("Label index")
struct LabelIndexTests {
    typealias Index = LabelIndex<Int, Int>

    @Test func reportsMatchesAsTheyStartAndStop() throws {
        var index = LabelIndex<String, String>()
        #expect(index.updateLabels("pod-1", ["app": "web"]).isEmpty)
        #expect(index.updateSelector("web", try Selector(parsing: #"app == "web""#))
            == [.init(selector: "web", labelSet: "pod-1", matches: true)])
        #expect(index.updateLabels("pod-2", ["app": "web", "tier": "a"])
            == [.init(selector: "web", labelSet: "pod-2", matches: true)])
        #expect(index.updateLabels("pod-1", ["app": "db"]) == [.init(selector: "web", labelSet: "pod-1", matches: false)])
        #expect(index.labelSets(matching: "web") == ["pod-2"])
        #expect(index.selectors(matching: "pod-2") == ["web"])
        #expect(index.updateSelector("web", try Selector(parsing: #"app in {"db", "web"}"#))
            == [.init(selector: "web", labelSet: "pod-1", matches: true)])
        #expect(Set(index.removeSelector("web")) == [
            .init(selector: "web", labelSet: "pod-1", matches: false),
            .init(selector: "web", labelSet: "pod-2", matches: false),
        ])
        #expect(index.selectors(matching: "pod-2").isEmpty)
        #expect(index.removeLabels("pod-2").isEmpty)
        #expect(index.labelSetCount == 1 && index.selectorCount == 0)
    }

    @Test func unchangedUpdatesReportNothing() throws {
        var index = Index()
        index.updateLabels(1, ["a": "x"])
        index.updateSelector(1, try Selector(parsing: "has(a)"))
        #expect(index.updateLabels(1, ["a": "x"]).isEmpty)
        #expect(index.updateSelector(1, try Selector(parsing: "has( a )")).isEmpty)
    }

    @Test func selectorsThatNeedAScanStillSeeEveryLabelSet() throws {
        var index = Index()
        index.updateSelector(1, try Selector(parsing: "!has(a)"))
        index.updateSelector(2, try Selector(parsing: #"a != "x""#))
        index.updateSelector(3, try Selector(parsing: #"a == "x" || b == "y""#))
        index.updateSelector(4, try Selector(parsing: "a in {}"))
        index.updateLabels(1, ["c": "z"])
        index.updateLabels(2, ["b": "y"])
        #expect(index.labelSets(matching: 1) == [1, 2])
        #expect(index.labelSets(matching: 2) == [1, 2])
        #expect(index.labelSets(matching: 3) == [2])
        #expect(index.labelSets(matching: 4).isEmpty)
        #expect(index.updateLabels(1, ["a": "x"]).count == 3)
        #expect(index.labelSets(matching: 1) == [2])
        #expect(index.labelSets(matching: 3) == [1, 2])
    }

    @Test func answersUnregisteredQueries() throws {
        var index = Index()
        for id in 0..<100 { index.updateLabels(id, ["app": "app-\(id % 10)", "n": "\(id)"]) }
        let matches = index.labelSets(matching: try Selector(parsing: #"app == "app-3" && n starts with "1""#))
        #expect(Set(matches) == [13])
        #expect(index.labelSets(matching: Selector.all).count == 100)
    }

    @Test("agrees with brute force after random updates, change by change", arguments: 0..<6)
    func agreesWithBruteForce(seed: UInt64) throws {
        var generator = RandomSelectors(random: SeededRandom(seed: 1_000 + seed))
        var index = Index()
        var selectors: [Int: Selector] = [:]
        var labelSets: [Int: [String: String]] = [:]

        func bruteForce() -> Set<MatchPair> {
            var pairs = Set<MatchPair>()
            for (selectorID, selector) in selectors {
                for (labelSetID, labels) in labelSets where selector.matches(labels) {
                    pairs.insert(MatchPair(selector: selectorID, labelSet: labelSetID))
                }
            }
            return pairs
        }

        var before = Set<MatchPair>()
        for _ in 0..<1_500 {
            let changes: [Index.MatchChange]
            let id = Int.random(in: 0..<25, using: &generator.random)
            switch Int.random(in: 0..<10, using: &generator.random) {
            case 0..<4:
                let labels = generator.labelSet()
                labelSets[id] = labels
                changes = index.updateLabels(id, labels)
            case 4:
                labelSets[id] = nil
                changes = index.removeLabels(id)
            case 5..<9:
                let selector = try Selector(parsing: generator.selector().text)
                selectors[id] = selector
                changes = index.updateSelector(id, selector)
            default:
                selectors[id] = nil
                changes = index.removeSelector(id)
            }
            let after = bruteForce()
            let started = Set(changes.filter(\.matches).map { MatchPair(selector: $0.selector, labelSet: $0.labelSet) })
            let stopped = Set(changes.filter { !$0.matches }.map { MatchPair(selector: $0.selector, labelSet: $0.labelSet) })
            #expect(started == after.subtracting(before))
            #expect(stopped == before.subtracting(after))
            before = after
        }
        for (selectorID, selector) in selectors {
            let expected = Set(labelSets.filter { selector.matches($0.value) }.keys)
            #expect(index.labelSets(matching: selectorID) == expected)
            #expect(Set(index.labelSets(matching: selector)) == expected)
        }
        for labelSetID in labelSets.keys {
            let expected = Set(selectors.filter { $0.value.matches(labelSets[labelSetID] ?? [:]) }.keys)
            #expect(index.selectors(matching: labelSetID) == expected)
        }
    }
}

struct MatchPair: Hashable {
    let selector: Int
    let labelSet: Int
}
