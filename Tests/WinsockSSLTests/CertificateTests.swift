import Foundation
import Testing
internal import COpenSSL
@testable import WinsockSSL
import WinsockSSLTesting

/// Runs the `openssl` command line tool; the independent reference these tests compare against.
private func openSSL(_ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["openssl"] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// A temporary directory removed when `body` returns.
private func withTemporaryDirectory<Result>(_ body: (URL) throws -> Result) throws -> Result {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("CertificateTests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}

/// A self-signed certificate made by `openssl req`, so names can hold attributes the test CA never writes.
private func certificateFromOpenSSL(subject: String, extraArguments: [String] = []) throws -> Certificate {
    try withTemporaryDirectory { directory in
        let certificatePath = directory.appendingPathComponent("cert.pem").path
        let result = try openSSL(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                  "-keyout", directory.appendingPathComponent("key.pem").path, "-out", certificatePath,
                                  "-days", "1", "-subj", subject] + extraArguments)
        #expect(result.status == 0, "\(result.output)")
        return try Certificate(pemEncoded: String(contentsOfFile: certificatePath, encoding: .utf8))
    }
}

private func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String($0, radix: 16, uppercase: true).count == 1 ? "0" + String($0, radix: 16, uppercase: true) : String($0, radix: 16, uppercase: true) }.joined()
}

// MARK: - Encoding

@Test func derRoundTripGivesAnEqualCertificate() throws {
    let issued = try TestCertificateAuthority().issue(dnsNames: ["example.com"])
    let copy = try Certificate(derEncoded: issued.certificate.derEncoded)
    #expect(copy == issued.certificate)
    #expect(copy.derEncoded == issued.certificate.derEncoded)
    #expect(copy.hashValue == issued.certificate.hashValue)
}

@Test func pemRoundTripGivesTheSameDER() throws {
    let certificate = try TestCertificateAuthority().root
    let pem = certificate.pemEncoded
    #expect(pem.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
    #expect(pem.hasSuffix("\n-----END CERTIFICATE-----\n"))
    #expect(pem.split(separator: "\n").allSatisfy { $0.count <= 64 })
    #expect(try Certificate(pemEncoded: pem).derEncoded == certificate.derEncoded)
}

@Test func pemEncodingIsReadableByOpenSSL() throws {
    let certificate = try TestCertificateAuthority(commonName: "PEM Check").root
    try withTemporaryDirectory { directory in
        let path = directory.appendingPathComponent("cert.pem")
        try certificate.pemEncoded.write(to: path, atomically: true, encoding: .utf8)
        let result = try openSSL(["x509", "-in", path.path, "-noout", "-subject"])
        #expect(result.status == 0)
        #expect(result.output.contains("CN = PEM Check"))
    }
}

@Test func pemParsingSkipsSurroundingTextAndOtherBlocks() throws {
    let issued = try TestCertificateAuthority().issue(dnsNames: ["example.com"])
    let text = "Bag Attributes: whatever\n" + issued.privateKey.pemEncoded + "subject=CN = x\r\n"
        + issued.certificate.pemEncoded.replacingOccurrences(of: "\n", with: "\r\n") + "trailing text"
    #expect(try Certificate(pemEncoded: text) == issued.certificate)
}

@Test func certificatesReadsEveryBlockInOrder() throws {
    let intermediate = try TestCertificateAuthority().intermediate(commonName: "Intermediate")
    let issued = try intermediate.issue(dnsNames: ["example.com"])
    let parsed = try Certificate.certificates(pemEncoded: issued.certificateChainPEM)
    #expect(parsed == [issued.certificate, intermediate.certificate])
}

@Test func certificatesThrowsWhenTheTextHasNoCertificate() throws {
    let key = try TestCertificateAuthority.selfSigned(dnsNames: ["x.test"]).privateKey.pemEncoded
    let error = #expect(throws: CertificateError.self) { try Certificate.certificates(pemEncoded: key) }
    #expect(error?.detail.contains("no \"-----BEGIN CERTIFICATE-----\" block") == true)
    #expect(throws: CertificateError.self) { try Certificate(pemEncoded: "") }
}

@Test func garbageDERIsRejectedWithAClearError() throws {
    let error = #expect(throws: CertificateError.self) { try Certificate(derEncoded: Array("hello, world".utf8)) }
    #expect(error?.detail == "the 12 bytes are not a DER-encoded X.509 certificate")
    #expect(error?.openSSLErrors.isEmpty == false)
}

