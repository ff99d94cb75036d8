// Benchmarks that print numbers (BENCHMARKS.md holds the tables). Run in release mode:
import Foundation

//   swift run -c release federation-benchmarks [decode|selector|server|runtime|operator|identity|services|codec]...   (no argument: all of them)
if CommandLine.arguments.dropFirst().first == "serve-cluster" {
    try await serveCluster(Array(CommandLine.arguments.dropFirst(2)))
    exit(0)
}
let groups: [(name: String, run: () async throws -> Void)] = [
    ("decode", runDecodeBenchmarks),
    ("selector", runSelectorBenchmarks),
    ("server", runServerBenchmarks),
    ("runtime", runRuntimeBenchmarks),
    ("operator", runOperatorBenchmarks),
    ("identity", runIdentityBenchmarks),
    ("services", runServicesBenchmarks),
    ("codec", runCodecBenchmarks),
]
let chosen = Set(CommandLine.arguments.dropFirst())
let unknown = chosen.subtracting(groups.map(\.name))
guard unknown.isEmpty else {
    print("unknown benchmark group(s): \(unknown.sorted().joined(separator: ", ")); choose from \(groups.map(\.name).joined(separator: ", "))")
    exit(2)
}
for group in groups where chosen.isEmpty || chosen.contains(group.name) {
    print("## \(group.name)")
    try await group.run()
    print("")
}
