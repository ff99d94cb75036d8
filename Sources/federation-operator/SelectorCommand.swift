import ArgumentParser
import CalicoSelector
import Foundation

/// `federation-operator selector`: try a Calico selector before putting it in a
/// `federation.tigera.io/serviceSelector` annotation.
struct SelectorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selector",
        abstract: "Check, normalise and evaluate Calico selectors.",
        subcommands: [Evaluate.self, Canonical.self]
    )

    /// `selector eval EXPR --labels JSON`: prints `true` or `false`.
    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "eval",
            abstract: "Print whether a label set matches a selector."
        )

        @Argument(help: "The selector, for example 'app == \"web\" && tier in {\"a\", \"b\"}'.")
        var selector: String

        @Option(help: "The labels as a JSON object of strings, for example '{\"app\":\"web\"}'.")
        var labels: String = "{}"

        func run() throws {
            let parsed = try parseSelectorOrExit(selector)
            let labelSet: [String: String]
            do {
                labelSet = try JSONDecoder().decode([String: String].self, from: Data(labels.utf8))
            } catch {
                printError("invalid labels: --labels must be a JSON object whose values are strings (\(describe(error)))")
                throw ExitCode(2)
            }
            print(parsed.matches(labelSet))
        }
    }

    /// `selector canonical EXPR`: prints Calico's normalised form.
    struct Canonical: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "canonical",
            abstract: "Print the canonical form of a selector, as Calico prints it."
        )

        @Argument(help: "The selector.")
        var selector: String

        func run() throws {
            print(try parseSelectorOrExit(selector).canonical)
        }
    }
}

/// Parses `text`, or reports `invalid selector: <reason>` on standard error and exits with status 2.
private func parseSelectorOrExit(_ text: String) throws -> Selector {
    do {
        return try Selector(parsing: text)
    } catch {
        printError("invalid selector: \(error)")
        throw ExitCode(2)
    }
}

private func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// A one-line reason for a JSON decoding failure.
private func describe(_ error: any Error) -> String {
    switch error {
    case DecodingError.dataCorrupted(let context): context.debugDescription
    case DecodingError.typeMismatch(_, let context):
        "label \(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
    default: "\(error)"
    }
}
