/// An X.509 certificate, for certificate hooks and other code that inspects the server's certificate.
///
/// The corresponding .NET type is `System.Security.Cryptography.X509Certificates.X509Certificate2`.
public final class X509Certificate2: Sendable, CustomStringConvertible {
    /// The parsed certificate.
    public let certificate: Certificate

    /// Parses DER (or PEM text in ASCII) bytes. Throws `CryptographicException` for anything else and
    /// `ArgumentException` for an empty array, as .NET does.
    ///
    /// The corresponding .NET member is `X509Certificate2(byte[])`.
    public init(_ rawData: [UInt8]) throws {
        guard !rawData.isEmpty else { throw ArgumentException("Array may not be empty or null.", "rawData") }
        do {
            if rawData.starts(with: Array("-----BEGIN".utf8)) {
                certificate = try Certificate(pemEncoded: String(decoding: rawData, as: UTF8.self))
            } else {
                certificate = try Certificate(derEncoded: rawData)
            }
        } catch {
            throw CryptographicException("Cannot find the requested object: \(error.detail)")
        }
    }

    public init(_ certificate: Certificate) {
        self.certificate = certificate
    }

    /// The subject, most specific part first: `CN=smtp.live.com, O=…, C=US`.
    ///
    /// The corresponding .NET member is `X509Certificate.Subject`.
    public var Subject: String { certificate.subject.description }

    /// The corresponding .NET member is `X509Certificate.Issuer`.
    public var Issuer: String { certificate.issuer.description }

    /// The subject, as `Subject` formats it.
    ///
    /// The corresponding .NET member is `X509Certificate.GetName()` (obsolete in .NET, used by the blog's helper).
    public func GetName() -> String { Subject }

    /// The corresponding .NET member is `X509Certificate.GetIssuerName()`.
    public func GetIssuerName() -> String { Issuer }

    /// The start of the validity period, in local time. The corresponding .NET member is `X509Certificate2.NotBefore`.
    public var NotBefore: DateTime { DateTime(unixSeconds: certificate.notValidBefore) }

    /// The end of the validity period, in local time. The corresponding .NET member is `X509Certificate2.NotAfter`.
    public var NotAfter: DateTime { DateTime(unixSeconds: certificate.notValidAfter) }

    /// `NotAfter` as text in the current culture ("12/29/2026 12:16:51 PM"), which `DateTime.Parse` reads back.
    ///
    /// The corresponding .NET member is `X509Certificate.GetExpirationDateString()`.
    public func GetExpirationDateString() -> String { NotAfter.ToString() }

    /// The corresponding .NET member is `X509Certificate.GetEffectiveDateString()`.
    public func GetEffectiveDateString() -> String { NotBefore.ToString() }

    /// The DER encoding. The corresponding .NET member is `X509Certificate.GetRawCertData()`.
    public func GetRawCertData() -> [UInt8] { certificate.derEncoded }

    /// The corresponding .NET member is `X509Certificate2.RawData`.
    public var RawData: [UInt8] { certificate.derEncoded }

    /// The SHA-1 hash of the DER encoding. The corresponding .NET member is `X509Certificate.GetCertHash()`.
    public func GetCertHash() -> [UInt8] { certificate.sha1Fingerprint }

    /// The SHA-1 hash as upper-case hex. The corresponding .NET member is `X509Certificate.GetCertHashString()`.
    public func GetCertHashString() -> String { Self.hex(certificate.sha1Fingerprint) }

    /// The corresponding .NET member is `X509Certificate2.Thumbprint`.
    public var Thumbprint: String { GetCertHashString() }

    /// The corresponding .NET member is `X509Certificate.GetSerialNumberString()`.
    public func GetSerialNumberString() -> String { Self.hex(certificate.serialNumber) }

    /// The corresponding .NET member is `X509Certificate2.SerialNumber`.
    public var SerialNumber: String { GetSerialNumberString() }

    /// The DNS and IP names of the subject alternative name extension.
    public var SubjectAlternativeNames: [String] {
        certificate.subjectAlternativeNames.compactMap { name in
            switch name {
            case .dnsName(let dns): dns
            case .ipAddress(let address): address.description
            case .other: nil
            }
        }
    }

    /// Whether the certificate is valid for `hostName` under RFC 6125 (subject alternative names first,
    /// a wildcard only as the whole left-most label, the common name only when there are no DNS names).
    /// Project addition: it replaces the substring test `GetName().Contains("CN=" + host)` of the blog's helper,
    /// which accepted `CN=mail.example.com.evil.net` for `mail.example.com`.
    public func MatchesHostName(_ hostName: String) -> Bool { certificate.matches(hostName: hostName) }

    /// The corresponding .NET member is `X509Certificate.ToString()`.
    public func ToString() -> String { description }
    public var description: String { "[Subject]\n  \(Subject)\n\n[Issuer]\n  \(Issuer)\n\n[Thumbprint]\n  \(Thumbprint)" }

    private static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }
}

/// The corresponding .NET type is `System.Security.Cryptography.CryptographicException`.
public struct CryptographicException: DotNetException, Hashable {
    public static let dotNetTypeName = "System.Security.Cryptography.CryptographicException"
    public let Message: String
    public init(_ message: String = "Error occurred during a cryptographic operation.") {
        Message = message
    }
}
