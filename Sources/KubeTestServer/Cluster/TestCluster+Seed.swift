import KubeClient

extension TestCluster {
    /// Fills the cluster with `pods` running pods spread over `namespaces` namespaces (`ns-0`...), each with an IP
    /// `10.<a>.<b>.<c>` from `subnet` and the labels of one of `labelSets` sets (``seedLabels(set:)``), written
    /// straight into the store (no HTTP): for benchmarks and the demo's large clusters. Pod `i` is in namespace
    /// `i % namespaces` with label set `i % labelSets`.
    public func seed(pods: Int, namespaces: Int, subnet: Int = 0, labelSets: Int = 1000) throws(StoreError) {
        let pods = max(0, pods), namespaces = max(1, namespaces)
        let podResource = GroupResource(group: "", plural: "pods")
        for index in 0..<namespaces {
            _ = try store.create(ObjectStore.namespaces, namespace: "", object: ["metadata": ["name": .string("ns-\(index)"), "labels": ["team": .string("team-\(index % 7)")]]])
        }
        for index in 0..<pods {
            let namespace = "ns-\(index % namespaces)"
            let name = "pod-\(index)"
            let ip = "10.\(subnet % 256).\(index / 256 % 256).\(index % 256)"
            let pod: JSONValue = [
                "metadata": ["name": .string(name), "labels": .object(Self.seedLabels(set: index % max(1, labelSets)).mapValues { .string($0) })],
                "spec": ["nodeName": .string("node-\(index % 100)"), "serviceAccountName": "default", "containers": [["name": "main", "image": "registry.example/app:1"]]],
            ]
            var created = try store.create(podResource, namespace: namespace, object: pod)
            created["status"] = ["phase": "Running", "podIP": .string(ip), "podIPs": [["ip": .string(ip)]], "hostIP": .string("192.168.\(index % 100 / 256).\(index % 100)")]
            _ = try store.update(ObjectKey(podResource, namespace: namespace, name: name), object: created, subresource: "status")
        }
    }

    /// The labels of seeded label set `set`.
    public static func seedLabels(set: Int) -> [String: String] {
        ["app": "app-\(set % 50)", "version": "v\(set % 3)", "pod-template-hash": "h\(set)"]
    }
}

extension TestCluster {
    /// Adds `count` Services (`svc-0`...) over the seeded namespaces (`ns-<i % namespaces>`, created when missing),
    /// each labelled `app: svc-<i>` with one `http` port and, when `endpointsPerService` > 0, one EndpointSlice of
    /// that many ready endpoints at `10.<subnet>.<b>.<c>`; with `federated`, each carries the federation annotation
    /// selecting `app == 'svc-<i>'` instead. Written straight into the store, for benchmarks.
    public func seedServices(_ count: Int, namespaces: Int, endpointsPerService: Int, subnet: Int, federated: Bool) throws(StoreError) {
        let services = GroupResource(group: "", plural: "services"), slices = GroupResource(group: "discovery.k8s.io", plural: "endpointslices")
        for index in 0..<max(1, namespaces) where (try? store.get(ObjectKey(ObjectStore.namespaces, namespace: "", name: "ns-\(index)"))) == nil {
            _ = try store.create(ObjectStore.namespaces, namespace: "", object: ["metadata": ["name": .string("ns-\(index)")]])
        }
        var address = 0
        for index in 0..<count {
            let namespace = "ns-\(index % max(1, namespaces))", name = "svc-\(index)"
            let metadata: JSONValue = federated
                ? ["name": .string(name), "annotations": ["federation.tigera.io/serviceSelector": .string("app == 'svc-\(index)'")]]
                : ["name": .string(name), "labels": ["app": .string(name)]]
            _ = try store.create(services, namespace: namespace, object: [
                "metadata": metadata, "spec": ["type": "ClusterIP", "ports": [["name": "http", "protocol": "TCP", "port": 80]]],
            ])
            guard endpointsPerService > 0 else { continue }
            let endpoints: [JSONValue] = (0..<endpointsPerService).map { _ in
                defer { address += 1 }
                return ["addresses": [.string("10.\(subnet % 256).\(address / 250 % 256).\(address % 250 + 1)")], "conditions": ["ready": true],
                        "targetRef": ["kind": "Pod", "name": .string("\(name)-\(address)"), "namespace": .string(namespace)]]
            }
            _ = try store.create(slices, namespace: namespace, object: [
                "metadata": ["name": .string("\(name)-1"), "labels": ["kubernetes.io/service-name": .string(name)]],
                "addressType": "IPv4", "endpoints": .array(endpoints), "ports": [["name": "http", "protocol": "TCP", "port": 8080]],
            ])
        }
    }
}
