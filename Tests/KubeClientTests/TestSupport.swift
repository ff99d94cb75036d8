import Foundation
import Testing

@testable import KubeClient

/// A kubeconfig for a scripted server, with the given `user:` fields (YAML, indented 4 spaces).
func kubeconfig(server: String, caPEM: String?, user: String, extraCluster: String = "") -> String {
    let ca = caPEM.map { "    certificate-authority-data: \(base64($0))\n" } ?? ""
    return """
        current-context: test
        clusters:
        - name: test
          cluster:
            server: \(server)
        \(ca)\(extraCluster)users:
        - name: test
          user:
        \(user)
        contexts:
        - name: test
          context:
            cluster: test
            user: test
            namespace: ns
        """
}

/// A client for `server` built through the kubeconfig path, as the operator builds them.
func client(
    for server: ScriptedHTTPServer, pki: TestPKI?, user: String = "    token: test-token", extraCluster: String = "",
    options: KubeClientOptions = KubeClientOptions(retry: .none)
) throws -> KubeClient {
    let yaml = kubeconfig(
        server: server.url, caPEM: pki?.caCertificatePEM, user: user, extraCluster: extraCluster)
    return KubeClient(connection: try KubeConfigLoader.load(yaml: yaml).connection(), options: options)
}

let versionJSON = #"{"major":"1","minor":"32","gitVersion":"v1.32.4","platform":"linux/amd64"}"#

func statusJSON(_ code: Int, _ reason: String, _ message: String = "") -> String {
    #"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"\#(message)","reason":"\#(reason)","code":\#(code)}"#
}
