import WinsockSSL
import WinsockSSLTesting

/// A throw-away CA, a server certificate from it, and the CA's root written to a temporary PEM file that an
/// example process can trust with `--ca`. Call `remove()` (in a `defer`) to delete the file.
struct ScriptedServerFixture {
    let authority: TestCertificateAuthority
    let issued: IssuedCertificate
    let directory: TemporaryDirectory
    /// The root certificate, PEM, for `--ca`.
    let rootPath: String

    /// A certificate for `dnsNames` (its common name the first of them).
    init(certificateFor dnsNames: [String]) throws {
        authority = try TestCertificateAuthority(commonName: "ExampleTests throw-away CA")
        issued = try authority.issue(dnsNames: dnsNames, commonName: dnsNames.first)
        directory = try TemporaryDirectory()
        rootPath = try directory.write(authority.rootPEM, to: "root.pem")
    }

    /// A server on 127.0.0.1 port 0 that plays `transcript` with this certificate.
    func server(_ transcript: Transcript) throws -> ScriptedSTARTTLSServer {
        try ScriptedSTARTTLSServer(transcript: transcript, certificateChainPEM: issued.certificateChainPEM,
                                   privateKeyPEM: issued.privateKey.pemEncoded)
    }

    func remove() {
        directory.remove()
    }
}
