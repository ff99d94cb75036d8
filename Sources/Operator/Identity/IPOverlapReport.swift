/// How many of a remote cluster's endpoint IPs are also used locally or by another remote cluster (issue 6 §2), with
/// a few of them named. Overlapping IPs are left out of the published network sets: policy on them would be ambiguous.
public struct IPOverlapReport: Sendable, Hashable {
    /// How many examples a report keeps.
    public static let exampleLimit = 3

    public var count: Int
    /// The lowest overlapping IPs, each with where else it is used: `10.0.0.7 (local shop/web-1)`,
    /// `10.0.0.8 (remote cluster west)`.
    public var examples: [String]

    public init(count: Int, examples: [String]) {
        self.count = count
        self.examples = examples
    }

    /// The report for these overlapping IPs (IP to where else it is used).
    init(_ overlaps: [String: String]) {
        count = overlaps.count
        examples = overlaps.keys.sorted().prefix(Self.exampleLimit).map { "\($0) (\(overlaps[$0] ?? ""))" }
    }

    /// One sentence for status, Events and logs.
    public var message: String {
        guard count > 0 else { return "no remote endpoint IP is used by a local endpoint or another remote cluster" }
        let more = count > examples.count ? ", …" : ""
        return "\(count) remote endpoint IP\(count == 1 ? " is" : "s are") also used elsewhere: \(examples.joined(separator: ", "))\(more); "
            + "they are left out of the published network sets until the pod CIDRs no longer overlap"
    }
}
