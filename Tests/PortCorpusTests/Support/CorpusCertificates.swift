import WinsockSSL
import WinsockSSLTesting

/// The certificates a port meets: one that is right, and one for each way a server certificate can be wrong.
enum CertificateCase: String, CaseIterable, Sendable, CustomStringConvertible {
    case valid = "valid"
    case wrongName = "wrong name"
    case expired = "expired"
    case unknownAuthority = "unknown CA"

    var description: String { rawValue }
}

/// A trusted test authority (its root in `TrustStore.process`, as a device's CA database) and an untrusted
/// one, made once per test process; certificates are issued per test. Host names used by the ports resolve
/// to 127.0.0.1 through `HostsTable.shared`.
final class CorpusCertificates: Sendable {
    let trusted: TestCertificateAuthority
    let untrusted: TestCertificateAuthority

    private static let made = Result { () throws(TestAuthorityError) -> CorpusCertificates in
        let certificates = CorpusCertificates(trusted: try TestCertificateAuthority(commonName: "Port Corpus Test Root"),
                                              untrusted: try TestCertificateAuthority(commonName: "Port Corpus Untrusted Root"))
        TrustStore.process.add(certificates.trusted.root)
        return certificates
    }

    static func shared() throws -> CorpusCertificates { try made.get() }

    private init(trusted: TestCertificateAuthority, untrusted: TestCertificateAuthority) {
        self.trusted = trusted
        self.untrusted = untrusted
    }

    /// A server certificate for `host` of the given kind; `host` now resolves to loopback.
    func issue(_ kind: CertificateCase, for host: String) throws -> IssuedCertificate {
        HostsTable.shared.set(host, to: [.loopbackIPv4])
        switch kind {
        case .valid: return try trusted.issue(dnsNames: [host], commonName: host)
        case .wrongName: return try trusted.issue(dnsNames: ["elsewhere.corpus.test"], commonName: "elsewhere.corpus.test")
        case .expired: return try trusted.issue(dnsNames: [host], commonName: host, validity: .expired)
        case .unknownAuthority: return try untrusted.issue(dnsNames: [host], commonName: host)
        }
    }
}