@Test func emptyDERIsRejected() throws {
    let error = #expect(throws: CertificateError.self) { try Certificate(derEncoded: []) }
    #expect(error?.detail.contains("empty") == true)
}

@Test func truncatedDERIsRejected() throws {
    let der = try TestCertificateAuthority().root.derEncoded
    for length in [1, der.count / 2, der.count - 1] {
        let error = #expect(throws: CertificateError.self) { try Certificate(derEncoded: Array(der.prefix(length))) }
        #expect(error?.detail.contains("not a DER-encoded X.509 certificate") == true)
    }
}

@Test func trailingBytesAfterTheDERAreRejected() throws {
    let der = try TestCertificateAuthority().root.derEncoded
    let error = #expect(throws: CertificateError.self) { try Certificate(derEncoded: der + [0, 0]) }
    #expect(error?.detail == "2 unexpected bytes after the \(der.count)-byte DER certificate")
}

@Test func malformedBase64InPEMIsRejected() throws {
    var pem = try TestCertificateAuthority().root.pemEncoded
    pem.insert("!", at: pem.index(pem.startIndex, offsetBy: 40))
    let error = #expect(throws: CertificateError.self) { try Certificate(pemEncoded: pem) }
    #expect(error?.detail.contains("base64") == true)
}

@Test func pemBeginLineWithoutEndLineIsRejected() throws {
    let pem = try TestCertificateAuthority().root.pemEncoded
    let cut = String(try #require(pem.split(separator: "-----END").first))
    let error = #expect(throws: CertificateError.self) { try Certificate(pemEncoded: cut) }
    #expect(error?.detail.contains("no matching \"-----END CERTIFICATE-----\"") == true)
}

@Test func corruptedBase64ContentIsRejectedAsDER() throws {
    // Valid base64 whose bytes are not a certificate.
    let pem = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
    let error = #expect(throws: CertificateError.self) { try Certificate(pemEncoded: pem) }
    #expect(error?.detail.contains("not a DER-encoded X.509 certificate") == true)
}

@Test func borrowingAnX509CopiesItsEncoding() throws {
    let der = try TestCertificateAuthority().root.derEncoded
    let x509 = try #require(der.withUnsafeBufferPointer { buffer in
        var cursor = buffer.baseAddress
        return d2i_X509(nil, &cursor, buffer.count)
    })
    defer { X509_free(x509) }
    #expect(try Certificate(borrowing: x509).derEncoded == der)
}

// MARK: - Names

@Test func subjectIsDescribedMostSpecificFirstWithWindowsAttributeNames() throws {
    let certificate = try certificateFromOpenSSL(
        subject: "/C=US/ST=Washington/L=Redmond/O=Example Corp/OU=IT/CN=www.example.com/emailAddress=admin@example.com")
    #expect(certificate.subject.description
        == "E=admin@example.com, CN=www.example.com, OU=IT, O=Example Corp, L=Redmond, S=Washington, C=US")
    #expect(certificate.subject.attributes.map(\.type) == ["C", "ST", "L", "O", "OU", "CN", "emailAddress"])
    #expect(certificate.subject.commonName == "www.example.com")
    #expect(certificate.issuer == certificate.subject)
}

@Test func valuesWithSpecialCharactersAreQuotedLikeDotNet() throws {
    let authority = try TestCertificateAuthority()
    let cases: [(String, String)] = [
        ("Widgets, Inc.", "CN=\"Widgets, Inc.\""),
        ("a+b", "CN=\"a+b\""), ("a=b", "CN=\"a=b\""), ("a;b", "CN=\"a;b\""), ("#1", "CN=\"#1\""),
        ("<tag>", "CN=\"<tag>\""), ("say \"hi\"", "CN=\"say \"\"hi\"\"\""), (" padded ", "CN=\" padded \""),
        ("line\r\nbreak", "CN=\"line\r\nbreak\""), ("back\\slash", "CN=back\\slash"), ("plain.example.com", "CN=plain.example.com"),
    ]
    for (commonName, expected) in cases {
        let issued = try authority.issue(commonName: commonName)
        #expect(issued.certificate.subject.description == "\(expected), O=WinsockSSL Testing")
        #expect(issued.certificate.subject.commonName == commonName)
    }
}

