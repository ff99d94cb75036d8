import Crypto
import Foundation
import SwiftASN1
import X509

/// A test cluster's certificates: its CA, a serving certificate for `127.0.0.1`/`localhost` signed by it, and client
/// certificates for users (CN = user name, O = groups), as kube-apiserver's client-certificate authentication reads them.
public struct ClusterPKI: Sendable, Codable {
    public let caCertificatePEM: String
    /// The CA's private key, kept so a restarted server (``init(from:)``) can keep signing for the same CA.
    public let caKeyPEM: String
    public let serverCertificatePEM: String
    public let serverKeyPEM: String
    private var caKey: Certificate.PrivateKey { get throws { Certificate.PrivateKey(try P256.Signing.PrivateKey(pemRepresentation: caKeyPEM)) } }
    private var caName: DistinguishedName { get throws { try Certificate(pemEncoded: caCertificatePEM).subject } }

    private enum CodingKeys: String, CodingKey { case caCertificatePEM, caKeyPEM, serverCertificatePEM, serverKeyPEM }

    /// Makes a new CA named `name` and a serving certificate valid for a day.
    public init(name: String = "kube-test-server-ca") throws {
        let key = P256.Signing.PrivateKey()
        caKeyPEM = key.pemRepresentation
        let caKey = Certificate.PrivateKey(key)
        let caName = try DistinguishedName { CommonName(name) }
        let ca = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: caKey.publicKey,
            notValidBefore: Self.validFrom, notValidAfter: Self.validUntil,
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
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(serverKey.publicKey),
            notValidBefore: Self.validFrom, notValidAfter: Self.validUntil,
            issuer: caName, subject: try DistinguishedName { CommonName("kube-apiserver") },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                SubjectAlternativeNames([.dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))])
                try ExtendedKeyUsage([.serverAuth])
            },
            issuerPrivateKey: caKey)
        serverCertificatePEM = try server.serializeAsPEM().pemString
    }

    /// A client certificate for `user` in `groups` and its new P-256 key, both PEM.
    public func clientCertificate(user: String, groups: [String] = []) throws -> (certificatePEM: String, keyPEM: String) {
        let key = P256.Signing.PrivateKey()
        let certificate = try clientCertificate(user: user, groups: groups, publicKey: Certificate.PublicKey(key.publicKey))
        return (certificate, key.pemRepresentation)
    }

    /// A client certificate (PEM) for `user` in `groups` over a key the caller made.
    public func clientCertificate(user: String, groups: [String], publicKey: Certificate.PublicKey) throws -> String {
        let subject = try DistinguishedName {
            for group in groups { OrganizationName(group) }
            CommonName(user)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
            notValidBefore: Self.validFrom, notValidAfter: Self.validUntil,
            issuer: try caName, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions { try ExtendedKeyUsage([.clientAuth]) },
            issuerPrivateKey: try caKey)
        return try certificate.serializeAsPEM().pemString
    }

    private static var validFrom: Date { Date().addingTimeInterval(-3600) }
    private static var validUntil: Date { Date().addingTimeInterval(365 * 86400) }
}
