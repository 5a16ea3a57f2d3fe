import NetCF
import Testing
import WinsockSSLTesting

/// The certificate hook (`SSLVALIDATECERTFUNC`) as CE called it, registered the blog's way with
/// `Marshal.GetFunctionPointerForDelegate` and `SO_SSL_SET_VALIDATE_CERT_HOOK`.
@Suite struct CertificateHookTests {
    let authority: TestCertificateAuthority

    init() throws {
        authority = try TestCertificateAuthority()
    }

    /// One call of the hook, with the BLOB read out while the call ran.
    struct Call: Sendable {
        var type: UInt32
        var argument: IntPtr
        var chainLength: UInt32
        var chain: IntPtr
        var blobData: IntPtr
        var certificate: [UInt8]?
        var flags: UInt32
    }

    /// A hook that records each call and answers `result`.
    func recordingHook(_ calls: Recorder<Call>, returning result: Int32) throws -> IntPtr {
        try Marshal.GetFunctionPointerForDelegate({ dwType, pvArg, dwChainLen, pCertChain, dwFlags in
            var blobData = IntPtr.Zero
            var certificate: [UInt8]?
            if let cbSize = try? Marshal.ReadInt32(pCertChain), let data = try? Marshal.ReadIntPtr(pCertChain + 4) {
                blobData = data
                var bytes = [UInt8](repeating: 0, count: Int(cbSize))
                if (try? Marshal.Copy(data, &bytes, 0, Int(cbSize))) != nil { certificate = bytes }
            }
            calls.append(Call(type: dwType, argument: pvArg, chainLength: dwChainLen, chain: pCertChain,
                              blobData: blobData, certificate: certificate, flags: dwFlags))
            return result
        } as SSLVALIDATECERTFUNC)
    }

    /// Connects a deferred socket with `hook` to `server` and performs the handshake for mail.example.test.
    func handshake(_ server: TLSTestServer, hook: IntPtr, argument: IntPtr = .Zero, trusting root: Certificate?) throws -> Socket {
        let s = try SecureSockets.make(trusting: root, deferred: true)
        do {
            try s.IOControl(SO_SSL_SET_VALIDATE_CERT_HOOK, SecureSockets.hookStructure(hook, argument), nil)
            try s.Connect(SecureSockets.loopback(server.port))
            try s.IOControl(SO_SSL_PERFORM_HANDSHAKE, SecureSockets.nulTerminated("mail.example.test"), nil)
        } catch {
            s.Close()
            throw error
        }
        return s
    }

    @Test func hookGetsTheServerCertificateAsOneX509BlobOncePerHandshake() throws {
        let intermediate = try authority.intermediate(commonName: "WinsockSSL Test Intermediate")
        let issued = try intermediate.issue(dnsNames: ["mail.example.test"])
        let server = try lineEchoServer(TLSServerConfiguration(serving: issued))
        defer { server.stop() }
        let calls = Recorder<Call>()
        let hook = try recordingHook(calls, returning: SSL_ERR_OKAY)
        defer { Marshal.ReleaseFunctionPointer(hook) }
        let argument = try Marshal.StringToHGlobalAnsi("mail.example.test")
        defer { try? Marshal.FreeHGlobal(argument) }

        let s = try handshake(server, hook: hook, argument: argument, trusting: authority.root)
        defer { s.Close() }

        let call = try #require(calls.values.count == 1 ? calls.values.first : nil, "\(calls.values.count) calls")
        #expect(call.type == SSL_CERT_X509)
        #expect(call.argument == argument)
        #expect(call.chainLength == 1)
        #expect(call.certificate == issued.certificate.derEncoded, "the BLOB must hold the server's own certificate, readable during the call")
        #expect(call.flags == 0)
    }

    @Test func blobAndCertificateBytesAreFreedAfterTheCall() throws {
        let server = try lineEchoServer(TLSServerConfiguration(serving: authority.issue(dnsNames: ["mail.example.test"])))
        defer { server.stop() }
        let calls = Recorder<Call>()
        let hook = try recordingHook(calls, returning: SSL_ERR_OKAY)
        defer { Marshal.ReleaseFunctionPointer(hook) }

        let s = try handshake(server, hook: hook, trusting: authority.root)
        defer { s.Close() }

        // Other tests share the heap in parallel, so the blocks are checked by address, not by liveBlockCount.
        let call = try #require(calls.values.first)
        #expect(call.chain != .Zero && call.blobData != .Zero)
        #expect(UnmanagedHeap.shared.block(containing: call.chain.address) == nil)
        #expect(UnmanagedHeap.shared.block(containing: call.blobData.address) == nil)
        #expect(throws: AccessViolationException.self) { try Marshal.ReadInt32(call.chain) }
    }

