import CalicoSelector
import Testing

@Suite("Selector properties")
struct SelectorPropertyTests {
    @Test("random selectors evaluate as their model says, before and after canonicalisation", arguments: 0..<4)
    func randomSelectorsMatchTheirModel(seed: UInt64) throws {
        var generator = RandomSelectors(random: SeededRandom(seed: seed))
        for _ in 0..<500 {
            let (text, meaning) = generator.selector()
            let selector = try Selector(parsing: text)
            let canonical = try Selector(parsing: selector.canonical)
            for _ in 0..<20 {
                let labels = generator.labelSet()
                let expected = meaning(labels)
                #expect(selector.matches(labels) == expected, "\(text) on \(labels)")
                #expect(canonical.matches(labels) == expected, "\(selector.canonical) on \(labels)")
            }
        }
    }

    @Test("canonical text is stable once it has no \"!!\" run", arguments: 0..<2)
    func canonicalIsStable(seed: UInt64) throws {
        var generator = RandomSelectors(random: SeededRandom(seed: 100 + seed))
        for _ in 0..<500 {
            let canonical = try Selector(parsing: generator.selector().text).canonical
            let again = try Selector(parsing: canonical).canonical
            if !canonical.contains("!!") { #expect(again == canonical) }
            #expect(try Selector(parsing: again).canonical == again || again.contains("!!"))
        }
    }

    @Test("random input never crashes the parser, and what it accepts prints parseable text")
    func fuzzParser() throws {
        var random = SeededRandom(seed: 7)
        var generator = RandomSelectors(random: SeededRandom(seed: 8))
        let alphabet = Array(#"ab01_./-=!&|(){},"' \#thasllglobalcontainsstartswithendsnotin"#.utf8) + [0x0A, 0xC3, 0xA9, 0xFF, 0x00]
        var accepted = 0
        for round in 0..<60_000 {
            let bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int.random(in: 0...24, using: &random)).map { _ in
                    alphabet[Int.random(in: 0..<alphabet.count, using: &random)]
                }
            } else {
                // Mutate a valid selector: flip, insert or delete a few bytes.
                var mutated = Array(generator.selector().text.utf8)
                for _ in 0..<Int.random(in: 1...3, using: &random) {
                    let at = Int.random(in: 0...mutated.count, using: &random)
                    switch Int.random(in: 0..<3, using: &random) {
                    case 0: mutated.insert(alphabet.randomElement(using: &random) ?? 0, at: at)
                    case 1 where at < mutated.count: mutated.remove(at: at)
                    default: if at < mutated.count { mutated[at] = alphabet.randomElement(using: &random) ?? 0 }
                    }
                }
                bytes = mutated
            }
            let text = String(decoding: bytes, as: UTF8.self)
            do {
                let selector = try Selector(parsing: text)
                accepted += 1
                _ = try Selector(parsing: selector.canonical)
            } catch {
                #expect(error.offset >= 0 && error.offset <= text.count, "\(text): \(error)")
            }
        }
        // Both branches must reach the parser's accepting paths, or the fuzzing only exercised error handling.
        #expect(accepted > 1_000)
    }
}
