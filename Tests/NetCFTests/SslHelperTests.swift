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

    // MARK: Non-deferred (the 2009 original: the handshake happens in Connect)

    /// A server that handshakes at once and echoes one TLS line.
    func startImmediateTLSServer(_ issued: IssuedCertificate) throws -> TLSTestServer {
        try lineEchoServer(TLSServerConfiguration(serving: issued))
    }

    /// `SslHelper(s, host)` then `Connect(IPEndPoint)`: no name reaches the provider, so the helper's own
    /// checks decide, as on CE without SO_SSL_SET_PEERNAME.
    func connectNonDeferred(_ server: TLSTestServer, host: String = "mail.example.test") throws -> (Socket, SslHelper) {
        let s = try connectedSocket(server)
        let helper = try SslHelper(s, host)
        do {
            try s.Connect(IPEndPoint(IPAddress.Loopback, Int(server.port)))
        } catch {
            helper.Dispose()
            s.Close()
            throw error
        }
        return (s, helper)
    }

    @Test func nonDeferredHelperHandshakesInsideConnect() throws {
        let server = try startImmediateTLSServer(try authority.issue(dnsNames: ["mail.example.test"]))
        defer { server.stop() }
        let (s, helper) = try connectNonDeferred(server)
        defer { s.Close() }
        defer { helper.Dispose() }
        #expect(s.core.phase.isSecure)
        let sr = try StreamReader(NetworkStream(s), Encoding.ASCII)
        try s.Send(Encoding.ASCII.GetBytes("hello\r\n"))
        #expect(try sr.ReadLine() == "echo: hello")
    }

    /// The original checks `SSL_CERT_FLAG_ISSUER_UNKNOWN` before the dates, and the provider sets that flag
    /// for any chain that does not verify, expiry included; so an expired certificate is reported as
    /// SSL_ERR_CERT_UNKNOWN, never as SSL_ERR_CERT_EXPIRED.
    @Test func expiredCertificateIsRejectedAsCertUnknownBecauseTheIssuerFlagIsCheckedFirst() throws {
        let server = try startTLSServer(try authority.issue(dnsNames: ["mail.example.test"], validity: .expired))
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
        #expect(error.VerificationFailure == "certificate has expired")
    }

    /// The original's `GetName().Contains("CN=" + host)` accepted this certificate.
    @Test func longerNameThatContainsTheHostIsRejected() throws {
        let issued = try authority.issue(dnsNames: ["mail.example.test.evil.net"], commonName: "mail.example.test.evil.net")
        let server = try startImmediateTLSServer(issued)
        defer { server.stop() }
        let error = try #require(throws: SocketException.self) { _ = try connectNonDeferred(server) }
        #expect(error.ErrorCode == 10053)
        #expect(error.CertificateHookResult == SSL_ERR_FAILED)
    }

    /// The original rejected this certificate: its subject holds no "CN=mail.example.test".
    @Test func wildcardCertificateIsAcceptedForAHostItCovers() throws {
        let server = try startImmediateTLSServer(try authority.issue(dnsNames: ["*.example.test"], commonName: "*.example.test"))
        defer { server.stop() }
        let (s, helper) = try connectNonDeferred(server)
        defer { s.Close() }
        defer { helper.Dispose() }
        #expect(s.core.phase.isSecure)
    }

    @Test func wildcardCertificateIsRejectedForAHostTwoLabelsDown() throws {
        let server = try startImmediateTLSServer(try authority.issue(dnsNames: ["*.example.test"], commonName: "*.example.test"))
        defer { server.stop() }
        let error = try #require(throws: SocketException.self) { _ = try connectNonDeferred(server, host: "a.mail.example.test") }
        #expect(error.CertificateHookResult == SSL_ERR_FAILED)
    }

    /// The original rejected this certificate too: it has no subject CN at all.
    @Test func certificateWithTheNameOnlyInItsSubjectAlternativeNamesIsAccepted() throws {
        let issued = try authority.issue(dnsNames: ["mail.example.test"])
        #expect(!X509Certificate2(issued.certificate).GetName().contains("CN="))
        let server = try startImmediateTLSServer(issued)
        defer { server.stop() }
        let (s, helper) = try connectNonDeferred(server)
        defer { s.Close() }
        defer { helper.Dispose() }
        #expect(s.core.phase.isSecure)
    }

    /// Checked by address: other tests use the shared heap in parallel, so counts would race.
    @Test func disposeFreesTheHostNameAndReleasesTheHookFunction() throws {
        let s = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        defer { s.Close() }
        let helper = try SslHelper(s, "mail.example.test", true)
        var hook = [UInt8](repeating: 0, count: 8)
        try s.IOControl(SO_SSL_GET_VALIDATE_CERT_HOOK, nil, &hook)
        let function = UInt32(hook[0]) | UInt32(hook[1]) << 8 | UInt32(hook[2]) << 16 | UInt32(hook[3]) << 24
        let host = UInt32(hook[4]) | UInt32(hook[5]) << 8 | UInt32(hook[6]) << 16 | UInt32(hook[7]) << 24
        #expect(try UnmanagedHeap.shared.readNulTerminated(host) == Array("mail.example.test".utf8))
        #expect(UnmanagedHeap.shared.function(at: function) is CertificateHook)

        helper.Dispose()
        #expect(UnmanagedHeap.shared.block(containing: host) == nil)
        #expect(UnmanagedHeap.shared.function(at: function) == nil)
        helper.Dispose()
    }
}
