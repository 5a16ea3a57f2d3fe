internal import COpenSSL

/// A TLS protocol version this package can negotiate.
///
/// Only TLS 1.2 and 1.3 are offered: SSL 2.0/3.0 and TLS 1.0/1.1, which Windows CE spoke, are broken
/// (RFC 6176, RFC 7568, RFC 8996) and OpenSSL 3 refuses them at its default security level.
public enum TLSVersion: Int, Comparable, Sendable, CustomStringConvertible {
    case tls1_2 = 0x0303
    case tls1_3 = 0x0304

    public static func < (lhs: TLSVersion, rhs: TLSVersion) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .tls1_2: "TLS 1.2"
        case .tls1_3: "TLS 1.3"
        }
    }

    var openSSLValue: Int32 {
        switch self {
        case .tls1_2: TLS1_2_VERSION
        case .tls1_3: TLS1_3_VERSION
        }
    }
}
