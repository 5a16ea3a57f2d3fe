import Foundation
import NetCF
import Testing
import WinsockSSLTesting

/// A secure socket driven the way ported CE code drives it: `SetSocketOption(SO_SECURE)` and `IOControl`.
@Suite struct SecureSocketTests {
    let authority: TestCertificateAuthority

    init() throws {
        authority = try TestCertificateAuthority()
    }

    func rejection(_ configuration: TLSServerConfiguration, name: String = "mail.example.test") throws -> SocketException {
        let server = try lineEchoServer(configuration)
        defer { server.stop() }
        return try SecureSockets.handshakeFailure(port: server.port, name: name, trusting: authority.root)
    }

    func roundTrip(_ s: Socket, _ text: String = "hello") throws -> String {
        try s.Send(Encoding.ASCII.GetBytes(text + "\r\n"))
        return try SecureSockets.receiveLine(s)
    }

    // MARK: Default verification (no hook)

    @Test func chainThroughAnIntermediateTheServerSendsIsAccepted() throws {
        let intermediate = try authority.intermediate(commonName: "WinsockSSL Test Intermediate")
        let issued = try intermediate.issue(dnsNames: ["mail.example.test"])
        #expect(issued.chain.count == 2)
        let server = try lineEchoServer(TLSServerConfiguration(serving: issued))
        defer { server.stop() }
        let s = try SecureSockets.handshake(port: server.port, name: "mail.example.test", trusting: authority.root)
        defer { s.Close() }
        #expect(s.core.phase.isSecure)
        #expect(try roundTrip(s) == "echo: hello\r\n")
    }

    @Test func certificateForAnotherNameIsRejectedNamingTheName() throws {
        let error = try rejection(TLSServerConfiguration(serving: authority.issue(dnsNames: ["other.example.test"])))
        #expect(error.ErrorCode == 10053)
        #expect(error.VerificationFailure == "host name mismatch")
        #expect(error.Message.contains("\"mail.example.test\""), "\(error.Message)")
        #expect(error.CertificateHookResult == nil)
    }

    @Test func expiredCertificateIsRejected() throws {
        let error = try rejection(TLSServerConfiguration(serving: authority.issue(dnsNames: ["mail.example.test"], validity: .expired)))
        #expect(error.ErrorCode == 10053)
        #expect(error.VerificationFailure == "certificate has expired")
        #expect(error.Message.contains("certificate has expired"), "\(error.Message)")
    }

    @Test func notYetValidCertificateIsRejected() throws {
        let error = try rejection(TLSServerConfiguration(serving: authority.issue(dnsNames: ["mail.example.test"], validity: .notYetValid)))
        #expect(error.ErrorCode == 10053)
        #expect(error.VerificationFailure == "certificate is not yet valid")
        #expect(error.Message.contains("certificate is not yet valid"), "\(error.Message)")
    }

    @Test func selfSignedCertificateIsRejected() throws {
        let error = try rejection(TLSServerConfiguration(serving: TestCertificateAuthority.selfSigned(dnsNames: ["mail.example.test"])))
        #expect(error.ErrorCode == 10053)
        #expect(error.VerificationFailure == "self-signed certificate")
        #expect(error.Message.contains("self-signed certificate"), "\(error.Message)")
    }

    @Test func certificateFromAnUnknownAuthorityIsRejected() throws {
        let stranger = try TestCertificateAuthority(commonName: "Unknown Test CA")
        let error = try rejection(TLSServerConfiguration(serving: stranger.issue(dnsNames: ["mail.example.test"])))
        #expect(error.ErrorCode == 10053)
        #expect(error.VerificationFailure == "unable to get local issuer certificate")
        #expect(error.Message.contains("unable to get local issuer certificate"), "\(error.Message)")
    }

    @Test func serverThatLeavesOutItsIntermediateIsRejected() throws {
        let intermediate = try authority.intermediate(commonName: "WinsockSSL Test Intermediate")
        let issued = try intermediate.issue(dnsNames: ["mail.example.test"])
        let leafOnly = TLSServerConfiguration(certificateChainPEM: issued.certificate.pemEncoded, privateKeyPEM: issued.privateKey.pemEncoded)
        let error = try rejection(leafOnly)
        #expect(error.ErrorCode == 10053)
        #expect(error.VerificationFailure == "unable to get local issuer certificate")
    }

    // MARK: No name to verify

