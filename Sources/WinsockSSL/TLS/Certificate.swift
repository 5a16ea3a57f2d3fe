internal import COpenSSL
#if canImport(Glibc)
internal import Glibc
#endif

/// One X.509 certificate, held as its DER encoding, with the fields a TLS client looks at parsed once.
///
/// Two certificates are equal when their DER encodings are equal; every other property is derived
/// from `derEncoded`.
public struct Certificate: Hashable, Sendable, CustomStringConvertible {
    /// The certificate exactly as it was encoded (ASN.1 DER).
    public let derEncoded: [UInt8]
    /// Who the certificate was issued to.
    public let subject: DistinguishedName
    /// Who signed the certificate.
    public let issuer: DistinguishedName
    /// The start of the validity period, in seconds since 1970-01-01 00:00:00 UTC (negative before 1970).
    public let notValidBefore: Int64
    /// The end of the validity period, in seconds since 1970-01-01 00:00:00 UTC.
    public let notValidAfter: Int64
    /// The serial number as a big-endian magnitude, without a sign byte.
    public let serialNumber: [UInt8]
    /// The entries of the subjectAltName extension in certificate order; empty when there is none.
    public let subjectAlternativeNames: [SubjectAlternativeName]
    private let subjectEqualsIssuer: Bool
    /// OpenSSL's parsed form, kept for host-name checks: parsing DER costs about 1.5 M instructions in
    /// OpenSSL 3 (mostly decoding the public key), as much as the rest of a client handshake's own work.
    private let parsed: ParsedX509

    /// Parses one DER-encoded certificate. Bytes after the certificate are an error, not ignored.
    ///
    /// A certificate a handshake of this process has just presented is not parsed again: the bytes are
    /// compared with the last few presented certificates, so a certificate hook that builds a certificate
    /// from the DER it was handed (as `X509Certificate2(byte[])` does) reuses OpenSSL's parse.
    ///
    /// Maps to `d2i_X509`.
    public init(derEncoded: [UInt8]) throws(CertificateError) {
        guard !derEncoded.isEmpty else { throw CertificateError("no certificate: the DER input is empty") }
        if let recent = RecentlyPresented.find(derEncoded) {
            self = recent
            return
        }
        let x509 = try Self.parse(derEncoded)
        let parsed = ParsedX509(x509)
        self.init(derEncoded: derEncoded, fields: try Fields(x509), parsed: parsed)
    }

    private init(derEncoded: [UInt8], fields: Fields, parsed: ParsedX509) {
        self.parsed = parsed
        self.derEncoded = derEncoded
        self.subject = fields.subject
        self.issuer = fields.issuer
        self.notValidBefore = fields.notValidBefore
        self.notValidAfter = fields.notValidAfter
        self.serialNumber = fields.serialNumber
        self.subjectAlternativeNames = fields.subjectAlternativeNames
        self.subjectEqualsIssuer = fields.subjectEqualsIssuer
    }

    /// Parses the first `CERTIFICATE` block of a PEM text; text around it and later blocks are ignored.
    public init(pemEncoded: String) throws(CertificateError) {
        guard let first = try PEM.blocks(labelled: "CERTIFICATE", in: pemEncoded, stopAfterFirst: true).first else {
            throw CertificateError("no \"-----BEGIN CERTIFICATE-----\" block in the PEM text")
        }
        try self.init(derEncoded: first)
    }

    /// Parses every `CERTIFICATE` block of a PEM text, in order (a chain file, a CA bundle).
    /// Throws when there is none, or when any block is not a valid certificate.
    public static func certificates(pemEncoded: String) throws(CertificateError) -> [Certificate] {
        let blocks = try PEM.blocks(labelled: "CERTIFICATE", in: pemEncoded, stopAfterFirst: false)
        guard !blocks.isEmpty else { throw CertificateError("no \"-----BEGIN CERTIFICATE-----\" block in the PEM text") }
        var result: [Certificate] = []
        for (index, block) in blocks.enumerated() {
            do {
                result.append(try Certificate(derEncoded: block))
            } catch {
                var numbered = error
                numbered.detail = "PEM certificate block \(index + 1): \(error.detail)"
                throw numbered
            }
        }
        return result
    }

