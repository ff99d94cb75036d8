import Foundation
import KubeClient
import KubeTestServer
import Operator
import Testing

/// Federated Services get Endpoints built from the matching local and remote services (issue 7,
/// calico-federation.md §6), asserted object by object against KubeTestServer clusters.
@Suite("Federated services", .timeLimit(.minutes(2)))
struct FederatedServicesTests {
    /// A Service annotated with `selector` (nil: not federated) and one `http` port.
    static func federatedService(_ seeder: ClusterSeeder, _ namespace: String, _ name: String, selector: String?,
                                 labels: [String: String] = [:], podSelector: [String: String]? = nil, portName: String = "http",
                                 portProtocol: String = "TCP") async throws {
        var service = core.v1.Service(metadata: .init(name: name, namespace: namespace, labels: labels,
                                                      annotations: selector.map { [FederatedService.selectorAnnotation: $0] }),
                                      spec: .init(selector: podSelector, ports: [.init(name: portName, protocol: portProtocol, port: 80)]))
        service.spec?.type = "ClusterIP"
        _ = try await seeder.client.resource(core.v1.Service.self, namespace: namespace).create(service)
    }

    /// A backing Service with one slice: `ready` and `notReady` pods as `name-<n>` at the given IPs.
    static func backingService(_ seeder: ClusterSeeder, _ namespace: String, _ name: String, labels: [String: String],
                               port: (name: String, number: Int32), portProtocol: String = "TCP", ready: [String], notReady: [String] = []) async throws {
        let service = core.v1.Service(metadata: .init(name: name, namespace: namespace, labels: labels),
                                      spec: .init(ports: [.init(name: port.name, protocol: portProtocol, port: port.number)]))
        _ = try await seeder.client.resource(core.v1.Service.self, namespace: namespace).create(service)
        let endpoints = (ready.map { ($0, true) } + notReady.map { ($0, false) }).enumerated().map { index, address in
            discovery.v1.Endpoint(addresses: [address.0], conditions: .init(ready: address.1),
                                  targetRef: core.v1.ObjectReference(kind: "Pod", name: "\(name)-\(index)", namespace: namespace), nodeName: "node-1")
        }
        let slice = discovery.v1.EndpointSlice(metadata: .init(name: "\(name)-abc", namespace: namespace, labels: ["kubernetes.io/service-name": name]),
                                               addressType: "IPv4", endpoints: endpoints, ports: [.init(name: port.name, protocol: portProtocol, port: port.number)])
        _ = try await seeder.client.resource(discovery.v1.EndpointSlice.self, namespace: namespace).create(slice)
    }

    static func endpoints(_ harness: OperatorHarness, _ namespace: String, _ name: String) async throws -> core.v1.Endpoints? {
        do { return try await harness.client.resource(core.v1.Endpoints.self, namespace: namespace).get(name) } catch let error as KubeAPIError where error.isNotFound { return nil }
    }

    static func slices(_ harness: OperatorHarness, _ namespace: String, _ service: String) async throws -> [discovery.v1.EndpointSlice] {
        try await harness.client.resource(discovery.v1.EndpointSlice.self, namespace: namespace)
            .list(ListOptions(labelSelector: "kubernetes.io/service-name=\(service),endpointslice.kubernetes.io/managed-by=federation-operator")).items
    }

    /// `ip (targetRef name)` of every address, ready first, then `!`-prefixed not-ready ones.
    static func addresses(_ endpoints: core.v1.Endpoints?) -> [String] {
        (endpoints?.subsets ?? []).flatMap { subset in
            (subset.addresses ?? []).map { "\($0.ip) (\($0.targetRef?.name ?? "-"))" } + (subset.notReadyAddresses ?? []).map { "!\($0.ip) (\($0.targetRef?.name ?? "-"))" }
        }
    }

