/// An X.509 certificate with the members .NET added in version 2.0 (`NotBefore`, `NotAfter`, `Thumbprint`,
/// `RawData`); everything CE code calls from the base class (`GetName`, `GetCertHashString`, …) is inherited
/// from `X509Certificate`.
///
/// The corresponding .NET type is `System.Security.Cryptography.X509Certificates.X509Certificate2`.
public final class X509Certificate2: X509Certificate, @unchecked Sendable {
    /// The start of the validity period, in local time. The corresponding .NET member is `X509Certificate2.NotBefore`.
    public var NotBefore: DateTime { DateTime(unixSeconds: certificate.notValidBefore) }

    /// The end of the validity period, in local time. The corresponding .NET member is `X509Certificate2.NotAfter`.
    public var NotAfter: DateTime { DateTime(unixSeconds: certificate.notValidAfter) }

    /// The corresponding .NET member is `X509Certificate2.RawData`.
    public var RawData: [UInt8] { certificate.derEncoded }

    /// The SHA-1 hash as upper-case hex. The corresponding .NET member is `X509Certificate2.Thumbprint`.
    public var Thumbprint: String { GetCertHashString() }

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
}

/// The corresponding .NET type is `System.Security.Cryptography.CryptographicException`.
public struct CryptographicException: DotNetException, Hashable {
    public static let dotNetTypeName = "System.Security.Cryptography.CryptographicException"
    public let Message: String
    public init(_ message: String = "Error occurred during a cryptographic operation.") {
        Message = message
    }
}