    /// Copies a certificate that OpenSSL holds (for example the peer's, from `SSL_get0_peer_certificate`).
    /// The caller keeps its reference; this value takes one of its own. The certificate is remembered as
    /// recently presented (see `init(derEncoded:)`).
    ///
    /// Maps to `i2d_X509` and `X509_up_ref`.
    init(borrowing x509: OpaquePointer) throws(CertificateError) {
        OpenSSLErrorQueue.clear()
        let length = i2d_X509(x509, nil)
        guard length > 0 else { throw CertificateError.drainingOpenSSLErrorQueue("i2d_X509 could not encode the certificate") }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_X509(x509, &cursor)
        }
        guard written == length else { throw CertificateError.drainingOpenSSLErrorQueue("i2d_X509 wrote \(written) of \(length) bytes") }
        // The fields come from the X509 OpenSSL already parsed, not from parsing the DER again.
        let fields = try Fields(x509)
        X509_up_ref(x509)
        self.init(derEncoded: der, fields: fields, parsed: ParsedX509(x509))
        RecentlyPresented.remember(self)
    }

    /// The certificate as a PEM block (`-----BEGIN CERTIFICATE-----`, 64-character lines, final newline).
    public var pemEncoded: String { PEM.encode(derEncoded, label: "CERTIFICATE") }

    /// The SHA-1 digest of `derEncoded`, the "thumbprint" Windows shows.
    ///
    /// Maps to `EVP_Digest` with `EVP_sha1`.
    public var sha1Fingerprint: [UInt8] { Self.digest(derEncoded, EVP_sha1()) }

    /// The SHA-256 digest of `derEncoded`.
    ///
    /// Maps to `EVP_Digest` with `EVP_sha256`.
    public var sha256Fingerprint: [UInt8] { Self.digest(derEncoded, EVP_sha256()) }

    /// Whether subject and issuer are the same name (RFC 5280 "self-issued"; a root is self-issued).
    /// The signature is not checked.
    ///
    /// Maps to `X509_NAME_cmp`.
    public var isSelfIssued: Bool { subjectEqualsIssuer }

    /// Whether this certificate names `hostName`, by the rules of RFC 6125 as OpenSSL implements them.
    ///
    /// DNS names in the subjectAltName extension are compared without regard to case; the subject's
    /// common name is consulted only when there is no DNS name at all. A wildcard stands for exactly one
    /// whole left-most label: `*.example.com` matches `a.example.com` but not `example.com` or
    /// `a.b.example.com`, and a partial wildcard such as `f*o.example.com` matches nothing. One trailing
    /// dot on `hostName` is ignored. An IPv4 or IPv6 literal matches only an iPAddress entry with the same bytes. An empty
    /// name, and a name that contains NUL or `*` or starts with a dot, match nothing.
    ///
    /// Maps to `X509_check_host` with `X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS`, and `X509_check_ip` for literals.
    public func matches(hostName: String) -> Bool { Self.matches(parsed.x509, hostName: hostName) }

    /// `matches(hostName:)` for an `X509` OpenSSL holds (the handshake's verifier checks the leaf in place).
    static func matches(_ x509: OpaquePointer, hostName: String) -> Bool {
        guard !hostName.isEmpty, !hostName.utf8.contains(0) else { return false }
        if let address = InternetAddress(parsing: hostName) {
            OpenSSLErrorQueue.clear()
            return address.bytes.withUnsafeBufferPointer { X509_check_ip(x509, $0.baseAddress, $0.count, 0) } == 1
        }
        var name = Substring(hostName)
        if name.hasSuffix(".") { name = name.dropLast() }
        // OpenSSL reads a leading dot as "any subdomain of", and compares a partial wildcard such as
        // `f*o` literally; neither is a host name a client could be connecting to.
        guard !name.isEmpty, !name.hasPrefix("."), !name.utf8.contains(UInt8(ascii: "*")) else { return false }
        let bytes = Array(name.utf8)
        OpenSSLErrorQueue.clear()
        let result = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                X509_check_host(x509, $0.baseAddress, $0.count, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS), nil)
            }
        }
        return result == 1
    }

    /// The subject, issuer and validity period, for logs and test failures.
    public var description: String {
        "\(subject) (issued by \(issuer), valid \(UTCDate.format(notValidBefore)) to \(UTCDate.format(notValidAfter)))"
    }

    public static func == (lhs: Certificate, rhs: Certificate) -> Bool { lhs.derEncoded == rhs.derEncoded }
    /// Hashes the DER bytes as one block (an `[UInt8]`'s own `hash(into:)` feeds the hasher a byte at a time).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(derEncoded.count)
        derEncoded.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}

