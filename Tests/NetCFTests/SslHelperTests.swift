import NetCF
import Testing
import WinsockSSLTesting

/// `SslHelper` end to end: a real OpenSSL server on loopback, a certificate from a throw-away CA.
@Suite struct SslHelperTests {
    let authority: TestCertificateAuthority

    init() throws {
        authority = try TestCertificateAuthority()
    }

    /// A server that speaks the blog's STARTTLS prelude, then echoes one TLS line.
    func startTLSServer(_ issued: IssuedCertificate) throws -> TLSTestServer {
        try TLSTestServer(configuration: TLSServerConfiguration(serving: issued)) { connection in
            try connection.writePlain("220 ready\r\n")
            _ = try connection.readLine()
            try connection.writePlain("220 go ahead\r\n")
            try connection.startTLS()
            if let line = try connection.readTLSLine() { try connection.write("echo: \(line)\r\n") }
        }
    }

    func connectedSocket(_ server: TLSTestServer) throws -> Socket {
        let s = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        s.ReceiveTimeout = 10_000
        s.core.addTrustRoot(authority.root)
        return s
    }

    @Test func deferredHandshakeSwitchesTheSameReaderToTLS() throws {
        let server = try startTLSServer(try authority.issue(dnsNames: ["mail.example.test"]))
        defer { server.stop() }
        let s = try connectedSocket(server)
        defer { s.Close() }
        try using(SslHelper(s, "mail.example.test", true)) { helper in
            try s.Connect(IPEndPoint(IPAddress.Loopback, Int(server.port)))
            let sr = try StreamReader(NetworkStream(s), Encoding.ASCII)
            #expect(try sr.ReadLine() == "220 ready")
            try s.Send(Encoding.ASCII.GetBytes("STARTTLS\r\n"))
            #expect(try sr.ReadLine() == "220 go ahead")
            try helper.DoHandshake()
            #expect(s.core.phase.isSecure)
            try s.Send(Encoding.ASCII.GetBytes("hello\r\n"))
            #expect(try sr.ReadLine() == "echo: hello")
        }
    }

    @Test func wrongHostIsRejectedWithConnectionAborted() throws {
        let server = try startTLSServer(try authority.issue(dnsNames: ["other.example.test"]))
        defer { server.stop() }
        let s = try connectedSocket(server)
        defer { s.Close() }
        let helper = try SslHelper(s, "mail.example.test", true)
        defer { helper.Dispose() }
        try s.Connect(IPEndPoint(IPAddress.Loopback, Int(server.port)))
        let sr = try StreamReader(NetworkStream(s), Encoding.ASCII)
        _ = try sr.ReadLine()
        try s.Send(Encoding.ASCII.GetBytes("STARTTLS\r\n"))
        _ = try sr.ReadLine()
        let error = try #require(throws: SocketException.self) { try helper.DoHandshake() }
        #expect(error.ErrorCode == 10053)
        #expect(error.CertificateHookResult == SSL_ERR_CERT_UNKNOWN)
    }
}
