import CalicoSelector
import Testing

@Suite("LabelSet")
struct LabelSetTests {
    @Test func looksUpByExactName() {
        let labels: LabelSet = ["app": "web", "tier": "", "projectcalico.org/namespace": "prod"]
        #expect(labels["app"] == "web")
        #expect(labels["tier"] == "")
        #expect(labels["projectcalico.org/namespace"] == "prod")
        #expect(labels["ap"] == nil && labels["apps"] == nil && labels["App"] == nil)
        #expect(labels.names == ["app", "projectcalico.org/namespace", "tier"])
        #expect(labels.dictionary == ["app": "web", "tier": "", "projectcalico.org/namespace": "prod"])
    }

    @Test func largeSetsUseBinarySearch() {
        let dictionary = Dictionary(uniqueKeysWithValues: (0..<100).map { ("label-\($0)", "value-\($0)") })
        let labels = LabelSet(dictionary)
        for (name, value) in dictionary { #expect(labels[name] == value) }
        #expect(labels["label-100"] == nil && labels["label-"] == nil && labels[""] == nil && labels["zzz"] == nil)
    }

    @Test func namesCompareByBytes() {
        // U+212A KELVIN SIGN is canonically equivalent to "K"; Calico treats them as different names.
        let labels = LabelSet(["\u{212A}": "kelvin", "e\u{301}": "decomposed"])
        #expect(labels["K"] == nil)
        #expect(labels["\u{212A}"] == "kelvin")
        #expect(labels["\u{E9}"] == nil)
        #expect(labels["e\u{301}"] == "decomposed")
    }

    @Test("evaluates exactly like a dictionary", arguments: 0..<2)
    func evaluatesLikeADictionary(seed: UInt64) throws {
        var generator = RandomSelectors(random: SeededRandom(seed: 500 + seed))
        for _ in 0..<300 {
            let selector = try Selector(parsing: generator.selector().text)
            for _ in 0..<10 {
                let labels = generator.labelSet()
                #expect(selector.matches(LabelSet(labels)) == selector.matches(labels))
            }
        }
    }
}