/// One entry of a certificate's subjectAltName extension.
public enum SubjectAlternativeName: Hashable, Sendable, CustomStringConvertible {
    /// A dNSName, possibly a wildcard such as `*.example.com`.
    case dnsName(String)
    /// An iPAddress.
    case ipAddress(InternetAddress)
    /// Any other kind of name, as OpenSSL prints it (for example `email:someone@example.com`).
    case other(String)

    public var description: String {
        switch self {
        case .dnsName(let name): "DNS:\(name)"
        case .ipAddress(let address): "IP Address:\(address)"
        case .other(let text): text
        }
    }
}

/// An X.500 distinguished name (the subject or issuer of a certificate).
public struct DistinguishedName: Hashable, Sendable, CustomStringConvertible {
    /// One attribute of a name, such as `CN=www.example.com`.
    public struct Attribute: Hashable, Sendable, CustomStringConvertible {
        /// OpenSSL's short name for the attribute type (`CN`, `O`, `OU`, `C`, `L`, `ST`, `emailAddress`, …),
        /// or the dotted object identifier when OpenSSL has no name for it.
        public let type: String
        /// The value, converted to UTF-8 from whatever ASN.1 string type the certificate used.
        public let value: String
        /// The attribute type's object identifier in dotted form, such as `2.5.4.3`.
        public let objectIdentifier: String

        public var description: String { "\(type)=\(value)" }
    }

    /// The relative distinguished names in certificate order (least specific, usually `C`, first).
    /// Almost every RDN holds one attribute; a multi-valued RDN holds several.
    public let relativeDistinguishedNames: [[Attribute]]

    /// All attributes in certificate order.
    public var attributes: [Attribute] { relativeDistinguishedNames.flatMap { $0 } }

    /// The most specific (last) common name, or nil when the name has none.
    public var commonName: String? { attributes.last { $0.objectIdentifier == "2.5.4.3" }?.value }

    /// The name as .NET's `X509Certificate.Subject` shows it: most specific RDN first, joined by ", ",
    /// attributes of a multi-valued RDN joined by " + ", Windows attribute names (`S` for a state, `E` for
    /// an e-mail address, `OID.1.2.3` for types Windows does not name), and values quoted the way
    /// CryptoAPI's `CertNameToStr` quotes them.
    public var description: String { formatted(relativeDistinguishedNames.reversed()) }

    /// The same text in certificate order (least specific first: `C=US, O=…, CN=…`), as .NET's obsolete
    /// `X509Certificate.GetName()` and `GetIssuerName()` show it.
    public var certificateOrderDescription: String { formatted(relativeDistinguishedNames) }

    private func formatted(_ rdns: some Sequence<[Attribute]>) -> String {
        rdns.map { rdn in
            rdn.map { "\(Self.windowsName(of: $0))=\(Self.quotedLikeWindows($0.value))" }.joined(separator: " + ")
        }.joined(separator: ", ")
    }

    init(relativeDistinguishedNames: [[Attribute]]) {
        self.relativeDistinguishedNames = relativeDistinguishedNames
    }

    // The X.500 key names CryptoAPI prints, by OID; others appear as OID.<dotted>.
    private static let windowsNames: [String: String] = [
        "2.5.4.3": "CN", "2.5.4.4": "SN", "2.5.4.5": "SERIALNUMBER", "2.5.4.6": "C", "2.5.4.7": "L",
        "2.5.4.8": "S", "2.5.4.9": "STREET", "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.12": "T",
        "2.5.4.42": "G", "2.5.4.43": "I", "2.5.4.17": "PostalCode", "2.5.4.13": "Description",
        "1.2.840.113549.1.9.1": "E", "0.9.2342.19200300.100.1.25": "DC",
    ]

