import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// The verbs of one resource, optionally scoped to a namespace: `client.resource(core.v1.Pod.self, namespace: "a")`.
///
/// A `nil` namespace on a namespaced resource lists and watches across all namespaces; writes then take
/// the namespace from the object's metadata.
public struct ResourceClient<Object: KubernetesObject>: Sendable {
    public let resource: Resource
    public let namespace: String?
    let transport: HTTPTransport

    init(resource: Resource, namespace: String?, transport: HTTPTransport) {
        self.resource = resource
        self.namespace = resource.namespaced ? namespace : nil
        self.transport = transport
    }

    // MARK: Reads

    public func get(_ name: String) async throws -> Object {
        try await decode(Object.self, transport.send(.init(method: .GET, path: try path(name: name))))
    }

    /// One page of the collection.
    public func list(_ options: ListOptions = ListOptions()) async throws -> meta.v1.List<Object> {
        let request = HTTPTransport.Request(method: .GET, path: collectionPath, query: options.query)
        return try decode(meta.v1.List<Object>.self, await transport.send(request))
    }

    /// Every page of the collection, following `continue` tokens; returns the items and the
    /// `resourceVersion` of the list to start a watch from.
    ///
    /// - Throws: ``KubeAPIError`` with ``KubeAPIError/isGone`` when a continue token expired mid-way
    ///   (kube-apiserver keeps them for about five minutes); start over.
    public func listAll(_ options: ListOptions = ListOptions(limit: 500)) async throws -> (
        items: [Object], resourceVersion: String
    ) {
        var options = options
        var items: [Object] = []
        while true {
            let page = try await list(options)
            items.append(contentsOf: page.items)
            guard let token = page.metadata.continue, !token.isEmpty else {
                return (items, page.metadata.resourceVersion ?? "")
            }
            options.continueToken = token
            // A continued list is served at the first page's version; it must not carry its own.
            options.resourceVersion = nil
            options.resourceVersionMatch = nil
        }
    }

    /// Starts a watch; events are decoded as they arrive.
    public func watch(_ options: WatchOptions = WatchOptions()) async throws -> WatchStream<Object> {
        let request = HTTPTransport.Request(method: .GET, path: collectionPath, query: options.query)
        // Bounds connecting and the response head; the body is bounded by the server's timeoutSeconds
        // and the HTTP client's idle read timeout.
        let deadline = NIODeadline.now() + TimeAmount(transport.options.requestTimeout)
        let response = try await transport.open(request, deadline: deadline)
        return WatchStream(
            body: response.body, request: request.summary, maxEventBytes: transport.options.maxWatchEventBytes)
    }

    // MARK: Writes

    public func create(_ object: Object, options: WriteOptions = WriteOptions()) async throws -> Object {
        try await create(object, options: options, answer: Object.self)
    }

    /// ``create(_:options:)``, decoding only the metadata of the answer: for writers that need just the name and
    /// resourceVersion the server gave (decoding a large object costs far more than scanning it).
    public func createReturningMetadata(_ object: Object, options: WriteOptions = WriteOptions()) async throws -> meta.v1.ObjectMeta {
        try await create(object, options: options, answer: MetadataOnly.self).metadata
    }

    /// Replaces the object (optimistic concurrency: a stale `metadata.resourceVersion` fails with 409).
    public func update(_ object: Object, options: WriteOptions = WriteOptions()) async throws -> Object {
        try await replace(object, subresource: nil, options: options, answer: Object.self)
    }

    /// ``update(_:options:)``, decoding only the metadata of the answer (see ``createReturningMetadata(_:options:)``).
    public func updateReturningMetadata(_ object: Object, options: WriteOptions = WriteOptions()) async throws -> meta.v1.ObjectMeta {
        try await replace(object, subresource: nil, options: options, answer: MetadataOnly.self).metadata
    }

    /// Replaces the object's status through the `status` subresource.
    public func updateStatus(_ object: Object, options: WriteOptions = WriteOptions()) async throws -> Object {
        try await replace(object, subresource: "status", options: options, answer: Object.self)
    }

    public func patch(
        _ name: String, _ patch: Patch, subresource: String? = nil, options: WriteOptions = WriteOptions()
    ) async throws -> Object {
        if patch.isApply && (options.fieldManager ?? "").isEmpty {
            throw KubeClientError.invalidRequest("server-side apply needs WriteOptions.fieldManager")
        }
        let request = HTTPTransport.Request(
            method: .PATCH, path: try path(name: name, subresource: subresource), query: options.query,
            body: patch.body, contentType: patch.contentType)
        return try decode(Object.self, await transport.send(request))
    }

