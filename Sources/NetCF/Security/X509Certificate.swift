import WinsockSSL

/// An X.509 certificate as the .NET Compact Framework's base class shows it: the members CE programs call
/// from their certificate hooks (`GetName`, `GetExpirationDateString`, `GetCertHashString`, …).
///
/// Formats are the .NET Framework's: `Subject`/`Issuer` most specific part first (`CN=…, O=…, C=US`), the
/// obsolete `GetName`/`GetIssuerName` in certificate order (`C=US, O=…, CN=…`), hashes and serial numbers
/// as upper-case hex without separators, dates in the current culture (en-US here).
///
/// The corresponding .NET type is `System.Security.Cryptography.X509Certificates.X509Certificate`.
open class X509Certificate: @unchecked Sendable, CustomStringConvertible {
    // Immutable (every stored property is a `let` of a Sendable type); unchecked only because the class is open.
    /// The parsed certificate.
    public let certificate: Certificate

    /// Parses DER (or PEM text in ASCII) bytes. Throws `CryptographicException` for anything else and
    /// `ArgumentException` for an empty array, as .NET does.
    ///
    /// The corresponding .NET member is `X509Certificate(byte[])`.
    public init(_ data: [UInt8]) throws {
        guard !data.isEmpty else { throw ArgumentException("Array may not be empty or null.", "rawData") }
        do {
            if data.starts(with: Array("-----BEGIN".utf8)) {
                certificate = try Certificate(pemEncoded: String(decoding: data, as: UTF8.self))
            } else {
                certificate = try Certificate(derEncoded: data)
            }
        } catch {
            throw CryptographicException("Cannot find the requested object: \(error.detail)")
        }
    }

    public init(_ certificate: Certificate) {
        self.certificate = certificate
    }

    /// The corresponding .NET member is `X509Certificate(X509Certificate)`.
    public convenience init(_ cert: X509Certificate) {
        self.init(cert.certificate)
    }

    // MARK: Names

    /// The subject, most specific part first: `CN=smtp.live.com, O=…, C=US`.
    ///
    /// The corresponding .NET member is `X509Certificate.Subject`.
    public var Subject: String { certificate.subject.description }

    /// The corresponding .NET member is `X509Certificate.Issuer`.
    public var Issuer: String { certificate.issuer.description }

    /// The subject in certificate order, `C=US, O=…, CN=smtp.live.com`, as the .NET Framework's obsolete
    /// `GetName` returns it. A host check written `GetName().Contains("CN=" + host)` is unsafe: see
    /// `X509Certificate2.MatchesHostName` and MIGRATION.md, section 4.
    ///
    /// The corresponding .NET member is `X509Certificate.GetName()`.
    public func GetName() -> String { certificate.subject.certificateOrderDescription }

    /// The issuer in certificate order. The corresponding .NET member is `X509Certificate.GetIssuerName()`.
    public func GetIssuerName() -> String { certificate.issuer.certificateOrderDescription }

    /// Whether the certificate is valid for `hostName` under RFC 6125 (subject alternative names first,
    /// a wildcard only as the whole left-most label, the common name only when there are no DNS names).
    /// Project addition: it replaces the substring test `GetName().Contains("CN=" + host)` of CE code,
    /// which accepted `CN=mail.example.com.evil.net` for `mail.example.com`.
    public func MatchesHostName(_ hostName: String) -> Bool { certificate.matches(hostName: hostName) }

    // MARK: Validity

    /// The end of the validity period as local time in the current culture ("12/29/2026 12:16:51 PM"),
    /// which `DateTime.Parse` reads back.
    ///
    /// The corresponding .NET member is `X509Certificate.GetExpirationDateString()`.
    public func GetExpirationDateString() -> String { DateTime(unixSeconds: certificate.notValidAfter).ToString() }

    /// The corresponding .NET member is `X509Certificate.GetEffectiveDateString()`.
    public func GetEffectiveDateString() -> String { DateTime(unixSeconds: certificate.notValidBefore).ToString() }

    // MARK: Encodings and hashes

    /// The DER encoding. The corresponding .NET member is `X509Certificate.GetRawCertData()`.
    public func GetRawCertData() -> [UInt8] { certificate.derEncoded }

    /// The DER encoding as upper-case hex. The corresponding .NET member is `X509Certificate.GetRawCertDataString()`.
    public func GetRawCertDataString() -> String { Self.hex(certificate.derEncoded) }

    /// The SHA-1 hash of the DER encoding. The corresponding .NET member is `X509Certificate.GetCertHash()`.
    public func GetCertHash() -> [UInt8] { certificate.sha1Fingerprint }

    /// The SHA-1 hash as 40 upper-case hex digits. The corresponding .NET member is `X509Certificate.GetCertHashString()`.
    public func GetCertHashString() -> String { Self.hex(certificate.sha1Fingerprint) }

    /// The serial number as big-endian upper-case hex, as Windows shows it.
    ///
    /// The corresponding .NET member is `X509Certificate.GetSerialNumberString()`.
    public func GetSerialNumberString() -> String { Self.hex(certificate.serialNumber) }

    /// The serial number's bytes in little-endian order (the .NET Framework's order for this method).
    ///
    /// The corresponding .NET member is `X509Certificate.GetSerialNumber()`.
    public func GetSerialNumber() -> [UInt8] { certificate.serialNumber.reversed() }