    package static func windowsName(of attribute: Attribute) -> String {
        windowsNames[attribute.objectIdentifier] ?? "OID.\(attribute.objectIdentifier)"
    }

    package static func quotedLikeWindows(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, let last = value.unicodeScalars.last else { return value }
        // Scalars, not Characters: "\r\n" is one Character, yet its "\n" must trigger quoting as in Windows.
        let special: Set<Unicode.Scalar> = [",", "+", "=", "\"", "\n", "<", ">", "#", ";"]
        let needsQuotes = first.properties.isWhitespace || last.properties.isWhitespace
            || value.unicodeScalars.contains(where: special.contains)
        guard needsQuotes else { return value }
        var quoted = "\""
        for scalar in value.unicodeScalars {
            quoted.unicodeScalars.append(scalar)
            if scalar == "\"" { quoted.unicodeScalars.append(scalar) }
        }
        return quoted + "\""
    }
}

/// A certificate could not be parsed or encoded.
public struct CertificateError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong, in words.
    public var detail: String
    /// OpenSSL's error queue at the time of the failure, oldest first; often empty.
    public var openSSLErrors: [String]

    public init(_ detail: String, openSSLErrors: [String] = []) {
        self.detail = detail
        self.openSSLErrors = openSSLErrors
    }

    public var description: String {
        openSSLErrors.isEmpty ? "certificate error: \(detail)"
            : "certificate error: \(detail) (OpenSSL: \(openSSLErrors.joined(separator: "; ")))"
    }

    /// An error with `detail` and whatever OpenSSL queued for the call that just failed.
    package static func drainingOpenSSLErrorQueue(_ detail: String) -> CertificateError {
        CertificateError(detail, openSSLErrors: OpenSSLErrorQueue.drain())
    }
}

// MARK: - Reading fields with OpenSSL

