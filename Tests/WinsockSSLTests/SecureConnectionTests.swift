import Testing
import WinsockSSL
import WinsockSSLTesting

/// The Swift-native client API.
@Suite struct SecureConnectionTests {
    let authority: TestCertificateAuthority

    init() throws {
        authority = try TestCertificateAuthority()
    }

    func configuration(_ name: String) -> TLSConfiguration {
        var configuration = TLSConfiguration(peerName: name)
        configuration.additionalTrustRoots = [authority.root]
        configuration.trustsProcessRoots = false
        return configuration
    }

    @Test func connectVerifiesAndCarriesDataBothWays() throws {
        let issued = try authority.issue(dnsNames: ["localhost"])
        let server = try TLSTestServer(configuration: TLSServerConfiguration(serving: issued),
                                       handler: TLSTestServer.echo)
        defer { server.stop() }
        let connection = try SecureConnection.connect(to: "localhost", port: server.port, configuration: configuration("localhost"))
        defer { connection.close() }
        connection.socket.receiveTimeout = .seconds(10)
        try connection.write(Array("ping".utf8))
        var received: [UInt8] = []
        while received.count < 4 { received += try connection.read(upTo: 4 - received.count) }
        #expect(received == Array("ping".utf8))
        #expect(connection.info?.peerCertificate == issued.certificate)
    }

    /// A certificate a handshake has just presented is not parsed again when a hook builds one from its DER
    /// (`Certificate(derEncoded:)` reuses OpenSSL's parse); what it returns must be what a parse gives, and
    /// the DER with anything after it must still be refused.
    @Test func certificateFromPresentedDERIsTheSameAsAFreshParse() throws {
        let issued = try authority.issue(dnsNames: ["reuse.example.test", "*.wild.example.test"], ipAddresses: ["127.0.0.1"])
        let parsedBeforeAnyHandshake = issued.certificate
        let server = try TLSTestServer(configuration: TLSServerConfiguration(serving: issued), handler: TLSTestServer.echo)
        defer { server.stop() }
        let connection = try SecureConnection.connect(to: "127.0.0.1", port: server.port, configuration: configuration("127.0.0.1"))
        let der = try #require(connection.info?.peerCertificate?.derEncoded)
        connection.close()

        let rebuilt = try Certificate(derEncoded: der)
        #expect(rebuilt == parsedBeforeAnyHandshake)
        #expect(rebuilt.subject == parsedBeforeAnyHandshake.subject)
        #expect(rebuilt.issuer == parsedBeforeAnyHandshake.issuer)
        #expect(rebuilt.notValidBefore == parsedBeforeAnyHandshake.notValidBefore)
        #expect(rebuilt.notValidAfter == parsedBeforeAnyHandshake.notValidAfter)
        #expect(rebuilt.serialNumber == parsedBeforeAnyHandshake.serialNumber)
        #expect(rebuilt.subjectAlternativeNames == parsedBeforeAnyHandshake.subjectAlternativeNames)
        #expect(rebuilt.matches(hostName: "a.wild.example.test") && rebuilt.matches(hostName: "127.0.0.1"))
        #expect(!rebuilt.matches(hostName: "other.example.test"))
        #expect(throws: CertificateError.self) { try Certificate(derEncoded: der + [0]) }
    }

    @Test func upgradeAfterPlainTextPrelude() throws {
        let issued = try authority.issue(dnsNames: ["mail.example.test"])
        let server = try TLSTestServer(configuration: TLSServerConfiguration(serving: issued)) { connection in
            try connection.writePlain("220 go\r\n")
            try connection.startTLS()
            try connection.write("secret\r\n")
        }
        defer { server.stop() }
        let socket = try StreamSocket(family: .ipv4)
        defer { socket.close() }
        socket.receiveTimeout = .seconds(10)
        try socket.connect(to: SocketEndpoint(address: .loopbackIPv4, port: server.port))
        var banner = [UInt8](repeating: 0, count: 8)
        var got = 0
        while got < 8 {
            got += try banner.withUnsafeMutableBytes { buffer in
                try socket.receive(into: UnsafeMutableRawBufferPointer(rebasing: buffer[got...]))
            }
        }
        #expect(banner == Array("220 go\r\n".utf8))
        let connection = try SecureConnection.upgrade(socket, configuration: configuration("mail.example.test"))
        var text: [UInt8] = []
        while text.count < 8 { text += try connection.read(upTo: 64) }
        #expect(text == Array("secret\r\n".utf8))
    }

    @Test func customVerificationSeesChainAndOpenSSLVerdict() throws {
        let issued = try TestCertificateAuthority.selfSigned(dnsNames: ["localhost"])
        let server = try TLSTestServer(configuration: TLSServerConfiguration(serving: issued),
                                       handler: TLSTestServer.echo)
        defer { server.stop() }
        var configuration = TLSConfiguration(peerName: "localhost")
        configuration.trustsProcessRoots = false
        let pinned = issued.certificate
        configuration.verification = .custom { context in
            // A self-signed certificate fails OpenSSL's chain check; pinning it by value accepts it anyway.
            guard context.chainFailure != nil, context.peerNameMatches == true else { return .reject(reason: "unexpected verdict") }
            return context.leaf == pinned ? .accept : .reject(reason: "not the pinned certificate")
        }
        let connection = try SecureConnection.connect(to: "localhost", port: server.port, configuration: configuration)
        connection.close()
    }

    @Test func untrustedServerIsRejectedWithTheReason() throws {
        let stranger = try TestCertificateAuthority(commonName: "Stranger CA")
        let issued = try stranger.issue(dnsNames: ["localhost"])
        let server = try TLSTestServer(configuration: TLSServerConfiguration(serving: issued),
                                       handler: TLSTestServer.echo)
        defer { server.stop() }
        let error = try #require(throws: WinsockError.self) {
            try SecureConnection.connect(to: "localhost", port: server.port, configuration: configuration("localhost"))
        }
        #expect(error.code == .connectionAborted)
        #expect(error.verificationFailure?.contains("issuer") == true)
    }

    @Test func upgradeWithoutPeerNameIsRefusedBeforeSending() throws {
        let socket = try StreamSocket(family: .ipv4)
        defer { socket.close() }
        let listener = try ListeningSocket()
        defer { listener.close() }
        try socket.connect(to: listener.localEndpoint)
        let error = try #require(throws: WinsockError.self) {
            try SecureConnection.upgrade(socket, configuration: TLSConfiguration())
        }
        #expect(error.code == .invalidArgument)
    }

    @Test func writingAfterTheServerClosedFailsInsteadOfRaisingSIGPIPE() throws {
        let issued = try authority.issue(dnsNames: ["localhost"])
        let server = try TLSTestServer(configuration: TLSServerConfiguration(serving: issued)) { connection in
            try connection.startTLS()
            connection.reset()
        }
        defer { server.stop() }
        let connection = try SecureConnection.connect(to: "localhost", port: server.port, configuration: configuration("localhost"))
        defer { connection.close() }
        let chunk = [UInt8](repeating: 0x41, count: 64 * 1024)
        // Without MSG_NOSIGNAL the kernel would end the test process with SIGPIPE here.
        let error = try #require(throws: WinsockError.self) {
            for _ in 0..<1000 { try connection.write(chunk) }
        }
        #expect(error.code == .connectionReset)
    }
}
