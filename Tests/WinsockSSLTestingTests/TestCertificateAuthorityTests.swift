import Foundation
import Testing
import WinsockSSL
import WinsockSSLTesting

/// Runs the `openssl` command line tool, the independent judge of what the authority produces.
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
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("TestCertificateAuthorityTests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}

/// `openssl verify -CAfile root.pem [-untrusted intermediates.pem] leaf.pem`.
private func verify(_ leaf: Certificate, intermediates: [Certificate], trusting root: Certificate,
                    purpose: String? = nil) throws -> (status: Int32, output: String) {
    try withTemporaryDirectory { directory in
        let rootPath = directory.appendingPathComponent("root.pem").path
        let leafPath = directory.appendingPathComponent("leaf.pem").path
        let intermediatesPath = directory.appendingPathComponent("inter.pem").path
        try root.pemEncoded.write(toFile: rootPath, atomically: true, encoding: .utf8)
        try leaf.pemEncoded.write(toFile: leafPath, atomically: true, encoding: .utf8)
        var arguments = ["verify", "-CAfile", rootPath]
        if !intermediates.isEmpty {
            try intermediates.map(\.pemEncoded).joined().write(toFile: intermediatesPath, atomically: true, encoding: .utf8)
            arguments += ["-untrusted", intermediatesPath]
        }
        if let purpose { arguments += ["-purpose", purpose] }
        return try openSSL(arguments + [leafPath])
    }
}

/// Verifies an issued certificate with the intermediates from its own chain, as a server would send them.
private func verify(_ issued: IssuedCertificate, trusting root: Certificate, purpose: String? = nil) throws -> (status: Int32, output: String) {
    try verify(issued.certificate, intermediates: Array(issued.chain.dropFirst()), trusting: root, purpose: purpose)
}

/// `openssl x509 -text` of a certificate.
private func text(of certificate: Certificate) throws -> String {
    try withTemporaryDirectory { directory in
        let path = directory.appendingPathComponent("cert.pem").path
        try certificate.pemEncoded.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try openSSL(["x509", "-in", path, "-noout", "-text"])
        #expect(result.status == 0, "\(result.output)")
        return result.output
    }
}

private let keyTypes: [TestKeyType] = [.p256, .rsa2048]

// MARK: - Chains

@Test(arguments: keyTypes)
func leafIssuedByRootVerifiesAgainstRoot(keyType: TestKeyType) throws {
    let authority = try TestCertificateAuthority(keyType: keyType)
    let issued = try authority.issue(dnsNames: ["example.com"], keyType: keyType)
    let result = try verify(issued, trusting: authority.root, purpose: "sslserver")
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.contains(": OK"))
}

@Test(arguments: [(TestKeyType.p256, TestKeyType.p256), (.rsa2048, .rsa2048), (.rsa2048, .p256), (.p256, .rsa2048)])
func leafIssuedThroughIntermediateVerifiesAgainstRoot(rootKey: TestKeyType, intermediateKey: TestKeyType) throws {
    let root = try TestCertificateAuthority(keyType: rootKey)
    let intermediate = try root.intermediate(commonName: "Test Intermediate CA", keyType: intermediateKey)
    let issued = try intermediate.issue(dnsNames: ["example.com"], keyType: intermediateKey)
    #expect(intermediate.root == root.root)
    let result = try verify(issued, trusting: root.root, purpose: "sslserver")
    #expect(result.status == 0, "\(result.output)")
}

@Test func leafThroughTwoIntermediatesVerifies() throws {
    let root = try TestCertificateAuthority()
    let first = try root.intermediate(commonName: "First Intermediate")
    let second = try first.intermediate(commonName: "Second Intermediate")
    let issued = try second.issue(dnsNames: ["example.com"])
    #expect(issued.chain == [issued.certificate, second.certificate, first.certificate])
    #expect(try verify(issued, trusting: root.root).status == 0)
}

@Test func chainListsLeafThenIntermediatesButNotRoot() throws {
    let root = try TestCertificateAuthority()
    #expect(root.intermediates.isEmpty)
    #expect(root.certificate == root.root)
    #expect(try root.issue(dnsNames: ["a.test"]).chain.count == 1)
    let intermediate = try root.intermediate(commonName: "Intermediate")
    let issued = try intermediate.issue(dnsNames: ["a.test"])
    #expect(issued.chain == [issued.certificate, intermediate.certificate])
    #expect(!issued.chain.contains(root.root))
    #expect(try Certificate.certificates(pemEncoded: issued.certificateChainPEM) == issued.chain)
}

