internal import COpenSSL
public import CWinsockCE
internal import Glibc
import WinsockSSL

/// schannel's `SslCrackCertificate` over OpenSSL's parse (`Certificate(derEncoded:)`).
///
/// `pszSubject` and `pszIssuer` are formatted as desktop schannel formats them: `CertNameToStr` with
/// `CERT_X500_NAME_STR | CERT_NAME_STR_NO_PLUS_FLAG` — the relative distinguished names in certificate order
/// (least specific first, usually `C=` first and `CN=` last) separated by ", ", the attributes of a
/// multi-valued RDN separated by a space, X.500 key names as CryptoAPI spells them (`CN`, `O`, `OU`, `C`,
/// `L`, `S`, `E`, `OID.n.n` for others), values quoted as `CertNameToStr` quotes them. Microsoft documents
/// the strings only as "a string that specifies the subject/issuer"
/// (https://learn.microsoft.com/windows/win32/api/schannel/ns-schannel-x509certificate); the flags are those
/// of the desktop implementation and the format is that of `CertNameToStr`
/// (https://learn.microsoft.com/windows/win32/api/wincrypt/nf-wincrypt-certnametostra). Whether CE's schannel
/// used the same flags is not documented; this is the project's decision (MIGRATION.md).
///
/// The structure and both strings are one `malloc` block owned by the caller, writable, freed by
/// `SslFreeCertificate`. `SerialNumber` holds the serial's low 16 bytes, least significant first (CryptoAPI's
/// order); `Version` is CryptoAPI's (0 for X.509 v1, 2 for v3); `SignatureAlgorithm` and `pPublicKey` are 0
/// and NULL (no CE program of the survey reads them).
@_cdecl("WinsockCE_SslCrackCertificate")
public func winsockSslCrackCertificate(_ bytes: UnsafeMutablePointer<UInt8>?, _ count: DWORD, _ flags: DWORD,
                                _ result: UnsafeMutablePointer<UnsafeMutablePointer<X509Certificate>?>?) -> BOOL {
    guard let bytes, let result else {
        WinsockCE_setLastError(Int32(ERROR_INVALID_PARAMETER), "SslCrackCertificate: pbCertificate or ppCertificate is NULL")
        return 0
    }
    result.pointee = nil
    let certificate: Certificate
    do {
        certificate = try Certificate(derEncoded: Array(UnsafeBufferPointer(start: bytes, count: Int(count))))
    } catch {
        WinsockCE_setLastError(Int32(ERROR_INVALID_DATA), "SslCrackCertificate: \(error.detail)")
        return 0
    }
    let subject = Array(CertificateNames.schannelString(certificate.subject).utf8) + [0]
    let issuer = Array(CertificateNames.schannelString(certificate.issuer).utf8) + [0]
    let headerSize = MemoryLayout<X509Certificate>.stride
    guard let block = malloc(headerSize + issuer.count + subject.count) else {
        WinsockCE_setLastError(Int32(ERROR_NOT_ENOUGH_MEMORY), "SslCrackCertificate: out of memory")
        return 0
    }
    let strings = (block + headerSize).assumingMemoryBound(to: CChar.self)
    issuer.withUnsafeBytes { UnsafeMutableRawPointer(strings).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    subject.withUnsafeBytes { UnsafeMutableRawPointer(strings + issuer.count).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }

    var serial: [DWORD] = [0, 0, 0, 0]
    for (index, byte) in certificate.serialNumber.reversed().prefix(16).enumerated() {
        serial[index / 4] |= DWORD(byte) << (8 * DWORD(index % 4))
    }
    let structure = X509Certificate(
        Version: CertificateNames.version(certificate.derEncoded), SerialNumber: (serial[0], serial[1], serial[2], serial[3]), SignatureAlgorithm: 0,
        ValidFrom: CertificateNames.fileTime(certificate.notValidBefore),
        ValidUntil: CertificateNames.fileTime(certificate.notValidAfter),
        pszIssuer: strings, pszSubject: strings + issuer.count, pPublicKey: nil)
    let pointer = block.bindMemory(to: X509Certificate.self, capacity: 1)
    pointer.initialize(to: structure)
    result.pointee = pointer
    return 1
}

/// `SslFreeCertificate`: frees what `SslCrackCertificate` returned (NULL is ignored).
@_cdecl("WinsockCE_SslFreeCertificate")
public func winsockSslFreeCertificate(_ certificate: UnsafeMutablePointer<X509Certificate>?) {
    free(certificate)
}

enum CertificateNames {
    /// `CertNameToStr(CERT_X500_NAME_STR | CERT_NAME_STR_NO_PLUS_FLAG)`: see `SslCrackCertificate`.
    static func schannelString(_ name: DistinguishedName) -> String {
        name.relativeDistinguishedNames.map { rdn in
            rdn.map { "\(DistinguishedName.windowsName(of: $0))=\(DistinguishedName.quotedLikeWindows($0.value))" }.joined(separator: " ")
        }.joined(separator: ", ")
    }

    /// The X.509 version as CryptoAPI numbers it (`CERT_V1` 0 ... `CERT_V3` 2). Maps to `X509_get_version`.
    static func version(_ der: [UInt8]) -> DWORD {
        der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            guard let x509 = d2i_X509(nil, &cursor, buffer.count) else { return 0 }
            defer { X509_free(x509) }
            return DWORD(clamping: X509_get_version(x509))
        }
    }

    /// Seconds since 1970 as a `FILETIME` (100-ns intervals since 1601).
    static func fileTime(_ secondsSince1970: Int64) -> FILETIME {
        let ticks = UInt64(clamping: (secondsSince1970 + 11_644_473_600) * 10_000_000)
        return FILETIME(dwLowDateTime: DWORD(truncatingIfNeeded: ticks), dwHighDateTime: DWORD(truncatingIfNeeded: ticks >> 32))
    }
}
