import Foundation

#if canImport(Glibc)
    import Glibc
#endif

func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// Runs `body` `runs` times and returns the median duration.
func median(runs: Int, _ body: () throws -> Void) rethrows -> Duration {
    var times: [Duration] = []
    for _ in 0..<runs {
        let start = ContinuousClock.now
        try body()
        times.append(ContinuousClock.now - start)
    }
    return times.sorted()[runs / 2]
}

func row(_ name: String, objects: Int, bytes: Int, time: Duration) -> String {
    let seconds = time.seconds
    let mbps = Double(bytes) / 1_000_000 / seconds
    return "| \(name) | \(objects) | \(String(format: "%.1f", Double(bytes) / 1_000_000)) MB | "
        + "\(String(format: "%.3f", seconds)) s | \(String(format: "%.0f", mbps)) MB/s | "
        + "\(String(format: "%.0f", Double(objects) / seconds)) /s |"
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// The `quantile` of sorted durations, in milliseconds.
func ms(_ sorted: [Duration], _ quantile: Double) -> String {
    guard !sorted.isEmpty else { return "-" }
    let index = min(sorted.count - 1, Int(Double(sorted.count) * quantile))
    return String(format: "%.2f", sorted[index].seconds * 1000)
}
