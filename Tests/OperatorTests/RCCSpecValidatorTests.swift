import Foundation
import KubeClient
import Operator
import Testing
import Yams

/// Calico's validator table (calico-federation.md §1.4) and the shipped samples.
@Suite("RCC spec validation", .timeLimit(.minutes(1)))
struct RCCSpecValidatorTests {
    typealias Spec = projectcalico.v3.RemoteClusterConfigurationSpec

    static func spec(_ build: (inout Spec) -> Void) -> Spec {
        var spec = Spec()
        build(&spec)
        return spec
    }

    static let secret = core.v1.ObjectReference(kind: "Secret", name: "remote-b", namespace: "calico-system")

    @Test(arguments: [
        ("secret alone", spec { $0.clusterAccessSecret = secret }),
        ("secret with syncOptions", spec { $0.clusterAccessSecret = secret; $0.syncOptions = .init(overlayRoutingMode: "Enabled") }),
        ("secret with kind v1.Secret", spec { $0.clusterAccessSecret = .init(kind: "v1.Secret", name: "s") }),
        ("secret with no kind", spec { $0.clusterAccessSecret = .init(name: "s") }),
        ("kubernetes with a kubeconfig file", spec { $0.datastoreType = "kubernetes"; $0.kubeconfig = "/etc/calico-federation/b/kubeconfig" }),
        ("kubernetes with explicit fields", spec { $0.datastoreType = "kubernetes"; $0.k8sAPIEndpoint = "https://10.0.0.1:6443"; $0.k8sAPIToken = "t" }),
        ("etcdv3 with k8s fields too", spec { $0.datastoreType = "etcdv3"; $0.etcdEndpoints = "https://a:2379,http://b:2379"; $0.kubeconfig = "/k" }),
        ("kubernetes with etcdUsername (not checked by Calico)", spec { $0.datastoreType = "kubernetes"; $0.etcdUsername = "u" }),
    ])
    func validSpecs(name: String, spec: Spec) {
        #expect(RCCSpecValidator.problems(in: spec).isEmpty, "\(name)")
    }

    @Test(arguments: [
        ("secret with datastoreType", spec { $0.clusterAccessSecret = secret; $0.datastoreType = "kubernetes" },
         ["spec.datastoreType: When ClusterAccessSecret is set all other datastore connection fields should not be set."]),
        ("secret with k8sAPIEndpoint", spec { $0.clusterAccessSecret = secret; $0.k8sAPIEndpoint = "https://a:6443" },
         ["spec.k8sAPIEndpoint: When ClusterAccessSecret is set all other datastore connection fields should not be set."]),
        ("secret with etcdEndpoints", spec { $0.clusterAccessSecret = secret; $0.etcdEndpoints = "https://a:2379" },
         ["spec.etcdEndpoints: When ClusterAccessSecret is set all other datastore connection fields should not be set."]),
        ("secret without a name", spec { $0.clusterAccessSecret = .init(kind: "ConfigMap") },
         ["spec.clusterAccessSecret.name: Required value: the Secret's name",
          "spec.clusterAccessSecret.kind: Unsupported value: \"ConfigMap\": supported values: \"Secret\", \"v1.Secret\""]),
        ("blank datastoreType", spec { $0.kubeconfig = "/k" },
         ["spec.datastoreType: Required value: etcdv3 or kubernetes (or set clusterAccessSecret)"]),
        ("unknown datastoreType", spec { $0.datastoreType = "consul" },
         ["spec.datastoreType: Unsupported value: \"consul\": supported values: \"etcdv3\", \"kubernetes\""]),
        ("kubernetes with etcd fields", spec { $0.datastoreType = "kubernetes"; $0.etcdEndpoints = "https://a:2379"; $0.etcdPassword = "p"; $0.etcdCACertFile = "/ca" },
         ["spec.etcdEndpoints: Forbidden: must not be set when datastoreType is kubernetes",
          "spec.etcdPassword: Forbidden: must not be set when datastoreType is kubernetes",
          "spec.etcdCACertFile: Forbidden: must not be set when datastoreType is kubernetes"]),
        ("malformed etcd endpoint", spec { $0.datastoreType = "etcdv3"; $0.etcdEndpoints = "https://a:2379,httpp:/1:500" },
         ["spec.etcdEndpoints: Invalid value: \"httpp:/1:500\": each endpoint must be http(s)://host:port"]),
        ("malformed API endpoint", spec { $0.datastoreType = "kubernetes"; $0.k8sAPIEndpoint = "htps://a:6443" },
         ["spec.k8sAPIEndpoint: Invalid value: \"htps://a:6443\": must be http(s)://host:port"]),
        ("API endpoint without a port", spec { $0.datastoreType = "kubernetes"; $0.k8sAPIEndpoint = "https://a" },
         ["spec.k8sAPIEndpoint: Invalid value: \"https://a\": must be http(s)://host:port"]),
        ("NUL in a file path", spec { $0.datastoreType = "kubernetes"; $0.k8sCAFile = "/a/secret/\u{0}null/" },
         ["spec.k8sCAFile: Invalid value: the path contains a NUL byte"]),
        ("bad overlay routing mode", spec { $0.datastoreType = "etcdv3"; $0.syncOptions = .init(overlayRoutingMode: "invalid") },
         ["spec.syncOptions.overlayRoutingMode: Unsupported value: \"invalid\": supported values: \"Enabled\", \"Disabled\""]),
    ])
    func invalidSpecsNameEveryField(name: String, spec: Spec, expected: [String]) {
        #expect(RCCSpecValidator.problems(in: spec).map(\.description) == expected, "\(name)")
    }

    @Test func problemsNeverQuoteCredentials() {
        let spec = Self.spec { $0.clusterAccessSecret = Self.secret; $0.k8sAPIToken = "super-secret-token"; $0.etcdPassword = "hunter2" }
        let text = RCCSpecValidator.problems(in: spec).map(\.description).joined()
        #expect(!text.contains("super-secret-token") && !text.contains("hunter2"))
        #expect(text.contains("spec.k8sAPIToken") && text.contains("spec.etcdPassword"))
    }

    @Test func shippedSamplesDecodeAndAreValid() throws {
        let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("config/samples")
        let files = try FileManager.default.contentsOfDirectory(atPath: samples.path).filter { $0.hasSuffix(".yaml") }
        #expect(files.count == 4)
        for file in files {
            let yaml = try String(contentsOf: samples.appendingPathComponent(file), encoding: .utf8)
            let rcc = try YAMLDecoder().decode(projectcalico.v3.RemoteClusterConfiguration.self, from: yaml)
            #expect(RCCSpecValidator.problems(in: rcc.spec).isEmpty, "\(file)")
        }
    }
}
