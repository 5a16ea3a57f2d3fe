import NetCF
import Testing
import WinsockSSLTesting

/// How a handshake fails, and that a refused request leaves the socket as it was.
@Suite struct HandshakeFailureTests {
    let authority: TestCertificateAuthority

    init() throws {
        authority = try TestCertificateAuthority()
    }

    func performHandshake(_ s: Socket) throws {
        try s.IOControl(SO_SSL_PERFORM_HANDSHAKE, SecureSockets.nulTerminated("mail.example.test"), nil)
    }

    func roundTrip(_ s: Socket, _ text: String = "hello") throws -> String {
        try s.Send(Encoding.ASCII.GetBytes(text + "\r\n"))
        return try SecureSockets.receiveLine(s)
    }

    // MARK: The peer

    /// With a 10 s receive timeout a hang would end as WSAETIMEDOUT, not WSAECONNRESET.
    @Test func peerClosingMidHandshakeIsConnectionReset() throws {
        let server = try RawTestServer { connection in
            _ = try connection.readTLSRecord()
            connection.close()
        }
        defer { server.stop() }
        let s = try SecureSockets.make(trusting: authority.root, deferred: true)
        defer { s.Close() }
        try s.Connect(SecureSockets.loopback(server.port))
        let error = try #require(throws: SocketException.self) { try performHandshake(s) }
        #expect(error.ErrorCode == 10054, "\(error.Message)")
        #expect(s.core.phase.isFailed)
    }

    @Test func peerResettingMidHandshakeIsConnectionReset() throws {
        let server = try RawTestServer { connection in
            _ = try connection.readTLSRecord()
            connection.abort()
        }
        defer { server.stop() }
        let s = try SecureSockets.make(trusting: authority.root, deferred: true)
        defer { s.Close() }
        try s.Connect(SecureSockets.loopback(server.port))
        let error = try #require(throws: SocketException.self) { try performHandshake(s) }
        #expect(error.ErrorCode == 10054, "\(error.Message)")
    }

    @Test func silentServerTimesOutWithinTheReceiveTimeout() throws {
        let server = try RawTestServer { connection in
            _ = try connection.readTLSRecord()
            connection.drainUntilClosed()
        }
        defer { server.stop() }
        let s = try SecureSockets.make(trusting: authority.root, deferred: true)
        defer { s.Close() }
        s.ReceiveTimeout = 500
        s.SendTimeout = 0
        try s.Connect(SecureSockets.loopback(server.port))
        let error = try #require(throws: SocketException.self) { try performHandshake(s) }
        #expect(error.ErrorCode == 10060, "\(error.Message)")
    }

    // MARK: Misuse leaves the socket as it was

    @Test func secondHandshakeIsInvalidAndTheSessionSurvives() throws {
        let server = try lineEchoServer(TLSServerConfiguration(serving: authority.issue(dnsNames: ["mail.example.test"])))
        defer { server.stop() }
        let s = try SecureSockets.handshake(port: server.port, name: "mail.example.test", trusting: authority.root)
        defer { s.Close() }
        let error = try #require(throws: SocketException.self) { try performHandshake(s) }
        #expect(error.ErrorCode == 10022)
        #expect(s.core.phase.isSecure)
        #expect(try roundTrip(s) == "echo: hello\r\n")
    }

    @Test func handshakeOnASocketWithoutSecureOptionIsInvalidAndPlainIOStillWorks() throws {
        let server = try TLSTestServer(configuration: TLSServerConfiguration(serving: authority.issue(dnsNames: ["mail.example.test"]))) { connection in
            while let line = try connection.readLine() { try connection.writePlain("plain: \(line)\r\n") }
        }
        defer { server.stop() }
        let s = try SecureSockets.plain()
        defer { s.Close() }
        try s.Connect(SecureSockets.loopback(server.port))
        let error = try #require(throws: SocketException.self) { try performHandshake(s) }
        #expect(error.ErrorCode == 10022)
        #expect(try roundTrip(s, "ping") == "plain: ping\r\n")
    }

    @Test func handshakeBeforeConnectIsNotConnectedAndLaterSucceeds() throws {
        let server = try lineEchoServer(TLSServerConfiguration(serving: authority.issue(dnsNames: ["mail.example.test"])))
        defer { server.stop() }
        let s = try SecureSockets.make(trusting: authority.root, deferred: true)
        defer { s.Close() }
        let error = try #require(throws: SocketException.self) { try performHandshake(s) }
        #expect(error.ErrorCode == 10057)
        #expect(s.core.phase.isPlain)

        try s.Connect(SecureSockets.loopback(server.port))
        try performHandshake(s)
        #expect(try roundTrip(s) == "echo: hello\r\n")
    }

