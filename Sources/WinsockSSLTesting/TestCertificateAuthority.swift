internal import COpenSSL
import WinsockSSL
#if canImport(Glibc)
internal import Glibc
#endif

/// The kind of key pair a test certificate gets.
public enum TestKeyType: Sendable, Hashable {
    /// ECDSA on NIST P-256 (prime256v1): fast to generate, the default.
    case p256
    /// RSA with a 2048-bit modulus, for code paths that only RSA exercises.
    case rsa2048
}

/// A private key generated for a test certificate.
public struct TestPrivateKey: Sendable, Hashable {
    /// The key as an unencrypted PKCS#8 `PrivateKeyInfo` (ASN.1 DER).
    public let derEncoded: [UInt8]
    /// The same key as a PEM block labelled `PRIVATE KEY`.
    public let pemEncoded: String
    /// What kind of key it is.
    public let type: TestKeyType
}

/// When a test certificate is valid, as offsets in seconds from the moment it is issued.
public struct TestValidity: Sendable, Hashable {
    /// Seconds from issuance to the start of the validity period (negative: in the past).
    public var notBeforeSecondsFromNow: Int64
    /// Seconds from issuance to the end of the validity period (negative: in the past).
    public var notAfterSecondsFromNow: Int64

    public init(notBeforeSecondsFromNow: Int64, notAfterSecondsFromNow: Int64) {
        self.notBeforeSecondsFromNow = notBeforeSecondsFromNow
        self.notAfterSecondsFromNow = notAfterSecondsFromNow
    }

    private static let hour: Int64 = 3600
    private static let day: Int64 = 86_400

    /// Valid from an hour ago (tolerating a little clock skew) until 30 days from now.
    public static let current = TestValidity(notBeforeSecondsFromNow: -hour, notAfterSecondsFromNow: 30 * day)
    /// Valid from 30 days ago until yesterday.
    public static let expired = TestValidity(notBeforeSecondsFromNow: -30 * day, notAfterSecondsFromNow: -day)
    /// Valid from tomorrow until 30 days from now.
    public static let notYetValid = TestValidity(notBeforeSecondsFromNow: day, notAfterSecondsFromNow: 30 * day)
}

/// A certificate issued by a `TestCertificateAuthority`, with its private key and the chain a server sends.
public struct IssuedCertificate: Sendable, Hashable {
    /// The issued certificate.
    public let certificate: Certificate
    /// The private key that belongs to `certificate`.
    public let privateKey: TestPrivateKey
    /// What a TLS server sends: `certificate` first, then any intermediate CAs, without the root.
    public let chain: [Certificate]

    /// `chain` as concatenated PEM blocks, the format of a server's certificate file.
    public var certificateChainPEM: String { chain.map(\.pemEncoded).joined() }

    /// Writes `certificateChainPEM` to `certificatePath` and the PEM private key to `keyPath`, replacing
    /// existing files. Only for tests that hand files to another program; everything else stays in memory.
    /// The key file is created readable by the owner only.
    public func write(certificateTo certificatePath: String, keyTo keyPath: String) throws(TestAuthorityError) {
        try Self.writeFile(certificatePath, Array(certificateChainPEM.utf8), mode: 0o644)
        try Self.writeFile(keyPath, Array(privateKey.pemEncoded.utf8), mode: 0o600)
    }

    /// Maps to `open`, `write` and `close`.
    private static func writeFile(_ path: String, _ bytes: [UInt8], mode: mode_t) throws(TestAuthorityError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw TestAuthorityError.system("open(\(path))", errno: errno) }
        defer { _ = close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                let error = errno
                if error == EINTR { continue }
                throw TestAuthorityError.system("write(\(path))", errno: error)
            }
            offset += written
        }
    }
}

/// A certificate authority that lives in memory for the length of a test.
///
/// A new authority generates a self-signed root. It issues server certificates (`issue`) and
/// intermediate authorities (`intermediate`); a client that trusts `root` accepts both.
/// Keys are generated fresh every time and never touch the disk.
///
/// ```swift
/// let authority = try TestCertificateAuthority()
/// let server = try authority.issue(dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"])
/// // the server presents server.chain with server.privateKey; the client trusts authority.rootPEM
/// ```
public final class TestCertificateAuthority: Sendable {
    /// The self-signed certificate at the top of this authority's chain: what clients must trust.
    public let root: Certificate
    /// This authority's own certificate: `root` for a root authority, else the intermediate's.
    public let certificate: Certificate
    /// This authority's certificate and those above it, nearest first, without the root; empty for a root.
    public let intermediates: [Certificate]
    private let signingKey: TestPrivateKey