@Test func multiValuedRDNIsJoinedWithPlus() throws {
    let certificate = try certificateFromOpenSSL(subject: "/O=Example/CN=host+OU=Ops", extraArguments: ["-multivalue-rdn"])
    #expect(certificate.subject.relativeDistinguishedNames.count == 2)
    #expect(certificate.subject.description.hasPrefix("CN=host + OU=Ops, O=Example")
        || certificate.subject.description.hasPrefix("OU=Ops + CN=host, O=Example"))
}

@Test func issuerOfAnIssuedCertificateIsTheAuthoritySubject() throws {
    let authority = try TestCertificateAuthority(commonName: "Issuer Test CA")
    let issued = try authority.issue(dnsNames: ["example.com"], commonName: "example.com")
    #expect(issued.certificate.issuer == authority.root.subject)
    #expect(issued.certificate.issuer.description == "CN=Issuer Test CA, O=WinsockSSL Testing")
    #expect(issued.certificate.subject.description == "CN=example.com, O=WinsockSSL Testing")
}

@Test func commonNameIsNilWhenTheSubjectHasNone() throws {
    let issued = try TestCertificateAuthority().issue(dnsNames: ["example.com"])
    #expect(issued.certificate.subject.commonName == nil)
    #expect(issued.certificate.subject.description == "O=WinsockSSL Testing")
}

@Test func rootIsSelfIssuedAndLeafIsNot() throws {
    let authority = try TestCertificateAuthority()
    #expect(authority.root.isSelfIssued)
    #expect(try !authority.issue(dnsNames: ["example.com"]).certificate.isSelfIssued)
}

// MARK: - Extensions and fields

@Test func subjectAlternativeNamesListDNSAndIPEntriesInOrder() throws {
    let issued = try TestCertificateAuthority().issue(dnsNames: ["example.com", "*.example.com"],
                                                      ipAddresses: ["192.0.2.7", "2001:db8::1"])
    #expect(issued.certificate.subjectAlternativeNames == [
        .dnsName("example.com"), .dnsName("*.example.com"),
        .ipAddress(InternetAddress(parsing: "192.0.2.7")!), .ipAddress(InternetAddress(parsing: "2001:db8::1")!),
    ])
    #expect(issued.certificate.subjectAlternativeNames.map(\.description)
        == ["DNS:example.com", "DNS:*.example.com", "IP Address:192.0.2.7", "IP Address:2001:db8::1"])
}

@Test func otherSubjectAlternativeNamesAreKeptAsText() throws {
    let certificate = try certificateFromOpenSSL(
        subject: "/CN=mail", extraArguments: ["-addext", "subjectAltName=email:someone@example.com,DNS:mail.example.com"])
    #expect(certificate.subjectAlternativeNames == [.other("email:someone@example.com"), .dnsName("mail.example.com")])
}

@Test func certificateWithoutSubjectAltNameHasNoSubjectAlternativeNames() throws {
    let issued = try TestCertificateAuthority().issue(commonName: "example.com")
    #expect(issued.certificate.subjectAlternativeNames.isEmpty)
}

@Test func serialNumberMatchesOpenSSLCommandLine() throws {
    let certificate = try TestCertificateAuthority().issue(dnsNames: ["example.com"]).certificate
    #expect(certificate.serialNumber.count == 16)
    try withTemporaryDirectory { directory in
        let path = directory.appendingPathComponent("cert.pem")
        try certificate.pemEncoded.write(to: path, atomically: true, encoding: .utf8)
        let result = try openSSL(["x509", "-in", path.path, "-noout", "-serial"])
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines) == "serial=\(hex(certificate.serialNumber))")
    }
}

@Test func fingerprintsMatchOpenSSLCommandLine() throws {
    let certificate = try TestCertificateAuthority().issue(dnsNames: ["example.com"]).certificate
    #expect(certificate.sha1Fingerprint.count == 20)
    #expect(certificate.sha256Fingerprint.count == 32)
    try withTemporaryDirectory { directory in
        let path = directory.appendingPathComponent("cert.pem")
        try certificate.pemEncoded.write(to: path, atomically: true, encoding: .utf8)
        for (digest, bytes) in [("sha1", certificate.sha1Fingerprint), ("sha256", certificate.sha256Fingerprint)] {
            let result = try openSSL(["x509", "-in", path.path, "-noout", "-fingerprint", "-\(digest)"])
            let printed = result.output.split(separator: "=", maxSplits: 1).last.map { $0.replacingOccurrences(of: ":", with: "") }
            #expect(printed?.trimmingCharacters(in: .whitespacesAndNewlines) == hex(bytes), "\(digest): \(result.output)")
        }
    }
}