    @Test(arguments: [[], [8], [8, 0, 0], [8, 0, 0, 0, 0]] as [[UInt8]])
    func setFlagsWithAnythingButFourBytesIsInvalidAndChangesNothing(input: [UInt8]) throws {
        let s = try SecureSockets.make(trusting: nil, deferred: false)
        defer { s.Close() }
        let error = try #require(throws: SocketException.self) { try s.IOControl(SO_SSL_SET_FLAGS, input, nil) }
        #expect(error.ErrorCode == 10022)
        var flags = [UInt8](repeating: 0xee, count: 4)
        try s.IOControl(SO_SSL_GET_FLAGS, nil, &flags)
        #expect(flags == [0, 0, 0, 0])
    }

    @Test func hookSetAfterAnImmediateHandshakeIsInvalid() throws {
        let server = try lineEchoServer(TLSServerConfiguration(serving: authority.issue(dnsNames: ["mail.example.test"])))
        defer { server.stop() }
        let hook = try Marshal.GetFunctionPointerForDelegate({ _, _, _, _, _ in SSL_ERR_OKAY } as SSLVALIDATECERTFUNC)
        defer { Marshal.ReleaseFunctionPointer(hook) }
        let s = try SecureSockets.make(trusting: authority.root, deferred: false)
        defer { s.Close() }
        try s.IOControl(SO_SSL_SET_PEERNAME, SecureSockets.nulTerminated("mail.example.test"), nil)
        try s.Connect(SecureSockets.loopback(server.port))
        #expect(s.core.phase.isSecure)

        let error = try #require(throws: SocketException.self) {
            try s.IOControl(SO_SSL_SET_VALIDATE_CERT_HOOK, SecureSockets.hookStructure(hook, .Zero), nil)
        }
        #expect(error.ErrorCode == 10022)
        var output = [UInt8](repeating: 0xee, count: 8)
        try s.IOControl(SO_SSL_GET_VALIDATE_CERT_HOOK, nil, &output)
        #expect(output == [UInt8](repeating: 0, count: 8))
        #expect(try roundTrip(s) == "echo: hello\r\n")
    }

    // MARK: After a failure

    @Test func sendAndReceiveAfterAFailedHandshakeAreConnectionAborted() throws {
        let stranger = try TestCertificateAuthority(commonName: "Unknown Test CA")
        let server = try lineEchoServer(TLSServerConfiguration(serving: stranger.issue(dnsNames: ["mail.example.test"])))
        defer { server.stop() }
        let s = try SecureSockets.make(trusting: authority.root, deferred: true)
        defer { s.Close() }
        try s.Connect(SecureSockets.loopback(server.port))
        let failure = try #require(throws: SocketException.self) { try performHandshake(s) }
        #expect(failure.ErrorCode == 10053)

        let send = try #require(throws: SocketException.self) { try s.Send(Encoding.ASCII.GetBytes("hello\r\n")) }
        #expect(send.ErrorCode == 10053)
        var buffer = [UInt8](repeating: 0, count: 16)
        let receive = try #require(throws: SocketException.self) { _ = try s.Receive(&buffer) }
        #expect(receive.ErrorCode == 10053)
        let again = try #require(throws: SocketException.self) { try performHandshake(s) }
        #expect(again.ErrorCode == 10022)
    }

    @Test func useAfterCloseIsObjectDisposed() throws {
        let server = try lineEchoServer(TLSServerConfiguration(serving: authority.issue(dnsNames: ["mail.example.test"])))
        defer { server.stop() }
        let s = try SecureSockets.handshake(port: server.port, name: "mail.example.test", trusting: authority.root)
        s.Close()
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(throws: ObjectDisposedException.self) { try s.Send([1]) }
        #expect(throws: ObjectDisposedException.self) { _ = try s.Receive(&buffer) }
        #expect(throws: ObjectDisposedException.self) { try s.IOControl(SO_SSL_GET_CONNECTION_INFO, nil, &buffer) }
        #expect(throws: ObjectDisposedException.self) { try performHandshake(s) }
        #expect(throws: ObjectDisposedException.self) {
            try s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName(rawValue: SO_SECURE), SO_SEC_SSL)
        }
    }
}