@Test func leafDoesNotVerifyAgainstAnotherRoot() throws {
    let issued = try TestCertificateAuthority().issue(dnsNames: ["example.com"])
    let stranger = try TestCertificateAuthority()
    let result = try verify(issued, trusting: stranger.root)
    #expect(result.status != 0)
    #expect(result.output.contains("unable to get local issuer certificate"))
}

@Test func leafDoesNotVerifyWithoutItsIntermediate() throws {
    let root = try TestCertificateAuthority()
    let issued = try root.intermediate(commonName: "Intermediate").issue(dnsNames: ["example.com"])
    let result = try verify(issued.certificate, intermediates: [], trusting: root.root)
    #expect(result.status != 0)
    #expect(result.output.contains("unable to get local issuer certificate"))
}

@Test func expiredLeafFailsVerificationAsExpired() throws {
    let authority = try TestCertificateAuthority()
    let result = try verify(authority.issue(dnsNames: ["example.com"], validity: .expired), trusting: authority.root)
    #expect(result.status != 0)
    #expect(result.output.contains("certificate has expired"))
}

@Test func notYetValidLeafFailsVerification() throws {
    let authority = try TestCertificateAuthority()
    let result = try verify(authority.issue(dnsNames: ["example.com"], validity: .notYetValid), trusting: authority.root)
    #expect(result.status != 0)
    #expect(result.output.contains("certificate is not yet valid"))
}

