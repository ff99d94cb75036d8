import Foundation
import KubeTestServer
import Testing

@Suite("Users file and independent clusters", .timeLimit(.minutes(2)))
struct UsersFileTests {
    func write(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "users-" + UUID().uuidString + ".yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func usersFromAFileAuthenticateAndAreLimitedByTheirRules() async throws {
        let path = try write("""
            users:
            - name: alice
              token: alice-token
              groups: [developers]
              rules:
              - verbs: [get, list]
                apiGroups: [""]
                resources: [configmaps]
                namespaces: [default]
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await withKubeTestServer(tls: false) { server in
            try await UsersFile(path: path).add(to: server.cluster)
            #expect(try await RawHTTP.send(server, .GET, "/api/v1/namespaces/default/configmaps", token: "alice-token").status == 200)
            #expect(try await RawHTTP.send(server, .GET, "/api/v1/namespaces/default/secrets", token: "alice-token").status == 403)
        }
    }

    @Test func badUsersFilesNameTheProblem() throws {
        let missingToken = try write("users:\n- name: bob\n")
        defer { try? FileManager.default.removeItem(atPath: missingToken) }
        #expect { try UsersFile(path: missingToken) } throws: { error in
            "\(error)".hasPrefix("users file \(missingToken): ") && "\(error)".contains("token")
        }
        let shared = try write("users:\n- {name: a, token: t}\n- {name: b, token: t}\n")
        defer { try? FileManager.default.removeItem(atPath: shared) }
        #expect { try UsersFile(path: shared) } throws: { error in
            "\(error)" == "users file \(shared): users[].token: two users share the token of a"
        }
        #expect { try UsersFile(path: "/nonexistent/users.yaml") } throws: { "\($0)".hasPrefix("users file /nonexistent/users.yaml: cannot read the file") }
    }

    @Test func serversInOneProcessAreIndependentClusters() async throws {
        try await withKubeTestServer(name: "local", tls: false) { local in
            try await withKubeTestServer(name: "remote", tls: false) { remote in
                #expect(local.port != remote.port)
                _ = try await RawHTTP.send(local, .POST, "/api/v1/namespaces/default/configmaps", json: APIServerTests.configMap("only-local"))
                #expect(try await RawHTTP.send(local, .GET, "/api/v1/namespaces/default/configmaps/only-local").status == 200)
                #expect(try await RawHTTP.send(remote, .GET, "/api/v1/namespaces/default/configmaps/only-local").status == 404)
                #expect(try await RawHTTP.send(remote, .GET, "/api/v1/namespaces", token: local.adminToken).status == 401,
                        "one cluster's token is nothing to another")
            }
        }
    }
}
