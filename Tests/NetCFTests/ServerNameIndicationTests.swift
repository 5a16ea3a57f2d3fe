import NetCF
import Testing
import WinsockSSL
import WinsockSSLTesting

/// Which server name (SNI) a secure socket sends, against `openssl s_server` choosing its certificate by it:
/// the named certificate only for the right name, a fallback certificate for another name or none.
///
/// The name sent is the peer name — `SO_SSL_SET_PEERNAME`, else the `SO_SSL_PERFORM_HANDSHAKE` name, else the
/// name the socket connected by — and, when none of these is known, the name `Dns` last resolved to the
/// connected address in this process. An IP address is never sent.
@Suite struct ServerNameIndicationTests {
    let authority: TestCertificateAuthority
    let fallback: IssuedCertificate

    init() throws {
        authority = try TestCertificateAuthority()
        fallback = try authority.issue(dnsNames: ["fallback.sni.test"])
    }

    /// A server on its own loopback address serving a certificate for a name of its own (under "sni.test")
    /// to clients that send that name, and the fallback certificate to all others.
    func server(ipAddressInFallback: Bool = false) throws -> SNISelectingServer {
        let name = "host\(UInt32.random(in: 0...UInt32.max)).sni.test"
        let address = SNISelectingServer.uniqueLoopbackAddress()
        let fallback = ipAddressInFallback ? try authority.issue(dnsNames: ["fallback.sni.test"], ipAddresses: [address]) : self.fallback
        return try SNISelectingServer(name: name, address: address, named: authority.issue(dnsNames: [name]), fallback: fallback)
    }

    func endpoint(_ server: SNISelectingServer) throws -> IPEndPoint {
        IPEndPoint(try IPAddress.Parse(server.address), Int(server.port))
    }

    /// The DNS names of the certificate the server presented on `s`.
    func presentedNames(_ s: Socket) -> [SubjectAlternativeName] {
        s.core.sessionInfo?.peerCertificate?.subjectAlternativeNames ?? []
    }

    /// Performs the deferred handshake (with `name`, if any) on `s`; a non-deferred socket did it in `Connect`.
    func finishHandshake(_ s: Socket, deferred: Bool, name: String? = nil) throws {
        guard deferred else { return }
        try s.IOControl(SO_SSL_PERFORM_HANDSHAKE, name.map(SecureSockets.nulTerminated), nil)
    }

    // MARK: Each source of the name

    @Test(arguments: [false, true])
    func peerNameIsSent(deferred: Bool) throws {
        let server = try server()
        defer { server.stop() }
        let s = try SecureSockets.make(trusting: authority.root, deferred: deferred)
        defer { s.Close() }
        try s.IOControl(SO_SSL_SET_PEERNAME, SecureSockets.nulTerminated(server.name), nil)
        try s.Connect(try endpoint(server))
        try finishHandshake(s, deferred: deferred)
        // The standard check for the name passed: the server picked the named certificate.
        #expect(presentedNames(s) == [.dnsName(server.name)])
        s.Close()
        #expect(try server.sentServerNames() == [server.name])
    }

    @Test func handshakeNameIsSent() throws {
        let server = try server()
        defer { server.stop() }
        let s = try SecureSockets.make(trusting: authority.root, deferred: true)
        defer { s.Close() }
        try s.Connect(try endpoint(server))
        try finishHandshake(s, deferred: true, name: server.name)
        #expect(presentedNames(s) == [.dnsName(server.name)])
        s.Close()
        #expect(try server.sentServerNames() == [server.name])
    }

    @Test(arguments: [false, true])
    func nameTheSocketConnectedByIsSent(deferred: Bool) throws {
        let server = try server()
        defer { server.stop() }
        HostsTable.shared.set(server.name, to: [server.endpoint.address])
        defer { HostsTable.shared.remove(server.name) }
        let s = try SecureSockets.make(trusting: authority.root, deferred: deferred)
        defer { s.Close() }
        try s.Connect(server.name, Int(server.port))
        try finishHandshake(s, deferred: deferred)
        #expect(presentedNames(s) == [.dnsName(server.name)])
        s.Close()
        #expect(try server.sentServerNames() == [server.name])
    }

    /// The issue's case: the blog's `SslHelper(s, host)`, `Dns.GetHostEntry(host)`, `Connect(IPEndPoint)`.
    /// The provider knew no name (the host is only the hook's argument); now the name `Dns` resolved to the
    /// address is sent, the server picks the right certificate and the blog's own hook accepts it.
    @Test func nameDnsResolvedToTheAddressIsSentForTheBlogsNonDeferredHelper() throws {
        let server = try server()
        defer { server.stop() }
        HostsTable.shared.set(server.name, to: [server.endpoint.address])
        defer { HostsTable.shared.remove(server.name) }
        let s = try SecureSockets.make(trusting: authority.root, deferred: false)
        defer { s.Close() }
        let helper = try SslHelper(s, server.name)
        defer { helper.Dispose() }
        let entry = try Dns.GetHostEntry(server.name)
        try s.Connect(IPEndPoint(entry.AddressList[0], Int(server.port)))
        #expect(presentedNames(s) == [.dnsName(server.name)])
        s.Close()
        #expect(try server.sentServerNames() == [server.name])
    }

