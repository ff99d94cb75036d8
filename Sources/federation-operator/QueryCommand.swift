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
        discussion: """
            Reads the RemoteClusterConfigurations of the local cluster, resolves their credentials as the operator \
            does, and lists each remote cluster once, in parallel. RCCs that could not be read are listed on standard \
            error, and the exit code is then 1.
            """,
        subcommands: [Endpoints.self, Services.self]
    )

    /// `query endpoints`: local and remote endpoints that match a selector.
    struct Endpoints: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "endpoints",
            abstract: "List the local and remote endpoints a Calico selector matches, with their IPs and labels (remote names carry the `<rcc>/` prefix)."
        )

        @OptionGroup var query: QueryOptions

        @Option(help: "A Calico selector the endpoints' labels must match, e.g. 'app == \"web\"'.")
        var selector: String = "all()"

        func run() async throws {
            let parsed: Selector
            do {
                parsed = try Selector(parsing: selector)
            } catch {
                printError("invalid selector: \(error)")
                throw ExitCode(2)
            }
            let snapshot = try await query.snapshot()
            let list = EndpointRecordList(items: EndpointRecord.select(snapshot.local + snapshot.remote, selector: parsed, namespace: query.namespace))
            try query.print(list, json: list.json) {
                $0.items.map { record in
                    [record.cluster ?? "(local)", record.namespace ?? "", record.name, record.ips.joined(separator: ","),
                     record.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")]
                }
            } header: { ["CLUSTER", "NAMESPACE", "NAME", "IPS", "LABELS"] }
            try query.exit(reporting: snapshot)
        }
    }

    /// `query services`: each federated service with its backing services per cluster.
    struct Services: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "services",
            abstract: "List the federated services with their backing services per cluster and endpoint counts."
        )

        @OptionGroup var query: QueryOptions

        func run() async throws {
            let snapshot = try await query.snapshot()
            let list = FederatedServiceRecordList(items: FederatedServiceRecord.describe(local: snapshot.localServices, remote: snapshot.remoteServices,
                                                                                         namespace: query.namespace))
            try query.print(list, json: list.json) {
                $0.items.map { record in
                    let backing = record.backing.map { "\($0.cluster.map { "\($0)/" } ?? "")\($0.name) (\($0.endpoints))" }
                    return [record.namespace, record.name, record.selector, record.problem ?? (backing.isEmpty ? "<none>" : backing.joined(separator: ", ")),
                            "\(record.endpoints)"]
                }
            } header: { ["NAMESPACE", "NAME", "SELECTOR", "BACKING", "ENDPOINTS"] }
            try query.exit(reporting: snapshot)
        }
    }
}

/// The options every `query` subcommand takes, and what they share: reading the clusters and printing.
struct QueryOptions: ParsableArguments {
    @OptionGroup var cluster: LocalClusterOptions

    @Option(name: [.customShort("n"), .long], help: "Only this namespace.")
    var namespace: String?

    @Option(name: [.customShort("o"), .long], help: "Output format: table, json or yaml.")
    var output: OutputFormat = .table

    @Option(help: "Namespace of the Secrets RCCs name (the operator's); default $POD_NAMESPACE, then calico-system.")
    var operatorNamespace: String?

    @OptionGroup var credentials: CredentialPolicyOptions

    @Option(help: "Seconds to wait for every cluster to be listed.")
    var timeout: Double = 10

    enum OutputFormat: String, ExpressibleByArgument { case table, json, yaml }

    /// Reads the local cluster and every remote; a local cluster that cannot be read exits with status 2.
    func snapshot() async throws -> FederationSnapshot {
        do {
            let client = KubeClient(connection: try cluster.connection(), logger: Self.quiet)
            let policy = credentials.policy(operatorNamespace: LocalClusterOptions.operatorNamespace(operatorNamespace))
            return try await FederationSnapshot.take(client: client, policy: policy, timeout: .milliseconds(Int(timeout * 1000)), logger: Self.quiet)
        } catch {
            printError("error: \(error)")
            throw ExitCode(2)
        }
    }

    /// Prints `value` as chosen: a table of `rows` under `header`, or JSON or YAML.
    func print<Value: Encodable>(_ value: Value, json: String, rows: (Value) -> [[String]], header: () -> [String]) throws {
        switch output {
        case .json: Swift.print(json, terminator: "")
        case .yaml: Swift.print(try YAMLEncoder().encode(value), terminator: "")
        case .table: Swift.print(Self.table(header: header(), rows: rows(value)), terminator: "")
        }
    }

    /// Lists the RCCs that could not be read (calicoq's words) and exits with status 1 when there are any.
    func exit(reporting snapshot: FederationSnapshot) throws {
        guard !snapshot.problems.isEmpty else { return }
        printError(FederationSnapshot.problemsHeader)
        for problem in snapshot.problems { printError(problem) }
        throw ExitCode(1)
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

private func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
