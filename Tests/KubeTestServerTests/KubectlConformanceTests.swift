import Foundation
import KubeClient
import KubeTestServer
import Testing

/// The real kubectl against the test server: what users type, checked by what kubectl prints.
@Suite("kubectl conformance", .serialized, .timeLimit(.minutes(2)))
struct KubectlConformanceTests {
    /// Runs `body` with a server that already serves the Widget CRD, and kubectl pointed at it.
    func withWidgets(_ body: (KubeTestServer, Kubectl) async throws -> Void) async throws {
        try await withKubeTestServer { server in
            let kubectl = try Kubectl(server)
            defer { kubectl.cleanUp() }
            let applied = try await kubectl("apply", "-f", "-", stdin: Fixtures.widgetCRDYAML)
            #expect(applied.stdout == "customresourcedefinition.apiextensions.k8s.io/widgets.example.com created\n", "\(applied.stderr)")
            try await body(server, kubectl)
        }
    }

    static let widgetYAML = """
        apiVersion: example.com/v1
        kind: Widget
        metadata:
          name: w1
          namespace: default
          labels: {app: demo}
        spec:
          size: 3

        """

    @Test func applyAndGetCustomObjectsByShortName() async throws {
        try await withWidgets { _, kubectl in
            #expect(try await kubectl("apply", "-f", "-", stdin: Self.widgetYAML).stdout == "widget.example.com/w1 created\n")
            #expect(try await kubectl("apply", "-f", "-", stdin: Self.widgetYAML).stdout == "widget.example.com/w1 unchanged\n")
            let changed = Self.widgetYAML.replacingOccurrences(of: "size: 3", with: "size: 5")
            #expect(try await kubectl("apply", "-f", "-", stdin: changed).stdout == "widget.example.com/w1 configured\n")

            let table = try await kubectl("get", "wd")
            #expect(table.lines.first == "NAME   SIZE   PHASE   AGE")
            #expect(table.lines.dropFirst().first?.hasPrefix("w1     5              ") == true, "\(table.stdout)")

            let yaml = try await kubectl("get", "wd", "w1", "-o", "yaml")
            #expect(yaml.stdout.contains("\n  size: 5\n"))
            #expect(yaml.stdout.contains("generation: 2"), "the spec change bumped the generation")
            #expect(yaml.stdout.contains("kubectl.kubernetes.io/last-applied-configuration"))

            let json = try await kubectl("get", "widgets.example.com", "-o", "json")
            let list = try JSONDecoder().decode(JSONValue.self, from: Data(json.stdout.utf8))
            #expect(list["kind"] == "List")
            #expect(list["items"]?[0]?["metadata"]?["labels"] == ["app": "demo"])

            let wide = try await kubectl("get", "wd", "-o", "wide", "--show-labels")
            #expect(wide.lines.first == "NAME   SIZE   PHASE   AGE   LABELS")
            #expect(wide.lines.last?.hasSuffix("app=demo") == true)
        }
    }

    @Test func statusSubresourceLabelsAndAnnotations() async throws {
        try await withWidgets { _, kubectl in
            _ = try await kubectl("apply", "-f", "-", stdin: Self.widgetYAML)
            let status = try await kubectl("patch", "wd", "w1", "--subresource=status", "--type=merge", "-p", #"{"status":{"phase":"Ready"},"spec":{"size":99}}"#)
            #expect(status.stdout == "widget.example.com/w1 patched\n", "\(status.stderr)")
            let row = try await kubectl("get", "wd", "w1", "--no-headers")
            #expect(row.stdout.split(separator: " ", omittingEmptySubsequences: true).prefix(3) == ["w1", "3", "Ready"],
                    "status changed, spec did not: \(row.stdout)")

            #expect(try await kubectl("label", "wd", "w1", "tier=gold").stdout == "widget.example.com/w1 labeled\n")
            #expect(try await kubectl("annotate", "wd", "w1", "note=hello").stdout == "widget.example.com/w1 annotated\n")
            let selected = try await kubectl("get", "wd", "-l", "tier=gold", "-o", "name")
            #expect(selected.stdout == "widget.example.com/w1\n")
            let none = try await kubectl("get", "wd", "-l", "tier=silver")
            #expect(none.stderr == "No resources found in default namespace.\n")
            let note = try await kubectl("get", "wd", "w1", "-o", "jsonpath={.metadata.annotations.note}")
            #expect(note.stdout == "hello")
        }
    }