extension Certificate {
    /// Parses exactly one DER certificate; the caller frees the result with `X509_free`.
    ///
    /// Maps to `d2i_X509`.
    private static func parse(_ der: [UInt8]) throws(CertificateError) -> OpaquePointer {
        OpenSSLErrorQueue.clear()
        var consumed = 0
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            let x509 = d2i_X509(nil, &cursor, buffer.count)
            if let cursor, let base = buffer.baseAddress { consumed = cursor - base }
            return x509
        }
        guard let x509 = parsed else {
            throw CertificateError.drainingOpenSSLErrorQueue("the \(der.count) bytes are not a DER-encoded X.509 certificate")
        }
        guard consumed == der.count else {
            X509_free(x509)
            let extra = der.count - consumed
            throw CertificateError("\(extra) unexpected byte\(extra == 1 ? "" : "s") after the \(consumed)-byte DER certificate")
        }
        return x509
    }

    /// An `X509` this package owns one reference to, freed with the last `Certificate` that holds it.
    ///
    /// Sendable because the certificate is never modified after parsing, and OpenSSL allows concurrent
    /// reads of an `X509` (it caches extensions under its own lock).
    private final class ParsedX509: @unchecked Sendable {
        let x509: OpaquePointer
        init(_ x509: OpaquePointer) { self.x509 = x509 }
        deinit { X509_free(x509) }
    }

    /// The last few certificates handshakes presented, so that a hook parsing the DER it was given finds
    /// OpenSSL's parse instead of repeating it. Matched by comparing the whole DER encoding.
    private enum RecentlyPresented {
        private static let capacity = 8
        private static let entries = Locked<[Certificate]>([])

        static func remember(_ certificate: Certificate) {
            entries.withLock { entries in
                if entries.contains(where: { $0.derEncoded == certificate.derEncoded }) { return }
                if entries.count == capacity { entries.removeFirst() }
                entries.append(certificate)
            }
        }

        static func find(_ der: [UInt8]) -> Certificate? {
            entries.withLock { entries in entries.last { $0.derEncoded == der } }
        }
    }

    private static func digest(_ bytes: [UInt8], _ algorithm: OpaquePointer?) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let status = bytes.withUnsafeBytes { EVP_Digest($0.baseAddress, $0.count, &output, &length, algorithm, nil) }
        // Hashing a buffer in memory fails only when OpenSSL cannot allocate its context.
        precondition(status == 1, "EVP_Digest failed: \(OpenSSLErrorQueue.drain())")
        return Array(output.prefix(Int(length)))
    }

    /// The parsed fields, gathered while the `X509` is alive.
    private struct Fields {
        var subject: DistinguishedName
        var issuer: DistinguishedName
        var notValidBefore: Int64
        var notValidAfter: Int64
        var serialNumber: [UInt8]
        var subjectAlternativeNames: [SubjectAlternativeName]
        var subjectEqualsIssuer: Bool

        init(_ x509: OpaquePointer) throws(CertificateError) {
            guard let subjectName = X509_get_subject_name(x509), let issuerName = X509_get_issuer_name(x509) else {
                throw CertificateError.drainingOpenSSLErrorQueue("the certificate has no subject or issuer name")
            }
            subject = try Self.distinguishedName(subjectName)
            issuer = try Self.distinguishedName(issuerName)
            subjectEqualsIssuer = X509_NAME_cmp(subjectName, issuerName) == 0
            notValidBefore = try Self.secondsSince1970(X509_get0_notBefore(x509), "notBefore")
            notValidAfter = try Self.secondsSince1970(X509_get0_notAfter(x509), "notAfter")
            serialNumber = Self.bytes(of: X509_get0_serialNumber(x509))
            subjectAlternativeNames = try Self.subjectAlternativeNames(x509)
        }

        /// Maps to `X509_NAME_get_entry`, `OBJ_obj2txt` and `ASN1_STRING_to_UTF8`.
        private static func distinguishedName(_ name: OpaquePointer) throws(CertificateError) -> DistinguishedName {
            var rdns: [[DistinguishedName.Attribute]] = []
            var currentSet: Int32 = -1
            for index in 0..<X509_NAME_entry_count(name) {
                guard let entry = X509_NAME_get_entry(name, index),
                      let object = X509_NAME_ENTRY_get_object(entry),
                      let data = X509_NAME_ENTRY_get_data(entry) else {
                    throw CertificateError.drainingOpenSSLErrorQueue("name entry \(index) cannot be read")
                }
                let oid = objectIdentifier(object)
                let nid = OBJ_obj2nid(object)
                let type = nid == NID_undef ? oid : OBJ_nid2sn(nid).map { String(cString: $0) } ?? oid
                let attribute = DistinguishedName.Attribute(type: type, value: utf8Text(data), objectIdentifier: oid)
                let set = X509_NAME_ENTRY_set(entry)
                if set == currentSet, !rdns.isEmpty {
                    rdns[rdns.count - 1].append(attribute)
                } else {
                    rdns.append([attribute])
                    currentSet = set
                }
            }
            return DistinguishedName(relativeDistinguishedNames: rdns)
        }

        /// The dotted text of the identifiers OpenSSL knows, by NID: `OBJ_obj2txt` spells out the arcs each
        /// time (about 7 K instructions for `2.5.4.3`), and every handshake's certificate names the same few.
        private static let knownIdentifiers = Locked<[Int32: String]>([:])

        private static func objectIdentifier(_ object: OpaquePointer) -> String {
            let nid = OBJ_obj2nid(object)
            if nid != NID_undef, let known = knownIdentifiers.withLock({ $0[nid] }) { return known }
            let text = spelledOut(object)
            if nid != NID_undef { knownIdentifiers.withLock { $0[nid] = text } }
            return text
        }

        private static func spelledOut(_ object: OpaquePointer) -> String {
            var buffer = [CChar](repeating: 0, count: 128)
            let length = OBJ_obj2txt(&buffer, Int32(buffer.count), object, 1)
            guard length > 0 else { return "?" }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }

        private static func utf8Text(_ string: UnsafePointer<ASN1_STRING>) -> String {
            var converted: UnsafeMutablePointer<UInt8>? = nil
            let length = ASN1_STRING_to_UTF8(&converted, string)
            if length >= 0, let converted {
                defer { shim_OPENSSL_free(converted) }
                return String(decoding: UnsafeBufferPointer(start: converted, count: Int(length)), as: UTF8.self)
            }
            // A malformed BMPString or UniversalString should not make the whole certificate unreadable.
            OpenSSLErrorQueue.clear()
            return String(decoding: bytes(of: string), as: UTF8.self)
        }

        private static func bytes(of string: UnsafePointer<ASN1_STRING>?) -> [UInt8] {
            guard let string, let data = ASN1_STRING_get0_data(string) else { return [] }
            return Array(UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(string))))
        }

        /// Maps to `ASN1_TIME_to_tm`, which reads both UTCTime (1950–2049) and GeneralizedTime.
        private static func secondsSince1970(_ time: UnsafePointer<ASN1_TIME>?, _ field: String) throws(CertificateError) -> Int64 {
            var parts = tm()
            guard let time, ASN1_TIME_to_tm(time, &parts) == 1 else {
                throw CertificateError.drainingOpenSSLErrorQueue("the \(field) time is missing or malformed")
            }
            let days = CivilCalendar.daysSince1970(year: Int64(parts.tm_year) + 1900, month: Int64(parts.tm_mon) + 1, day: Int64(parts.tm_mday))
            return days * 86_400 + Int64(parts.tm_hour) * 3600 + Int64(parts.tm_min) * 60 + Int64(parts.tm_sec)
        }

        /// Maps to `X509_get_ext_d2i` for `NID_subject_alt_name` and `GENERAL_NAME_get0_value`.
        private static func subjectAlternativeNames(_ x509: OpaquePointer) throws(CertificateError) -> [SubjectAlternativeName] {
            var critical: Int32 = 0
            guard let names = X509_get_ext_d2i(x509, NID_subject_alt_name, &critical, nil) else {
                // -1 means the extension is absent; anything else means it is there but unreadable.
                if critical == -1 { return [] }
                throw CertificateError.drainingOpenSSLErrorQueue(
                    critical == -2 ? "the certificate has more than one subjectAltName extension" : "the subjectAltName extension is malformed")
            }
            defer { shim_GENERAL_NAMES_free(names) }
            let stack = OpaquePointer(names)
            var result: [SubjectAlternativeName] = []
            for index in 0..<shim_sk_GENERAL_NAME_num(stack) {
                guard let name = shim_sk_GENERAL_NAME_value(stack, index) else { continue }
                var type: Int32 = 0
                let value = GENERAL_NAME_get0_value(name, &type)
                let content = bytes(of: value?.assumingMemoryBound(to: ASN1_STRING.self))
                switch type {
                case GEN_DNS:
                    result.append(.dnsName(String(decoding: content, as: UTF8.self)))
                case GEN_IPADD:
                    if let address = InternetAddress(bytes: content) {
                        result.append(.ipAddress(address))
                    } else {
                        result.append(.other("IP Address:<\(content.count) bytes>"))
                    }
                default:
                    result.append(.other(printed(name)))
                }
            }
            return result
        }

        /// Maps to `GENERAL_NAME_print` into a memory `BIO`.
        private static func printed(_ name: UnsafeMutablePointer<GENERAL_NAME>) -> String {
            guard let bio = BIO_new(BIO_s_mem()) else { return "<unprintable name>" }
            defer { BIO_free(bio) }
            guard GENERAL_NAME_print(bio, name) == 1 else {
                OpenSSLErrorQueue.clear()
                return "<unprintable name>"
            }
            var data: UnsafeMutablePointer<CChar>? = nil
            let length = shim_BIO_get_mem_data(bio, &data)
            guard length > 0, let data else { return "" }
            return String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
        }
    }
}

