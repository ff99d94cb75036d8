import Foundation
import KubeClient
import NIOCore

/// Decoding pod JSON into the operator's models (issue 2): a 10,000-pod list and 100,000 watch events.
func runDecodeBenchmarks() throws {
    let listCount = 10_000
    let eventCount = 100_000
    let decoder = JSONDecoder()

    // 1. A 10,000-pod list decoded into the operator's Pod model (and, for comparison, into JSON values).
    let pods = (0..<listCount).map(podJSON)
    let listData = Data(("{\"apiVersion\":\"v1\",\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"200000\"},\"items\":[" + pods.joined(separator: ",") + "]}").utf8)
    print("average pod JSON: \(listData.count / listCount) bytes")
    var listItems = 0
    let listTime = try median(runs: 5) {
        listItems = try decoder.decode(meta.v1.List<core.v1.Pod>.self, from: listData).items.count
    }
    precondition(listItems == listCount)
    let floorTime = try median(runs: 5) {
        listItems = try decoder.decode(meta.v1.List<Nothing>.self, from: listData).items.count
    }
    let dynamicTime = try median(runs: 3) {
        listItems = try decoder.decode(meta.v1.List<DynamicObject>.self, from: listData).items.count
    }

    // 2. 100,000 watch events streamed through the line decoder in 16 KiB chunks, one event decoded at a time.
    var stream = ByteBuffer()
    for index in 0..<eventCount {
        stream.writeString("{\"type\":\"MODIFIED\",\"object\":")
        stream.writeString(pods[index % listCount])
        stream.writeString("}\n")
    }
    let streamBytes = stream.readableBytes
    let rssBeforeWatch = peakRSSMiB()
    var decodedEvents = 0
    let watchTime = try median(runs: 3) {
        var lines = WatchLineDecoder()
        var input = stream
        decodedEvents = 0
        while let chunk = input.readSlice(length: min(16_384, input.readableBytes)), chunk.readableBytes > 0 {
            lines.append(chunk)
            while let line = try lines.nextLine() {
                let event = try decoder.decode(WatchEvent<core.v1.Pod>.self, from: Data(line.readableBytesView))
                if event.object != nil { decodedEvents += 1 }
            }
        }
    }
    precondition(decodedEvents == eventCount)

    print("")
    print("| benchmark | objects | input | median time | throughput | objects/s |")
    print("|---|---|---|---|---|---|")
    print(row("PodList -> [core.v1.Pod]", objects: listCount, bytes: listData.count, time: listTime))
    print(row("PodList -> [empty struct] (JSONDecoder scan floor)", objects: listCount, bytes: listData.count, time: floorTime))
    print(row("PodList -> [DynamicObject] (all fields)", objects: listCount, bytes: listData.count, time: dynamicTime))
    print(row("watch stream -> WatchEvent<core.v1.Pod>", objects: eventCount, bytes: streamBytes, time: watchTime))
    print("")
    print("peak RSS: \(String(format: "%.0f", peakRSSMiB())) MiB (before the watch runs: \(String(format: "%.0f", rssBeforeWatch)) MiB; the stream buffer alone is \(streamBytes / 1_048_576) MiB)")
}