    /// `root` as a PEM block, ready for a client's trust store.
    public var rootPEM: String { root.pemEncoded }

    /// Creates a root authority with a new key and a self-signed certificate (CN=`commonName`,
    /// O=WinsockSSL Testing; basicConstraints critical CA:TRUE; keyUsage critical keyCertSign, cRLSign).
    public init(commonName: String = "WinsockSSL Test Root CA", keyType: TestKeyType = .p256,
                validity: TestValidity = .current) throws(TestAuthorityError) {
        let key = try CertificateBuilder.generateKey(keyType)
        let certificate = try CertificateBuilder.build(
            subject: CertificateBuilder.subject(commonName: commonName), key: key, issuer: nil,
            validity: validity, profile: .authority)
        self.root = certificate
        self.certificate = certificate
        self.intermediates = []
        self.signingKey = key
    }

    private init(root: Certificate, certificate: Certificate, intermediates: [Certificate], signingKey: TestPrivateKey) {
        self.root = root
        self.certificate = certificate
        self.intermediates = intermediates
        self.signingKey = signingKey
    }

    /// Creates an intermediate authority whose certificate this authority signs. Certificates it issues
    /// chain through it: their `chain` holds the leaf, then the intermediate(s), never the root.
    public func intermediate(commonName: String, keyType: TestKeyType = .p256,
                             validity: TestValidity = .current) throws(TestAuthorityError) -> TestCertificateAuthority {
        let key = try CertificateBuilder.generateKey(keyType)
        let issued = try CertificateBuilder.build(
            subject: CertificateBuilder.subject(commonName: commonName), key: key,
            issuer: (certificate, signingKey), validity: validity, profile: .authority)
        return TestCertificateAuthority(root: root, certificate: issued, intermediates: [issued] + intermediates, signingKey: key)
    }

    /// Issues a TLS server certificate with a new key.
    ///
    /// The certificate has a subjectAltName with every DNS name (wildcards such as `*.example.com` are
    /// written as given) and IP address, no subjectAltName when both lists are empty, CN=`commonName`
    /// in the subject when one is given, extendedKeyUsage serverAuth, basicConstraints critical CA:FALSE,
    /// a random positive 16-byte serial number and subject/authority key identifiers.
    ///
    /// - Parameter dnsNames: DNS names for the subjectAltName, wildcards included.
    /// - Parameter ipAddresses: IPv4 or IPv6 literals such as `127.0.0.1` or `::1`.
    /// - Parameter commonName: The subject's CN, or nil for a subject without one.
    /// - Parameter keyType: The type of the new key, P-256 unless given.
    /// - Parameter validity: The validity period, valid from an hour ago for 30 days unless given.
    public func issue(dnsNames: [String] = [], ipAddresses: [String] = [], commonName: String? = nil,
                      keyType: TestKeyType = .p256, validity: TestValidity = .current) throws(TestAuthorityError) -> IssuedCertificate {
        let key = try CertificateBuilder.generateKey(keyType)
        let issued = try CertificateBuilder.build(
            subject: CertificateBuilder.subject(commonName: commonName), key: key, issuer: (certificate, signingKey),
            validity: validity, profile: .server(dnsNames: dnsNames, ipAddresses: ipAddresses))
        return IssuedCertificate(certificate: issued, privateKey: key, chain: [issued] + intermediates)
    }

    /// A self-signed server certificate, with the same contents `issue` would give it. A client
    /// accepts it only when it trusts this very certificate; `chain` holds just the certificate.
    public static func selfSigned(dnsNames: [String] = [], ipAddresses: [String] = [], commonName: String? = nil,
                                  keyType: TestKeyType = .p256, validity: TestValidity = .current) throws(TestAuthorityError) -> IssuedCertificate {
        let key = try CertificateBuilder.generateKey(keyType)
        let issued = try CertificateBuilder.build(
            subject: CertificateBuilder.subject(commonName: commonName), key: key, issuer: nil,
            validity: validity, profile: .server(dnsNames: dnsNames, ipAddresses: ipAddresses))
        return IssuedCertificate(certificate: issued, privateKey: key, chain: [issued])
    }
}

