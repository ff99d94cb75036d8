import ArgumentParser
import Foundation
import KubeClient
import Operator

/// `--kubeconfig` and `--context`: how a command reaches the local cluster, as kubectl would.
struct LocalClusterOptions: ParsableArguments {
    @Option(help: "Kubeconfig file(s), ':'-separated; default in-cluster, then $KUBECONFIG, then ~/.kube/config.")
    var kubeconfig: String?

    @Option(help: "Kubeconfig context; default the current-context.")
    var context: String?

    /// `--kubeconfig`, else in-cluster, else `$KUBECONFIG` / `~/.kube/config`.
    func connection() throws -> ClusterConnection {
        if let kubeconfig { return try KubeConfigLoader.load(pathList: kubeconfig).connection(context: context) }
        if let host = ProcessInfo.processInfo.environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty {
            return try ClusterConnection.inCluster()
        }
        return try KubeConfigLoader.loadDefault().connection(context: context)
    }

    /// The operator's namespace: `flag`, else `$POD_NAMESPACE`, else the in-cluster namespace, else calico-system.
    static func operatorNamespace(_ flag: String?) -> String {
        if let flag, !flag.isEmpty { return flag }
        if let namespace = ProcessInfo.processInfo.environment["POD_NAMESPACE"], !namespace.isEmpty { return namespace }
        if let namespace = try? String(contentsOfFile: ClusterConnection.serviceAccountDirectory + "/namespace", encoding: .utf8),
           !namespace.isEmpty {  // Absent outside a pod: fall through to the default.
            return namespace.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return "calico-system"
    }
}

/// Where remote credentials may come from (``RemoteCredentialPolicy``): shared by `run` and `query`, so a query
/// resolves RCCs exactly as the operator does.
struct CredentialPolicyOptions: ParsableArguments {
    @Option(help: "Directory that kubeconfig and certificate files named by RCCs must be in.")
    var remoteCredentialsDir: String = "/etc/calico-federation"

    @Flag(help: "Let remote kubeconfigs run exec credential plugins.")
    var allowExecCredentials = false

    @Option(help: "Namespaces clusterAccessSecret Secrets may be read from, comma-separated; default the operator's namespace.")
    var secretNamespaces: String?

    func policy(operatorNamespace: String) -> RemoteCredentialPolicy {
        RemoteCredentialPolicy(
            credentialsDirectory: remoteCredentialsDir, allowExecCredentials: allowExecCredentials, operatorNamespace: operatorNamespace,
            secretNamespaces: secretNamespaces.map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) })
    }
}