    /// Deletes an object. Returns the object when it still exists afterwards (it has finalizers and is now
    /// only marked with `deletionTimestamp`), `nil` when it is gone.
    @discardableResult
    public func delete(_ name: String, options: DeleteOptions = DeleteOptions()) async throws -> Object? {
        let request = HTTPTransport.Request(
            method: .DELETE, path: try path(name: name), body: Array(try JSONCoding.encoder.encode(options)))
        let response = try await transport.send(request)
        // A body that is not even `{"kind": ...}` fails in the typed decode below, with its cause.
        if (try? JSONCoding.decoder.decode(KindPeek.self, from: response.body))?.kind == "Status" { return nil }
        return try decode(Object.self, response)
    }

    /// Deletes every object the list options select.
    public func deleteCollection(_ list: ListOptions = ListOptions(), options: DeleteOptions = DeleteOptions())
        async throws
    {
        let request = HTTPTransport.Request(
            method: .DELETE, path: collectionPath, query: list.query,
            body: Array(try JSONCoding.encoder.encode(options)))
        _ = try await transport.send(request)
    }

    // MARK: Helpers

    private func create<Answer: Decodable>(_ object: Object, options: WriteOptions, answer: Answer.Type) async throws -> Answer {
        let request = HTTPTransport.Request(
            method: .POST, path: try writeCollectionPath(object), query: options.query, body: try encode(object))
        return try decode(answer, await transport.send(request))
    }

    private func replace<Answer: Decodable>(_ object: Object, subresource: String?, options: WriteOptions, answer: Answer.Type) async throws -> Answer {
        guard let name = object.metadata.name, !name.isEmpty else {
            throw KubeClientError.invalidRequest("metadata.name is required to update \(resource)")
        }
        let request = HTTPTransport.Request(
            method: .PUT, path: try path(name: name, subresource: subresource, namespaceOf: object),
            query: options.query, body: try encode(object))
        return try decode(answer, await transport.send(request))
    }

    private var collectionPath: String { resource.path(namespace: namespace) }

    private func writeCollectionPath(_ object: Object) throws -> String {
        resource.path(namespace: try writeNamespace(object))
    }

    private func path(name: String, subresource: String? = nil, namespaceOf object: Object? = nil) throws -> String {
        guard !name.isEmpty else { throw KubeClientError.invalidRequest("an empty name was given for \(resource)") }
        let namespace = try object.map(writeNamespace) ?? self.namespace
        if resource.namespaced && namespace == nil {
            throw KubeClientError.invalidRequest("\(resource) is namespaced: give the client a namespace")
        }
        return resource.path(namespace: namespace, name: name, subresource: subresource)
    }

    private func writeNamespace(_ object: Object) throws -> String? {
        guard resource.namespaced else { return nil }
        if let namespace, !namespace.isEmpty { return namespace }
        guard let namespace = object.metadata.namespace, !namespace.isEmpty else {
            throw KubeClientError.invalidRequest("metadata.namespace is required to write namespaced \(resource)")
        }
        return namespace
    }

    private func encode(_ object: Object) throws -> [UInt8] {
        if let convertible = object as? JSONValueConvertible, case .object(var members) = convertible.json {
            // As TypedBody: the resource's apiVersion and kind unless the object (a DynamicObject) carries its own.
            if members["apiVersion"] == nil { members["apiVersion"] = .string(resource.apiVersion) }
            if members["kind"] == nil { members["kind"] = .string(resource.kind) }
            return JSONWriter.bytes(.object(members))
        }
        return Array(try JSONCoding.encoder.encode(TypedBody(object: object, resource: resource)))
    }

    private func decode<T: Decodable>(_ type: T.Type, _ response: HTTPTransport.Response) throws -> T {
        do {
            return try JSONModelDecoding.decode(type, from: response.body)
        } catch {
            throw KubeClientError.decoding(
                request: resource.description, type: "\(type)", underlying: SendableErrorDescription(error))
        }
    }
}

/// Only the metadata of a response body.
private struct MetadataOnly: Decodable {
    var metadata: meta.v1.ObjectMeta
}

/// The `kind` of a response body, to tell a `Status` from an object.
private struct KindPeek: Decodable {
    var kind: String?
}

/// An object as sent to the server: `apiVersion` and `kind` from the resource, unless the object
/// (a ``DynamicObject``) carries its own.
private struct TypedBody<Object: Encodable>: Encodable {
    let object: Object
    let resource: Resource

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyKey.self)
        try container.encode(resource.apiVersion, forKey: AnyKey("apiVersion"))
        try container.encode(resource.kind, forKey: AnyKey("kind"))
        try object.encode(to: encoder)
    }
}