    @Test func deleteWithAndWithoutFinalizers() async throws {
        try await withWidgets { _, kubectl in
            _ = try await kubectl("apply", "-f", "-", stdin: Self.widgetYAML)
            _ = try await kubectl("patch", "wd", "w1", "--type=merge", "-p", #"{"metadata":{"finalizers":["example.com/hold"]}}"#)
            #expect(try await kubectl("delete", "wd", "w1", "--wait=false").stdout == "widget.example.com \"w1\" deleted\n")
            let held = try await kubectl("get", "wd", "w1", "-o", "jsonpath={.metadata.deletionTimestamp}")
            #expect(!held.stdout.isEmpty, "a finalizer holds the object, marked for deletion")
            _ = try await kubectl("patch", "wd", "w1", "--type=json", "-p", #"[{"op":"remove","path":"/metadata/finalizers"}]"#)
            let gone = try await kubectl("get", "wd", "w1")
            #expect(gone.status != 0)
            #expect(gone.stderr == "Error from server (NotFound): widgets.example.com \"w1\" not found\n")

            _ = try await kubectl("apply", "-f", "-", stdin: Self.widgetYAML)
            #expect(try await kubectl("delete", "wd", "w1").stdout == "widget.example.com \"w1\" deleted\n")
            #expect(try await kubectl("get", "wd").stderr == "No resources found in default namespace.\n")
        }
    }

    @Test func schemaValidationAndPruning() async throws {
        try await withWidgets { _, kubectl in
            let negative = Self.widgetYAML.replacingOccurrences(of: "size: 3", with: "size: -1")
            let invalid = try await kubectl("apply", "-f", "-", stdin: negative)
            #expect(invalid.status != 0)
            #expect(invalid.stderr == "The Widget \"w1\" is invalid: spec.size: Invalid value: -1: spec.size in body should be greater than or equal to 0\n")

            let typo = Self.widgetYAML.replacingOccurrences(of: "size: 3", with: "size: 3\n  colour: red")
            let strict = try await kubectl("apply", "-f", "-", stdin: typo)
            #expect(strict.stderr.hasSuffix("Widget in version \"v1\" cannot be handled as a Widget: strict decoding error: unknown field \"spec.colour\"\n"),
                    "\(strict.stderr)")
            let lenient = try await kubectl("apply", "--validate=false", "-f", "-", stdin: typo)
            #expect(lenient.stdout == "widget.example.com/w1 created\n")
            #expect(try await kubectl("get", "wd", "w1", "-o", "jsonpath={.spec}").stdout == #"{"size":3}"#, "the unknown field was pruned")
        }
    }

    @Test func serverSideApply() async throws {
        try await withWidgets { _, kubectl in
            let created = try await kubectl("apply", "--server-side", "-f", "-", stdin: Self.widgetYAML)
            #expect(created.stdout == "widget.example.com/w1 serverside-applied\n", "\(created.stderr)")
            let bigger = Self.widgetYAML.replacingOccurrences(of: "size: 3", with: "size: 8")
            _ = try await kubectl("apply", "--server-side", "-f", "-", stdin: bigger)
            #expect(try await kubectl("get", "wd", "w1", "-o", "jsonpath={.spec.size}").stdout == "8")
        }
    }

    @Test func watchPrintsChangesAsTheyHappen() async throws {
        try await withWidgets { server, kubectl in
            _ = try await kubectl("apply", "-f", "-", stdin: Self.widgetYAML)
            let watching = try kubectl.start(["get", "wd", "-w"])
            try await Task.sleep(for: .seconds(1))
            _ = try await kubectl("patch", "wd", "w1", "--subresource=status", "--type=merge", "-p", #"{"status":{"phase":"Busy"}}"#)
            _ = try await kubectl("delete", "wd", "w1")
            try await Task.sleep(for: .seconds(1))
            watching.terminate()
            let lines = await watching.finish().lines
            #expect(lines.first == "NAME   SIZE   PHASE   AGE")
            #expect(lines.dropFirst().map { String($0.prefix(20)) } == ["w1     3              ", "w1     3      Busy   ", "w1     3      Busy   "].map { String($0.prefix(20)) },
                    "\(lines)")
            _ = server
        }
    }

    @Test func builtInsApplyWithStrategicMerge() async throws {
        try await withKubeTestServer { server in
            let kubectl = try Kubectl(server)
            defer { kubectl.cleanUp() }
            let pod = """
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: default, labels: {app: web}}
                spec:
                  containers:
                  - {name: main, image: nginx:1}
                  - {name: side, image: busybox}

                """
            #expect(try await kubectl("apply", "-f", "-", stdin: pod).stdout == "pod/web created\n")
            let updated = pod.replacingOccurrences(of: "nginx:1", with: "nginx:2")
            let configured = try await kubectl("apply", "-f", "-", stdin: updated)
            #expect(configured.stdout == "pod/web configured\n", "\(configured.stderr)")
            let images = try await kubectl("get", "pod", "web", "-o", "jsonpath={.spec.containers[*].image}")
            #expect(images.stdout == "nginx:2 busybox")
            let wide = try await kubectl("get", "pods", "-o", "wide")
            #expect(wide.lines.first == "NAME   READY   STATUS    RESTARTS   AGE   IP       NODE")
            #expect(wide.lines.last?.hasPrefix("web    0/2     Pending   0          ") == true, "\(wide.stdout)")

            let role = """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: reader}
                rules:
                - {apiGroups: [""], resources: [pods], verbs: [get, list, watch]}

                """
            #expect(try await kubectl("apply", "-f", "-", stdin: role).stdout == "clusterrole.rbac.authorization.k8s.io/reader created\n")
            #expect(try await kubectl("get", "clusterroles", "-o", "name").stdout == "clusterrole.rbac.authorization.k8s.io/reader\n")
            #expect(try await kubectl("create", "namespace", "team").stdout == "namespace/team created\n")
            _ = try await kubectl("create", "configmap", "settings", "-n", "team", "--from-literal=a=b")
            #expect(try await kubectl("delete", "namespace", "team").stdout == "namespace \"team\" deleted\n")
            let configMaps = try await kubectl("get", "configmaps", "-A", "-o", "name")
            #expect(!configMaps.stdout.contains("settings"), "deleting the namespace deleted its objects")
        }
    }

    /// kubectl 1.29 to 1.33: the wrapper on the PATH runs the client matching the server's reported minor version.
    /// (1.27 and 1.28 check field validation against OpenAPI v2, which they fetch only as protobuf; the server does
    /// not serve it, so with those clients `apply` needs `--validate=false`.)
    @Test(arguments: 29...33)
    func everyInstalledKubectlVersionWorks(minor: Int) async throws {
        try await withKubeTestServer(cluster: TestCluster(minorVersion: minor)) { server in
            let kubectl = try Kubectl(server)
            defer { kubectl.cleanUp() }
            let version = try JSONDecoder().decode(JSONValue.self, from: Data(try await kubectl("version", "-o", "json").stdout.utf8))
            #expect(version["clientVersion"]?["minor"]?.stringValue?.trimmingCharacters(in: ["+"]) == String(minor))
            #expect(version["serverVersion"]?["gitVersion"]?.stringValue == "v1.\(minor).3")
            #expect(try await kubectl("apply", "-f", "-", stdin: Fixtures.widgetCRDYAML).stdout.hasSuffix("created\n"))
            let created = try await kubectl("apply", "-f", "-", stdin: Self.widgetYAML)
            #expect(created.stdout == "widget.example.com/w1 created\n", "\(created.stderr)")
            #expect(try await kubectl("get", "wd").lines.first == "NAME   SIZE   PHASE   AGE")
            #expect(try await kubectl("auth", "can-i", "delete", "widgets").stdout == "yes\n")
            #expect(try await kubectl("delete", "wd", "w1").stdout == "widget.example.com \"w1\" deleted\n")
        }
    }

    @Test func limitedUserCanAskAndIsRefused() async throws {
        try await withKubeTestServer { server in
            await server.cluster.addUser(UserInfo(name: "alice", groups: ["developers"]), token: "alice-token",
                                         rules: [AccessRule(verbs: ["get", "list", "watch"], apiGroups: [""], resources: ["pods"], namespaces: ["default"])])
            let alice = try Kubectl(server, token: "alice-token", user: UserInfo(name: "alice"))
            defer { alice.cleanUp() }
            #expect(try await alice("auth", "can-i", "list", "pods").stdout == "yes\n")
            let create = try await alice("auth", "can-i", "create", "pods")
            #expect(create.stdout == "no\n")
            #expect(create.status == 1)
            #expect(try await alice("auth", "can-i", "list", "pods", "-n", "kube-system").stdout == "no\n")
            #expect(try await alice("get", "pods").stderr == "No resources found in default namespace.\n")
            let forbidden = try await alice("create", "configmap", "c", "--from-literal=a=b")
            #expect(forbidden.status != 0)
            #expect(forbidden.stderr == "error: failed to create configmap: configmaps is forbidden: User \"alice\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"default\"\n")
        }
    }
}
