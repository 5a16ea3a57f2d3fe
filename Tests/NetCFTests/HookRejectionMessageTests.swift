import NetCF
import Testing
import WinsockSSL
import WinsockSSLTesting

/// When a certificate hook refuses the server, the error says what the provider saw next to what the hook
/// returned: the chain verdict, whether the expected name matched, the expected name and the certificate's
/// DNS names — so a port whose hook says only "SSL_ERR_FAILED" can still be diagnosed from the message.
@Suite struct HookRejectionMessageTests {
    let authority: TestCertificateAuthority

    init() throws {
        authority = try TestCertificateAuthority()
    }

    /// The blog's `SslHelper`, deferred, performing the handshake for `host` against a server serving `issued`.
    func helperFailure(_ issued: IssuedCertificate, host: String, trusting root: Certificate?) throws -> SocketException {
        let server = try lineEchoServer(TLSServerConfiguration(serving: issued))
        defer { server.stop() }
        let s = try SecureSockets.make(trusting: root, deferred: false)
        defer { s.Close() }
        let helper = try SslHelper(s, host, true)
        defer { helper.Dispose() }
        try s.Connect(SecureSockets.loopback(server.port))
        return try #require(throws: SocketException.self) { try helper.DoHandshake() }
    }

    @Test func wrongNameSaysTheNameMismatchedAndListsTheExpectedAndTheCertificatesNames() throws {
        let issued = try authority.issue(dnsNames: ["other.example.test", "www.other.example.test"])
        let error = try helperFailure(issued, host: "mail.example.test", trusting: authority.root)
        #expect(error.ErrorCode == 10053)
        #expect(error.CertificateHookResult == SSL_ERR_CERT_UNKNOWN)
        let expected = "the certificate hook returned SSL_ERR_CERT_UNKNOWN (10) with SSL_CERT_FLAG_ISSUER_UNKNOWN set; "
            + "the provider saw: chain trusted; name mismatch: expected \"mail.example.test\", "
            + "the certificate's DNS names are other.example.test, www.other.example.test"
        #expect(error.Message.contains(expected), "\(error.Message)")
    }

    @Test func untrustedChainSaysWhyTheChainFailedAndThatTheNameMatched() throws {
        let stranger = try TestCertificateAuthority(commonName: "Unknown Test CA")
        let issued = try stranger.issue(dnsNames: ["mail.example.test"])
        let error = try helperFailure(issued, host: "mail.example.test", trusting: authority.root)
        #expect(error.ErrorCode == 10053)
        #expect(error.CertificateHookResult == SSL_ERR_CERT_UNKNOWN)
        let expected = "the certificate hook returned SSL_ERR_CERT_UNKNOWN (10) with SSL_CERT_FLAG_ISSUER_UNKNOWN set; "
            + "the provider saw: chain not trusted (unable to get local issuer certificate); "
            + "name match: expected \"mail.example.test\", the certificate's DNS names are mail.example.test"
        #expect(error.Message.contains(expected), "\(error.Message)")
        // The chain's reason is said once, not repeated after the hook's part.
        #expect(error.Message.components(separatedBy: "unable to get local issuer certificate").count == 2, "\(error.Message)")
    }

    /// A hook that refuses a certificate the provider found fine: the message says so, and names the IP
    /// entries too when the certificate has any.
    @Test func refusalOfAGoodCertificateSaysTheProviderFoundItTrusted() throws {
        let issued = try authority.issue(dnsNames: ["mail.example.test"], ipAddresses: ["127.0.0.1"])
        let server = try lineEchoServer(TLSServerConfiguration(serving: issued))
        defer { server.stop() }
        let hook = try Marshal.GetFunctionPointerForDelegate({ _, _, _, _, _ in SSL_ERR_FAILED } as SSLVALIDATECERTFUNC)
        defer { Marshal.ReleaseFunctionPointer(hook) }
        let s = try SecureSockets.make(trusting: authority.root, deferred: true)
        defer { s.Close() }
        try s.IOControl(SO_SSL_SET_VALIDATE_CERT_HOOK, SecureSockets.hookStructure(hook, .Zero), nil)
        try s.Connect(SecureSockets.loopback(server.port))
        let error = try #require(throws: SocketException.self) {
            try s.IOControl(SO_SSL_PERFORM_HANDSHAKE, SecureSockets.nulTerminated("mail.example.test"), nil)
        }
        #expect(error.CertificateHookResult == SSL_ERR_FAILED)
        let expected = "the certificate hook returned SSL_ERR_FAILED (2); the provider saw: chain trusted; "
            + "name match: expected \"mail.example.test\", the certificate's DNS names are mail.example.test, its IP addresses 127.0.0.1"
        #expect(error.Message.contains(expected), "\(error.Message)")
    }

    /// Without any name the hook decides alone; the message says no name was checked.
    @Test func refusalWithoutANameSaysNoNameWasChecked() throws {
        let issued = try authority.issue(dnsNames: ["mail.example.test"])
        let server = try lineEchoServer(TLSServerConfiguration(serving: issued))
        defer { server.stop() }
        let hook = try Marshal.GetFunctionPointerForDelegate({ _, _, _, _, _ in SSL_ERR_FAILED } as SSLVALIDATECERTFUNC)
        defer { Marshal.ReleaseFunctionPointer(hook) }
        let s = try SecureSockets.make(trusting: authority.root, deferred: true)
        defer { s.Close() }
        try s.IOControl(SO_SSL_SET_VALIDATE_CERT_HOOK, SecureSockets.hookStructure(hook, .Zero), nil)
        try s.Connect(SecureSockets.loopback(server.port))
        let error = try #require(throws: SocketException.self) { try s.IOControl(SO_SSL_PERFORM_HANDSHAKE, nil, nil) }
        #expect(error.Message.contains("the provider saw: chain trusted; no name checked (none was known), "
            + "the certificate's DNS names are mail.example.test"), "\(error.Message)")
    }
}
