/// Renders the operator's metrics in the Prometheus text format, from live state at scrape time (DESIGN §5, §6.9).
/// Names follow controller-runtime and Calico so existing dashboards work; labels carry RCC names and controller
/// names only, never paths or credentials.
public struct OperatorMetrics: Sendable {
    /// Calico's gauge numbering of remote cluster states (calico-federation.md §2.1).
    public static let connectionStatusValue: [String: Int] = [
        "ConnectionFailed": 0, "Connecting": 1, "InSync": 2, "ResyncInProgress": 3, "ConfigChangeRestartRequired": 4, "ConfigIncomplete": 5,
    ]

    /// One sample: a metric's labels and value.
    public struct Sample: Sendable {
        public var labels: [(String, String)]
        public var value: Double
        public init(_ labels: [(String, String)], _ value: Double) {
            self.labels = labels
            self.value = value
        }
    }

    /// One metric family.
    public struct Family: Sendable {
        public var name: String
        public var help: String
        public var type: String
        public var samples: [Sample]
        public init(name: String, help: String, type: String, samples: [Sample]) {
            self.name = name
            self.help = help
            self.type = type
            self.samples = samples
        }
    }

    public var families: [Family] = []

    public init() {}

    public mutating func add(_ name: String, _ type: String, help: String, _ samples: [Sample]) {
        families.append(Family(name: name, help: help, type: type, samples: samples))
    }

    /// The text exposition format, version 0.0.4.
    public var text: String {
        var out = ""
        for family in families {
            out += "# HELP \(family.name) \(family.help)\n# TYPE \(family.name) \(family.type)\n"
            for sample in family.samples {
                let labels = sample.labels.map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ",")
                let value = sample.value == sample.value.rounded() && abs(sample.value) < 1e15 ? String(Int64(sample.value)) : String(sample.value)
                out += labels.isEmpty ? "\(family.name) \(value)\n" : "\(family.name){\(labels)} \(value)\n"
            }
        }
        return out
    }

    private static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}
