import ArgumentParser
import KubeClient
import Operator

/// `federation-operator check`: what to run before using a kubeconfig for a remote cluster. Lists every
/// problem in the kubeconfig, connects with the chosen context, prints the server version, and checks every
/// permission federation needs on the remote (`config/rbac/remote-cluster-reader.yaml`). Exits non-zero on any
/// failure.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a remote cluster's kubeconfig, connect with it, and check federation's read permissions."
    )

    @Option(help: "Kubeconfig file(s), ':'-separated; default $KUBECONFIG, then ~/.kube/config.")
    var kubeconfig: String?

    @Option(help: "Context to use; default the kubeconfig's current-context.")
    var context: String?

    func run() async throws {
        var failed = false
        let config: KubeConfig
        do {
            config = try kubeconfig.map { try KubeConfigLoader.load(pathList: $0) } ?? KubeConfigLoader.loadDefault()
        } catch {
            report(false, "kubeconfig loads", detail: "\(error)")
            throw ExitCode.failure
        }
        report(true, "kubeconfig loads", detail: config.sources.joined(separator: ", "))

        let problems = config.problems()
        report(problems.isEmpty, "kubeconfig is valid", detail: problems.isEmpty ? "" : "\(problems.count) problem(s)")
        for problem in problems { print("      - \(problem)") }
        failed = failed || !problems.isEmpty

        let connection: ClusterConnection
        do {
            connection = try config.connection(context: context)
            report(true, "context resolves", detail: connection.contextName ?? "")
        } catch {
            report(false, "context resolves", detail: "\(error)")
            throw ExitCode.failure
        }

        let client = KubeClient(connection: connection)
        do {
            let version = try await client.version()
            report(true, "server answers", detail: "\(connection.server) runs Kubernetes \(version.gitVersion)")
        } catch {
            report(false, "server answers", detail: "\(error)")
            throw ExitCode.failure
        }

        do {
            for result in try await RemotePermissions.check(using: client) {
                let granted = result.denied.isEmpty
                if !granted, result.requirement.optional {
                    print("[warn] \(result) (needed only where Calico's CRDs are installed)")
                } else {
                    report(granted, "permission", detail: "\(result)")
                    failed = failed || !granted
                }
            }
        } catch {
            report(false, "permissions can be checked", detail: "\(error)")
            failed = true
        }
        if failed {
            print("Grant the missing permissions with config/rbac/remote-cluster-reader.yaml on the remote cluster.")
            throw ExitCode.failure
        }
    }

    private func report(_ ok: Bool, _ check: String, detail: String) {
        let suffix = detail.isEmpty ? "" : ": \(detail)"
        print("[\(ok ? " ok " : "FAIL")] \(check)\(suffix)")
    }
}
