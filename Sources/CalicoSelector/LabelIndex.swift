/// Which registered label sets each registered selector matches, kept up to date incrementally.
///
/// Register selectors and label sets by id; every update returns the matches it started and stopped. Like Calico's
/// label index, it avoids full scans with what a selector requires (`==`, `in`, `has`, and `&&` of them):
/// - a new or changed selector is evaluated only against label sets carrying a value (or the label) it requires;
/// - a new or changed label set is evaluated only against selectors that require one of its label values or
///   labels, selectors with no usable requirement (`!=`, `not in`, `!`, `||` over different labels, `all()`),
///   and the selectors it matched before.
///
/// Guarantees: after any sequence of updates, ``labelSets(matching:)-(SelectorID)`` equals brute-force evaluation.
/// Caveats: a value type with no locking; wrap it in a `Mutex` to share it.
///
/// ```swift
/// var index = LabelIndex<String, String>()
/// index.updateLabels("pod-1", ["app": "web"])
/// let changes = index.updateSelector("web", try Selector(parsing: #"app == "web""#))
/// // changes == [LabelIndex.MatchChange(selector: "web", labelSet: "pod-1", matches: true)]
/// ```
public struct LabelIndex<SelectorID: Hashable & Sendable, LabelSetID: Hashable & Sendable>: Sendable {
    /// A match that started (`matches == true`) or stopped.
    public struct MatchChange: Hashable, Sendable {
        public let selector: SelectorID
        public let labelSet: LabelSetID
        public let matches: Bool

        public init(selector: SelectorID, labelSet: LabelSetID, matches: Bool) {
            self.selector = selector
            self.labelSet = labelSet
            self.matches = matches
        }
    }

    /// How a selector finds the label sets it may match.
    private enum Lookup: Sendable {
        /// Label sets whose `label` has one of `values`.
        case values(label: String, values: Set<String>)
        /// Label sets that have `label`.
        case label(String)
        /// Every label set.
        case scan
        /// No label set (contradictory requirements such as `a in {}`).
        case nothing
    }

    private var labelSetsByID: [LabelSetID: LabelSet] = [:]
    private var labelSetsByValue: [LabelValue: Set<LabelSetID>] = [:]
    private var labelSetsByLabel: [String: Set<LabelSetID>] = [:]

    private var selectorsByID: [SelectorID: (selector: Selector, lookup: Lookup)] = [:]
    private var selectorsByValue: [LabelValue: Set<SelectorID>] = [:]
    private var selectorsByLabel: [String: Set<SelectorID>] = [:]
    private var scanningSelectors: [SelectorID: SelectorProgram] = [:]

    private var matchesBySelector: [SelectorID: Set<LabelSetID>] = [:]
    private var matchesByLabelSet: [LabelSetID: Set<SelectorID>] = [:]

    public init() {}

    /// Registered label sets.
    public var labelSetCount: Int { labelSetsByID.count }
    /// Registered selectors.
    public var selectorCount: Int { selectorsByID.count }

    /// The labels registered under `id`.
    public func labels(of id: LabelSetID) -> LabelSet? { labelSetsByID[id] }

    /// The selector registered under `id`.
    public func selector(_ id: SelectorID) -> Selector? { selectorsByID[id]?.selector }

    /// The label sets that selector `id` matches now.
    public func labelSets(matching id: SelectorID) -> Set<LabelSetID> { matchesBySelector[id] ?? [] }

    /// The selectors that match label set `id` now.
    public func selectors(matching id: LabelSetID) -> Set<SelectorID> { matchesByLabelSet[id] ?? [] }

    /// The label sets an unregistered selector matches, using the index to limit evaluation.
    public func labelSets(matching selector: Selector) -> [LabelSetID] {
        candidateLabelSets(for: lookup(for: selector)).filter { id in
            labelSetsByID[id].map(selector.matches) ?? false
        }
    }

    // MARK: Label sets

