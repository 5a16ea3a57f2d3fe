import NetCF
import Testing
import WinsockSSLTesting
@testable import PortCorpus

/// MailboxChecker.cs's port (the static helper: `SetSslSocket(socket, callback, true)`, POP3 `STLS`, then
/// `DoHandshake(socket)` with a null input, so only the application's hook checks the name) against real peers.
@Suite struct MailboxCheckerPortTests {
    static let host = "pop.corpus.test"

    static let script = PeerScript([
        .send("+OK POP3 corpus ready\r\n"), .expect("STLS\r\n"), .send("+OK begin TLS\r\n"),
        .tls,
        .expect("USER ce\r\n"), .send("+OK\r\n"),
        .expect("PASS secret\r\n"), .send("+OK logged in\r\n"),
        .expect("STAT\r\n"), .send("+OK 2 320\r\n"),
        .expect("QUIT\r\n"), .send("+OK bye\r\n"),
    ])

    @Test(arguments: PeerKind.allCases)
    func checksTheMailboxOfAPeerWhoseCertificateIsValid(_ kind: PeerKind) throws {
        let peer = try kind.start(serving: CorpusCertificates.shared().issue(.valid, for: Self.host), Self.script)
        defer { peer.stop() }
        let checker = MailboxChecker(Self.host, int(peer.port))
        #expect(try checker.Check("ce", "secret") == "+OK 2 320")
        #expect(checker.NegotiatedProtocol == kind.connectionInfoProtocol)
        try peer.finish(within: hangBound)
    }

    @Test(arguments: PeerKind.allCases, CertificateCase.allCases.filter { $0 != .valid })
    func refusesABadCertificateInDoHandshake(_ kind: PeerKind, _ certificate: CertificateCase) throws {
        let peer = try kind.start(serving: CorpusCertificates.shared().issue(certificate, for: Self.host), Self.script)
        defer { peer.stop() }
        let checker = MailboxChecker(Self.host, int(peer.port))
        let error = try #require(throws: SocketException.self) { try checker.Check("ce", "secret") }
        #expect(error.ErrorCode == 10053)
        // No name reached the provider: the hook's own name check refuses a wrong name.
        #expect(error.CertificateHookResult == (certificate == .wrongName ? SSL_ERR_FAILED : SSL_ERR_CERT_UNKNOWN))
    }
}
