import Crypto
import Foundation
import SwiftASN1
import X509
import _CryptoExtras

/// Certificates made for one test: a CA, a server certificate for 127.0.0.1/localhost signed by it, and
/// client certificates (CN = user, O = groups) with EC or RSA keys in any PEM form.
struct TestPKI {
    let caCertificatePEM: String
    private let caKey: Certificate.PrivateKey
    private let caName: DistinguishedName
    let serverCertificatePEM: String
    let serverKeyPEM: String

    init(name: String = "test-ca") throws {
        let key = P256.Signing.PrivateKey()
        caKey = Certificate.PrivateKey(key)
        caName = try DistinguishedName { CommonName(name) }
        let ca = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: caKey.publicKey,
            notValidBefore: Date().addingTimeInterval(-3600), notValidAfter: Date().addingTimeInterval(86400),
            issuer: caName, subject: caName, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
            },
            issuerPrivateKey: caKey)
        caCertificatePEM = try ca.serializeAsPEM().pemString

        let serverKey = P256.Signing.PrivateKey()
        serverKeyPEM = serverKey.pemRepresentation
        let server = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(serverKey.publicKey),
            notValidBefore: Date().addingTimeInterval(-3600), notValidAfter: Date().addingTimeInterval(86400),
            issuer: caName, subject: try DistinguishedName { CommonName("kube-apiserver") },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                SubjectAlternativeNames([
                    .dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
                ])
                try ExtendedKeyUsage([.serverAuth])
            },
            issuerPrivateKey: caKey)
        serverCertificatePEM = try server.serializeAsPEM().pemString
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
        let subject = try DistinguishedName {
            for group in groups { OrganizationName(group) }
            CommonName(user)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
            notValidBefore: Date().addingTimeInterval(-3600), notValidAfter: Date().addingTimeInterval(86400),
            issuer: caName, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions { try ExtendedKeyUsage([.clientAuth]) },
            issuerPrivateKey: caKey)
        return (try certificate.serializeAsPEM().pemString, keyPEM)
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
