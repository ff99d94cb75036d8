/// An immutable set of labels kept as two arrays sorted by name: smaller than a `Dictionary` and faster for a
/// selector to look in (a typical endpoint has a handful of labels, and comparing a few short names beats hashing).
///
/// Names compare byte for byte, as in Calico: a lookup never finds a name that is only canonically equivalent.
///
/// ```swift
/// let labels: LabelSet = ["app": "web", "tier": "a"]
/// labels["app"]          // "web"
/// try Selector(parsing: #"app == "web""#).matches(labels)   // true
/// ```
public struct LabelSet: Sendable, Hashable, LabelLookup, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// Label names, sorted by their UTF-8 bytes.
    public let names: [String]
    /// `values[i]` is the value of `names[i]`.
    public let values: [String]

    /// Whether every name is ASCII, so that look-ups can skip the byte-by-byte pass.
    private let namesAreASCII: Bool

    /// Up to this many labels a scan beats a binary search.
    private static let scanLimit = 16

    public init(_ labels: [String: String]) {
        let sorted = labels.sorted { ByteOrder.precedes($0.key, $1.key) }
        names = sorted.map(\.key)
        values = sorted.map(\.value)
        namesAreASCII = names.allSatisfy(ByteOrder.isASCII)
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    /// The empty label set.
    public static let empty = LabelSet([:])

    public var count: Int { names.count }
    public var isEmpty: Bool { names.isEmpty }

    /// The labels as a dictionary.
    public var dictionary: [String: String] {
        Dictionary(uniqueKeysWithValues: zip(names, values))
    }

    /// The value of label `name`, or nil.
    public subscript(name: String) -> String? { labelValue(name) }

    public func labelValue(_ name: String) -> String? {
        if names.count <= Self.scanLimit {
            for index in names.indices where ByteOrder.equal(names[index], name, firstIsASCII: namesAreASCII) {
                return values[index]
            }
            return nil
        }
        var low = 0, high = names.count
        while low < high {
            let middle = (low + high) / 2
            if ByteOrder.precedes(names[middle], name) { low = middle + 1 } else { high = middle }
        }
        return low < names.count && ByteOrder.equal(names[low], name) ? values[low] : nil
    }

    public var description: String { dictionary.description }
}