/// A test certificate or key could not be made or written.
public struct TestAuthorityError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, in words.
    public var detail: String
    /// OpenSSL's error queue at the time of the failure, oldest first; often empty.
    public var openSSLErrors: [String]

    public init(_ detail: String, openSSLErrors: [String] = []) {
        self.detail = detail
        self.openSSLErrors = openSSLErrors
    }

    public var description: String {
        openSSLErrors.isEmpty ? "test certificate authority: \(detail)"
            : "test certificate authority: \(detail) (OpenSSL: \(openSSLErrors.joined(separator: "; ")))"
    }

    /// An error naming the OpenSSL call that failed, with the drained error queue.
    static func openSSL(_ call: String) -> TestAuthorityError {
        TestAuthorityError("\(call) failed", openSSLErrors: OpenSSLErrorQueue.drain())
    }

    static func system(_ call: String, errno value: Int32) -> TestAuthorityError {
        TestAuthorityError("\(call) failed: \(String(cString: strerror(value)))")
    }
}

// MARK: - Building certificates with OpenSSL

/// The OpenSSL calls behind `TestCertificateAuthority`. Every C object is freed before returning.
private enum CertificateBuilder {
    enum Profile {
        case authority
        case server(dnsNames: [String], ipAddresses: [String])
    }

    static func subject(commonName: String?) -> [(field: String, value: String)] {
        // The organization keeps the subject non-empty when a server certificate has no common name.
        [("O", "WinsockSSL Testing")] + (commonName.map { [("CN", $0)] } ?? [])
    }

    /// Maps to `EVP_EC_gen`/`EVP_RSA_gen`, `i2d_PKCS8PrivateKey_bio` and `PEM_write_bio_PKCS8PrivateKey`.
    static func generateKey(_ type: TestKeyType) throws(TestAuthorityError) -> TestPrivateKey {
        OpenSSLErrorQueue.clear()
        let generated = switch type {
        case .p256: shim_EVP_EC_gen("P-256")
        case .rsa2048: shim_EVP_RSA_gen(2048)
        }
        guard let key = generated else { throw .openSSL(type == .p256 ? "EVP_EC_gen(P-256)" : "EVP_RSA_gen(2048)") }
        defer { EVP_PKEY_free(key) }
        let der = try memoryBIOContents("i2d_PKCS8PrivateKey_bio") { i2d_PKCS8PrivateKey_bio($0, key, nil, nil, 0, nil, nil) }
        let pem = try memoryBIOContents("PEM_write_bio_PKCS8PrivateKey") { PEM_write_bio_PKCS8PrivateKey($0, key, nil, nil, 0, nil, nil) }
        return TestPrivateKey(derEncoded: der, pemEncoded: String(decoding: pem, as: UTF8.self), type: type)
    }

    /// Builds and signs a certificate for `key`; `issuer` nil means self-signed.
    static func build(subject: [(field: String, value: String)], key: TestPrivateKey,
                      issuer: (certificate: Certificate, key: TestPrivateKey)?,
                      validity: TestValidity, profile: Profile) throws(TestAuthorityError) -> Certificate {
        OpenSSLErrorQueue.clear()
        guard let x509 = X509_new() else { throw .openSSL("X509_new") }
        defer { X509_free(x509) }
        let subjectKey = try parseKey(key)
        defer { EVP_PKEY_free(subjectKey) }
        let signingKey = try issuer.map { (issuer) throws(TestAuthorityError) in try parseKey(issuer.key) } ?? subjectKey
        defer { if signingKey != subjectKey { EVP_PKEY_free(signingKey) } }
        let issuerX509 = try issuer.map { (issuer) throws(TestAuthorityError) in try parseCertificate(issuer.certificate) }
        defer { if let issuerX509 { X509_free(issuerX509) } }

        guard X509_set_version(x509, Int(X509_VERSION_3)) == 1 else { throw .openSSL("X509_set_version") }
        try setRandomSerialNumber(x509)
        try setSubject(x509, subject)
        let issuerName = issuerX509.map { X509_get_subject_name($0) } ?? X509_get_subject_name(x509)
        guard X509_set_issuer_name(x509, issuerName) == 1 else { throw .openSSL("X509_set_issuer_name") }
        guard X509_gmtime_adj(X509_getm_notBefore(x509), Int(validity.notBeforeSecondsFromNow)) != nil,
              X509_gmtime_adj(X509_getm_notAfter(x509), Int(validity.notAfterSecondsFromNow)) != nil else {
            throw .openSSL("X509_gmtime_adj")
        }
        guard X509_set_pubkey(x509, subjectKey) == 1 else { throw .openSSL("X509_set_pubkey") }

        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuerX509 ?? x509, x509, nil, nil, 0)
        switch profile {
        case .authority:
            try addExtension(x509, &context, NID_basic_constraints, "critical,CA:TRUE")
            try addExtension(x509, &context, NID_key_usage, "critical,keyCertSign,cRLSign")
        case .server(let dnsNames, let ipAddresses):
            try addExtension(x509, &context, NID_basic_constraints, "critical,CA:FALSE")
            // RSA key exchange (TLS_RSA_* suites, which old CE servers still pick) needs keyEncipherment.
            try addExtension(x509, &context, NID_key_usage,
                             key.type == .rsa2048 ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature")
            try addExtension(x509, &context, NID_ext_key_usage, "serverAuth")
            if !dnsNames.isEmpty || !ipAddresses.isEmpty {
                try addSubjectAlternativeNames(x509, dnsNames: dnsNames, ipAddresses: ipAddresses)
            }
        }
        try addExtension(x509, &context, NID_subject_key_identifier, "hash")
        // A self-signed certificate needs no authority key identifier (RFC 5280 section 4.2.1.1).
        if issuerX509 != nil { try addExtension(x509, &context, NID_authority_key_identifier, "keyid:always") }

        guard X509_sign(x509, signingKey, EVP_sha256()) > 0 else { throw .openSSL("X509_sign") }
        let der = try memoryBIOContents("i2d_X509_bio") { i2d_X509_bio($0, x509) }
        do {
            return try Certificate(derEncoded: der)
        } catch {
            throw TestAuthorityError("the certificate just built does not parse: \(error.detail)", openSSLErrors: error.openSSLErrors)
        }
    }

