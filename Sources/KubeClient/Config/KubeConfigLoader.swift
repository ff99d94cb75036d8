import Foundation

/// Reads kubeconfigs from the places kubectl reads them.
///
/// - an explicit file (`--kubeconfig`), which must exist;
/// - a `:`-separated list (`$KUBECONFIG`, or an RCC's `kubeconfig` field), merged as kubectl merges:
///   the first file to define a cluster, user or context name wins, the first non-empty
///   `current-context` wins, and files that do not exist are skipped;
/// - `~/.kube/config` when `$KUBECONFIG` is unset;
/// - an inline YAML string (an RCC's `kubeconfigInline`, a Secret's `kubeconfig` key).
///
/// Relative paths inside a file (`certificate-authority`, `client-key`, `tokenFile`, an exec `command`
/// with a `/`) are resolved against that file's directory, as kubectl does.
public enum KubeConfigLoader {
    /// Loads one file.
    public static func load(path: String) throws(KubeConfigError) -> KubeConfig {
        let text = try readText(path)
        return try parse(text, file: path)
    }

    /// Loads and merges a precedence list of files; missing files are skipped, unreadable ones are errors.
    public static func load(paths: [String]) throws(KubeConfigError) -> KubeConfig {
        var merged = KubeConfig()
        var found = false
        for path in paths where !path.isEmpty {
            guard FileManager.default.fileExists(atPath: path) else { continue }
            found = true
            merge(try load(path: path), into: &merged)
        }
        guard found else { throw .notFound(searched: paths) }
        return merged
    }

    /// Loads a `:`-separated list of files (the form of `$KUBECONFIG` and of an RCC's `kubeconfig`).
    /// A single path must exist, as with `kubectl --kubeconfig`.
    public static func load(pathList: String) throws(KubeConfigError) -> KubeConfig {
        let paths = pathList.split(separator: ":").map(String.init)
        if paths.count == 1 { return try load(path: paths[0]) }
        return try load(paths: paths)
    }

    /// Parses inline YAML. Relative paths are resolved against `baseDirectory` when given.
    public static func load(yaml: String, source: String = "inline kubeconfig", baseDirectory: String? = nil)
        throws(KubeConfigError) -> KubeConfig
    {
        var config = try parse(yaml, file: nil, sourceName: source)
        if let baseDirectory { config = resolvingPaths(config, against: baseDirectory) }
        return config
    }

    /// `$KUBECONFIG` if set and non-empty, else `~/.kube/config`.
    public static func loadDefault(environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(KubeConfigError) -> KubeConfig
    {
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            return try load(pathList: list)
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let path = (home as NSString).appendingPathComponent(".kube/config")
        guard FileManager.default.fileExists(atPath: path) else { throw .notFound(searched: [path]) }
        return try load(path: path)
    }

    /// Merges `next` into `merged`: names already present win (kubectl's first-file-wins rule).
    static func merge(_ next: KubeConfig, into merged: inout KubeConfig) {
        func absent<V>(_ list: [KubeConfig.Named<V>], _ name: String) -> Bool { !list.contains { $0.name == name } }
        merged.clusters += next.clusters.filter { absent(merged.clusters, $0.name) }
        merged.users += next.users.filter { absent(merged.users, $0.name) }
        merged.contexts += next.contexts.filter { absent(merged.contexts, $0.name) }
        if merged.currentContext?.isEmpty ?? true { merged.currentContext = next.currentContext }
        merged.sources += next.sources
    }

    static func readText(_ path: String) throws(KubeConfigError) -> String {
        let bytes = try readFile(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .fileUnreadable(path: path, reason: "not UTF-8 text")
        }
        return text
    }

    /// Reads a whole file, with the reason in kubectl's words when it cannot be read.
    static func readFile(_ path: String) throws(KubeConfigError) -> [UInt8] {
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw .fileUnreadable(path: path, reason: fileErrorReason(path))
        }
    }

