import AsyncHTTPClient
import Logging
import NIOCore

/// A client of one Kubernetes API server.
///
/// ```swift
/// let config = try KubeConfigLoader.loadDefault()
/// let client = KubeClient(connection: try config.connection())
/// let pods = try await client.resource(core.v1.Pod.self, namespace: "default").list()
/// ```
///
/// Guarantees: requests are rate limited (``KubeClientOptions/qps``), retried by the
/// ``RetryPolicy``, and re-authenticated once after a 401 when the credentials can be renewed.
/// Caveats: clients share ``AsyncHTTPClient/HTTPClient/kubeShared`` unless given another `HTTPClient`,
/// which the caller then owns and shuts down.
public struct KubeClient: Sendable {
    let transport: HTTPTransport

    public init(
        connection: ClusterConnection, options: KubeClientOptions = KubeClientOptions(),
        httpClient: HTTPClient = .kubeShared, logger: Logger = Logger(label: "kube-client")
    ) {
        transport = HTTPTransport(connection: connection, options: options, httpClient: httpClient, logger: logger)
    }

    public var connection: ClusterConnection { transport.connection }

    /// A typed resource client; namespaced resources default to all namespaces for list and watch.
    public func resource<T: KubernetesResource>(_ type: T.Type, namespace: String? = nil) -> ResourceClient<T> {
        ResourceClient(resource: T.resource, namespace: namespace, transport: transport)
    }

    /// A client for any resource, its objects kept as ``DynamicObject``.
    public func dynamic(_ resource: Resource, namespace: String? = nil) -> ResourceClient<DynamicObject> {
        ResourceClient(resource: resource, namespace: namespace, transport: transport)
    }

    /// `GET /version`.
    public func version() async throws -> VersionInfo {
        let response = try await transport.send(.init(method: .GET, path: "/version"))
        do {
            return try JSONCoding.decoder.decode(VersionInfo.self, from: response.body)
        } catch {
            throw KubeClientError.decoding(
                request: "GET /version", type: "VersionInfo", underlying: SendableErrorDescription(error))
        }
    }

    /// The resources a group version serves (`/api/v1`, `/apis/<group>/<version>`), or `nil` when the
    /// server does not serve that group version (e.g. a CRD that is not installed).
    public func serverResources(apiVersion: String) async throws -> meta.v1.APIResourceList? {
        let path = apiVersion.contains("/") ? "/apis/\(apiVersion)" : "/api/\(apiVersion)"
        do {
            let response = try await transport.send(.init(method: .GET, path: path))
            return try JSONCoding.decoder.decode(meta.v1.APIResourceList.self, from: response.body)
        } catch let error as KubeAPIError where error.isNotFound {
            return nil
        }
    }
}

extension HTTPClient {
    /// Connections to one API server over HTTP/1.1: enough for 100 remote clusters' watches through one host.
    public static let maximumHTTP1ConnectionsPerHost = 1024

    /// The `HTTPClient` every ``KubeClient`` uses by default: redirects refused (credentials must not
    /// follow them), 10 s connect timeout, an idle read timeout longer than any watch the client asks
    /// for (``WatchOptions/maxTimeoutSeconds`` plus a margin) so a silent, dead connection is noticed,
    /// and failed connections reported at once so ``RetryPolicy`` decides about retries.
    /// It lives as long as the process and is never shut down.
    public static let kubeShared: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(
            connect: .seconds(10), read: .seconds(Int64(WatchOptions.maxTimeoutSeconds) + 30))
        configuration.connectionPool.retryConnectionEstablishment = false
        // Over HTTP/1.1 every open watch holds a connection of its own; AsyncHTTPClient's default of 8 per host
        // would queue the ninth watch (and every request behind it) until another watch ends. HTTP/2 servers
        // multiplex and never get near this.
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = HTTPClient.maximumHTTP1ConnectionsPerHost
        configuration.httpVersion = .automatic
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()
}