    /// Maps to `RAND_bytes`, `BN_bin2bn`, `BN_to_ASN1_INTEGER` and `X509_set_serialNumber`.
    private static func setRandomSerialNumber(_ x509: OpaquePointer) throws(TestAuthorityError) {
        var bytes = [UInt8](repeating: 0, count: 16)
        guard RAND_bytes(&bytes, Int32(bytes.count)) == 1 else { throw .openSSL("RAND_bytes") }
        // Serial numbers are positive INTEGERs; a set second-highest bit keeps all 16 bytes significant.
        bytes[0] = bytes[0] & 0x7F | 0x40
        guard let number = BN_bin2bn(bytes, Int32(bytes.count), nil) else { throw .openSSL("BN_bin2bn") }
        defer { BN_free(number) }
        guard let serial = BN_to_ASN1_INTEGER(number, nil) else { throw .openSSL("BN_to_ASN1_INTEGER") }
        defer { ASN1_INTEGER_free(serial) }
        guard X509_set_serialNumber(x509, serial) == 1 else { throw .openSSL("X509_set_serialNumber") }
    }

    /// Maps to `X509_NAME_add_entry_by_txt` and `X509_set_subject_name`.
    private static func setSubject(_ x509: OpaquePointer, _ entries: [(field: String, value: String)]) throws(TestAuthorityError) {
        guard let name = X509_NAME_new() else { throw .openSSL("X509_NAME_new") }
        defer { X509_NAME_free(name) }
        for entry in entries {
            let value = Array(entry.value.utf8)
            guard X509_NAME_add_entry_by_txt(name, entry.field, MBSTRING_UTF8, value, Int32(value.count), -1, 0) == 1 else {
                throw .openSSL("X509_NAME_add_entry_by_txt(\(entry.field)=\(entry.value))")
            }
        }
        guard X509_set_subject_name(x509, name) == 1 else { throw .openSSL("X509_set_subject_name") }
    }

    /// Maps to `X509V3_EXT_nconf_nid` and `X509_add_ext`. `value` is always a constant of this file,
    /// so no caller text is ever parsed as OpenSSL configuration.
    private static func addExtension(_ x509: OpaquePointer, _ context: inout X509V3_CTX, _ nid: Int32,
                                     _ value: String) throws(TestAuthorityError) {
        guard let extensionValue = X509V3_EXT_nconf_nid(nil, &context, nid, value) else {
            throw .openSSL("X509V3_EXT_nconf_nid(\(String(cString: OBJ_nid2sn(nid))), \(value))")
        }
        defer { X509_EXTENSION_free(extensionValue) }
        guard X509_add_ext(x509, extensionValue, -1) == 1 else { throw .openSSL("X509_add_ext") }
    }