    /// `no such file`, `permission denied` or `is a directory` for a path that could not be read.
    static func fileErrorReason(_ path: String) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return "no such file" }
        if isDirectory.boolValue { return "is a directory" }
        if !FileManager.default.isReadableFile(atPath: path) { return "permission denied" }
        return "unreadable"
    }

    private static func parse(_ text: String, file: String?, sourceName: String? = nil) throws(KubeConfigError)
        -> KubeConfig
    {
        let raw = try KubeConfigFile.parse(text, source: file ?? sourceName ?? "kubeconfig")
        var config = convert(raw, file: file)
        if let file {
            config = resolvingPaths(config, against: (file as NSString).deletingLastPathComponent)
        }
        return config
    }

    private static func convert(_ raw: KubeConfigFile, file: String?) -> KubeConfig {
        func origin(_ index: Int) -> KubeConfig.Origin { .init(file: file, index: index) }
        let clusters = (raw.clusters ?? []).enumerated().map { index, entry in
            let f = entry.fields
            return KubeConfig.Named(
                name: entry.name ?? "",
                value: KubeConfig.Cluster(
                    server: f?.server, certificateAuthority: f?.certificateAuthority,
                    certificateAuthorityData: f?.certificateAuthorityData,
                    insecureSkipTLSVerify: f?.insecureSkipTLSVerify, tlsServerName: f?.tlsServerName,
                    proxyURL: f?.proxyURL),
                origin: origin(index))
        }
        let users = (raw.users ?? []).enumerated().map { index, entry in
            let f = entry.fields
            let exec = f?.exec.map { e in
                KubeConfig.ExecConfig(
                    apiVersion: e.apiVersion, command: e.command, args: e.args ?? [],
                    env: (e.env ?? []).map { KubeConfig.EnvVar(name: $0.name ?? "", value: $0.value ?? "") },
                    installHint: e.installHint, provideClusterInfo: e.provideClusterInfo ?? false,
                    interactiveMode: e.interactiveMode)
            }
            return KubeConfig.Named(
                name: entry.name ?? "",
                value: KubeConfig.AuthInfo(
                    token: f?.token, tokenFile: f?.tokenFile, clientCertificate: f?.clientCertificate,
                    clientCertificateData: f?.clientCertificateData, clientKey: f?.clientKey,
                    clientKeyData: f?.clientKeyData, username: f?.username, password: f?.password, exec: exec,
                    authProvider: f?.authProvider.map { $0.name ?? "" }),
                origin: origin(index))
        }
        let contexts = (raw.contexts ?? []).enumerated().map { index, entry in
            KubeConfig.Named(
                name: entry.name ?? "",
                value: KubeConfig.Context(
                    cluster: entry.fields?.cluster, user: entry.fields?.user, namespace: entry.fields?.namespace),
                origin: origin(index))
        }
        return KubeConfig(
            clusters: clusters, users: users, contexts: contexts, currentContext: raw.currentContext,
            sources: file.map { [$0] } ?? [])
    }

    /// Makes every relative file path absolute against `directory`.
    static func resolvingPaths(_ config: KubeConfig, against directory: String) -> KubeConfig {
        func absolute(_ path: String?) -> String? {
            guard let path, !path.isEmpty, !path.hasPrefix("/") else { return path }
            return (directory as NSString).appendingPathComponent(path)
        }
        var config = config
        for index in config.clusters.indices {
            config.clusters[index].value.certificateAuthority = absolute(
                config.clusters[index].value.certificateAuthority)
        }
        for index in config.users.indices {
            var user = config.users[index].value
            user.tokenFile = absolute(user.tokenFile)
            user.clientCertificate = absolute(user.clientCertificate)
            user.clientKey = absolute(user.clientKey)
            // kubectl resolves an exec command relative to the file only when it contains a path separator.
            if let command = user.exec?.command, command.contains("/") { user.exec?.command = absolute(command) }
            config.users[index].value = user
        }
        return config
    }
}