    @Test func deferredHandshakeWithoutAnyNameOrHookIsRefusedBeforeAnythingIsSent() throws {
        let seen = Recorder<String>()
        let server = try TLSTestServer(configuration: TLSServerConfiguration(serving: authority.issue(dnsNames: ["mail.example.test"]))) { connection in
            while let line = try connection.readLine() {
                seen.append(line)
                try connection.writePlain("plain: \(line)\r\n")
            }
        }
        defer { server.stop() }
        let s = try SecureSockets.make(trusting: authority.root, deferred: true)
        defer { s.Close() }
        try s.Connect(SecureSockets.loopback(server.port))

        let error = try #require(throws: SocketException.self) { try s.IOControl(SO_SSL_PERFORM_HANDSHAKE, nil, nil) }
        #expect(error.ErrorCode == 10022)
        #expect(s.core.phase.isPlain)
        #expect(try roundTrip(s, "ping") == "plain: ping\r\n")
        s.Close()
        server.stop()
        // A ClientHello sent before the refusal would have arrived ahead of "ping".
        #expect(seen.values == ["ping"])
    }

    @Test func immediateConnectWithoutAnyNameOrHookIsRefusedBeforeConnecting() throws {
        let server = try lineEchoServer(TLSServerConfiguration(serving: authority.issue(dnsNames: ["mail.example.test"])))
        defer { server.stop() }
        let s = try SecureSockets.make(trusting: authority.root, deferred: false)
        defer { s.Close() }
        let error = try #require(throws: SocketException.self) { try s.Connect(SecureSockets.loopback(server.port)) }
        #expect(error.ErrorCode == 10022)
        #expect(!s.Connected)
        #expect(s.core.phase.isPlain)
    }

    // MARK: When the handshake happens

    @Test func connectPerformsTheHandshakeAndCallsTheHookInsideConnect() throws {
        let server = try lineEchoServer(TLSServerConfiguration(serving: authority.issue(dnsNames: ["mail.example.test"])))
        defer { server.stop() }
        let insideConnect = Flag()
        let calls = Recorder<Bool>()
        let hook = try Marshal.GetFunctionPointerForDelegate({ _, _, _, _, _ in
            calls.append(insideConnect.isSet)
            return SSL_ERR_OKAY
        } as SSLVALIDATECERTFUNC)
        defer { Marshal.ReleaseFunctionPointer(hook) }
        let s = try SecureSockets.make(trusting: authority.root, deferred: false)
        defer { s.Close() }
        try s.IOControl(SO_SSL_SET_VALIDATE_CERT_HOOK, SecureSockets.hookStructure(hook, .Zero), nil)

        insideConnect.set(true)
        try s.Connect(SecureSockets.loopback(server.port))
        insideConnect.set(false)

        #expect(calls.values == [true])
        #expect(s.core.phase.isSecure)
        #expect(try roundTrip(s) == "echo: hello\r\n")
    }

    @Test func deferredSocketTalksPlainTextUntilPerformHandshakeThenTLS() throws {
        let plainLines = Recorder<String>()
        let server = try TLSTestServer(configuration: TLSServerConfiguration(serving: authority.issue(dnsNames: ["mail.example.test"]))) { connection in
            try connection.writePlain("220 ready\r\n")
            if let line = try connection.readLine() { plainLines.append(line) }
            try connection.writePlain("220 go ahead\r\n")
            try connection.startTLS()
            if let line = try connection.readTLSLine() { try connection.write("echo: \(line)\r\n") }
        }
        defer { server.stop() }
        let s = try SecureSockets.make(trusting: authority.root, deferred: true)
        defer { s.Close() }
        try s.Connect(SecureSockets.loopback(server.port))

        #expect(try SecureSockets.receiveLine(s) == "220 ready\r\n")
        try s.Send(Encoding.ASCII.GetBytes("STARTTLS\r\n"))
        #expect(try SecureSockets.receiveLine(s) == "220 go ahead\r\n")
        #expect(s.core.phase.isPlain)
        try s.IOControl(SO_SSL_PERFORM_HANDSHAKE, SecureSockets.nulTerminated("mail.example.test"), nil)
        #expect(s.core.phase.isSecure)
        #expect(try roundTrip(s) == "echo: hello\r\n")
        #expect(plainLines.values == ["STARTTLS"])
    }