    /// Builds the subjectAltName from `GENERAL_NAME`s, so a name containing commas cannot smuggle in
    /// extra entries the way it could through a configuration string.
    ///
    /// Maps to `GENERAL_NAME_set0_value`, `a2i_IPADDRESS` and `X509_add1_ext_i2d`.
    private static func addSubjectAlternativeNames(_ x509: OpaquePointer, dnsNames: [String],
                                                   ipAddresses: [String]) throws(TestAuthorityError) {
        guard let names = shim_sk_GENERAL_NAME_new_null() else { throw .openSSL("sk_GENERAL_NAME_new_null") }
        defer { shim_GENERAL_NAMES_free(UnsafeMutableRawPointer(names)) }
        func append(_ type: Int32, _ value: UnsafeMutablePointer<ASN1_STRING>?, _ what: String) throws(TestAuthorityError) {
            guard let value else { throw .openSSL(what) }
            guard let name = GENERAL_NAME_new() else { ASN1_STRING_free(value); throw .openSSL("GENERAL_NAME_new") }
            GENERAL_NAME_set0_value(name, type, UnsafeMutableRawPointer(value))
            guard shim_sk_GENERAL_NAME_push(names, name) > 0 else { GENERAL_NAME_free(name); throw .openSSL("sk_GENERAL_NAME_push") }
        }
        for dnsName in dnsNames {
            guard !dnsName.isEmpty, !dnsName.utf8.contains(0) else {
                throw TestAuthorityError("DNS name \(String(reflecting: dnsName)) is empty or contains NUL")
            }
            let string = ASN1_IA5STRING_new()
            if let string, ASN1_STRING_set(string, dnsName, Int32(dnsName.utf8.count)) != 1 {
                ASN1_STRING_free(string)
                throw .openSSL("ASN1_STRING_set")
            }
            try append(GEN_DNS, string, "ASN1_IA5STRING_new")
        }
        for address in ipAddresses {
            guard let octets = a2i_IPADDRESS(address) else {
                OpenSSLErrorQueue.clear()
                throw TestAuthorityError("\(String(reflecting: address)) is not an IPv4 or IPv6 address")
            }
            try append(GEN_IPADD, octets, "a2i_IPADDRESS")
        }
        guard X509_add1_ext_i2d(x509, NID_subject_alt_name, UnsafeMutableRawPointer(names), 0, UInt(X509V3_ADD_DEFAULT)) == 1 else {
            throw .openSSL("X509_add1_ext_i2d(subjectAltName)")
        }
    }

    /// Maps to `d2i_AutoPrivateKey`. The caller frees the result with `EVP_PKEY_free`.
    private static func parseKey(_ key: TestPrivateKey) throws(TestAuthorityError) -> OpaquePointer {
        let parsed = key.derEncoded.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_AutoPrivateKey(nil, &cursor, buffer.count)
        }
        guard let parsed else { throw .openSSL("d2i_AutoPrivateKey") }
        return parsed
    }

    /// Maps to `d2i_X509`. The caller frees the result with `X509_free`.
    private static func parseCertificate(_ certificate: Certificate) throws(TestAuthorityError) -> OpaquePointer {
        let parsed = certificate.derEncoded.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_X509(nil, &cursor, buffer.count)
        }
        guard let parsed else { throw .openSSL("d2i_X509") }
        return parsed
    }

    /// Runs `write` against a fresh memory `BIO` and returns what it wrote.
    ///
    /// Maps to `BIO_new(BIO_s_mem())` and `BIO_get_mem_data`.
    private static func memoryBIOContents(_ call: String, _ write: (OpaquePointer) -> Int32) throws(TestAuthorityError) -> [UInt8] {
        guard let bio = BIO_new(BIO_s_mem()) else { throw .openSSL("BIO_new") }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { throw .openSSL(call) }
        var data: UnsafeMutablePointer<CChar>? = nil
        let length = shim_BIO_get_mem_data(bio, &data)
        guard length > 0, let data else { throw .openSSL(call) }
        return Array(UnsafeRawBufferPointer(start: data, count: length))
    }
}

extension TLSServerConfiguration {
    /// A server configuration that presents `issued` (its chain and key).
    public init(serving issued: IssuedCertificate, minimumVersion: TLSServerVersion = .tls1_2, maximumVersion: TLSServerVersion = .tls1_3) {
        self.init(certificateChainPEM: issued.certificateChainPEM, privateKeyPEM: issued.privateKey.pemEncoded,
                  minimumVersion: minimumVersion, maximumVersion: maximumVersion)
    }
}