// MARK: - Validity

private func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

@Test func currentCertificateIsValidNow() throws {
    let certificate = try TestCertificateAuthority().issue(dnsNames: ["example.com"]).certificate
    let time = now()
    #expect(certificate.notValidBefore < time && time < certificate.notValidAfter)
}

@Test func expiredCertificateEndedInThePast() throws {
    let certificate = try TestCertificateAuthority().issue(dnsNames: ["example.com"], validity: .expired).certificate
    #expect(certificate.notValidAfter < now())
    #expect(certificate.notValidBefore < certificate.notValidAfter)
}

@Test func notYetValidCertificateStartsInTheFuture() throws {
    let certificate = try TestCertificateAuthority().issue(dnsNames: ["example.com"], validity: .notYetValid).certificate
    #expect(certificate.notValidBefore > now())
}

@Test func validityBefore1970AndAfter2050IsRead() throws {
    // 80 years back is before 1970 and before 1950 (GeneralizedTime); 40 years ahead is past 2050.
    let back: Int64 = -80 * 365 * 86_400, ahead: Int64 = 40 * 365 * 86_400
    let before = now()
    let certificate = try TestCertificateAuthority().issue(
        dnsNames: ["example.com"], validity: TestValidity(notBeforeSecondsFromNow: back, notAfterSecondsFromNow: ahead)).certificate
    let after = now()
    #expect(certificate.notValidBefore < 0)
    #expect((before + back)...(after + back) ~= certificate.notValidBefore)
    #expect((before + ahead)...(after + ahead) ~= certificate.notValidAfter)
    #expect(certificate.notValidAfter > 2_524_608_000) // 2050-01-01
}

@Test func validityMatchesOpenSSLCommandLineToTheSecond() throws {
    let certificate = try TestCertificateAuthority().issue(
        dnsNames: ["example.com"], validity: TestValidity(notBeforeSecondsFromNow: -70 * 365 * 86_400, notAfterSecondsFromNow: 50 * 365 * 86_400)).certificate
    try withTemporaryDirectory { directory in
        let path = directory.appendingPathComponent("cert.pem")
        try certificate.pemEncoded.write(to: path, atomically: true, encoding: .utf8)
        let result = try openSSL(["x509", "-in", path.path, "-noout", "-startdate", "-enddate", "-dateopt", "iso_8601"])
        let lines = result.output.split(separator: "\n").map { String($0.split(separator: "=", maxSplits: 1).last ?? "") }
        #expect(lines.count == 2, "\(result.output)")
        // openssl prints "1956-12-11 10:00:00Z"; the description uses the ISO "T" form.
        #expect(certificate.description.contains(lines[0].replacingOccurrences(of: " ", with: "T")), "\(certificate) vs \(lines)")
        #expect(certificate.description.contains(lines[1].replacingOccurrences(of: " ", with: "T")), "\(certificate) vs \(lines)")
    }
}

@Test func descriptionNamesSubjectIssuerAndValidity() throws {
    let authority = try TestCertificateAuthority(commonName: "Description CA")
    let certificate = try authority.issue(dnsNames: ["example.com"], commonName: "example.com").certificate
    #expect(certificate.description.hasPrefix("CN=example.com, O=WinsockSSL Testing (issued by CN=Description CA, O=WinsockSSL Testing, valid "))
}

@Test func calendarConversionRoundTripsAcrossCenturies() {
    for days: Int64 in [-719_468, -25_567, -1, 0, 1, 11_016, 24_837, 29_220, 2_932_896] {
        let date = CivilCalendar.date(daysSince1970: days)
        #expect(CivilCalendar.daysSince1970(year: date.year, month: date.month, day: date.day) == days)
    }
    #expect(Certificate.UTCDate.format(0) == "1970-01-01T00:00:00Z")
    #expect(Certificate.UTCDate.format(-1) == "1969-12-31T23:59:59Z")
    #expect(Certificate.UTCDate.format(951_782_400) == "2000-02-29T00:00:00Z")
    #expect(Certificate.UTCDate.format(2_147_483_648) == "2038-01-19T03:14:08Z")
}

