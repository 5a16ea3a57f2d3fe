// TEMPORARY local stand-in until the certs branch is merged; not committed.
internal import COpenSSL
public struct CertificateError: Error, Hashable, Sendable { public var detail: String }
public struct Certificate: Hashable, Sendable, CustomStringConvertible {
    public let derEncoded: [UInt8]
    public init(derEncoded: [UInt8]) throws(CertificateError) { self.derEncoded = derEncoded }
    init(borrowing x509: OpaquePointer) throws(CertificateError) {
        var out: UnsafeMutablePointer<UInt8>? = nil
        let n = i2d_X509(x509, &out)
        guard n > 0, let out else { throw CertificateError(detail: "i2d") }
        derEncoded = Array(UnsafeBufferPointer(start: out, count: Int(n)))
        shim_OPENSSL_free(out)
    }
    public static func certificates(pemEncoded: String) throws(CertificateError) -> [Certificate] { [] }
    public var description: String { "cert" }
    public func matches(hostName: String) -> Bool { false }
}
