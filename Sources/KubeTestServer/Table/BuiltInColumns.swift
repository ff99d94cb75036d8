import KubeClient

/// The columns kube-apiserver's printers give built-in resources (pkg/printers/internalversion), the common ones.
enum BuiltInColumns {
    static func columns(for resource: ServedResource) -> [TableColumn] {
        switch (resource.group, resource.kind) {
        case ("", "Namespace"): [.name, .field("Status", ".status.phase"), .age]
        case ("", "Pod"): [.name, podReady, podStatus, podRestarts, .age, .field("IP", ".status.podIP", priority: 1, absent: "<none>"),
                           .field("Node", ".spec.nodeName", priority: 1, absent: "<none>")]
        case ("", "Service"): [.name, serviceType, .field("Cluster-IP", ".spec.clusterIP"), externalIP, servicePorts, .age,
                               selector]
        case ("", "Endpoints"): [.name, endpointAddresses, .age]
        case ("discovery.k8s.io", "EndpointSlice"): [.name, .field("AddressType", ".addressType"), slicePorts, sliceEndpoints, .age]
        case ("", "Secret"): [.name, .field("Type", ".type"), count("Data", "data"), .age]
        case ("", "ConfigMap"): [.name, count("Data", "data"), .age]
        case ("", "ServiceAccount"): [.name, count("Secrets", "secrets"), .age]
        case ("", "Node"): [.name, nodeStatus, .field("Roles", ".metadata.labels['kubernetes.io/role']"), .age,
                            .field("Version", ".status.nodeInfo.kubeletVersion")]
        case ("coordination.k8s.io", "Lease"): [.name, .field("Holder", ".spec.holderIdentity"), .age]
        case ("apiextensions.k8s.io", "CustomResourceDefinition"): [.name, .field("Created At", ".metadata.creationTimestamp")]
        case ("", "Event"): [.field("Last Seen", ".lastTimestamp"), .field("Type", ".type"), .field("Reason", ".reason"),
                             eventObject, .field("Message", ".message")]
        default: [.name, .age]
        }
    }

    private static func count(_ name: String, _ member: String) -> TableColumn {
        TableColumn(name: name, type: "integer") { object in
            .int(Int64(object[member]?.objectValue?.count ?? object[member]?.arrayValue?.count ?? 0))
        }
    }

    private static func dashIfEmpty(_ text: String) -> JSONValue { .string(text.isEmpty ? "<none>" : text) }

    private static let podReady = TableColumn(name: "Ready", type: "string") { pod in
        let statuses = pod["status"]?["containerStatuses"]?.arrayValue ?? []
        let ready = statuses.filter { $0["ready"] == true }.count
        return .string("\(ready)/\(pod["spec"]?["containers"]?.arrayValue?.count ?? 0)")
    }

    private static let podStatus = TableColumn(name: "Status", type: "string") { pod in
        if pod["metadata"]?["deletionTimestamp"] != nil { return "Terminating" }
        return .string(pod["status"]?["reason"]?.stringValue ?? pod["status"]?["phase"]?.stringValue ?? "Pending")
    }

    private static let podRestarts = TableColumn(name: "Restarts", type: "string") { pod in
        let statuses = pod["status"]?["containerStatuses"]?.arrayValue ?? []
        return .string(String(statuses.reduce(0) { $0 + ($1["restartCount"]?.intValue ?? 0) }))
    }

    private static let serviceType = TableColumn(name: "Type", type: "string") { .string($0["spec"]?["type"]?.stringValue ?? "ClusterIP") }

    private static let externalIP = TableColumn(name: "External-IP", type: "string") { service in
        let ips = (service["spec"]?["externalIPs"]?.arrayValue ?? []).compactMap(\.stringValue)
            + (service["status"]?["loadBalancer"]?["ingress"]?.arrayValue ?? []).compactMap { $0["ip"]?.stringValue ?? $0["hostname"]?.stringValue }
        return dashIfEmpty(ips.joined(separator: ","))
    }

    private static let servicePorts = TableColumn(name: "Port(s)", type: "string") { service in
        let ports = (service["spec"]?["ports"]?.arrayValue ?? []).map { port in
            let number = port["port"]?.intValue ?? 0
            let nodePort = port["nodePort"]?.intValue.map { ":\($0)" } ?? ""
            return "\(number)\(nodePort)/\(port["protocol"]?.stringValue ?? "TCP")"
        }
        return dashIfEmpty(ports.joined(separator: ","))
    }

    private static let selector = TableColumn(name: "Selector", type: "string", priority: 1) { service in
        let labels = (service["spec"]?["selector"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        return dashIfEmpty(labels.keys.sorted().map { "\($0)=\(labels[$0]!)" }.joined(separator: ","))
    }

    private static let endpointAddresses = TableColumn(name: "Endpoints", type: "string") { endpoints in
        var addresses: [String] = []
        for subset in endpoints["subsets"]?.arrayValue ?? [] {
            let ports = (subset["ports"]?.arrayValue ?? []).compactMap { $0["port"]?.intValue }
            for address in subset["addresses"]?.arrayValue ?? [] {
                let ip = address["ip"]?.stringValue ?? ""
                addresses += ports.isEmpty ? [ip] : ports.map { "\(ip):\($0)" }
            }
        }
        return dashIfEmpty(shortList(addresses))
    }

    private static let slicePorts = TableColumn(name: "Ports", type: "string") { slice in
        dashIfEmpty((slice["ports"]?.arrayValue ?? []).compactMap { $0["port"]?.intValue.map(String.init) }.joined(separator: ","))
    }

    private static let sliceEndpoints = TableColumn(name: "Endpoints", type: "string") { slice in
        let addresses = (slice["endpoints"]?.arrayValue ?? []).flatMap { ($0["addresses"]?.arrayValue ?? []).compactMap(\.stringValue) }
        return dashIfEmpty(shortList(addresses))
    }

    private static let nodeStatus = TableColumn(name: "Status", type: "string") { node in
        let ready = (node["status"]?["conditions"]?.arrayValue ?? []).first { $0["type"] == "Ready" }
        return .string(ready?["status"] == "True" ? "Ready" : (ready == nil ? "Unknown" : "NotReady"))
    }

    private static let eventObject = TableColumn(name: "Object", type: "string") { event in
        let involved = event["involvedObject"]
        return .string("\((involved?["kind"]?.stringValue ?? "").lowercased())/\(involved?["name"]?.stringValue ?? "")")
    }

    /// The first three entries and `+ N more...`, as kubectl shortens endpoint lists.
    private static func shortList(_ items: [String]) -> String {
        guard items.count > 3 else { return items.joined(separator: ",") }
        return items.prefix(3).joined(separator: ",") + " + \(items.count - 3) more..."
    }
}
