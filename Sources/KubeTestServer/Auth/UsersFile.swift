import Foundation
import Yams

/// Extra users for `kube-test-server --users FILE`: YAML with a `users` list of name, token, groups and rules.
///
/// ```yaml
/// users:
/// - name: alice
///   token: alice-token
///   groups: [developers]
///   rules:
///   - verbs: [get, list, watch]
///     apiGroups: [""]
///     resources: [pods]
///     namespaces: [default]
/// ```
public struct UsersFile: Sendable, Codable {
    /// One user: who they are, the token they authenticate with, and what they may do.
    public struct User: Sendable, Codable {
        public var name: String
        public var token: String
        public var groups: [String]?
        public var rules: [AccessRule]?
    }

    public var users: [User]

    /// Reads and checks a users file; the error names the file and what is wrong.
    public init(path: String) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw UsersFileError(path: path, reason: "cannot read the file: \(error.localizedDescription)")
        }
        do {
            self = try YAMLDecoder().decode(UsersFile.self, from: text)
        } catch {
            throw UsersFileError(path: path, reason: "\(error)")
        }
        if let duplicate = Dictionary(grouping: users, by: \.token).first(where: { $0.value.count > 1 }) {
            throw UsersFileError(path: path, reason: "users[].token: two users share the token of \(duplicate.value[0].name)")
        }
    }

    /// Adds the users to `cluster`.
    public func add(to cluster: TestCluster) async {
        for user in users {
            await cluster.addUser(UserInfo(name: user.name, groups: (user.groups ?? []) + ["system:authenticated"]),
                                  token: user.token, rules: user.rules ?? [])
        }
    }
}

/// A users file that cannot be used.
public struct UsersFileError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "users file \(path): \(reason)" }
}