// MARK: - Host name matching

@Test func exactDNSNameMatchesRegardlessOfCase() throws {
    let certificate = try TestCertificateAuthority().issue(dnsNames: ["www.example.com"]).certificate
    #expect(certificate.matches(hostName: "www.example.com"))
    #expect(certificate.matches(hostName: "WWW.Example.COM"))
    #expect(certificate.matches(hostName: "www.example.com."))
    #expect(!certificate.matches(hostName: "www.example.com.."))
    #expect(!certificate.matches(hostName: "example.com"))
    #expect(!certificate.matches(hostName: "mail.example.com"))
}

@Test func nameMatchIsNotASubstringMatch() throws {
    let certificate = try TestCertificateAuthority().issue(dnsNames: ["example.com"], commonName: "example.com").certificate
    #expect(certificate.matches(hostName: "example.com"))
    #expect(!certificate.matches(hostName: "notexample.com"))
    #expect(!certificate.matches(hostName: "example.com.evil.net"))
    #expect(!certificate.matches(hostName: "www.example.com"))
    #expect(!certificate.matches(hostName: "example.co"))
}

@Test func emptyNulAndLeadingDotHostNamesMatchNothing() throws {
    let certificate = try TestCertificateAuthority().issue(dnsNames: ["example.com", "*.example.com"]).certificate
    #expect(!certificate.matches(hostName: ""))
    #expect(!certificate.matches(hostName: "."))
    #expect(!certificate.matches(hostName: "example.com\0.evil.net"))
    #expect(!certificate.matches(hostName: ".example.com"))
}

@Test func wildcardMatchesExactlyOneWholeLabel() throws {
    let certificate = try TestCertificateAuthority().issue(dnsNames: ["*.example.com"]).certificate
    #expect(certificate.matches(hostName: "a.example.com"))
    #expect(certificate.matches(hostName: "Mail.EXAMPLE.com"))
    #expect(!certificate.matches(hostName: "example.com"))
    #expect(!certificate.matches(hostName: "a.b.example.com"))
    #expect(!certificate.matches(hostName: "a.example.org"))
}

@Test func partialWildcardMatchesNothing() throws {
    let certificate = try TestCertificateAuthority().issue(dnsNames: ["f*o.example.com"]).certificate
    #expect(!certificate.matches(hostName: "foo.example.com"))
    #expect(!certificate.matches(hostName: "fo.example.com"))
    #expect(!certificate.matches(hostName: "f*o.example.com"))
}

@Test func subjectAltNameOnlyCertificateMatchesWithoutCommonName() throws {
    let certificate = try TestCertificateAuthority().issue(dnsNames: ["api.example.com"]).certificate
    #expect(certificate.subject.commonName == nil)
    #expect(certificate.matches(hostName: "api.example.com"))
}

@Test func commonNameIsUsedOnlyWhenThereIsNoDNSSubjectAltName() throws {
    let authority = try TestCertificateAuthority()
    let commonNameOnly = try authority.issue(commonName: "legacy.example.com").certificate
    #expect(commonNameOnly.matches(hostName: "legacy.example.com"))
    #expect(!commonNameOnly.matches(hostName: "other.example.com"))
    let both = try authority.issue(dnsNames: ["new.example.com"], commonName: "legacy.example.com").certificate
    #expect(both.matches(hostName: "new.example.com"))
    #expect(!both.matches(hostName: "legacy.example.com"))
}

@Test func ipLiteralsMatchOnlyIPAddressEntries() throws {
    let authority = try TestCertificateAuthority()
    let certificate = try authority.issue(dnsNames: ["localhost"], ipAddresses: ["127.0.0.1", "::1"]).certificate
    #expect(certificate.matches(hostName: "127.0.0.1"))
    #expect(certificate.matches(hostName: "::1"))
    #expect(certificate.matches(hostName: "0:0:0:0:0:0:0:1"))
    #expect(certificate.matches(hostName: "[::1]"))
    #expect(!certificate.matches(hostName: "127.0.0.2"))
    #expect(!certificate.matches(hostName: "::2"))
    // An IP address written as a DNS name or common name does not count.
    let ipInName = try authority.issue(dnsNames: ["10.0.0.1"], commonName: "10.0.0.2").certificate
    #expect(!ipInName.matches(hostName: "10.0.0.1"))
    #expect(!ipInName.matches(hostName: "10.0.0.2"))
}
