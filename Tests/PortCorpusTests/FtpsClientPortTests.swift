import NetCF
import Testing
import WinsockSSLTesting
@testable import PortCorpus

/// FtpsClient.cs's port (`Connect(host, port)`, plain-text FTP until `AUTH TLS`, a deferred handshake
/// with the host pointer, a hook that reads `GetName()` and `GetIssuerName()`) against real peers.
@Suite struct FtpsClientPortTests {
    static let host = "ftp.corpus.test"

    static let script = PeerScript([
        .send("220 corpus FTP ready\r\n"), .expect("AUTH TLS\r\n"), .send("234 AUTH TLS OK\r\n"),
        .tls,
        .expect("USER ce\r\n"), .send("331 password please\r\n"),
        .expect("PASS secret\r\n"), .send("230-Welcome\r\n230-to the terminal\r\n230 logged in\r\n"),
        .expect("PBSZ 0\r\n"), .send("200 PBSZ=0\r\n"),
        .expect("PROT P\r\n"), .send("200 protection private\r\n"),
        .expect("PWD\r\n"), .send("257 \"/logs\" is the current directory\r\n"),
        .expect("QUIT\r\n"), .send("221 bye\r\n"),
    ])

    @Test(arguments: PeerKind.allCases)
    func logsInToAPeerWhoseCertificateIsValid(_ kind: PeerKind) throws {
        let peer = try kind.start(serving: CorpusCertificates.shared().issue(.valid, for: Self.host), Self.script)
        defer { peer.stop() }
        let ftp = FtpsClient(Self.host)
        try ftp.Connect(int(peer.port))
        try ftp.Login("ce", "secret")
        #expect(try ftp.PrintWorkingDirectory() == "/logs")
        #expect(ftp.ServerSubject.contains("CN=\(Self.host)"))
        #expect(ftp.ServerIssuer.contains("CN=Port Corpus Test Root"))
        ftp.Dispose()
        try peer.finish(within: hangBound)
    }

    /// `Connect(host, port)` makes the host the peer name, so every bad certificate reaches the hook with
    /// `SSL_CERT_FLAG_ISSUER_UNKNOWN` and is refused with `SSL_ERR_CERT_UNKNOWN`.
    @Test(arguments: PeerKind.allCases, CertificateCase.allCases.filter { $0 != .valid })
    func refusesABadCertificateAfterAuthTLS(_ kind: PeerKind, _ certificate: CertificateCase) throws {
        let peer = try kind.start(serving: CorpusCertificates.shared().issue(certificate, for: Self.host), Self.script)
        defer { peer.stop() }
        let ftp = FtpsClient(Self.host)
        defer { ftp.Dispose() }
        let error = try #require(throws: SocketException.self) { try ftp.Connect(int(peer.port)) }
        #expect(error.ErrorCode == 10053)
        #expect(error.CertificateHookResult == SSL_ERR_CERT_UNKNOWN)
    }
}
