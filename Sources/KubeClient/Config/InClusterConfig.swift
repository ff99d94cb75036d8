import Foundation
import NIOSSL

extension ClusterConnection {
    /// The service account directory every pod gets mounted.
    public static let serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// The connection a pod uses to reach its own cluster: `KUBERNETES_SERVICE_HOST`/`_PORT`, the mounted
    /// CA, and the projected token, which is re-read whenever the kubelet rotates it.
    public static func inCluster(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        serviceAccountDirectory: String = ClusterConnection.serviceAccountDirectory
    ) throws(KubeConfigError) -> ClusterConnection {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
            let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty
        else {
            throw .inCluster("KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set (not running in a pod?)")
        }
        let tokenPath = "\(serviceAccountDirectory)/token"
        guard FileManager.default.isReadableFile(atPath: tokenPath) else {
            throw .inCluster("\(tokenPath): \(KubeConfigLoader.fileErrorReason(tokenPath))")
        }
        let caPath = "\(serviceAccountDirectory)/ca.crt"
        let caBytes = try KubeConfigLoader.readFile(caPath)
        guard let roots = try? NIOSSLCertificate.fromPEMBytes(caBytes), !roots.isEmpty else {
            // The TLS library's error names no file; this one does.
            throw .inCluster("\(caPath): not a PEM-encoded certificate")
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(roots)
        let namespacePath = "\(serviceAccountDirectory)/namespace"
        // A pod without the namespace file is unusual but harmless: fall back to "default" like client-go.
        let namespace = (try? KubeConfigLoader.readText(namespacePath))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return ClusterConnection(
            server: "https://\(hostPart):\(port)", tls: tls, credentials: .tokenFile(path: tokenPath),
            namespace: (namespace?.isEmpty ?? true) ? "default" : namespace ?? "default", contextName: nil)
    }
}
