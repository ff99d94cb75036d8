import ArgumentParser

/// A duration flag written as Kubernetes components take them (Go's `time.ParseDuration` units): `90s`, `5m`,
/// `1m30s`, `500ms`, `1h`.
struct DurationArgument: ExpressibleByArgument, CustomStringConvertible {
    let duration: Duration
    let description: String

    init(_ duration: Duration, _ text: String) {
        self.duration = duration
        description = text
    }

    init?(argument: String) {
        let units: [(suffix: String, milliseconds: Int64)] = [("ms", 1), ("h", 3_600_000), ("m", 60_000), ("s", 1000)]
        var rest = Substring(argument)
        var total: Int64 = 0
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isNumber }
            guard let value = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let unit = units.first(where: { rest.hasPrefix($0.suffix) }) else { return nil }
            rest = rest.dropFirst(unit.suffix.count)
            total += value * unit.milliseconds
        }
        guard total > 0 else { return nil }
        self.init(.milliseconds(total), argument)
    }
}
