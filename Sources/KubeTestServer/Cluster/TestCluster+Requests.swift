import KubeClient

/// The front door of a cluster's API: authentication, discovery, authorization, then the resource verbs.
extension TestCluster {
    /// Answers one request; `serverAddress` is what `/api` reports as the address to reach the server at.
    public func respond(to request: APIRequest, serverAddress: String) -> APIResponse {
        guard let user = authenticate(request) else {
            return .failure(StoreError(code: 401, reason: "Unauthorized", message: "Unauthorized"))
        }
        if let info = RequestInfo(method: request.method, path: request.path, query: request.query) {
            let access = info.accessAttributes
            guard authorizer.allows(user, access) else { return .failure(Authorizer.forbidden(user, access)) }
            return info.verb == "watch" ? watch(info, request) : serve(info, request, user: user, authorizer: authorizer)
        }
        if request.method == .GET, let document = Discovery.document(for: request.path, catalog: catalog, serverAddress: serverAddress, minor: minorVersion) {
            return .json(JSONWriter.bytes(document))
        }
        if request.method == .GET, let document = OpenAPIDocuments.document(for: request.path, catalog: catalog) {
            return .json(JSONWriter.bytes(document))
        }
        if request.method == .GET, ["/healthz", "/livez", "/readyz"].contains(request.path) {
            return APIResponse(status: 200, headers: [("Content-Type", "text/plain; charset=utf-8")], body: .bytes(Array("ok".utf8)))
        }
        return APIResponse(status: 404, headers: [("Content-Type", "text/plain; charset=utf-8")], body: .bytes(Array("404 page not found\n".utf8)))
    }

    /// Adds a user who authenticates with a bearer token, and what they may do.
    public func addUser(_ user: UserInfo, token: String, rules: [AccessRule] = []) {
        tokens[token] = user
        if !rules.isEmpty { authorizer.userRules[user.name, default: []] += rules }
    }

    /// The user a request's bearer token or client certificate names; nil when it has neither or an unknown token.
    private func authenticate(_ request: APIRequest) -> UserInfo? {
        if let token = request.bearerToken { return tokens[token] }
        return request.certificateUser
    }
}
