import Foundation
import NetCF
import Testing
import TestSupport
import WinsockSSLTesting

/// `X509Certificate`, the base class CE hooks use, checked against `openssl x509` on the same certificate.
@Suite struct X509CertificateTests {
    let authority: TestCertificateAuthority

    init() throws {
        authority = try TestCertificateAuthority()
    }

    /// What `openssl x509 <options>` prints for `certificate`.
    func openssl(_ certificate: Certificate, _ options: [String]) throws -> String {
        let result = try runProcess("/usr/bin/openssl", ["x509", "-noout"] + options, input: certificate.pemEncoded)
        try #require(result.status == 0, "\(result.combinedOutput)")
        return result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func getNameIsInCertificateOrderAndSubjectMostSpecificFirst() throws {
        let issued = try authority.issue(dnsNames: ["mail.example.test"], commonName: "mail.example.test")
        let cert = try X509Certificate(issued.certificate.derEncoded)
        #expect(cert.GetName() == "O=WinsockSSL Testing, CN=mail.example.test")
        #expect(cert.Subject == "CN=mail.example.test, O=WinsockSSL Testing")
        #expect(cert.GetIssuerName() == "O=WinsockSSL Testing, CN=WinsockSSL Test Root CA")
        #expect(cert.Issuer == "CN=WinsockSSL Test Root CA, O=WinsockSSL Testing")
        // openssl's RFC 2253 form is also most specific first.
        #expect(try openssl(issued.certificate, ["-subject", "-nameopt", "RFC2253"]) == "subject=CN=mail.example.test,O=WinsockSSL Testing")
    }

    @Test(arguments: [TestKeyType.p256, .rsa2048])
    func hashSerialAndKeyMatchOpenSSL(keyType: TestKeyType) throws {
        let issued = try authority.issue(dnsNames: ["mail.example.test"], keyType: keyType)
        let cert = try X509Certificate(issued.certificate.derEncoded)

        let fingerprint = try openssl(issued.certificate, ["-fingerprint", "-sha1"])
        // openssl prints "sha1 Fingerprint=AB:CD:…" (upper-case hex digits, colons).
        #expect(fingerprint.split(separator: "=").last.map(String.init) == cert.GetCertHashString().chunked(2).joined(separator: ":"))
        #expect(cert.GetCertHash().count == 20)
        #expect(cert.GetCertHashString() == cert.GetCertHashString().uppercased())

        let serial = try openssl(issued.certificate, ["-serial"])
        #expect("serial=" + cert.GetSerialNumberString() == serial)
        #expect(cert.GetSerialNumber() == Array(issued.certificate.serialNumber.reversed()))

        // The subject public key is the tail of the DER SubjectPublicKeyInfo openssl extracts.
        let spki = try runProcess("/bin/sh", ["-c", "openssl x509 -noout -pubkey | openssl pkey -pubin -outform DER | od -An -v -tx1"],
                                  input: issued.certificate.pemEncoded)
        let spkiBytes = spki.standardOutput.split(whereSeparator: \.isWhitespace).compactMap { UInt8($0, radix: 16) }
        let key = cert.GetPublicKey()
        #expect(!key.isEmpty && spkiBytes.count > key.count && Array(spkiBytes.suffix(key.count)) == key)
        #expect(cert.GetPublicKeyString() == key.map { String(format: "%02X", $0) }.joined())
        switch keyType {
        case .p256:
            #expect(cert.GetKeyAlgorithm() == "1.2.840.10045.2.1" && key.count == 65 && key.first == 0x04)
        case .rsa2048:
            #expect(cert.GetKeyAlgorithm() == "1.2.840.113549.1.1.1" && key.first == 0x30)
        }
    }

    @Test func datesRoundTripThroughDateTimeParse() throws {
        let issued = try authority.issue(dnsNames: ["mail.example.test"])
        let cert = try X509Certificate2(issued.certificate.derEncoded)
        let expires = try DateTime.Parse(cert.GetExpirationDateString(), CultureInfo.CurrentCulture)
        let effective = try DateTime.Parse(cert.GetEffectiveDateString(), CultureInfo.CurrentCulture)
        #expect(expires == cert.NotAfter && effective == cert.NotBefore)
        #expect(effective < DateTime.Now && DateTime.Now < expires)
    }

    @Test func x509Certificate2IsAnX509CertificateAndEqualityIsIssuerAndSerial() throws {
        let issued = try authority.issue(dnsNames: ["mail.example.test"])
        let derived = try X509Certificate2(issued.certificate.derEncoded)
        let base: X509Certificate = derived
        #expect(base.GetRawCertData() == issued.certificate.derEncoded && derived.RawData == base.GetRawCertData())
        #expect(base.Equals(try X509Certificate(issued.certificate.derEncoded)))
        #expect(X509Certificate(base).Equals(derived))
        #expect(!base.Equals(try X509Certificate(authority.issue(dnsNames: ["mail.example.test"]).certificate.derEncoded)))
        #expect(!base.Equals(nil))
        #expect(base.GetHashCode() == (try X509Certificate(issued.certificate.derEncoded)).GetHashCode())
        #expect(base.GetFormat() == "X509")
        #expect(base.MatchesHostName("mail.example.test") && !base.MatchesHostName("mail.example.test.evil.net"))
    }

    @Test func badDataIsRefusedAsDotNetRefusesIt() {
        #expect(throws: ArgumentException.self) { try X509Certificate([]) }
        #expect(throws: CryptographicException.self) { try X509Certificate([0x30, 0x03, 0x02, 0x01, 0x01]) }
    }
}

private extension String {
    func chunked(_ size: Int) -> [String] {
        var pieces: [String] = []
        var rest = Swift.Substring(self)
        while !rest.isEmpty {
            pieces.append(String(rest.prefix(size)))
            rest = rest.dropFirst(size)
        }
        return pieces
    }
}