    /// Adds or replaces the labels of `id` and returns the matches that changed.
    @discardableResult
    public mutating func updateLabels(_ id: LabelSetID, _ labels: [String: String]) -> [MatchChange] {
        updateLabels(id, LabelSet(labels))
    }

    /// Adds or replaces the labels of `id` and returns the matches that changed.
    @discardableResult
    public mutating func updateLabels(_ id: LabelSetID, _ labels: LabelSet) -> [MatchChange] {
        if let old = labelSetsByID[id] {
            if old == labels { return [] }
            unindex(labelSet: id, old)
        }
        labelSetsByID[id] = labels
        for (label, value) in zip(labels.names, labels.values) {
            labelSetsByValue[LabelValue(label, value), default: []].insert(id)
            labelSetsByLabel[label, default: []].insert(id)
        }

        let changes = changedMatches(labelSet: id, labels)
        for change in changes { setMatch(change.selector, id, change.matches) }
        return changes
    }

    /// The selectors whose verdict on label set `id` differs from the recorded one: those indexed under one of its
    /// label values or labels, the scanning ones, and the ones it matched before.
    private func changedMatches(labelSet id: LabelSetID, _ labels: LabelSet) -> [MatchChange] {
        let previous = matchesByLabelSet[id] ?? []
        var candidates = Set<SelectorID>()
        for (label, value) in zip(labels.names, labels.values) {
            if let selectors = selectorsByValue[LabelValue(label, value)] { candidates.formUnion(selectors) }
            if let selectors = selectorsByLabel[label] { candidates.formUnion(selectors) }
        }
        for selectorID in previous where scanningSelectors[selectorID] == nil { candidates.insert(selectorID) }
        var changes: [MatchChange] = []
        func check(_ selectorID: SelectorID, _ program: SelectorProgram) {
            let matches = program.evaluate(labels)
            if matches != previous.contains(selectorID) {
                changes.append(MatchChange(selector: selectorID, labelSet: id, matches: matches))
            }
        }
        for selectorID in candidates { if let selector = selectorsByID[selectorID]?.selector { check(selectorID, selector.program) } }
        for (selectorID, program) in scanningSelectors { check(selectorID, program) }
        return changes
    }

    /// Forgets label set `id` and returns the matches that stopped.
    @discardableResult
    public mutating func removeLabels(_ id: LabelSetID) -> [MatchChange] {
        guard let old = labelSetsByID.removeValue(forKey: id) else { return [] }
        unindex(labelSet: id, old)
        let previous = matchesByLabelSet.removeValue(forKey: id) ?? []
        for selectorID in previous { Self.remove(id, from: &matchesBySelector, at: selectorID) }
        return previous.map { MatchChange(selector: $0, labelSet: id, matches: false) }
    }

    private mutating func unindex(labelSet id: LabelSetID, _ labels: LabelSet) {
        for (label, value) in zip(labels.names, labels.values) {
            Self.remove(id, from: &labelSetsByValue, at: LabelValue(label, value))
            Self.remove(id, from: &labelSetsByLabel, at: label)
        }
    }

    // MARK: Selectors

    /// Adds or replaces selector `id` and returns the matches that changed.
    @discardableResult
    public mutating func updateSelector(_ id: SelectorID, _ selector: Selector) -> [MatchChange] {
        if let old = selectorsByID[id] {
            if old.selector == selector { return [] }
            unindex(selector: id, old.lookup)
        }
        let lookup = lookup(for: selector)
        selectorsByID[id] = (selector, lookup)
        switch lookup {
        case .values(let label, let values):
            for value in values { selectorsByValue[LabelValue(label, value), default: []].insert(id) }
        case .label(let label):
            selectorsByLabel[label, default: []].insert(id)
        case .scan:
            scanningSelectors[id] = selector.program
        case .nothing:
            break
        }

        let changes = changedMatches(selector: id, selector, lookup)
        for change in changes { setMatch(id, change.labelSet, change.matches) }
        return changes
    }

