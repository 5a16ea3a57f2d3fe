import NetCF
import Testing
import WinsockSSL
import WinsockSSLTesting

/// The peers the corpus runs against, checked with the package's own `SslHelper` (the blog's STARTTLS
/// conversation): each peer completes its script with a client that trusts it and is refused by one that does not.
@Suite struct PeerHarnessTests {
    static let host = "harness.corpus.test"

    static let script = PeerScript([
        .send("220 ready\r\n"), .expect("STARTTLS\r\n"), .send("220 go ahead\r\n"),
        .tls, .expect("PING 1\r\n"), .send("PONG 1\r\n"),
    ])

    func converse(_ peer: any ScriptedPeer) throws -> String? {
        let s = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        defer { s.Close() }
        s.ReceiveTimeout = 15_000
        return try using(SslHelper(s, Self.host, true)) { helper in
            try s.Connect(IPEndPoint(IPAddress.Loopback, peer.port))
            let sr = try StreamReader(NetworkStream(s), Encoding.ASCII)
            _ = try sr.ReadLine()
            try s.Send(Encoding.ASCII.GetBytes("STARTTLS\r\n"))
            _ = try sr.ReadLine()
            try helper.DoHandshake()
            try s.Send(Encoding.ASCII.GetBytes("PING 1\r\n"))
            return try sr.ReadLine()
        }
    }

    @Test(arguments: PeerKind.allCases)
    func aTrustedPeerHoldsItsScript(_ kind: PeerKind) throws {
        let certificates = try CorpusCertificates.shared()
        let peer = try kind.start(serving: try certificates.issue(.valid, for: Self.host), Self.script)
        defer { peer.stop() }
        #expect(try converse(peer) == "PONG 1")
        try peer.finish(within: hangBound)
    }

    @Test(arguments: PeerKind.allCases)
    func aPeerFromAnUnknownAuthorityIsRefused(_ kind: PeerKind) throws {
        let certificates = try CorpusCertificates.shared()
        let peer = try kind.start(serving: try certificates.issue(.unknownAuthority, for: Self.host), Self.script)
        defer { peer.stop() }
        let error = try #require(throws: SocketException.self) { try converse(peer) }
        #expect(error.ErrorCode == 10053)
    }
}