    /// Deferred, with a hook and no name at the handshake: the `Dns` name is sent, but it is not the peer
    /// name — the hook is told the chain verified and nothing about a name (no name was checked).
    @Test func nameDnsResolvedToTheAddressIsSentForADeferredHandshakeWithoutAName() throws {
        let server = try server()
        defer { server.stop() }
        HostsTable.shared.set(server.name, to: [server.endpoint.address])
        defer { HostsTable.shared.remove(server.name) }
        let flags = Recorder<UInt32>()
        let hook = try Marshal.GetFunctionPointerForDelegate({ _, _, _, _, dwFlags in
            flags.append(dwFlags)
            return SSL_ERR_OKAY
        } as SSLVALIDATECERTFUNC)
        defer { Marshal.ReleaseFunctionPointer(hook) }
        let s = try SecureSockets.make(trusting: authority.root, deferred: true)
        defer { s.Close() }
        try s.IOControl(SO_SSL_SET_VALIDATE_CERT_HOOK, SecureSockets.hookStructure(hook, .Zero), nil)
        let addresses = try Dns.GetHostAddresses(server.name)
        try s.Connect(IPEndPoint(addresses[0], Int(server.port)))
        try finishHandshake(s, deferred: true)
        #expect(flags.values == [0])
        #expect(presentedNames(s) == [.dnsName(server.name)])
        s.Close()
        #expect(try server.sentServerNames() == [server.name])
    }

    // MARK: What a name from Dns does not do

    /// Without a hook a certificate is verified for a name, and a name learned from `Dns` is never that name
    /// (another part of the process may have resolved another name to the same address since): the handshake
    /// is refused before anything is sent, and the message says why the resolved name was not used.
    @Test(arguments: [false, true])
    func nameFromDnsIsNotTrustedToVerifyTheCertificate(deferred: Bool) throws {
        let server = try server()
        defer { server.stop() }
        HostsTable.shared.set(server.name, to: [server.endpoint.address])
        defer { HostsTable.shared.remove(server.name) }
        let s = try SecureSockets.make(trusting: authority.root, deferred: deferred)
        defer { s.Close() }
        _ = try Dns.GetHostEntry(server.name)
        let error = try #require(throws: SocketException.self) {
            try s.Connect(try endpoint(server))
            try finishHandshake(s, deferred: deferred)
        }
        #expect(error.ErrorCode == 10022)
        #expect(error.Message.contains("\"\(server.name)\" was resolved to this address earlier in the process"), "\(error.Message)")
        #expect(error.Message.contains("only sent as the server name (SNI), never trusted to verify the certificate"), "\(error.Message)")
        #expect(s.core.phase.isPlain)
        #expect(s.Connected == deferred)
    }

    /// A peer name wins over the name `Dns` resolved to the address.
    @Test(arguments: [false, true])
    func peerNameWinsOverTheNameDnsResolved(deferred: Bool) throws {
        let server = try server()
        defer { server.stop() }
        HostsTable.shared.set(server.name, to: [server.endpoint.address])
        defer { HostsTable.shared.remove(server.name) }
        _ = try Dns.GetHostAddresses(server.name)
        let s = try SecureSockets.make(trusting: authority.root, deferred: deferred)
        defer { s.Close() }
        try s.IOControl(SO_SSL_SET_PEERNAME, SecureSockets.nulTerminated("fallback.sni.test"), nil)
        try s.Connect(try endpoint(server))
        try finishHandshake(s, deferred: deferred)
        #expect(presentedNames(s) == [.dnsName("fallback.sni.test")])
        s.Close()
        #expect(try server.sentServerNames() == ["fallback.sni.test"])
    }

    // MARK: Never an address

    /// An address as the peer name is checked against the certificate's IP entries and never sent, even
    /// written with a trailing dot; and resolving an address records no name for it.
    @Test(arguments: [(false, ""), (true, ""), (true, ".")])
    func ipAddressIsNeverSent(deferred: Bool, suffix: String) throws {
        let server = try server(ipAddressInFallback: true)
        defer { server.stop() }
        _ = try Dns.GetHostEntry(server.address)
        _ = try? Dns.GetHostAddresses(server.address + ".")
        #expect(ResolvedNames.shared.name(for: server.endpoint.address) == nil)
        let flags = Recorder<UInt32>()
        let hook = try Marshal.GetFunctionPointerForDelegate({ _, _, _, _, dwFlags in
            flags.append(dwFlags)
            return SSL_ERR_OKAY
        } as SSLVALIDATECERTFUNC)
        defer { Marshal.ReleaseFunctionPointer(hook) }
        let s = try SecureSockets.make(trusting: authority.root, deferred: deferred)
        defer { s.Close() }
        if !suffix.isEmpty {
            // A name the certificate check cannot match: let the hook have the last word.
            try s.IOControl(SO_SSL_SET_VALIDATE_CERT_HOOK, SecureSockets.hookStructure(hook, .Zero), nil)
        }
        try s.IOControl(SO_SSL_SET_PEERNAME, SecureSockets.nulTerminated(server.address + suffix), nil)
        try s.Connect(try endpoint(server))
        try finishHandshake(s, deferred: deferred)
        #expect(s.core.phase.isSecure)
        #expect(presentedNames(s).contains(.dnsName("fallback.sni.test")))
        s.Close()
        #expect(try server.sentServerNames() == [])
    }
}