    @Test func hookSeesIssuerUnknownForACertificateFromAnUnknownAuthority() throws {
        let stranger = try TestCertificateAuthority(commonName: "Unknown Test CA")
        let server = try lineEchoServer(TLSServerConfiguration(serving: stranger.issue(dnsNames: ["mail.example.test"])))
        defer { server.stop() }
        let calls = Recorder<Call>()
        let hook = try recordingHook(calls, returning: SSL_ERR_CERT_UNKNOWN)
        defer { Marshal.ReleaseFunctionPointer(hook) }

        let error = try #require(throws: SocketException.self) { _ = try handshake(server, hook: hook, trusting: authority.root) }
        #expect(error.ErrorCode == 10053)
        #expect(calls.values.map(\.flags) == [SSL_CERT_FLAG_ISSUER_UNKNOWN])
    }

    /// CE semantics: the hook has the last word, so a hook that answers SSL_ERR_OKAY accepts what
    /// default verification would refuse.
    @Test func hookReturningOkayAcceptsAnUntrustedCertificate() throws {
        let server = try lineEchoServer(TLSServerConfiguration(serving: TestCertificateAuthority.selfSigned(dnsNames: ["mail.example.test"])))
        defer { server.stop() }
        let calls = Recorder<Call>()
        let hook = try recordingHook(calls, returning: SSL_ERR_OKAY)
        defer { Marshal.ReleaseFunctionPointer(hook) }

        let s = try handshake(server, hook: hook, trusting: nil)
        defer { s.Close() }
        #expect(calls.values.map(\.flags) == [SSL_CERT_FLAG_ISSUER_UNKNOWN])
        #expect(s.core.phase.isSecure)
        try s.Send(Encoding.ASCII.GetBytes("hello\r\n"))
        #expect(try SecureSockets.receiveLine(s) == "echo: hello\r\n")
    }

    /// Even for a chain that verifies, any answer but SSL_ERR_OKAY refuses the server.
    @Test(arguments: [SSL_ERR_FAILED, SSL_ERR_BAD_TYPE, SSL_ERR_BAD_DATA, SSL_ERR_CERT_EXPIRED, SSL_ERR_CERT_REVOKED,
                      SSL_ERR_CERT_UNKNOWN, SSL_ERR_SIGNATURE, 1, -1, 12])
    func hookReturningAnythingButOkayFailsTheHandshakeCarryingThatValue(result: Int32) throws {
        let server = try lineEchoServer(TLSServerConfiguration(serving: authority.issue(dnsNames: ["mail.example.test"])))
        defer { server.stop() }
        let calls = Recorder<Call>()
        let hook = try recordingHook(calls, returning: result)
        defer { Marshal.ReleaseFunctionPointer(hook) }

        let error = try #require(throws: SocketException.self) { _ = try handshake(server, hook: hook, trusting: authority.root) }
        #expect(error.ErrorCode == 10053)
        #expect(error.CertificateHookResult == result)
        #expect(calls.values.map(\.flags) == [0])
        server.stop()
        #expect(server.handshakesCompleted == 0)
    }

    @Test func hookPointerFromAnywhereButGetFunctionPointerForDelegateIsRefusedWhenSet() throws {
        let data = try Marshal.AllocHGlobal(16)
        defer { try? Marshal.FreeHGlobal(data) }
        let released = try Marshal.GetFunctionPointerForDelegate({ _, _, _, _, _ in SSL_ERR_OKAY } as SSLVALIDATECERTFUNC)
        Marshal.ReleaseFunctionPointer(released)

        let s = try SecureSockets.make(trusting: nil, deferred: true)
        defer { s.Close() }
        for pointer in [data, released] {
            let error = try #require(throws: SocketException.self) {
                try s.IOControl(SO_SSL_SET_VALIDATE_CERT_HOOK, SecureSockets.hookStructure(pointer, .Zero), nil)
            }
            #expect(error.ErrorCode == 10022)
        }
        var output = [UInt8](repeating: 0xee, count: 8)
        try s.IOControl(SO_SSL_GET_VALIDATE_CERT_HOOK, nil, &output)
        #expect(output == [UInt8](repeating: 0, count: 8))
    }
}
