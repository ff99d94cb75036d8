import KubeClient

/// The resource verbs other than watch, as kube-apiserver's REST handlers answer them.
extension TestCluster {
    /// Answers a request for a resource that the handler has authenticated and authorized.
    func serve(_ info: RequestInfo, _ request: APIRequest, user: UserInfo, authorizer: Authorizer) -> APIResponse {
        defer { publish() }
        do throws(StoreError) {
            let resource = try served(info)
            if resource == BuiltInResources.selfSubjectAccessReviews {
                return try review(request, user: user, authorizer: authorizer)
            }
            let output = ResponseFormat(request, resource: resource)
            let key = ObjectKey(resource.groupResource, namespace: resource.namespaced ? info.namespace : "", name: info.name)
            let dryRun = request.query["dryRun"] == "All"
            let strict = request.query["fieldValidation"] == "Strict"
            switch info.verb {
            case "get":
                guard info.subresource.isEmpty || (info.subresource == "status" && resource.hasStatusSubresource) else {
                    throw .notFound(resource.groupResource, info.name)
                }
                return output.object(try store.get(key))
            case "list":
                return output.list(try list(resource, info, request), kind: resource.kind, apiVersion: resource.apiVersion)
            case "create":
                let object = try checkedBody(request, resource, info)
                let created = try store.create(resource.groupResource, namespace: info.namespace, object: object, dryRun: dryRun, rejectUnknownFields: strict)
                afterWrite(resource, name: created.metadataString("name") ?? "", dryRun: dryRun)
                return output.object(created, status: 201)
            case "update":
                let object = try checkedBody(request, resource, info)
                let updated = try store.update(key, object: object, subresource: subresource(info), dryRun: dryRun, rejectUnknownFields: strict)
                afterWrite(resource, name: info.name, dryRun: dryRun)
                return output.object(updated)
            case "patch":
                let patched = try patch(key, resource, info, request, dryRun: dryRun)
                afterWrite(resource, name: info.name, dryRun: dryRun)
                return output.object(patched.object, status: patched.created ? 201 : 200)
            case "delete":
                let options = try DeleteOptions(request)
                let deleted = try store.delete(key, preconditionUID: options.uid, preconditionResourceVersion: options.resourceVersion,
                                               dryRun: dryRun || options.dryRun)
                afterWrite(resource, name: info.name, dryRun: dryRun || options.dryRun)
                return output.object(deleted)
            case "deletecollection":
                let options = try DeleteOptions(request)
                let page = try list(resource, info, request)
                var deleted: [JSONValue] = []
                for item in page.items {
                    let itemKey = ObjectKey(resource.groupResource, namespace: item.metadataString("namespace") ?? "", name: item.metadataString("name") ?? "")
                    deleted.append(try store.delete(itemKey, dryRun: dryRun || options.dryRun))
                    afterWrite(resource, name: itemKey.name, dryRun: dryRun || options.dryRun)
                }
                return output.list(.init(items: deleted, revision: store.revision), kind: resource.kind, apiVersion: resource.apiVersion)
            default:
                throw StoreError(code: 405, reason: "MethodNotAllowed", message: "the server does not allow this method on the requested resource")
            }
        } catch {
            return .failure(error)
        }
    }

    /// The served resource a request names, checking its scope and verbs.
    func served(_ info: RequestInfo) throws(StoreError) -> ServedResource {
        guard let resource = catalog.resource(group: info.group, version: info.version, plural: info.resource),
              resource.namespaced || info.namespace.isEmpty || info.resource == "namespaces"
        else { throw .resourceNotFound }
        let scopeless = ["list", "watch", "deletecollection"].contains(info.verb)
        if resource.namespaced, info.namespace.isEmpty, !scopeless { throw .resourceNotFound }
        guard resource.verbs.contains(info.verb) else {
            throw StoreError(code: 405, reason: "MethodNotAllowed", message: "the server does not allow this method on the requested resource")
        }
        return resource
    }

    func list(_ resource: ServedResource, _ info: RequestInfo, _ request: APIRequest) throws(StoreError) -> ObjectStore.ListPage {
        let filter = try ObjectFilter(request.query, resource: resource)
        let limit = request.query["limit"].flatMap { Int($0) }
        return try store.list(resource.groupResource, namespace: info.namespace.isEmpty ? nil : info.namespace,
                              limit: limit, continue: request.query["continue"], where: filter.predicate)
    }

    private func subresource(_ info: RequestInfo) -> String? { info.subresource.isEmpty ? nil : info.subresource }