// MARK: - Dates

extension Certificate {
    /// Dates in UTC, valid far beyond 1901–2038 (``CivilCalendar``).
    enum UTCDate {
        /// ISO 8601 in UTC, such as `2026-11-29T12:00:00Z`.
        static func format(_ secondsSince1970: Int64) -> String {
            let (days, seconds) = floorDivide(secondsSince1970, 86_400)
            let (year, month, day) = CivilCalendar.date(daysSince1970: days)
            func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
            let yearText = year >= 0 && year < 1000 ? String(repeating: "0", count: 4 - "\(year)".count) + "\(year)" : "\(year)"
            return "\(yearText)-\(two(month))-\(two(day))T\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))Z"
        }

        private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
            let remainder = value % divisor
            return remainder < 0 ? (value / divisor - 1, remainder + divisor) : (value / divisor, remainder)
        }
    }
}

// MARK: - PEM

extension Certificate {
    /// RFC 7468 text encoding: base64 between `-----BEGIN label-----` and `-----END label-----` lines.
    enum PEM {
        static func encode(_ der: [UInt8], label: String) -> String {
            let text = Base64.encode(der)
            var lines: [Substring] = []
            var start = text.startIndex
            while start < text.endIndex {
                let end = text.index(start, offsetBy: 64, limitedBy: text.endIndex) ?? text.endIndex
                lines.append(text[start..<end])
                start = end
            }
            return "-----BEGIN \(label)-----\n" + lines.joined(separator: "\n") + "\n-----END \(label)-----\n"
        }