    @Test func localAndRemoteBackingServicesFillTheFederatedEndpoints() async throws {
        try await withKubeTestServer(name: "local") { local in
            try await withKubeTestServer(name: "east") { east in
                let localSeeder = try ClusterSeeder(local)
                try await localSeeder.namespace("shop")
                try await Self.backingService(localSeeder, "shop", "web-local", labels: ["run": "web"], port: ("http", 8080), ready: ["10.0.0.1"])
                try await Self.federatedService(localSeeder, "shop", "web-fed", selector: #"run == "web""#)
                let remote = try ClusterSeeder(east)
                try await remote.namespace("shop")
                try await Self.backingService(remote, "shop", "web", labels: ["run": "web"], port: ("http", 8080), ready: ["10.1.0.1"], notReady: ["10.1.0.2"])
                // Same labels, but its port's name is not the federated service's: it contributes nothing.
                try await Self.backingService(remote, "shop", "web-metrics", labels: ["run": "web"], port: ("metrics", 9090), ready: ["10.1.0.9"])
                // Same labels in another namespace: never selected.
                try await remote.namespace("other")
                try await Self.backingService(remote, "other", "web", labels: ["run": "web"], port: ("http", 8080), ready: ["10.1.1.1"])
                let harness = try await OperatorHarness(local: local)
                try await harness.running {
                    _ = try await harness.rccs.create(try OperatorHarness.inlineRCC("east", remote: east))
                    #expect(try await eventually {
                        Self.addresses(try await Self.endpoints(harness, "shop", "web-fed")) == ["10.0.0.1 (web-local-0)", "10.1.0.1 (east/web-0)", "!10.1.0.2 (east/web-1)"]
                    })
                    let written = try #require(try await Self.endpoints(harness, "shop", "web-fed"))
                    #expect(written.subsets?.count == 1)
                    #expect(written.subsets?.first?.ports == [.init(name: "http", port: 8080, protocol: "TCP")], "numbers come from the backing endpoints")
                    #expect(written.metadata.annotations?[FederatedService.selectorAnnotation] == #"run == "web""#)
                    #expect(written.metadata.labels?[FederatedService.skipMirrorLabel] == "true")
                    let events = try await harness.client.resource(events.v1.Event.self, namespace: "shop").list().items
                    #expect(events.contains { $0.reason == "FederatedEndpointsUpdated" && $0.regarding?.name == "web-fed" })
                    // One slice per source cluster: the local one carries no cluster label.
                    let slices = try await Self.slices(harness, "shop", "web-fed")
                        .sorted { ($0.metadata.labels?["federation.tigera.io/remoteClusterName"] ?? "") < ($1.metadata.labels?["federation.tigera.io/remoteClusterName"] ?? "") }
                    #expect(slices.map { $0.metadata.labels?["federation.tigera.io/remoteClusterName"] } == [nil, "east"])
                    #expect(slices.map { $0.endpoints.map { "\($0.addresses[0]) \($0.targetRef?.name ?? "-") \($0.conditions?.ready == true)" } }
                            == [["10.0.0.1 web-local-0 true"], ["10.1.0.1 east/web-0 true", "10.1.0.2 east/web-1 false"]])
                    #expect(slices.allSatisfy { $0.metadata.labels?["endpointslice.kubernetes.io/managed-by"] == "federation-operator" })
                    // Both are owned by the federated Service.
                    let owner = try await harness.client.resource(core.v1.Service.self, namespace: "shop").get("web-fed")
                    let ownerReference = meta.v1.OwnerReference(apiVersion: "v1", kind: "Service", name: "web-fed", uid: owner.metadata.uid ?? "",
                                                                controller: true)
                    #expect(written.metadata.ownerReferences == [ownerReference])
                    #expect(slices.allSatisfy { $0.metadata.ownerReferences == [ownerReference] })

                    // A second federated service with the same labels is never a backing service of the first.
                    try await Self.federatedService(localSeeder, "shop", "web-fed-2", selector: "run == 'web'", labels: ["run": "web"])
                    #expect(try await eventually { try await Self.endpoints(harness, "shop", "web-fed-2") != nil })
                    #expect(try await Self.endpoints(harness, "shop", "web-fed") == written, "unchanged: same resourceVersion")

                    // Only the remote one, by its cluster label; then the remote goes with its RCC.
                    _ = try await localSeeder.client.resource(core.v1.Service.self, namespace: "shop").patch("web-fed-2", .merge(["metadata": ["annotations": [
                        FederatedService.selectorAnnotation: "federation.tigera.io/remoteClusterName == 'east'"]]]))
                    #expect(try await eventually { Self.addresses(try await Self.endpoints(harness, "shop", "web-fed-2")) == ["10.1.0.1 (east/web-0)", "!10.1.0.2 (east/web-1)"] })
                    try await harness.rccs.delete("east")
                    #expect(try await eventually { Self.addresses(try await Self.endpoints(harness, "shop", "web-fed")) == ["10.0.0.1 (web-local-0)"] })
                    let emptied = try await Self.endpoints(harness, "shop", "web-fed-2")
                    #expect(emptied != nil && emptied?.subsets == nil, "nothing matches: an Endpoints object with no subsets")
                    #expect(try await eventually { try await Self.slices(harness, "shop", "web-fed-2").isEmpty })
                    #expect(try await Self.slices(harness, "shop", "web-fed").flatMap(\.endpoints).map(\.addresses) == [["10.0.0.1"]])
                }
            }
        }
    }

    @Test func servicesThatStopBeingFederatedLoseTheirEndpointsAndMistakesAreReported() async throws {
        try await withKubeTestServer(name: "local") { local in
            let seeder = try ClusterSeeder(local)
            try await seeder.namespace("shop")
            try await Self.backingService(seeder, "shop", "api", labels: ["app": "api"], port: ("http", 8080), ready: ["10.0.0.5"])
            try await Self.federatedService(seeder, "shop", "api-fed", selector: "app == 'api'")
            try await Self.federatedService(seeder, "shop", "api-grpc", selector: "app == 'api'", portName: "grpc")
            try await Self.federatedService(seeder, "shop", "api-pods", selector: "app == 'api'", podSelector: ["app": "api"])
            let harness = try await OperatorHarness(local: local)
            let services = harness.client.resource(core.v1.Service.self, namespace: "shop")
            try await harness.running {
                #expect(try await eventually { Self.addresses(try await Self.endpoints(harness, "shop", "api-fed")) == ["10.0.0.5 (api-0)"] })
                #expect(try await eventually { try await Self.endpoints(harness, "shop", "api-grpc") != nil })
                #expect(try await Self.endpoints(harness, "shop", "api-grpc")?.subsets == nil, "no port matches by name")
                #expect(try await eventually {
                    try await harness.client.resource(events.v1.Event.self, namespace: "shop").list().items
                        .contains { $0.reason == "FederatedServiceHasSelector" && $0.regarding?.name == "api-pods" }
                })
                #expect(try await Self.endpoints(harness, "shop", "api-pods") == nil)

                // An invalid selector: an Event saying why, and the owned Endpoints go.
                _ = try await services.patch("api-grpc", .merge(["metadata": ["annotations": [FederatedService.selectorAnnotation: "app =="]]]))
                #expect(try await eventually { try await Self.endpoints(harness, "shop", "api-grpc") == nil })
                let invalid = try await harness.client.resource(events.v1.Event.self, namespace: "shop").list().items.first { $0.reason == "InvalidServiceSelector" }
                #expect(invalid?.note?.hasPrefix("ServiceSelector expression 'app ==' in annotation 'federation.tigera.io/serviceSelector' is not valid: ") == true)

                // Endpoints whose ownership annotation a user removed are left alone from then on.
                _ = try await harness.client.resource(core.v1.Endpoints.self, namespace: "shop").patch("api-fed", .json([.remove("/metadata/annotations")]))
                _ = try await services.patch("api-fed", .merge(["metadata": ["annotations": [FederatedService.selectorAnnotation: "app == 'none'"]]]))
                try await Task.sleep(for: .milliseconds(500))
                #expect(Self.addresses(try await Self.endpoints(harness, "shop", "api-fed")) == ["10.0.0.5 (api-0)"])

                // The annotation removed from a service it still owns: its Endpoints go.
                try await Self.federatedService(seeder, "shop", "api-fed-b", selector: "app == 'api'")
                #expect(try await eventually { try await Self.endpoints(harness, "shop", "api-fed-b") != nil })
                #expect(try await eventually { try await Self.slices(harness, "shop", "api-fed-b").count == 1 })
                _ = try await services.patch("api-fed-b", .json([.remove("/metadata/annotations")]))
                #expect(try await eventually { try await Self.endpoints(harness, "shop", "api-fed-b") == nil })
                #expect(try await Self.slices(harness, "shop", "api-fed-b").isEmpty)
            }
        }
    }

    @Test func aRestartedOperatorRewritesNothing() async throws {
        try await withKubeTestServer(name: "local") { local in
            try await withKubeTestServer(name: "east") { east in
                let seeder = try ClusterSeeder(local)
                try await seeder.namespace("shop")
                try await Self.federatedService(seeder, "shop", "web-fed", selector: "run == 'web'")
                let remote = try ClusterSeeder(east)
                try await remote.namespace("shop")
                try await Self.backingService(remote, "shop", "web", labels: ["run": "web"], port: ("http", 8080), ready: ["10.1.0.1", "10.1.0.2"])
                let first = try await OperatorHarness(local: local)
                try await first.running {
                    _ = try await first.rccs.create(try OperatorHarness.inlineRCC("east", remote: east))
                    #expect(try await eventually { Self.addresses(try await Self.endpoints(first, "shop", "web-fed")).count == 2 })
                }
                let before = try await Self.endpoints(first, "shop", "web-fed")
                let slicesBefore = try await Self.slices(first, "shop", "web-fed")
                #expect(slicesBefore.count == 1)
                let second = first.restarted()
                try await second.running {
                    #expect(try await eventually { try await second.status("east")?.state == "InSync" })
                    try await Task.sleep(for: .milliseconds(500))
                    #expect(try await Self.endpoints(second, "shop", "web-fed") == before, "same object, same resourceVersion")
                    #expect(try await Self.slices(second, "shop", "web-fed") == slicesBefore)
                }
            }
        }
    }

    @Test func aRemoteAwayLongerThanTheGraceLosesItsAddressesUntilItIsBack() async throws {
        try await withKubeTestServer(name: "local") { local in
            let seeder = try ClusterSeeder(local)
            try await seeder.namespace("shop")
            try await Self.federatedService(seeder, "shop", "web-fed", selector: "run == 'web'")
            try await Self.backingService(seeder, "shop", "web-local", labels: ["run": "web"], port: ("http", 8080), ready: ["10.0.0.1"])
            let remote = try KubeTestServer(name: "away")
            _ = try await remote.start()
            try await ClusterSeeder(remote).namespace("shop")
            try await Self.backingService(try ClusterSeeder(remote), "shop", "web", labels: ["run": "web"], port: ("http", 8080), ready: ["10.1.0.1"])
            let harness = try await OperatorHarness(local: local, remoteOutageGrace: .seconds(1))
            try await harness.running {
                _ = try await harness.rccs.create(try OperatorHarness.inlineRCC("away", remote: remote))
                #expect(try await eventually { Self.addresses(try await Self.endpoints(harness, "shop", "web-fed")) == ["10.0.0.1 (web-local-0)", "10.1.0.1 (away/web-0)"] })
                await remote.stop()
                #expect(try await eventually { try await harness.status("away")?.state == "ConnectionFailed" })
                #expect(try await eventually(timeout: .seconds(10)) { Self.addresses(try await Self.endpoints(harness, "shop", "web-fed")) == ["10.0.0.1 (web-local-0)"] })
                #expect(try await Self.slices(harness, "shop", "web-fed").flatMap(\.endpoints).map(\.addresses) == [["10.0.0.1"]])
                try await remote.restart(keepingData: true)
                #expect(try await eventually(timeout: .seconds(30)) { Self.addresses(try await Self.endpoints(harness, "shop", "web-fed")).count == 2 })
            }
        }
    }

    @Test func driftIsRepairedEditsRevertedMissingObjectsRecreatedOrphansDeleted() async throws {
        try await withKubeTestServer(name: "local") { local in
            let seeder = try ClusterSeeder(local)
            try await seeder.namespace("shop")
            try await Self.backingService(seeder, "shop", "api", labels: ["app": "api"], port: ("http", 8080), ready: ["10.0.0.5"])
            try await Self.federatedService(seeder, "shop", "api-fed", selector: "app == 'api'")
            let harness = try await OperatorHarness(local: local)
            let endpoints = harness.client.resource(core.v1.Endpoints.self, namespace: "shop")
            try await harness.running {
                #expect(try await eventually { Self.addresses(try await Self.endpoints(harness, "shop", "api-fed")) == ["10.0.0.5 (api-0)"] })
                var edited = try #require(try await Self.endpoints(harness, "shop", "api-fed"))
                edited.subsets = [.init(addresses: [.init(ip: "192.0.2.1")], ports: [.init(port: 1)])]
                _ = try await endpoints.update(edited)
                #expect(try await eventually { Self.addresses(try await Self.endpoints(harness, "shop", "api-fed")) == ["10.0.0.5 (api-0)"] }, "an edit is reverted")
                let slice = try #require(try await Self.slices(harness, "shop", "api-fed").first?.metadata.name)
                try await harness.client.resource(discovery.v1.EndpointSlice.self, namespace: "shop").delete(slice)
                #expect(try await eventually { try await Self.slices(harness, "shop", "api-fed").count == 1 }, "a deleted slice is recreated")
                // An annotated Endpoints object with no federated service behind it is an orphan.
                _ = try await endpoints.create(core.v1.Endpoints(metadata: .init(name: "gone", namespace: "shop",
                                                                                 annotations: [FederatedService.selectorAnnotation: "app == 'api'"])))
                #expect(try await eventually { try await Self.endpoints(harness, "shop", "gone") == nil })
            }
        }
    }

    @Test func unnamedPortsTwoLocalBackingServicesLabelChangesAndMetrics() async throws {
        try await withKubeTestServer(name: "local") { local in
            let seeder = try ClusterSeeder(local)
            try await seeder.namespace("shop")
            try await Self.backingService(seeder, "shop", "db-a", labels: ["tier": "db"], port: ("", 5432), ready: ["10.0.1.1"])
            try await Self.backingService(seeder, "shop", "db-b", labels: ["tier": "db"], port: ("", 5433), ready: ["10.0.1.2"])
            try await Self.backingService(seeder, "shop", "db-named", labels: ["tier": "db"], port: ("pg", 5434), ready: ["10.0.1.3"])
            try await Self.federatedService(seeder, "shop", "db", selector: "tier == 'db'", portName: "")
            let harness = try await OperatorHarness(local: local)
            try await harness.running {
                // An unnamed port matches unnamed ports only; the numbers are the backing ones, one subset each.
                #expect(try await eventually { Self.addresses(try await Self.endpoints(harness, "shop", "db")) == ["10.0.1.1 (db-a-0)", "10.0.1.2 (db-b-0)"] })
                #expect(try await Self.endpoints(harness, "shop", "db")?.subsets?.map { $0.ports?.map(\.port) } == [[5432], [5433]])
                // Recorded once the reconcile that wrote them returns.
                #expect(try await eventually { await harness.federation.metrics().text.contains("federation_federated_services 1\n") })
                #expect(await harness.federation.metrics().text.contains(#"federation_federated_service_endpoints{namespace="shop",service="db",cluster="local"} 2"#))

                // A backing service whose labels change so it no longer matches drops out.
                _ = try await harness.client.resource(core.v1.Service.self, namespace: "shop").patch("db-b", .merge(["metadata": ["labels": ["tier": "cache"]]]))
                #expect(try await eventually { Self.addresses(try await Self.endpoints(harness, "shop", "db")) == ["10.0.1.1 (db-a-0)"] })
            }
        }
    }

    @Test func portsMatchByNameAndProtocolOverTwoLocalBackingServicesAndARemoteOne() async throws {
        try await withKubeTestServer(name: "local") { local in
            try await withKubeTestServer(name: "east") { east in
                let localSeeder = try ClusterSeeder(local)
                try await localSeeder.namespace("net")
                try await Self.backingService(localSeeder, "net", "dns-a", labels: ["app": "dns"], port: ("dns", 53), portProtocol: "UDP", ready: ["10.0.2.1"])
                try await Self.backingService(localSeeder, "net", "dns-b", labels: ["app": "dns"], port: ("dns", 53), portProtocol: "UDP", ready: ["10.0.2.2"])
                // The same port name over TCP: another (name, protocol), so it contributes nothing.
                try await Self.backingService(localSeeder, "net", "dns-tcp", labels: ["app": "dns"], port: ("dns", 53), ready: ["10.0.2.3"])
                try await Self.federatedService(localSeeder, "net", "dns-fed", selector: "app == 'dns'", portName: "dns", portProtocol: "UDP")
                let remote = try ClusterSeeder(east)
                try await remote.namespace("net")
                try await Self.backingService(remote, "net", "dns", labels: ["app": "dns"], port: ("dns", 5353), portProtocol: "UDP", ready: ["10.1.2.1"])
                let harness = try await OperatorHarness(local: local)
                try await harness.running {
                    _ = try await harness.rccs.create(try OperatorHarness.inlineRCC("east", remote: east))
                    #expect(try await eventually {
                        Self.addresses(try await Self.endpoints(harness, "net", "dns-fed")) == ["10.0.2.1 (dns-a-0)", "10.0.2.2 (dns-b-0)", "10.1.2.1 (east/dns-0)"]
                    })
                    // The numbers are the backing ones: a subset per port.
                    #expect(try await Self.endpoints(harness, "net", "dns-fed")?.subsets?.map { $0.ports ?? [] }
                            == [[.init(name: "dns", port: 53, protocol: "UDP")], [.init(name: "dns", port: 5353, protocol: "UDP")]])
                    let slices = try await Self.slices(harness, "net", "dns-fed")
                    #expect(Set(slices.flatMap(\.endpoints).flatMap(\.addresses)) == ["10.0.2.1", "10.0.2.2", "10.1.2.1"])
                    #expect(Set(slices.compactMap { $0.ports?.first?.protocol }) == ["UDP"])
                }
            }
        }
    }

    @Test func turnedOffTheControllerWritesNothing() async throws {
        try await withKubeTestServer(name: "local") { local in
            let seeder = try ClusterSeeder(local)
            try await seeder.namespace("shop")
            try await Self.backingService(seeder, "shop", "api", labels: ["app": "api"], port: ("http", 8080), ready: ["10.0.0.5"])
            try await Self.federatedService(seeder, "shop", "api-fed", selector: "app == 'api'")
            let harness = try await OperatorHarness(local: local)
            let policy = RemoteCredentialPolicy(credentialsDirectory: harness.credentialsDirectory, operatorNamespace: OperatorHarness.operatorNamespace)
            let off = FederationOperator(client: harness.client, configuration: .init(policy: policy, instance: "test", federateServices: false),
                                         logger: harness.logger)
            let running = Task { await off.run() }
            #expect(try await eventually { off.isReady })
            try await Task.sleep(for: .seconds(1))
            #expect(try await Self.endpoints(harness, "shop", "api-fed") == nil)
            #expect(try await Self.slices(harness, "shop", "api-fed").isEmpty)
            #expect(await !off.metrics().text.contains("federation_federated_services"))
            running.cancel()
            await running.value
            // The same cluster with the controller on (the default) gets them.
            try await harness.running {
                let written = try await eventually { Self.addresses(try await Self.endpoints(harness, "shop", "api-fed")) == ["10.0.0.5 (api-0)"] }
                #expect(written)
            }
        }
    }

    @Test func twoThousandFiveHundredRemoteEndpointsTruncateTheEndpointsButFillTheSlices() async throws {
        try await withKubeTestServer(name: "local") { local in
            try await withKubeTestServer(name: "east") { east in
                let localSeeder = try ClusterSeeder(local)
                try await localSeeder.namespace("shop")
                try await Self.federatedService(localSeeder, "shop", "big-fed", selector: "app == 'big'")
                // 2,500 pods in 25 slices of 100, as Kubernetes' controller would have them; every fifth one not ready.
                let remote = try ClusterSeeder(east)
                try await remote.namespace("shop")
                _ = try await remote.client.resource(core.v1.Service.self, namespace: "shop").create(core.v1.Service(
                    metadata: .init(name: "big", namespace: "shop", labels: ["app": "big"]), spec: .init(ports: [.init(name: "http", protocol: "TCP", port: 8080)])))
                let remoteSlices = remote.client.resource(discovery.v1.EndpointSlice.self, namespace: "shop")
                for sliceIndex in 0..<25 {
                    let endpoints = (0..<100).map { offset in
                        let pod = sliceIndex * 100 + offset
                        return discovery.v1.Endpoint(addresses: ["10.2.\(pod / 250).\(pod % 250 + 1)"], conditions: .init(ready: pod % 5 != 4),
                                                     targetRef: core.v1.ObjectReference(kind: "Pod", name: "big-\(pod)", namespace: "shop"), nodeName: "node-1")
                    }
                    _ = try await remoteSlices.create(discovery.v1.EndpointSlice(
                        metadata: .init(name: "big-\(sliceIndex)", namespace: "shop", labels: ["kubernetes.io/service-name": "big"]),
                        addressType: "IPv4", endpoints: endpoints, ports: [.init(name: "http", protocol: "TCP", port: 8080)]))
                }
                let harness = try await OperatorHarness(local: local)
                try await harness.running {
                    _ = try await harness.rccs.create(try OperatorHarness.inlineRCC("east", remote: east))
                    #expect(try await eventually(timeout: .seconds(30)) { try await Self.slices(harness, "shop", "big-fed").flatMap(\.endpoints).count == 2500 })
                    let slices = try await Self.slices(harness, "shop", "big-fed")
                    #expect(slices.count == 25 && slices.allSatisfy { $0.endpoints.count == 100 })
                    #expect(slices.allSatisfy { $0.metadata.labels?["federation.tigera.io/remoteClusterName"] == "east" })
                    #expect(slices.flatMap(\.endpoints).filter { $0.conditions?.ready == true }.count == 2000)
                    #expect(Set(slices.flatMap(\.endpoints).compactMap(\.targetRef?.name)).count == 2500)

                    // Endpoints hold the first 1,000 ready addresses, and say they were cut.
                    #expect(try await eventually { try await Self.endpoints(harness, "shop", "big-fed")?.metadata.annotations?[FederatedService.overCapacityAnnotation] == "truncated" })
                    let endpoints = try #require(try await Self.endpoints(harness, "shop", "big-fed"))
                    #expect(endpoints.subsets?.count == 1)
                    #expect(endpoints.subsets?.first?.addresses?.count == 1000)
                    #expect(endpoints.subsets?.first?.notReadyAddresses == nil)
                    #expect(endpoints.subsets?.first?.addresses?.allSatisfy { $0.targetRef?.name?.hasPrefix("east/big-") == true } == true)

                    // One remote pod turns ready: one managed slice is rewritten, the other 24 keep their versions.
                    let before = Dictionary(uniqueKeysWithValues: slices.map { ($0.metadata.name ?? "", $0.metadata.resourceVersion ?? "") })
                    _ = try await remoteSlices.patch("big-3", .json([.replace("/endpoints/4/conditions/ready", .bool(true))]))
                    #expect(try await eventually {
                        try await Self.slices(harness, "shop", "big-fed").flatMap(\.endpoints).filter { $0.conditions?.ready == true }.count == 2001
                    })
                    let after = try await Self.slices(harness, "shop", "big-fed")
                    #expect(after.filter { before[$0.metadata.name ?? ""] != $0.metadata.resourceVersion }.count == 1)
                }
            }
        }
    }
}