/// Realistic pod JSON (~3 KB: managed fields, two containers with env and resources, volumes,
/// conditions, owner references), varied per index so no two objects are identical.
func podJSON(_ index: Int) -> String {
    let name = "web-\(index)-7d9f8b6c5d-\(String(index * 7919, radix: 36))"
    let ip = "10.\(index / 65536 % 256).\(index / 256 % 256).\(index % 256)"
    return """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"\(name)","generateName":"web-\(index)-7d9f8b6c5d-","namespace":"team-\(index % 50)","uid":"6f1c2a3b-\(String(format: "%04x", index % 65536))-4d5e-8f90-123456789abc","resourceVersion":"\(100000 + index)","creationTimestamp":"2026-11-20T10:00:00Z","labels":{"app":"web","pod-template-hash":"7d9f8b6c5d","tier":"frontend","version":"v\(index % 7)","team":"team-\(index % 50)"},"annotations":{"cni.projectcalico.org/containerID":"a1b2c3d4e5f6\(index)","cni.projectcalico.org/podIP":"\(ip)/32","cni.projectcalico.org/podIPs":"\(ip)/32","kubectl.kubernetes.io/restartedAt":"2026-11-19T08:00:00Z"},"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-\(index)-7d9f8b6c5d","uid":"0a1b2c3d-1111-2222-3333-444455556666","controller":true,"blockOwnerDeletion":true}],"managedFields":[{"manager":"kube-controller-manager","operation":"Update","apiVersion":"v1","time":"2026-11-20T10:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:generateName":{},"f:labels":{".":{},"f:app":{},"f:pod-template-hash":{}},"f:ownerReferences":{".":{},"k:{\\"uid\\":\\"0a1b2c3d\\"}":{}}},"f:spec":{"f:containers":{"k:{\\"name\\":\\"web\\"}":{".":{},"f:image":{},"f:name":{}}}}}},{"manager":"kubelet","operation":"Update","apiVersion":"v1","time":"2026-11-20T10:00:05Z","fieldsType":"FieldsV1","fieldsV1":{"f:status":{"f:conditions":{},"f:podIP":{},"f:podIPs":{}}},"subresource":"status"}]},"spec":{"volumes":[{"name":"kube-api-access-\(index % 1000)","projected":{"sources":[{"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}},{"configMap":{"name":"kube-root-ca.crt","items":[{"key":"ca.crt","path":"ca.crt"}]}}],"defaultMode":420}}],"containers":[{"name":"web","image":"registry.example.com/web:1.\(index % 20).0","ports":[{"name":"http","containerPort":8080,"protocol":"TCP"}],"env":[{"name":"LOG_LEVEL","value":"info"},{"name":"POD_NAME","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.name"}}}],"resources":{"limits":{"cpu":"500m","memory":"256Mi"},"requests":{"cpu":"100m","memory":"128Mi"}},"volumeMounts":[{"name":"kube-api-access","readOnly":true,"mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"}],"terminationMessagePath":"/dev/termination-log","imagePullPolicy":"IfNotPresent"},{"name":"sidecar","image":"registry.example.com/proxy:2.4","resources":{"requests":{"cpu":"10m","memory":"32Mi"}},"imagePullPolicy":"IfNotPresent"}],"restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","serviceAccountName":"web","serviceAccount":"web","nodeName":"node-\(index % 100)","securityContext":{},"schedulerName":"default-scheduler","tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}],"priority":0,"enableServiceLinks":true},"status":{"phase":"Running","conditions":[{"type":"Initialized","status":"True","lastTransitionTime":"2026-11-20T10:00:00Z"},{"type":"Ready","status":"True","lastTransitionTime":"2026-11-20T10:00:05Z"},{"type":"ContainersReady","status":"True","lastTransitionTime":"2026-11-20T10:00:05Z"},{"type":"PodScheduled","status":"True","lastTransitionTime":"2026-11-20T10:00:00Z"}],"hostIP":"192.168.\(index % 100 / 256).\(index % 100)","podIP":"\(ip)","podIPs":[{"ip":"\(ip)"}],"startTime":"2026-11-20T10:00:00Z","containerStatuses":[{"name":"web","state":{"running":{"startedAt":"2026-11-20T10:00:04Z"}},"ready":true,"restartCount":0,"image":"registry.example.com/web:1.0.0","imageID":"registry.example.com/web@sha256:0123456789abcdef","containerID":"containerd://abcdef\(index)","started":true}],"qosClass":"Burstable"}}
        """
}

/// Decodes nothing: what JSONDecoder costs just to scan the documents.
struct Nothing: Decodable, Sendable {}
