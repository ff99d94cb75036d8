import Crypto
import Foundation
import SwiftASN1
import X509
import _CryptoExtras
import KubeTestServer

/// Certificates made for one test: KubeTestServer's CA and serving certificate for 127.0.0.1/localhost, and client
/// certificates (CN = user, O = groups) with EC or RSA keys in any PEM form.
struct TestPKI {
    private let pki: ClusterPKI
    var caCertificatePEM: String { pki.caCertificatePEM }
    var serverCertificatePEM: String { pki.serverCertificatePEM }
    var serverKeyPEM: String { pki.serverKeyPEM }

    init(name: String = "test-ca") throws {
        pki = try ClusterPKI(name: name)
    }

    /// The PEM forms a client key can be written in.
    enum KeyForm {
        case ecPKCS8, ecSEC1, rsaPKCS1, rsaPKCS8
    }

    /// A client certificate for `user` in `groups`, and its key in the requested form.
    func clientCertificate(user: String, groups: [String] = [], keyForm: KeyForm = .ecPKCS8) throws -> (
        certificatePEM: String, keyPEM: String
    ) {
        let publicKey: Certificate.PublicKey
        let keyPEM: String
        switch keyForm {
        case .ecPKCS8, .ecSEC1:
            let key = P256.Signing.PrivateKey()
            publicKey = Certificate.PublicKey(key.publicKey)
            keyPEM =
                keyForm == .ecPKCS8
                ? key.pemRepresentation
                : PEMDocument(type: "EC PRIVATE KEY", derBytes: Array(key.derRepresentation)).pemString
        case .rsaPKCS1, .rsaPKCS8:
            let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
            publicKey = Certificate.PublicKey(key.publicKey)
            keyPEM = keyForm == .rsaPKCS1 ? key.pemRepresentation : key.pkcs8PEMRepresentation
        }
        return (try pki.clientCertificate(user: user, groups: groups, publicKey: publicKey), keyPEM)
    }
}

/// A temporary directory removed when the test ends.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "kubeclient-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        // Best effort: a leftover temp directory is harmless.
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `contents` to `name` inside the directory and returns its path.
    @discardableResult
    func write(_ name: String, _ contents: String, executable: Bool = false) throws -> String {
        let file = "\(path)/\(name)"
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try contents.write(toFile: file, atomically: true, encoding: .utf8)
        if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file) }
        return file
    }
}

func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