    /// The label sets whose verdict under selector `id` differs from the recorded one.
    private func changedMatches(selector id: SelectorID, _ selector: Selector, _ lookup: Lookup) -> [MatchChange] {
        let previous = matchesBySelector[id] ?? []
        var changes: [MatchChange] = []
        func check(_ labelSetID: LabelSetID, _ labels: LabelSet) {
            let matches = selector.matches(labels)
            if matches != previous.contains(labelSetID) {
                changes.append(MatchChange(selector: id, labelSet: labelSetID, matches: matches))
            }
        }
        if case .scan = lookup {
            for (labelSetID, labels) in labelSetsByID { check(labelSetID, labels) }
        } else {
            var candidates = candidateLabelSets(for: lookup)
            candidates.formUnion(previous)
            for labelSetID in candidates { if let labels = labelSetsByID[labelSetID] { check(labelSetID, labels) } }
        }
        return changes
    }

    /// Forgets selector `id` and returns the matches that stopped.
    @discardableResult
    public mutating func removeSelector(_ id: SelectorID) -> [MatchChange] {
        guard let old = selectorsByID.removeValue(forKey: id) else { return [] }
        unindex(selector: id, old.lookup)
        let previous = matchesBySelector.removeValue(forKey: id) ?? []
        for labelSetID in previous { Self.remove(id, from: &matchesByLabelSet, at: labelSetID) }
        return previous.map { MatchChange(selector: id, labelSet: $0, matches: false) }
    }

    private mutating func unindex(selector id: SelectorID, _ lookup: Lookup) {
        switch lookup {
        case .values(let label, let values):
            for value in values { Self.remove(id, from: &selectorsByValue, at: LabelValue(label, value)) }
        case .label(let label):
            Self.remove(id, from: &selectorsByLabel, at: label)
        case .scan:
            scanningSelectors[id] = nil
        case .nothing:
            break
        }
    }

    // MARK: Matching

    /// The cheapest way to find candidates for `selector` given the label sets registered now.
    private func lookup(for selector: Selector) -> Lookup {
        var best = Lookup.scan
        var bestCount = labelSetsByID.count + 1
        for (label, restriction) in selector.expression.labelRestrictions {
            if let values = restriction.oneOf {
                if values.isEmpty { return .nothing }
                let count = values.reduce(0) { $0 + (labelSetsByValue[LabelValue(label, $1)]?.count ?? 0) }
                if count < bestCount { (best, bestCount) = (.values(label: label, values: values), count) }
            } else {
                let count = labelSetsByLabel[label]?.count ?? 0
                if count < bestCount { (best, bestCount) = (.label(label), count) }
            }
        }
        return best
    }

    private func candidateLabelSets(for lookup: Lookup) -> Set<LabelSetID> {
        switch lookup {
        case .values(let label, let values):
            var candidates = Set<LabelSetID>()
            for value in values { if let ids = labelSetsByValue[LabelValue(label, value)] { candidates.formUnion(ids) } }
            return candidates
        case .label(let label):
            return labelSetsByLabel[label] ?? []
        case .scan:
            return Set(labelSetsByID.keys)
        case .nothing:
            return []
        }
    }

    private mutating func setMatch(_ selector: SelectorID, _ labelSet: LabelSetID, _ matches: Bool) {
        if matches {
            matchesBySelector[selector, default: []].insert(labelSet)
            matchesByLabelSet[labelSet, default: []].insert(selector)
        } else {
            Self.remove(labelSet, from: &matchesBySelector, at: selector)
            Self.remove(selector, from: &matchesByLabelSet, at: labelSet)
        }
    }

    /// Removes `member` from the set at `key`, dropping the set when it becomes empty.
    private static func remove<Key: Hashable, Member: Hashable>(_ member: Member, from map: inout [Key: Set<Member>], at key: Key) {
        guard let index = map.index(forKey: key) else { return }
        map.values[index].remove(member)
        if map.values[index].isEmpty { map.remove(at: index) }
    }
}

/// A label name and value, the key of the value indexes.
private struct LabelValue: Hashable, Sendable {
    let label: String
    let value: String
    init(_ label: String, _ value: String) {
        self.label = label
        self.value = value
    }
}
