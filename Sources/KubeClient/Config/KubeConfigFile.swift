import Foundation
import Yams

/// The kubeconfig file format as written on disk, decoded leniently: every field is optional so that
/// missing ones are reported by validation (with their paths) instead of failing the whole parse.
struct KubeConfigFile: Decodable {
    var clusters: [Entry<ClusterFields>]?
    var users: [Entry<UserFields>]?
    var contexts: [Entry<ContextFields>]?
    var currentContext: String?

    enum CodingKeys: String, CodingKey {
        case clusters, users, contexts
        case currentContext = "current-context"
    }

    /// `{name: ..., cluster|user|context: {...}}`; the value key differs per list.
    struct Entry<Fields: Decodable & EntryFields>: Decodable {
        var name: String?
        var fields: Fields?

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            name = try container.decodeIfPresent(String.self, forKey: AnyKey("name"))
            fields = try container.decodeIfPresent(Fields.self, forKey: AnyKey(Fields.key))
        }
    }

    struct ClusterFields: Decodable, EntryFields {
        static let key = "cluster"
        var server: String?
        var certificateAuthority: String?
        var certificateAuthorityData: String?
        var insecureSkipTLSVerify: Bool?
        var tlsServerName: String?
        var proxyURL: String?

        enum CodingKeys: String, CodingKey {
            case server
            case certificateAuthority = "certificate-authority"
            case certificateAuthorityData = "certificate-authority-data"
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
            case tlsServerName = "tls-server-name"
            case proxyURL = "proxy-url"
        }
    }

    struct UserFields: Decodable, EntryFields {
        static let key = "user"
        var token: String?
        var tokenFile: String?
        var clientCertificate: String?
        var clientCertificateData: String?
        var clientKey: String?
        var clientKeyData: String?
        var username: String?
        var password: String?
        var exec: ExecFields?
        var authProvider: AuthProviderFields?

        enum CodingKeys: String, CodingKey {
            case token, tokenFile, username, password, exec
            case clientCertificate = "client-certificate"
            case clientCertificateData = "client-certificate-data"
            case clientKey = "client-key"
            case clientKeyData = "client-key-data"
            case authProvider = "auth-provider"
        }
    }

    struct ExecFields: Decodable {
        var apiVersion: String?
        var command: String?
        var args: [String]?
        var env: [EnvFields]?
        var installHint: String?
        var provideClusterInfo: Bool?
        var interactiveMode: String?
    }

    struct EnvFields: Decodable {
        var name: String?
        var value: String?
    }

    struct AuthProviderFields: Decodable {
        var name: String?
    }

    struct ContextFields: Decodable, EntryFields {
        static let key = "context"
        var cluster: String?
        var user: String?
        var namespace: String?
    }

    /// Parses YAML (JSON is YAML) into the file model.
    static func parse(_ yaml: String, source: String) throws(KubeConfigError) -> KubeConfigFile {
        if yaml.allSatisfy(\.isWhitespace) { return KubeConfigFile() }
        do {
            return try YAMLDecoder().decode(KubeConfigFile.self, from: yaml)
        } catch let error as DecodingError {
            throw .parse(source: source, message: Self.describe(error))
        } catch let error as YamlError {
            throw .parse(source: source, message: Self.describe(error))
        } catch {
            throw .parse(source: source, message: "\(error)")
        }
    }

    private init() {}

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String { fieldPath(context.codingPath) }
        switch error {
        case .typeMismatch(let type, let context):
            return "\(path(context)): expected \(typeName(type)): \(context.debugDescription)"
        case .valueNotFound(let type, let context):
            return "\(path(context)): expected \(typeName(type)), found null"
        case .keyNotFound(let key, let context):
            return "\(path(context)): missing \(key.stringValue)"
        case .dataCorrupted(let context):
            if let yaml = context.underlyingError as? YamlError { return describe(yaml) }
            return context.codingPath.isEmpty
                ? context.debugDescription : "\(path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            return "line \(mark.line) column \(mark.column): \(problem)"
        default:
            return "\(error)"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is [String].Type: return "a list of strings"
        default:
            let name = "\(type)"
            return name.hasPrefix("Array") ? "a list" : "a mapping"
        }
    }

    /// `users[1].user.exec` from a coding path.
    static func fieldPath(_ codingPath: [any CodingKey]) -> String {
        var out = ""
        for key in codingPath {
            if let index = key.intValue {
                out += "[\(index)]"
            } else {
                out += out.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return out.isEmpty ? "(top level)" : out
    }
}

/// The three entry kinds of a kubeconfig, with the key their value sits under.
protocol EntryFields {
    static var key: String { get }
}
