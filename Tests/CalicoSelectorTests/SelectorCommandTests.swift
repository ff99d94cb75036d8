import Foundation
import Testing

/// The `federation-operator selector` subcommands, run as the built executable.
@Suite("federation-operator selector")
struct SelectorCommandTests {
    struct Outcome {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs the `federation-operator` binary that `swift test` built beside this test bundle.
    func run(_ arguments: String...) throws -> Outcome {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let binary = directory.appendingPathComponent("federation-operator")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "not built: \(binary.path)")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus,
            stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self)
        )
    }

    @Test(.timeLimit(.minutes(1))) func evaluatesTrueAndFalse() throws {
        let yes = try run("selector", "eval", #"app == "x" && tier in {"a","b"}"#, "--labels", #"{"app":"x","tier":"b"}"#)
        #expect(yes.status == 0 && yes.stdout == "true\n" && yes.stderr.isEmpty)
        let no = try run("selector", "eval", #"app == "x" && tier in {"a","b"}"#, "--labels", #"{"app":"x"}"#)
        #expect(no.status == 0 && no.stdout == "false\n")
        let absent = try run("selector", "eval", #"app != "x""#)
        #expect(absent.status == 0 && absent.stdout == "true\n")
    }

    @Test(.timeLimit(.minutes(1))) func printsTheCanonicalForm() throws {
        let outcome = try run("selector", "canonical", #"! (a == "b"&&! c != "d")"#)
        #expect(outcome.status == 0 && outcome.stdout == "!(a == \"b\" && !c != \"d\")\n")
    }

    @Test(.timeLimit(.minutes(1))) func rejectsAnInvalidSelectorWithoutACrash() throws {
        for subcommand in ["eval", "canonical"] {
            let outcome = try run("selector", subcommand, #"a in {"x" "y"}"#)
            #expect(outcome.status == 2)
            #expect(outcome.stdout.isEmpty)
            #expect(outcome.stderr == "invalid selector: expected \",\" or \"}\" at offset 10, found string \"y\"\n")
        }
    }

    @Test(.timeLimit(.minutes(1))) func rejectsLabelsThatAreNotAStringMap() throws {
        let outcome = try run("selector", "eval", "has(a)", "--labels", #"{"a": 1}"#)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.hasPrefix("invalid labels: --labels must be a JSON object whose values are strings"))
    }
}