    @Test func securityNoneBeforeConnectTurnsSecurityOff() throws {
        let server = try TLSTestServer(configuration: TLSServerConfiguration(serving: authority.issue(dnsNames: ["mail.example.test"]))) { connection in
            while let line = try connection.readLine() { try connection.writePlain("plain: \(line)\r\n") }
        }
        defer { server.stop() }
        let s = try SecureSockets.make(trusting: authority.root, deferred: false)
        defer { s.Close() }
        try s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName(rawValue: SO_SECURE), SO_SEC_NONE)
        #expect(try s.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName(rawValue: SO_SECURE)) == SO_SEC_NONE)

        try s.Connect(SecureSockets.loopback(server.port))
        #expect(try roundTrip(s, "ping") == "plain: ping\r\n")
        let error = try #require(throws: SocketException.self) {
            try s.IOControl(SO_SSL_PERFORM_HANDSHAKE, SecureSockets.nulTerminated("mail.example.test"), nil)
        }
        #expect(error.ErrorCode == 10022)
    }

    @Test func securityCannotChangeAfterConnect() throws {
        let server = try lineEchoServer(TLSServerConfiguration(serving: authority.issue(dnsNames: ["mail.example.test"])))
        defer { server.stop() }
        let s = try SecureSockets.handshake(port: server.port, name: "mail.example.test", trusting: authority.root)
        defer { s.Close() }
        let error = try #require(throws: SocketException.self) {
            try s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName(rawValue: SO_SECURE), SO_SEC_NONE)
        }
        #expect(error.ErrorCode == 10022)
        #expect(try roundTrip(s) == "echo: hello\r\n")
    }

    // MARK: Server names

    @Test func dnsNameIsSentAsServerNameIndication() throws {
        let seen = Recorder<TLSServerConnection>()
        let server = try lineEchoServer(TLSServerConfiguration(serving: authority.issue(dnsNames: ["mail.example.test"])), seen: seen)
        defer { server.stop() }
        let s = try SecureSockets.handshake(port: server.port, name: "mail.example.test", trusting: authority.root)
        defer { s.Close() }
        // The echo proves the server finished its side of the handshake and recorded what it saw.
        #expect(try roundTrip(s) == "echo: hello\r\n")
        #expect(seen.values.map(\.requestedServerName) == ["mail.example.test"])
    }

    @Test func ipAddressNameIsVerifiedAgainstIPEntriesAndNotSentAsServerNameIndication() throws {
        let seen = Recorder<TLSServerConnection>()
        let server = try lineEchoServer(TLSServerConfiguration(serving: authority.issue(ipAddresses: ["127.0.0.1"])), seen: seen)
        defer { server.stop() }
        let s = try SecureSockets.handshake(port: server.port, name: "127.0.0.1", trusting: authority.root)
        defer { s.Close() }
        #expect(try roundTrip(s) == "echo: hello\r\n")
        #expect(seen.values.count == 1)
        #expect(seen.values.first?.requestedServerName == nil)
    }

    @Test func ipAddressNameIsNotMatchedByAnotherAddressOrADNSEntry() throws {
        let issued = try authority.issue(dnsNames: ["127.0.0.1"], ipAddresses: ["127.0.0.2"])
        let error = try rejection(TLSServerConfiguration(serving: issued), name: "127.0.0.1")
        #expect(error.ErrorCode == 10053)
        #expect(error.VerificationFailure == "host name mismatch")
    }

    // MARK: Protocols

    @Test(arguments: [(TLSServerVersion.tls1_2, SSL_PROT_TLS1_2_CLIENT), (TLSServerVersion.tls1_3, SSL_PROT_TLS1_3_CLIENT)])
    func serverLimitedToOneVersionIsReached(version: TLSServerVersion, protocolBit: UInt32) throws {
        let issued = try authority.issue(dnsNames: ["mail.example.test"])
        let server = try lineEchoServer(TLSServerConfiguration(serving: issued, minimumVersion: version, maximumVersion: version))
        defer { server.stop() }
        let s = try SecureSockets.handshake(port: server.port, name: "mail.example.test", trusting: authority.root)
        defer { s.Close() }
        var info = [UInt8](repeating: 0, count: 28)
        try s.IOControl(SO_SSL_GET_CONNECTION_INFO, nil, &info)
        #expect(SecureSockets.dword(info, 0) == protocolBit)
        #expect(try roundTrip(s) == "echo: hello\r\n")
    }

    /// `SSLPROTOCOLS { dwCount = 1; { SSL_PROTOCOL_TLS1_3, 0, 0 } }`.
    static let tls13Only: [UInt8] = [1, 0, 0, 0] + BitConverter.GetBytes(SSL_PROTOCOL_TLS1_3) + [0, 0, 0, 0, 0, 0, 0, 0]

    @Test func tls13OnlySelectionRefusesATLS12OnlyServer() throws {
        let issued = try authority.issue(dnsNames: ["mail.example.test"])
        let server = try lineEchoServer(TLSServerConfiguration(serving: issued, minimumVersion: .tls1_2, maximumVersion: .tls1_2))
        defer { server.stop() }
        let s = try SecureSockets.make(trusting: authority.root, deferred: true)
        defer { s.Close() }
        try s.IOControl(SO_SSL_SET_PROTOCOLS, Self.tls13Only, nil)
        try s.Connect(SecureSockets.loopback(server.port))
        let error = try #require(throws: SocketException.self) {
            try s.IOControl(SO_SSL_PERFORM_HANDSHAKE, SecureSockets.nulTerminated("mail.example.test"), nil)
        }
        #expect(error.ErrorCode == 10053)
        #expect(!s.core.phase.isSecure)
        server.stop()
        #expect(server.handshakesCompleted == 0)
    }

    @Test func tls13OnlySelectionStillReachesATLS13Server() throws {
        let issued = try authority.issue(dnsNames: ["mail.example.test"])
        let server = try lineEchoServer(TLSServerConfiguration(serving: issued))
        defer { server.stop() }
        let s = try SecureSockets.make(trusting: authority.root, deferred: true)
        defer { s.Close() }
        try s.IOControl(SO_SSL_SET_PROTOCOLS, Self.tls13Only, nil)
        try s.Connect(SecureSockets.loopback(server.port))
        try s.IOControl(SO_SSL_PERFORM_HANDSHAKE, SecureSockets.nulTerminated("mail.example.test"), nil)
        #expect(s.core.sessionInfo?.version == .tls1_3)
    }

    @Test func protocolSelectionReadsBackAsItWasSet() throws {
        let s = try SecureSockets.make(trusting: nil, deferred: false)
        defer { s.Close() }
        var output = [UInt8](repeating: 0xee, count: 64)
        let defaultCount = try s.IOControl(SO_SSL_GET_PROTOCOLS, nil, &output)
        #expect(defaultCount == 28)
        #expect(Array(output[0..<28]) == [2, 0, 0, 0] + BitConverter.GetBytes(SSL_PROTOCOL_TLS1_2) + [UInt8](repeating: 0, count: 8)
            + BitConverter.GetBytes(SSL_PROTOCOL_TLS1_3) + [UInt8](repeating: 0, count: 8))

        try s.IOControl(SO_SSL_SET_PROTOCOLS, Self.tls13Only, nil)
        output = [UInt8](repeating: 0xee, count: 64)
        let count = try s.IOControl(SO_SSL_GET_PROTOCOLS, nil, &output)
        #expect(count == 16)
        #expect(Array(output[0..<16]) == Self.tls13Only)
        #expect(output[16] == 0xee)
    }

    // MARK: Connection information

    @Test(arguments: [
        ("TLS_AES_128_GCM_SHA256", CALG_AES_128, UInt32(128), CALG_SHA_256, UInt32(256)),
        ("TLS_AES_256_GCM_SHA384", CALG_AES_256, UInt32(256), CALG_SHA_384, UInt32(384)),
    ])
    func connectionInfoDescribesTheNegotiatedTLS13Suite(suite: String, cipher: UInt32, cipherBits: UInt32, hash: UInt32, hashBits: UInt32) throws {
        var configuration = TLSServerConfiguration(serving: try authority.issue(dnsNames: ["mail.example.test"]),
                                                   minimumVersion: .tls1_3, maximumVersion: .tls1_3)
        configuration.cipherSuites = suite
        let server = try lineEchoServer(configuration)
        defer { server.stop() }
        let s = try SecureSockets.handshake(port: server.port, name: "mail.example.test", trusting: authority.root)
        defer { s.Close() }

        var info = [UInt8](repeating: 0, count: 28)
        #expect(try s.IOControl(SO_SSL_GET_CONNECTION_INFO, nil, &info) == 28)
        #expect(SecureSockets.dword(info, 0) == SSL_PROT_TLS1_3_CLIENT)
        #expect(SecureSockets.dword(info, 1) == cipher)
        #expect(SecureSockets.dword(info, 2) == cipherBits)
        #expect(SecureSockets.dword(info, 3) == hash)
        #expect(SecureSockets.dword(info, 4) == hashBits)
        #expect(SecureSockets.dword(info, 5) == CALG_ECDH_EPHEM)
        #expect(SecureSockets.dword(info, 6) > 0)
    }

    @Test func connectionInfoDescribesTheNegotiatedTLS12Suite() throws {
        var configuration = TLSServerConfiguration(serving: try authority.issue(dnsNames: ["mail.example.test"]),
                                                   minimumVersion: .tls1_2, maximumVersion: .tls1_2)
        configuration.ciphers = "ECDHE-ECDSA-AES256-GCM-SHA384"
        let server = try lineEchoServer(configuration)
        defer { server.stop() }
        let s = try SecureSockets.handshake(port: server.port, name: "mail.example.test", trusting: authority.root)
        defer { s.Close() }

        var info = [UInt8](repeating: 0, count: 28)
        #expect(try s.IOControl(SO_SSL_GET_CONNECTION_INFO, nil, &info) == 28)
        #expect(SecureSockets.dword(info, 0) == SSL_PROT_TLS1_2_CLIENT)
        #expect(SecureSockets.dword(info, 1) == CALG_AES_256)
        #expect(SecureSockets.dword(info, 2) == 256)
        #expect(SecureSockets.dword(info, 3) == CALG_SHA_384)
        #expect(SecureSockets.dword(info, 4) == 384)
        #expect(SecureSockets.dword(info, 5) == CALG_ECDH_EPHEM)
    }

    @Test func connectionInfoBeforeTheHandshakeIsNotConnected() throws {
        let server = try lineEchoServer(TLSServerConfiguration(serving: authority.issue(dnsNames: ["mail.example.test"])))
        defer { server.stop() }
        let s = try SecureSockets.make(trusting: authority.root, deferred: true)
        defer { s.Close() }
        var info = [UInt8](repeating: 0, count: 28)
        let unconnected = try #require(throws: SocketException.self) { try s.IOControl(SO_SSL_GET_CONNECTION_INFO, nil, &info) }
        #expect(unconnected.ErrorCode == 10057)
        try s.Connect(SecureSockets.loopback(server.port))
        let plain = try #require(throws: SocketException.self) { try s.IOControl(SO_SSL_GET_CONNECTION_INFO, nil, &info) }
        #expect(plain.ErrorCode == 10057)
    }

    @Test func connectionInfoNeedsRoomFor28Bytes() throws {
        let server = try lineEchoServer(TLSServerConfiguration(serving: authority.issue(dnsNames: ["mail.example.test"])))
        defer { server.stop() }
        let s = try SecureSockets.handshake(port: server.port, name: "mail.example.test", trusting: authority.root)
        defer { s.Close() }
        var small = [UInt8](repeating: 0, count: 27)
        let error = try #require(throws: SocketException.self) { try s.IOControl(SO_SSL_GET_CONNECTION_INFO, nil, &small) }
        #expect(error.ErrorCode == 10022)
        #expect(small == [UInt8](repeating: 0, count: 27))
    }

    // MARK: Options

    @Test func capabilitiesAreClientOnly() throws {
        let s = try SecureSockets.make(trusting: nil, deferred: false)
        defer { s.Close() }
        var output = [UInt8](repeating: 0, count: 4)
        #expect(try s.IOControl(SO_SSL_GET_CAPABILITIES, nil, &output) == 4)
        #expect(SecureSockets.dword(output, 0) == SSL_CAP_CLIENT)
    }

    @Test func flagsReadBackAsTheyWereSet() throws {
        let s = try SecureSockets.make(trusting: nil, deferred: false)
        defer { s.Close() }
        var output = [UInt8](repeating: 0xee, count: 4)
        #expect(try s.IOControl(SO_SSL_GET_FLAGS, nil, &output) == 4)
        #expect(output == [0, 0, 0, 0])
        try s.IOControl(SO_SSL_SET_FLAGS, BitConverter.GetBytes(SSL_FLAG_DEFER_HANDSHAKE), nil)
        #expect(try s.IOControl(SO_SSL_GET_FLAGS, nil, &output) == 4)
        #expect(output == [8, 0, 0, 0])
    }

    @Test(arguments: [SSL_FLAG_SERVER, SSL_FLAG_AUTH_CLIENT, SSL_FLAG_SERVER | SSL_FLAG_DEFER_HANDSHAKE])
    func serverSideFlagsAreNotSupported(flags: UInt32) throws {
        let s = try SecureSockets.make(trusting: nil, deferred: false)
        defer { s.Close() }
        let error = try #require(throws: SocketException.self) { try s.IOControl(SO_SSL_SET_FLAGS, BitConverter.GetBytes(flags), nil) }
        #expect(error.ErrorCode == 10045)
        var output = [UInt8](repeating: 0xee, count: 4)
        try s.IOControl(SO_SSL_GET_FLAGS, nil, &output)
        #expect(output == [0, 0, 0, 0])
    }

    @Test func certificateHookReadsBackAsExactlyTheEightBytesSet() throws {
        let hook = try Marshal.GetFunctionPointerForDelegate({ _, _, _, _, _ in SSL_ERR_OKAY } as SSLVALIDATECERTFUNC)
        defer { Marshal.ReleaseFunctionPointer(hook) }
        let argument = try Marshal.AllocHGlobal(4)
        defer { try? Marshal.FreeHGlobal(argument) }
        let s = try SecureSockets.make(trusting: nil, deferred: false)
        defer { s.Close() }
        var output = [UInt8](repeating: 0xee, count: 12)
        #expect(try s.IOControl(SO_SSL_GET_VALIDATE_CERT_HOOK, nil, &output) == 8)
        #expect(Array(output[0..<8]) == [UInt8](repeating: 0, count: 8))

        let structure = SecureSockets.hookStructure(hook, argument)
        try s.IOControl(SO_SSL_SET_VALIDATE_CERT_HOOK, structure, nil)
        output = [UInt8](repeating: 0xee, count: 12)
        #expect(try s.IOControl(SO_SSL_GET_VALIDATE_CERT_HOOK, nil, &output) == 8)
        #expect(Array(output[0..<8]) == structure)
        #expect(Array(output[8...]) == [0xee, 0xee, 0xee, 0xee])
    }

    /// CE reports a peer-name mismatch through the hook's `dwFlags`, not as a failure of its own.
    @Test(arguments: [SO_SSL_SET_PEERNAME, SO_SSL_SET_PEERNAME_IN])
    func peerNameMismatchReachesTheHookAsIssuerUnknown(code: Int32) throws {
        let server = try lineEchoServer(TLSServerConfiguration(serving: authority.issue(dnsNames: ["mail.example.test"])))
        defer { server.stop() }
        let flags = Recorder<UInt32>()
        for peerName in ["mail.example.test", "other.example.test"] {
            // One registration per socket: a function pointer lives until the sockets that took it are done.
            let hook = try Marshal.GetFunctionPointerForDelegate({ _, _, _, _, dwFlags in
                flags.append(dwFlags)
                return SSL_ERR_OKAY
            } as SSLVALIDATECERTFUNC)
            let s = try SecureSockets.make(trusting: authority.root, deferred: false)
            defer { s.Close() }
            try s.IOControl(SO_SSL_SET_VALIDATE_CERT_HOOK, SecureSockets.hookStructure(hook, .Zero), nil)
            try s.IOControl(code, SecureSockets.nulTerminated(peerName), nil)
            try s.Connect(SecureSockets.loopback(server.port))
            #expect(s.core.phase.isSecure)
        }
        #expect(flags.values == [0, SSL_CERT_FLAG_ISSUER_UNKNOWN])
    }

    // MARK: Trust

    @Test func rootInTheProcessTrustStoreIsTrustedBySocketsWithoutRootsOfTheirOwn() throws {
        let server = try lineEchoServer(TLSServerConfiguration(serving: authority.issue(dnsNames: ["mail.example.test"])))
        defer { server.stop() }
        let untrusted = try SecureSockets.handshakeFailure(port: server.port, name: "mail.example.test", trusting: nil)
        #expect(untrusted.VerificationFailure == "unable to get local issuer certificate")

        TrustStore.process.add(authority.root)
        defer { TrustStore.process.remove(authority.root) }
        let s = try SecureSockets.handshake(port: server.port, name: "mail.example.test", trusting: nil)
        defer { s.Close() }
        #expect(try roundTrip(s) == "echo: hello\r\n")
    }
}
