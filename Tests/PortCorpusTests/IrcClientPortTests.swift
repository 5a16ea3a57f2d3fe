import NetCF
import Testing
import WinsockSSLTesting
@testable import PortCorpus

/// IrcClient.cs's port (BeginConnect, a non-deferred socket with an instance-method hook, a reader that
/// polls and receives under `lock (this)` and a writer that sends under the same lock) against real peers.
/// Against TLS 1.3 this is the reader/writer/lock pattern that deadlocked while post-handshake tickets made
/// `Poll` report readable (issue 13, item 17).
@Suite struct IrcClientPortTests {
    static let host = "irc.corpus.test"

    static let script = PeerScript([
        .tls,
        .expect("NICK ce\r\n"), .expect("USER ce 0 * :FieldChat CE\r\n"),
        .send(":irc.corpus.test 001 ce :Welcome to FieldChat\r\n"),
        .expect("PRIVMSG #field :hello\r\n"),
        .send("PING :tok42\r\n"), .expect("PONG :tok42\r\n"),
        .send(":bob!b@corpus PRIVMSG #field :hi back\r\n"),
    ])

    @Test(arguments: PeerKind.allCases)
    func chatsWithAPeerWhoseCertificateIsValid(_ kind: PeerKind) throws {
        let peer = try kind.start(serving: CorpusCertificates.shared().issue(.valid, for: Self.host), Self.script)
        defer { peer.stop() }
        let irc = IrcConnection(Self.host, int(peer.port), "ce")
        defer { irc.Dispose() }
        try irc.Connect(15_000)
        #expect(try irc.ReadLine(15_000) == ":irc.corpus.test 001 ce :Welcome to FieldChat")
        try irc.SendLine("PRIVMSG #field :hello")
        #expect(try irc.ReadLine(15_000) == ":bob!b@corpus PRIVMSG #field :hi back")
        try peer.finish(within: hangBound)
    }

    /// The hook is the only name check here (BeginConnect to an IPEndPoint gives the provider no name), so a
    /// wrong name is refused by the hook's own check; the other cases carry `SSL_CERT_FLAG_ISSUER_UNKNOWN`.
    @Test(arguments: PeerKind.allCases, [CertificateCase.wrongName, .expired, .unknownAuthority])
    func refusesABadCertificateFromEndConnect(_ kind: PeerKind, _ certificate: CertificateCase) throws {
        let peer = try kind.start(serving: CorpusCertificates.shared().issue(certificate, for: Self.host), Self.script)
        defer { peer.stop() }
        let irc = IrcConnection(Self.host, int(peer.port), "ce")
        defer { irc.Dispose() }
        let error = try #require(throws: SocketException.self) { try irc.Connect(15_000) }
        #expect(error.ErrorCode == 10053)
    }
}
