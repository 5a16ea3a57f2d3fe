import Testing
import WinsockSSL
import WinsockSSLTesting

/// The provider's typed operations, which the .NET and C surfaces both call.
@Suite struct ProviderSettingsTests {
    let authority: TestCertificateAuthority

    init() throws {
        authority = try TestCertificateAuthority()
    }

    /// The hook is the object given at the ioctl; nothing is looked up at handshake time, so the socket keeps
    /// it alive alone. It runs once, on the handshaking thread, with the leaf's DER and the trust flag.
    @Test func hookObjectIsKeptByTheSocketAndCalledOnceWithTheLeafDER() throws {
        let issued = try authority.issue(dnsNames: ["hook.example.test"])
        let server = try TLSTestServer(configuration: TLSServerConfiguration(serving: issued), handler: TLSTestServer.echo)
        defer { server.stop() }
        let calls = Locked<[([UInt8], UInt32)]>([])
        let socket = try WinsockSocket(family: .ipv4)
        defer { socket.close() }
        try socket.setSecurity(SO_SEC_SSL)
        try socket.setSSLFlags(SSL_FLAG_DEFER_HANDSHAKE)
        do {
            let hook = CertificateHookBinding(function: 0x1234, argument: 0x5678) { der, flags in
                calls.withLock { $0.append((der, flags)) }
                return SSL_ERR_OKAY
            }
            try socket.setCertificateHook(hook)
        }
        #expect(socket.certificateHook?.function == 0x1234)
        #expect(socket.certificateHook?.argument == 0x5678)
        try socket.connect(to: server.endpoint)
        try socket.performHandshake(name: nil)
        let recorded = calls.withLock { $0 }
        #expect(recorded.count == 1)
        #expect(recorded.first?.0 == issued.certificate.derEncoded)
        #expect(recorded.first?.1 == SSL_CERT_FLAG_ISSUER_UNKNOWN)
        let info = try socket.connectionInfo()
        #expect(info.dwProtocol == SSL_PROT_TLS1_3_CLIENT)
        #expect(info.structure.count == 28)
    }

    /// The byte-buffer path of the .NET surface resolves the heap address at the ioctl: unregistering the
    /// function afterwards (the delegate's thunk going away) does not take the hook from the socket, and the
    /// hook still gets a `BLOB` in the heap holding the DER.
    @Test func heapHookIsResolvedAtTheIoctlAndOutlivesItsRegistration() throws {
        let issued = try authority.issue(dnsNames: ["hook.example.test"])
        let server = try TLSTestServer(configuration: TLSServerConfiguration(serving: issued), handler: TLSTestServer.echo)
        defer { server.stop() }
        let heap = UnmanagedHeap()
        let seen = Locked<[UInt8]?>(nil)
        let function = try heap.registerFunction(CertificateHook(call: { type, argument, chainLength, chain, flags in
            guard type == SSL_CERT_X509, argument == 0x4242, chainLength == 1,
                  let length = try? heap.readUInt32(chain), let data = try? heap.readUInt32(chain + 4) else { return SSL_ERR_BAD_DATA }
            seen.withLock { $0 = try? heap.read(data, count: Int(length)) }
            return SSL_ERR_OKAY
        }, delegate: 0))
        let socket = try WinsockSocket(family: .ipv4)
        defer { socket.close() }
        try socket.setSecurity(SO_SEC_SSL)
        let structure: [UInt8] = [function, 0x4242].flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        _ = try socket.ioControl(SO_SSL_SET_VALIDATE_CERT_HOOK, input: structure, outputCapacity: 0, in: heap)
        heap.unregisterFunction(function)
        #expect(try socket.ioControl(SO_SSL_GET_VALIDATE_CERT_HOOK, input: nil, outputCapacity: 8, in: heap) == structure)
        try socket.connect(to: server.endpoint)
        #expect(seen.withLock { $0 } == issued.certificate.derEncoded)
        #expect(heap.liveBlockCount == 0)
    }

    @Test func hookThatRejectsFailsTheHandshakeWithItsCode() throws {
        let issued = try authority.issue(dnsNames: ["hook.example.test"])
        let server = try TLSTestServer(configuration: TLSServerConfiguration(serving: issued), handler: TLSTestServer.echo)
        defer { server.stop() }
        let socket = try WinsockSocket(family: .ipv4)
        defer { socket.close() }
        try socket.setSecurity(SO_SEC_SSL)
        try socket.setCertificateHook(CertificateHookBinding(function: 1, argument: 0) { _, _ in SSL_ERR_CERT_UNKNOWN })
        let error = try #require(throws: WinsockError.self) { try socket.connect(to: server.endpoint) }
        #expect(error.code == .connectionAborted)
        #expect(error.certificateHookResult == SSL_ERR_CERT_UNKNOWN)
    }

    @Test func settingsNeedSOSecureFirst() throws {
        let socket = try WinsockSocket(family: .ipv4)
        defer { socket.close() }
        let hook = CertificateHookBinding(function: 1, argument: 0) { _, _ in SSL_ERR_OKAY }
        for attempt in [{ try socket.setSSLFlags(SSL_FLAG_DEFER_HANDSHAKE) }, { try socket.setCertificateHook(hook) },
                        { try socket.setPeerName("a.example.test") }, { try socket.setProtocols(.standard) }]
            as [() throws -> Void] {
            let error = try #require(throws: WinsockError.self) { try attempt() }
            #expect(error.code == .invalidArgument)
            #expect(error.detail.contains("SO_SECURE"), "\(error.detail)")
        }
        #expect(socket.certificateHook == nil)
    }

    @Test func protocolEntriesGiveTheVersionRange() throws {
        let selection = try ProtocolSelection(entries: [ProtocolSelection.Entry(protocolValue: SSL_PROTOCOL_TLS1_3)])
        #expect(selection.minimum == .tls1_3 && selection.maximum == .tls1_3)
        #expect(try ProtocolSelection(structure: selection.structure) == selection)
        #expect(throws: WinsockError.self) { try ProtocolSelection(entries: []) }
        #expect(throws: WinsockError.self) { try ProtocolSelection(entries: [.init(protocolValue: 99)]) }
    }
}
