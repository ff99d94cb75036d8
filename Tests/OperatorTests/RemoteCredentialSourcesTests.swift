import Foundation
import KubeClient
import KubeTestServer
import Operator
import Testing

/// Where remote data and credentials come from beyond the basics: a mounted Secret replaced by a symlink swap, and
/// Calico HostEndpoints on a remote that serves their CRD.
@Suite("Remote credential files and Calico host endpoints", .timeLimit(.minutes(2)))
struct RemoteCredentialSourcesTests {
    typealias RCC = projectcalico.v3.RemoteClusterConfiguration

    /// A directory laid out as kubelet mounts a Secret: `kubeconfig -> ..data/kubeconfig`, `..data -> ..<version>`,
    /// updated by writing a new version and renaming a new `..data` link over the old one.
    struct MountedSecret {
        let path: String

        init() throws {
            path = NSTemporaryDirectory() + "calico-federation-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }

        func write(version: String, kubeconfig: String) throws {
            let versionDirectory = "\(path)/..\(version)"
            try FileManager.default.createDirectory(atPath: versionDirectory, withIntermediateDirectories: true)
            try kubeconfig.write(toFile: versionDirectory + "/kubeconfig", atomically: true, encoding: .utf8)
            let next = "\(path)/..data_tmp"
            try FileManager.default.createSymbolicLink(atPath: next, withDestinationPath: "..\(version)")
            guard rename(next, "\(path)/..data") == 0 else { throw CocoaError(.fileWriteUnknown) }
            if !FileManager.default.fileExists(atPath: "\(path)/kubeconfig") {
                try FileManager.default.createSymbolicLink(atPath: "\(path)/kubeconfig", withDestinationPath: "..data/kubeconfig")
            }
        }

        func remove() { try? FileManager.default.removeItem(atPath: path) }  // A leftover temporary directory is harmless.
    }

    @Test func aMountedSecretSwappedToAnotherClusterIsPickedUpAndReplacesTheData() async throws {
        let mount = try MountedSecret()
        defer { mount.remove() }
        try await withKubeTestServer(name: "local") { local in
            try await withKubeTestServer(name: "first") { first in
                try await withKubeTestServer(name: "second") { second in
                    try await ClusterSeeder(first).namespace("shop")
                    try await ClusterSeeder(first).pod("shop", "from-first", ip: "10.3.0.1", labels: [:])
                    try await ClusterSeeder(second).namespace("shop")
                    try await ClusterSeeder(second).pod("shop", "from-second", ip: "10.3.1.1", labels: [:])
                    try mount.write(version: "v1", kubeconfig: try first.kubeconfig())

                    let harness = try await OperatorHarness(local: local, credentialsDirectory: mount.path)
                    try await harness.running {
                        var spec = RCC.Spec()
                        spec.datastoreType = "kubernetes"
                        spec.kubeconfig = mount.path + "/kubeconfig"
                        _ = try await harness.rccs.create(RCC(metadata: .init(name: "mounted"), spec: spec))
                        let cache = harness.federation.federation
                        #expect(try await eventually { cache.endpoint("mounted/shop/from-first") != nil })

                        try mount.write(version: "v2", kubeconfig: try second.kubeconfig())
                        #expect(try await eventually { cache.endpoint("mounted/shop/from-second") != nil }, "the file is re-read")
                        #expect(cache.endpoints(of: "mounted").map(\.name) == ["from-second"])
                        #expect(try await eventually { await harness.federation.registry.syncerCount(for: "mounted") == 1 })
                    }
                }
            }
        }
    }

    @Test func hostEndpointsAreReadWhereTheCalicoCRDIsServed() async throws {
        try await withKubeTestServer(name: "local") { local in
            try await withKubeTestServer(name: "calico-remote") { remote in
                let seeder = try ClusterSeeder(remote)
                try await seeder.installCalicoCRD(plural: "hostendpoints", kind: "HostEndpoint", namespaced: false)
                let hostEndpoints = seeder.client.dynamic(HostEndpointProjection.resource)
                _ = try await hostEndpoints.create(DynamicObject(
                    apiVersion: "crd.projectcalico.org/v1", kind: "HostEndpoint",
                    metadata: .init(name: "node-1-eth0", labels: ["role": "ingress"]),
                    content: ["spec": ["node": "node-1", "interfaceName": "eth0", "expectedIPs": ["192.168.1.10"]]]))
                let harness = try await OperatorHarness(local: local)
                try await harness.running {
                    _ = try await harness.rccs.create(try OperatorHarness.inlineRCC("calico", remote: remote))
                    let cache = harness.federation.federation
                    #expect(try await eventually { cache.endpoint("calico/node-1-eth0") != nil })
                    let endpoint = try #require(cache.endpoint("calico/node-1-eth0"))
                    #expect(endpoint.kind == .host)
                    #expect(endpoint.node == "node-1")
                    #expect(endpoint.ips == ["192.168.1.10"])
                    #expect(endpoint.labels == ["role": "ingress", "federation.tigera.io/remoteClusterName": "calico"])
                    #expect(try await eventually { try await harness.status("calico")?.remoteEndpoints == 1 })
                }
            }
        }
    }
}