    /// The subject public key: the contents of the certificate's `subjectPublicKey` BIT STRING (for RSA the
    /// DER `RSAPublicKey`, for EC the point).
    ///
    /// The corresponding .NET member is `X509Certificate.GetPublicKey()`.
    public func GetPublicKey() -> [UInt8] { publicKeyInfo?.key ?? [] }

    /// `GetPublicKey()` as upper-case hex. The corresponding .NET member is `X509Certificate.GetPublicKeyString()`.
    public func GetPublicKeyString() -> String { Self.hex(GetPublicKey()) }

    /// The key algorithm's object identifier, such as "1.2.840.113549.1.1.1" for RSA.
    ///
    /// The corresponding .NET member is `X509Certificate.GetKeyAlgorithm()`.
    public func GetKeyAlgorithm() -> String { publicKeyInfo?.algorithm ?? "" }

    /// "X509". The corresponding .NET member is `X509Certificate.GetFormat()`.
    public func GetFormat() -> String { "X509" }

    // MARK: Equality

    /// True when `other` has the same issuer and serial number (the .NET Framework's rule).
    ///
    /// The corresponding .NET member is `X509Certificate.Equals(X509Certificate)`.
    public func Equals(_ other: X509Certificate?) -> Bool {
        guard let other else { return false }
        return certificate.issuer == other.certificate.issuer && certificate.serialNumber == other.certificate.serialNumber
    }

    /// The corresponding .NET member is `X509Certificate.GetHashCode()`: the first bytes of the SHA-1 hash.
    public func GetHashCode() -> int {
        let hash = certificate.sha1Fingerprint
        return hash.count < 4 ? 0 : int(bitPattern: uint(hash[0]) << 24 | uint(hash[1]) << 16 | uint(hash[2]) << 8 | uint(hash[3]))
    }

    // MARK: Text

    /// The corresponding .NET member is `X509Certificate.ToString()`.
    open func ToString() -> String { description }

    /// The corresponding .NET member is `X509Certificate.ToString(bool)`; the text is the same either way here.
    public func ToString(_ fVerbose: Bool) -> String { ToString() }

    open var description: String {
        "[Subject]\n  \(Subject)\n\n[Issuer]\n  \(Issuer)\n\n[Serial Number]\n  \(GetSerialNumberString())\n\n" +
            "[Not Before]\n  \(GetEffectiveDateString())\n\n[Not After]\n  \(GetExpirationDateString())\n\n[Thumbprint]\n  \(GetCertHashString())\n"
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The `SubjectPublicKeyInfo` of the DER encoding: tbsCertificate's seventh field (sixth without the
    /// optional version), `SEQUENCE { SEQUENCE { OID, params }, BIT STRING }`.
    private var publicKeyInfo: (algorithm: String, key: [UInt8])? {
        var reader = DERReader(certificate.derEncoded[...])
        guard var certificateFields = reader.enter(tag: 0x30), var tbs = certificateFields.enter(tag: 0x30) else { return nil }
        if tbs.peekTag == 0xA0 { _ = tbs.next() }                 // [0] version
        for _ in 0..<5 { guard tbs.next() != nil else { return nil } } // serial, signature, issuer, validity, subject
        guard var spki = tbs.enter(tag: 0x30), var algorithm = spki.enter(tag: 0x30),
              let oid = algorithm.next(), oid.tag == 0x06, let key = spki.next(), key.tag == 0x03, !key.contents.isEmpty
        else { return nil }
        return (DERReader.objectIdentifier(oid.contents), Array(key.contents.dropFirst()))  // drop the unused-bits byte
    }
}

/// Reads DER TLVs in order: just enough to find fields the parsed `Certificate` does not expose.
private struct DERReader {
    private var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    var peekTag: UInt8? { bytes.first }

    /// The next element's tag and contents, or nil at the end or on a malformed length.
    mutating func next() -> (tag: UInt8, contents: ArraySlice<UInt8>)? {
        guard bytes.count >= 2 else { return nil }
        let tag = bytes[bytes.startIndex]
        var index = bytes.startIndex + 1
        var length = Int(bytes[index])
        index += 1
        if length & 0x80 != 0 {
            let count = length & 0x7f
            guard count > 0, count <= 4, bytes.endIndex - index >= count else { return nil }
            length = bytes[index..<(index + count)].reduce(0) { $0 << 8 | Int($1) }
            index += count
        }
        guard length >= 0, bytes.endIndex - index >= length else { return nil }
        let contents = bytes[index..<(index + length)]
        bytes = bytes[(index + length)...]
        return (tag, contents)
    }

    /// A reader over the next element's contents, when it has `tag`.
    mutating func enter(tag: UInt8) -> DERReader? {
        guard let element = next(), element.tag == tag else { return nil }
        return DERReader(element.contents)
    }

    /// Dotted form of an OBJECT IDENTIFIER's contents.
    static func objectIdentifier(_ contents: ArraySlice<UInt8>) -> String {
        var arcs: [UInt64] = []
        var value: UInt64 = 0
        for byte in contents {
            value = value << 7 | UInt64(byte & 0x7f)
            if byte & 0x80 == 0 {
                if arcs.isEmpty {
                    arcs += value < 80 ? [value / 40, value % 40] : [2, value - 80]
                } else {
                    arcs.append(value)
                }
                value = 0
            }
        }
        return arcs.map(String.init).joined(separator: ".")
    }
}
