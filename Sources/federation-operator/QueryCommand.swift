import ArgumentParser
import CalicoSelector
import Foundation
import KubeClient
import Logging
import Operator
import Yams

/// `federation-operator query`: what federation gives the local cluster, read the way the operator reads it (the
/// calicoq analog, calico-federation.md §2.4).
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Show what the local cluster sees through federation, as calicoq does.",
        subcommands: [Endpoints.self]
    )

    /// `query endpoints`: local and remote endpoints that match a selector.
    struct Endpoints: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "endpoints",
            abstract: "List the local and remote endpoints a Calico selector matches, with their IPs and labels.",
            discussion: """
                Reads the RemoteClusterConfigurations of the local cluster, resolves their credentials as the operator \
                does, and lists each remote cluster once, in parallel. Remote endpoint names carry the `<rcc>/` prefix. \
                RCCs that could not be read are listed on standard error, and the exit code is then 1.
                """
        )

        @OptionGroup var cluster: LocalClusterOptions

        @Option(help: "A Calico selector the endpoints' labels must match, e.g. 'app == \"web\"'.")
        var selector: String = "all()"

        @Option(name: [.customShort("n"), .long], help: "Only workload endpoints in this namespace.")
        var namespace: String?

        @Option(name: [.customShort("o"), .long], help: "Output format: table, json or yaml.")
        var output: OutputFormat = .table

        @Option(help: "Namespace of the Secrets RCCs name (the operator's); default $POD_NAMESPACE, then calico-system.")
        var operatorNamespace: String?

        @OptionGroup var credentials: CredentialPolicyOptions

        @Option(help: "Seconds to wait for every cluster to be listed.")
        var timeout: Double = 10

        enum OutputFormat: String, ExpressibleByArgument { case table, json, yaml }

        func run() async throws {
            let parsed: Selector
            do {
                parsed = try Selector(parsing: selector)
            } catch {
                printError("invalid selector: \(error)")
                throw ExitCode(2)
            }
            let snapshot: FederationSnapshot
            do {
                let client = KubeClient(connection: try cluster.connection(), logger: Self.quiet)
                let policy = credentials.policy(operatorNamespace: LocalClusterOptions.operatorNamespace(operatorNamespace))
                snapshot = try await FederationSnapshot.take(client: client, policy: policy, timeout: .milliseconds(Int(timeout * 1000)), logger: Self.quiet)
            } catch {
                printError("error: \(error)")
                throw ExitCode(2)
            }
            let records = EndpointRecord.select(snapshot.local + snapshot.remote, selector: parsed, namespace: namespace)
            print(try render(EndpointRecordList(items: records)), terminator: "")
            guard snapshot.problems.isEmpty else {
                printError(FederationSnapshot.problemsHeader)
                for problem in snapshot.problems { printError(problem) }
                throw ExitCode(1)
            }
        }

        private func render(_ list: EndpointRecordList) throws -> String {
            switch output {
            case .json: return list.json
            case .yaml: return try YAMLEncoder().encode(list)
            case .table:
                let rows = list.items.map { record in
                    [record.cluster ?? "(local)", record.namespace ?? "", record.name, record.ips.joined(separator: ","),
                     record.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")]
                }
                return Self.table(header: ["CLUSTER", "NAMESPACE", "NAME", "IPS", "LABELS"], rows: rows)
            }
        }

        /// Columns padded to their widest cell, three spaces apart, as kubectl prints them.
        static func table(header: [String], rows: [[String]]) -> String {
            let all = [header] + rows
            let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
            return all.map { row in
                row.enumerated().map { index, cell in
                    index == row.count - 1 ? cell : cell.padding(toLength: widths[index] + 3, withPad: " ", startingAt: 0)
                }.joined()
            }.joined(separator: "\n") + "\n"
        }

        /// The syncers' retry warnings would drown the answer; what went wrong is in the problem lines.
        static let quiet = Logger(label: "query") { _ in SwiftLogNoOpLogHandler() }
    }
}

private func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