    /// The body of a create or update, with `apiVersion` and `kind` checked (or filled in) and its namespace matching
    /// the request's.
    private func checkedBody(_ request: APIRequest, _ resource: ServedResource, _ info: RequestInfo) throws(StoreError) -> JSONValue {
        var object = try RequestBody.object(request)
        if let apiVersion = object["apiVersion"]?.stringValue, apiVersion != resource.apiVersion {
            throw .badRequest("the API version in the data (\(apiVersion)) does not match the expected API version (\(resource.apiVersion))")
        }
        if let kind = object["kind"]?.stringValue, kind != resource.kind {
            throw .badRequest("the kind in the data (\(kind)) does not match the expected kind (\(resource.kind))")
        }
        object["apiVersion"] = .string(resource.apiVersion)
        object["kind"] = .string(resource.kind)
        if resource.namespaced, let namespace = object.metadataString("namespace"), !namespace.isEmpty, namespace != info.namespace {
            throw .badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        if !resource.namespaced { object.setMetadata("namespace", nil) }
        return object
    }

    /// Applies a merge, JSON, strategic-merge or server-side-apply patch and stores the result.
    private func patch(_ key: ObjectKey, _ resource: ServedResource, _ info: RequestInfo, _ request: APIRequest, dryRun: Bool)
        throws(StoreError) -> (object: JSONValue, created: Bool)
    {
        let isBuiltIn = BuiltInResources.all.contains(resource)
        let strict = request.query["fieldValidation"] == "Strict"
        let current: JSONValue
        switch request.contentType {
        case "application/apply-patch+yaml":
            var applied = try RequestBody.yaml(request.body)
            guard applied.objectValue != nil else { throw .badRequest("the applied configuration must be an object") }
            applied["apiVersion"] = .string(resource.apiVersion)
            applied["kind"] = .string(resource.kind)
            applied.setMetadata("managedFields", nil)
            guard let existing = try? store.get(key) else {
                applied.setMetadata("name", .string(key.name))
                return (try store.create(resource.groupResource, namespace: key.namespace, object: applied, dryRun: dryRun, rejectUnknownFields: strict), true)
            }
            // Known lie: the applied configuration is merged like a merge patch; fields another manager owns are
            // neither tracked nor protected, and fields dropped from the configuration are kept.
            let merged = MergePatch.apply(applied, to: existing)
            return (try store.update(key, object: merged, subresource: subresource(info), dryRun: dryRun, rejectUnknownFields: strict), false)
        case "application/merge-patch+json":
            current = try store.get(key)
            let patched = MergePatch.apply(try RequestBody.json(request.body), to: current)
            return (try store.update(key, object: patched, subresource: subresource(info), dryRun: dryRun, rejectUnknownFields: strict), false)
        case "application/json-patch+json":
            current = try store.get(key)
            let patched = try JSONPatch.apply(try RequestBody.json(request.body), to: current)
            return (try store.update(key, object: patched, subresource: subresource(info), dryRun: dryRun, rejectUnknownFields: strict), false)
        case "application/strategic-merge-patch+json" where isBuiltIn:
            current = try store.get(key)
            let patched = try StrategicMergePatch.apply(try RequestBody.json(request.body), to: current, kind: resource.kind)
            return (try store.update(key, object: patched, subresource: subresource(info), dryRun: dryRun, rejectUnknownFields: strict), false)
        default:
            let accepted = (isBuiltIn ? ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json"]
                : ["application/json-patch+json", "application/merge-patch+json"]) + ["application/apply-patch+yaml"]
            throw StoreError(code: 415, reason: "UnsupportedMediaType",
                             message: "the body of the request was in an unknown format - accepted media types include: \(accepted.joined(separator: ", "))")
        }
    }

    /// Keeps the catalog in step with CRDs: a stored CRD is served (and marked Established), a removed one is not.
    private func afterWrite(_ resource: ServedResource, name: String, dryRun: Bool) {
        guard !dryRun, resource.groupResource == BuiltInResources.customResourceDefinitions.groupResource else { return }
        let key = ObjectKey(resource.groupResource, namespace: "", name: name)
        guard var crd = try? store.get(key) else { return applyCRD(named: name, nil) }
        applyCRD(named: name, crd)
        if crd["status"]?["conditions"] == nil {
            crd["status"] = [
                "conditions": [
                    ["type": "NamesAccepted", "status": "True", "reason": "NoConflicts", "message": "no conflicts found"],
                    ["type": "Established", "status": "True", "reason": "InitialNamesAccepted", "message": "the initial names have been accepted"],
                ],
                "acceptedNames": crd["spec"]?["names"] ?? [:],
                "storedVersions": .array((crd["spec"]?["versions"]?.arrayValue ?? []).filter { $0["storage"] == true }.compactMap { $0["name"] }),
            ]
            _ = try? store.update(key, object: crd, subresource: "status")
        }
    }

    /// `kubectl auth can-i`: the authorizer's answer for the attributes asked about.
    private func review(_ request: APIRequest, user: UserInfo, authorizer: Authorizer) throws(StoreError) -> APIResponse {
        var review = try RequestBody.object(request)
        guard let attributes = review["spec"]?["resourceAttributes"] else {
            throw .invalid(kind: "SelfSubjectAccessReview", group: "authorization.k8s.io", name: "",
                           causes: [.init(reason: "FieldValueRequired", message: "Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified", field: "spec.resourceAttributes")])
        }
        func field(_ name: String) -> String { attributes[name]?.stringValue ?? "" }
        let access = AccessAttributes(verb: field("verb"), apiGroup: field("group"), resource: field("resource"),
                                      subresource: field("subresource"), namespace: field("namespace"), name: field("name"))
        let allowed = authorizer.allows(user, access)
        review["status"] = ["allowed": .bool(allowed), "reason": allowed ? "allowed by the test server's policy" : ""]
        return .json(JSONWriter.bytes(review), status: 201)
    }
}

extension StoreError {
    /// kube-apiserver's answer for a path that names no served resource.
    static var resourceNotFound: StoreError {
        StoreError(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
    }
}
