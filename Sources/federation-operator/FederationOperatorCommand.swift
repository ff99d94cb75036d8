import ArgumentParser

/// The `federation-operator` command line.
@main
struct FederationOperatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "federation-operator",
        abstract: "Federated endpoint identity and federated services for Calico clusters.",
        version: "0.1.0",
        subcommands: [RunCommand.self, DemoCommand.self, CheckCommand.self, QueryCommand.self, SelectorCommand.self]
    )
}