@Test(arguments: keyTypes)
func selfSignedCertificateVerifiesOnlyAgainstItself(keyType: TestKeyType) throws {
    let issued = try TestCertificateAuthority.selfSigned(dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"], keyType: keyType)
    #expect(issued.chain == [issued.certificate])
    #expect(issued.certificate.isSelfIssued)
    let result = try verify(issued, trusting: issued.certificate, purpose: "sslserver")
    #expect(result.status == 0, "\(result.output)")
    #expect(try verify(issued, trusting: TestCertificateAuthority().root).status != 0)
}

// MARK: - Contents

@Test func authorityCertificateIsACriticalCAThatSignsCertificates() throws {
    let output = try text(of: TestCertificateAuthority(commonName: "Contents CA").root)
    #expect(output.contains("X509v3 Basic Constraints: critical\n                CA:TRUE"))
    #expect(output.contains("X509v3 Key Usage: critical\n                Certificate Sign, CRL Sign"))
    #expect(output.contains("X509v3 Subject Key Identifier"))
    #expect(output.contains("Subject: O = WinsockSSL Testing, CN = Contents CA"))
    #expect(output.contains("Signature Algorithm: ecdsa-with-SHA256"))
}

@Test func serverCertificateHasServerAuthUsageAndNames() throws {
    let authority = try TestCertificateAuthority()
    let output = try text(of: authority.issue(dnsNames: ["example.com", "*.example.com"], ipAddresses: ["127.0.0.1", "::1"]).certificate)
    #expect(output.contains("X509v3 Basic Constraints: critical\n                CA:FALSE"))
    #expect(output.contains("X509v3 Key Usage: critical\n                Digital Signature\n"))
    #expect(output.contains("X509v3 Extended Key Usage: \n                TLS Web Server Authentication"))
    #expect(output.contains("DNS:example.com, DNS:*.example.com, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1"))
    #expect(output.contains("X509v3 Subject Key Identifier"))
    #expect(output.contains("X509v3 Authority Key Identifier"))
    #expect(output.contains("Version: 3 (0x2)"))
}

@Test func rsaServerCertificateAllowsKeyEncipherment() throws {
    let authority = try TestCertificateAuthority(keyType: .rsa2048)
    let output = try text(of: authority.issue(dnsNames: ["example.com"], keyType: .rsa2048).certificate)
    #expect(output.contains("Digital Signature, Key Encipherment"))
    #expect(output.contains("Signature Algorithm: sha256WithRSAEncryption"))
    #expect(output.contains("Public-Key: (2048 bit)"))
}

@Test func p256KeyIsOnPrime256v1() throws {
    let output = try text(of: TestCertificateAuthority().issue(dnsNames: ["example.com"]).certificate)
    #expect(output.contains("id-ecPublicKey"))
    #expect(output.contains("NIST CURVE: P-256"))
}

@Test func serverCertificateWithoutNamesHasNoSubjectAltName() throws {
    let output = try text(of: TestCertificateAuthority().issue(commonName: "legacy.example.com").certificate)
    #expect(!output.contains("Subject Alternative Name"))
    #expect(output.contains("CN = legacy.example.com"))
}

@Test func serialNumbersArePositiveSixteenBytesAndDistinct() throws {
    let authority = try TestCertificateAuthority()
    let serials = try (0..<8).map { _ in try authority.issue(dnsNames: ["example.com"]).certificate.serialNumber }
    #expect(serials.allSatisfy { $0.count == 16 && $0[0] & 0x80 == 0 })
    #expect(Set(serials).count == serials.count)
}

@Test func validityFollowsTheRequestedOffsets() throws {
    let before = Int64(Date().timeIntervalSince1970)
    let certificate = try TestCertificateAuthority().issue(
        dnsNames: ["example.com"], validity: TestValidity(notBeforeSecondsFromNow: -600, notAfterSecondsFromNow: 7200)).certificate
    let after = Int64(Date().timeIntervalSince1970)
    // OpenSSL reads the clock with time(), which Linux serves from the coarse clock: near a second boundary it
    // can still say the previous second after Date() has moved on (seen once in CI), so one second of slack.
    #expect((before - 601)...(after - 600) ~= certificate.notValidBefore)
    #expect((before + 7199)...(after + 7200) ~= certificate.notValidAfter)
}

// MARK: - Keys

@Test(arguments: keyTypes)
func privateKeyBelongsToTheCertificate(keyType: TestKeyType) throws {
    let issued = try TestCertificateAuthority().issue(dnsNames: ["example.com"], keyType: keyType)
    #expect(issued.privateKey.type == keyType)
    #expect(issued.privateKey.pemEncoded.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
    try withTemporaryDirectory { directory in
        let certificatePath = directory.appendingPathComponent("cert.pem").path
        let keyPath = directory.appendingPathComponent("key.pem").path
        let derKeyPath = directory.appendingPathComponent("key.der").path
        try issued.certificate.pemEncoded.write(toFile: certificatePath, atomically: true, encoding: .utf8)
        try issued.privateKey.pemEncoded.write(toFile: keyPath, atomically: true, encoding: .utf8)
        try Data(issued.privateKey.derEncoded).write(to: URL(fileURLWithPath: derKeyPath))
        let fromCertificate = try openSSL(["x509", "-in", certificatePath, "-noout", "-pubkey"])
        let fromPEMKey = try openSSL(["pkey", "-in", keyPath, "-pubout"])
        let fromDERKey = try openSSL(["pkey", "-inform", "DER", "-in", derKeyPath, "-pubout"])
        #expect(fromCertificate.status == 0 && fromPEMKey.status == 0 && fromDERKey.status == 0)
        #expect(fromCertificate.output == fromPEMKey.output)
        #expect(fromCertificate.output == fromDERKey.output)
    }
}

@Test func everyCertificateGetsAFreshKey() throws {
    let authority = try TestCertificateAuthority()
    let first = try authority.issue(dnsNames: ["example.com"])
    let second = try authority.issue(dnsNames: ["example.com"])
    #expect(first.privateKey.derEncoded != second.privateKey.derEncoded)
}

// MARK: - Errors and files

@Test func invalidIPAddressIsRejectedWithAClearError() throws {
    let authority = try TestCertificateAuthority()
    let error = #expect(throws: TestAuthorityError.self) { try authority.issue(ipAddresses: ["localhost"]) }
    #expect(error?.detail == "\"localhost\" is not an IPv4 or IPv6 address")
}

@Test func emptyDNSNameIsRejected() throws {
    let authority = try TestCertificateAuthority()
    #expect(throws: TestAuthorityError.self) { try authority.issue(dnsNames: [""]) }
}

@Test func writeStoresTheChainAndAnOwnerOnlyKey() throws {
    let root = try TestCertificateAuthority()
    let issued = try root.intermediate(commonName: "Intermediate").issue(dnsNames: ["example.com"])
    try withTemporaryDirectory { directory in
        let certificatePath = directory.appendingPathComponent("chain.pem").path
        let keyPath = directory.appendingPathComponent("key.pem").path
        try issued.write(certificateTo: certificatePath, keyTo: keyPath)
        #expect(try String(contentsOfFile: certificatePath, encoding: .utf8) == issued.certificateChainPEM)
        #expect(try String(contentsOfFile: keyPath, encoding: .utf8) == issued.privateKey.pemEncoded)
        let permissions = try FileManager.default.attributesOfItem(atPath: keyPath)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        // Writing again replaces the files instead of appending.
        try issued.write(certificateTo: certificatePath, keyTo: keyPath)
        #expect(try String(contentsOfFile: certificatePath, encoding: .utf8) == issued.certificateChainPEM)
    }
}

@Test func writeToAMissingDirectoryThrows() throws {
    let issued = try TestCertificateAuthority.selfSigned(dnsNames: ["example.com"])
    let error = #expect(throws: TestAuthorityError.self) {
        try issued.write(certificateTo: "/nonexistent-directory/cert.pem", keyTo: "/nonexistent-directory/key.pem")
    }
    #expect(error?.detail.contains("No such file or directory") == true)
}