        /// The decoded contents of the blocks with `label`, in order; blocks with other labels are skipped.
        static func blocks(labelled label: String, in text: String, stopAfterFirst: Bool) throws(CertificateError) -> [[UInt8]] {
            let begin = Array("-----BEGIN \(label)-----".utf8)
            let end = Array("-----END \(label)-----".utf8)
            let bytes = Array(text.utf8)
            var result: [[UInt8]] = []
            var position = 0
            while let start = firstIndex(of: begin, in: bytes, from: position) {
                let bodyStart = start + begin.count
                guard let bodyEnd = firstIndex(of: end, in: bytes, from: bodyStart) else {
                    throw CertificateError("a \"-----BEGIN \(label)-----\" line has no matching \"-----END \(label)-----\" line")
                }
                guard let decoded = Base64.decode(bytes[bodyStart..<bodyEnd]) else {
                    throw CertificateError("the base64 text of PEM block \(result.count + 1) is malformed")
                }
                result.append(decoded)
                if stopAfterFirst { break }
                position = bodyEnd + end.count
            }
            return result
        }

        private static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
            guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
            for index in start...(haystack.count - needle.count) where haystack[index] == needle[0] {
                if haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            }
            return nil
        }
    }

    /// The standard base64 alphabet with `=` padding (RFC 4648 section 4).
    enum Base64 {
        private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

        static func encode(_ bytes: [UInt8]) -> String {
            var output: [UInt8] = []
            output.reserveCapacity((bytes.count + 2) / 3 * 4)
            var index = 0
            while index < bytes.count {
                let count = min(3, bytes.count - index)
                var group = UInt32(bytes[index]) << 16
                if count > 1 { group |= UInt32(bytes[index + 1]) << 8 }
                if count > 2 { group |= UInt32(bytes[index + 2]) }
                for slot in 0..<4 {
                    output.append(slot <= count ? alphabet[Int(group >> (18 - 6 * UInt32(slot)) & 0x3F)] : UInt8(ascii: "="))
                }
                index += 3
            }
            return String(decoding: output, as: UTF8.self)
        }

        /// Decodes base64 text, skipping ASCII white space; nil for any other character, misplaced padding
        /// or a length that is not a multiple of four.
        static func decode(_ text: ArraySlice<UInt8>) -> [UInt8]? {
            var values: [UInt8] = []
            var padding = 0
            for character in text {
                switch character {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                    continue
                case UInt8(ascii: "="):
                    padding += 1
                    guard padding <= 2 else { return nil }
                default:
                    guard padding == 0, let value = sextet(character) else { return nil }
                    values.append(value)
                }
            }
            guard (values.count + padding) % 4 == 0, values.count % 4 != 1 else { return nil }
            var output: [UInt8] = []
            output.reserveCapacity(values.count * 3 / 4)
            var index = 0
            while index < values.count {
                let count = min(4, values.count - index)
                var group: UInt32 = 0
                for slot in 0..<4 { group = group << 6 | (slot < count ? UInt32(values[index + slot]) : 0) }
                output.append(UInt8(truncatingIfNeeded: group >> 16))
                if count > 2 { output.append(UInt8(truncatingIfNeeded: group >> 8)) }
                if count > 3 { output.append(UInt8(truncatingIfNeeded: group)) }
                index += 4
            }
            return output
        }

        private static func sextet(_ character: UInt8) -> UInt8? {
            switch character {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): character - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): character - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0") + 52
            case UInt8(ascii: "+"): 62
            case UInt8(ascii: "/"): 63
            default: nil
            }
        }
    }
}
