import Foundation

/// Calico's validation of a RemoteClusterConfiguration spec (calico-federation.md §1.4, DESIGN §6.2), every problem
/// reported at once:
/// 1. with `clusterAccessSecret`, only `syncOptions` may be set beside it, and the Secret needs a name (its `kind`
///    may be empty, `Secret` or `v1.Secret`);
/// 2. otherwise `datastoreType` must be `etcdv3` or `kubernetes` (blank is invalid);
/// 3. `kubernetes` forbids the etcd connection fields Calico checks (`etcdEndpoints`, `etcdPassword`, the etcd
///    file fields);
/// 4. `etcdEndpoints` is a comma-separated list of `http(s)://host:port`; `k8sAPIEndpoint` is one, optionally with
///    a path;
/// 5. file fields must not contain a NUL byte; `syncOptions.overlayRoutingMode` is `Enabled` or `Disabled`.
public enum RCCSpecValidator {
    public typealias Spec = projectcalico.v3.RemoteClusterConfigurationSpec

    /// The problems of `spec`, in field order; empty when it is valid. `prefix` names where the fields came from.
    public static func problems(in spec: Spec, prefix: String = "spec.") -> [RCCValidationError] {
        var problems: [RCCValidationError] = []
        func problem(_ field: String, _ message: String) { problems.append(RCCValidationError(field: prefix + field, message: message)) }
        let connectionFields = Self.connectionFields(spec)

        if let secret = spec.clusterAccessSecret {
            for (field, _) in connectionFields {
                problem(field, "When ClusterAccessSecret is set all other datastore connection fields should not be set.")
            }
            if (secret.name ?? "").isEmpty { problem("clusterAccessSecret.name", "Required value: the Secret's name") }
            if let kind = secret.kind, !["", "Secret", "v1.Secret"].contains(kind) {
                problem("clusterAccessSecret.kind", "Unsupported value: \"\(kind)\": supported values: \"Secret\", \"v1.Secret\"")
            }
        } else {
            switch spec.datastoreType ?? "" {
            case "etcdv3", "kubernetes": break
            case "": problem("datastoreType", "Required value: etcdv3 or kubernetes (or set clusterAccessSecret)")
            case let other: problem("datastoreType", "Unsupported value: \"\(other)\": supported values: \"etcdv3\", \"kubernetes\"")
            }
            if spec.datastoreType == "kubernetes" {
                for (field, value) in connectionFields where etcdFieldsForbiddenWithKubernetes.contains(field) && value {
                    problem(field, "Forbidden: must not be set when datastoreType is kubernetes")
                }
            }
        }
        if let endpoints = spec.etcdEndpoints, !endpoints.isEmpty {
            for endpoint in endpoints.split(separator: ",", omittingEmptySubsequences: false)
            where !isEndpoint(endpoint.trimmingCharacters(in: [" "]), allowPath: false) {
                problem("etcdEndpoints", "Invalid value: \"\(endpoint)\": each endpoint must be http(s)://host:port")
            }
        }
        if let endpoint = spec.k8sAPIEndpoint, !endpoint.isEmpty, !isEndpoint(endpoint, allowPath: true) {
            problem("k8sAPIEndpoint", "Invalid value: \"\(endpoint)\": must be http(s)://host:port")
        }
        let files: [(String, String?)] = [("etcdKeyFile", spec.etcdKeyFile), ("etcdCertFile", spec.etcdCertFile), ("etcdCACertFile", spec.etcdCACertFile),
                                          ("kubeconfig", spec.kubeconfig), ("k8sKeyFile", spec.k8sKeyFile), ("k8sCertFile", spec.k8sCertFile),
                                          ("k8sCAFile", spec.k8sCAFile)]
        for (field, path) in files where path?.utf8.contains(0) == true {
            problem(field, "Invalid value: the path contains a NUL byte")
        }
        if let mode = spec.syncOptions?.overlayRoutingMode, !["Enabled", "Disabled"].contains(mode) {
            problem("syncOptions.overlayRoutingMode", "Unsupported value: \"\(mode)\": supported values: \"Enabled\", \"Disabled\"")
        }
        return problems
    }

    private static let etcdFieldsForbiddenWithKubernetes: Set<String> = ["etcdEndpoints", "etcdPassword", "etcdKeyFile", "etcdCertFile", "etcdCACertFile"]

    /// The connection fields that are set (all but `clusterAccessSecret` and `syncOptions`), in spec order.
    private static func connectionFields(_ spec: Spec) -> [(String, Bool)] {
        let strings: [(String, String?)] = [
            ("datastoreType", spec.datastoreType), ("etcdEndpoints", spec.etcdEndpoints), ("etcdUsername", spec.etcdUsername),
            ("etcdPassword", spec.etcdPassword), ("etcdKeyFile", spec.etcdKeyFile), ("etcdCertFile", spec.etcdCertFile),
            ("etcdCACertFile", spec.etcdCACertFile), ("etcdKey", spec.etcdKey), ("etcdCert", spec.etcdCert), ("etcdCACert", spec.etcdCACert),
            ("kubeconfig", spec.kubeconfig), ("kubeconfigInline", spec.kubeconfigInline), ("k8sAPIEndpoint", spec.k8sAPIEndpoint),
            ("k8sKeyFile", spec.k8sKeyFile), ("k8sCertFile", spec.k8sCertFile), ("k8sCAFile", spec.k8sCAFile), ("k8sAPIToken", spec.k8sAPIToken),
        ]
        var set = strings.filter { !($0.1 ?? "").isEmpty }.map { ($0.0, true) }
        if spec.k8sInsecureSkipTLSVerify == true { set.append(("k8sInsecureSkipTLSVerify", true)) }
        return set
    }

    /// `http(s)://host:port`, host without `:`, port all digits, then (when allowed) an optional `/path`.
    private static func isEndpoint(_ text: String, allowPath: Bool) -> Bool {
        let rest: Substring
        if text.hasPrefix("https://") { rest = text.dropFirst(8) } else if text.hasPrefix("http://") { rest = text.dropFirst(7) } else { return false }
        guard let colon = rest.firstIndex(of: ":"), colon > rest.startIndex else { return false }
        let afterColon = rest[rest.index(after: colon)...]
        let port = afterColon.prefix { $0.isASCII && $0.isNumber }
        let tail = afterColon.dropFirst(port.count)
        return !port.isEmpty && (tail.isEmpty || (allowPath && tail.hasPrefix("/")))
    }
}
