import CWinsockCE
import Foundation
import Testing
import WinsockSSL
import WinsockSSLTesting

/// The secure-socket provider through the C interface, against real TLS servers on loopback.
@Suite struct WinsockCESecureTests {
    let authority: TestCertificateAuthority

    init() throws {
        startWinsock()
        authority = try TestCertificateAuthority()
    }

    /// A STARTTLS-style server: greets in plain text, waits for "STARTTLS", answers, then handshakes and echoes.
    func startTLSServer(_ issued: IssuedCertificate) throws -> TLSTestServer {
        try TLSTestServer(configuration: TLSServerConfiguration(serving: issued)) { connection in
            try connection.writePlain("220 ready\r\n")
            guard try connection.readLine() == "STARTTLS" else { return }
            try connection.writePlain("220 go ahead\r\n")
            try TLSTestServer.echo(connection)
        }
    }

    /// Connects a secure, deferred socket with `probe` as its hook and reads the greeting; returns the socket.
    func deferredSocket(to server: TLSTestServer, probe: HookProbe) throws -> SOCKET {
        let s = WinsockCE_socket(2, 1, 6)
        try #require(s != invalidSocket)
        try #require(setSecure(s) == 0)
        try #require(installHook(s, probe) == 0)
        try #require(deferHandshake(s) == 0)
        try #require(connect(s, to: server.endpoint) == 0, "\(lastErrorText)")
        var timeout = DWORD(10_000)
        _ = withUnsafeBytes(of: &timeout) { WinsockCE_setsockopt(s, 0xffff, 0x1006, $0.baseAddress!.assumingMemoryBound(to: CChar.self), 4) }
        #expect(receive(s).1 == "220 ready\r\n")
        #expect(send(s, "STARTTLS\r\n") == 10)
        #expect(receive(s).1 == "220 go ahead\r\n")
        return s
    }

    @Test func deferredHandshakeWithNullNameCallsTheHookOnceWithTheLeafDER() throws {
        let issued = try authority.issue(dnsNames: ["mail.example.test"])
        let server = try startTLSServer(issued)
        defer { server.stop() }
        let probe = HookProbe(answer: WinsockSSL.SSL_ERR_OKAY)
        defer { withExtendedLifetime(probe) {} }
        let s = try deferredSocket(to: server, probe: probe)
        defer { _ = WinsockCE_closesocket(s) }

        var returned = DWORD(99)
        #expect(ioctl(s, WinsockSSL.SO_SSL_PERFORM_HANDSHAKE, returned: &returned) == 0, "\(lastErrorText)")
        #expect(returned == 0)
        let calls = probe.calls
        #expect(calls.count == 1)
        #expect(calls.first?.type == 1 && calls.first?.chainLength == 1)
        #expect(calls.first?.der == issued.certificate.derEncoded)
        #expect(calls.first?.flags == 1, "the test CA is not trusted: SSL_CERT_FLAG_ISSUER_UNKNOWN")
        #expect(calls.first?.thread == Thread.current, "the hook runs on the calling thread")

        #expect(send(s, "hello over TLS") == 14)
        #expect(receive(s).1 == "hello over TLS")
        var info = SSLCONNECTIONINFO()
        #expect(ioctl(s, WinsockSSL.SO_SSL_GET_CONNECTION_INFO, output: &info, MemoryLayout<SSLCONNECTIONINFO>.size, returned: &returned) == 0)
        #expect(returned == 28)
        #expect(info.dwProtocol == 0x2000 || info.dwProtocol == 0x800)
    }

    @Test(arguments: ["mail.example.test", "mail.example.test\0"])
    func handshakeNameIsTakenWithOrWithoutItsNul(name: String) throws {
        let issued = try authority.issue(dnsNames: ["mail.example.test"])
        let server = try startTLSServer(issued)
        defer { server.stop() }
        let probe = HookProbe(answer: WinsockSSL.SSL_ERR_OKAY)
        defer { withExtendedLifetime(probe) {} }
        let s = try deferredSocket(to: server, probe: probe)
        defer { _ = WinsockCE_closesocket(s) }
        var bytes = Array(name.utf8)
        #expect(ioctl(s, WinsockSSL.SO_SSL_PERFORM_HANDSHAKE, input: &bytes, bytes.count) == 0, "\(lastErrorText)")
        #expect(probe.calls.count == 1)
    }

    @Test func hookThatRejectsFailsTheHandshakeWithConnectionAborted() throws {
        let issued = try authority.issue(dnsNames: ["mail.example.test"])
        let server = try startTLSServer(issued)
        defer { server.stop() }
        let probe = HookProbe(answer: WinsockSSL.SSL_ERR_CERT_UNKNOWN)
        defer { withExtendedLifetime(probe) {} }
        let s = try deferredSocket(to: server, probe: probe)
        defer { _ = WinsockCE_closesocket(s) }
        #expect(ioctl(s, WinsockSSL.SO_SSL_PERFORM_HANDSHAKE) == socketError)
        #expect(lastError == WSAECONNABORTED)
        #expect(lastErrorText.contains("SSL_ERR_CERT_UNKNOWN"), "\(lastErrorText)")
        #expect(send(s, "x") == socketError)
        #expect(lastError == WSAECONNABORTED)
    }

    @Test func hookRunsInsideConnectWithoutTheDeferFlag() throws {
        let issued = try authority.issue(dnsNames: ["localhost"])
        let server = try TLSTestServer(configuration: TLSServerConfiguration(serving: issued), handler: TLSTestServer.echo)
        defer { server.stop() }
        let probe = HookProbe(answer: WinsockSSL.SSL_ERR_OKAY)
        defer { withExtendedLifetime(probe) {} }
        let s = WinsockCE_socket(2, 1, 6)
        defer { _ = WinsockCE_closesocket(s) }
        #expect(setSecure(s) == 0 && installHook(s, probe) == 0)
        #expect(connect(s, to: server.endpoint) == 0, "\(lastErrorText)")
        #expect(probe.calls.count == 1)
        #expect(send(s, "ping") == 4)
        #expect(receive(s).1 == "ping")
    }

    @Test func ioctlRulesOverlappedOutputAndTheHookStructure() throws {
        let s = WinsockCE_socket(2, 1, 6)
        defer { _ = WinsockCE_closesocket(s) }
        #expect(setSecure(s) == 0)
        let probe = HookProbe(answer: WinsockSSL.SSL_ERR_OKAY)
        var hook = SSLVALIDATECERTHOOK(HookFunc: probeHook, pvArg: probe.pointer)
        // Overlapped arguments are refused.
        var overlappedStandIn = 0
        let refused = withUnsafeMutablePointer(to: &overlappedStandIn) { pointer in
            WinsockCE_WSAIoctl(s, DWORD(bitPattern: WinsockSSL.SO_SSL_SET_VALIDATE_CERT_HOOK), &hook,
                               DWORD(MemoryLayout<SSLVALIDATECERTHOOK>.size), nil, 0, nil, OpaquePointer(pointer), nil)
        }
        #expect(refused == socketError && lastError == WSAEINVAL)
        // An output buffer passed to a SET code is ignored, and lpcbBytesReturned may be NULL.
        var ignored = [UInt8](repeating: 0xee, count: 16)
        #expect(ioctl(s, WinsockSSL.SO_SSL_SET_VALIDATE_CERT_HOOK, input: &hook, MemoryLayout<SSLVALIDATECERTHOOK>.size,
                      output: &ignored, 16) == 0)
        #expect(ignored == [UInt8](repeating: 0xee, count: 16))
        // The structure is copied at the ioctl: changing it afterwards changes nothing.
        hook.pvArg = nil
        var read = SSLVALIDATECERTHOOK()
        var returned = DWORD(0)
        #expect(ioctl(s, WinsockSSL.SO_SSL_GET_VALIDATE_CERT_HOOK, output: &read, MemoryLayout<SSLVALIDATECERTHOOK>.size, returned: &returned) == 0)
        #expect(returned == DWORD(MemoryLayout<SSLVALIDATECERTHOOK>.size))
        #expect(read.pvArg == probe.pointer)
        // A GET whose answer does not fit is WSAEINVAL.
        var small = DWORD(0)
        #expect(ioctl(s, WinsockSSL.SO_SSL_GET_VALIDATE_CERT_HOOK, output: &small, 4) == socketError && lastError == WSAEINVAL)
        // A NULL HookFunc with an argument removes the hook.
        var none = SSLVALIDATECERTHOOK(HookFunc: nil, pvArg: probe.pointer)
        #expect(ioctl(s, WinsockSSL.SO_SSL_SET_VALIDATE_CERT_HOOK, input: &none, MemoryLayout<SSLVALIDATECERTHOOK>.size) == 0)
        // A CE-sized (8-byte) structure is not a native one.
        var short = [UInt8](repeating: 0, count: 8)
        #expect(ioctl(s, WinsockSSL.SO_SSL_SET_VALIDATE_CERT_HOOK, input: &short, 8) == socketError && lastError == WSAEINVAL)
    }

    /// After a TLS 1.3 handshake the server sends session tickets: bytes in the kernel, no data for `recv`.
    /// `select` must not call the socket readable for them, and must once data arrives.
    @Test func selectReportsASecureSocketReadableOnlyForApplicationData() throws {
        let issued = try authority.issue(dnsNames: ["mail.example.test"])
        let release = DispatchSemaphore(value: 0)
        let server = try TLSTestServer(configuration: TLSServerConfiguration(serving: issued)) { connection in
            try connection.writePlain("220 ready\r\n")
            guard try connection.readLine() == "STARTTLS" else { return }
            try connection.writePlain("220 go ahead\r\n")
            try connection.startTLS()
            _ = release.wait(timeout: .now() + 10)
            try connection.write("data\r\n")
            _ = try connection.read(max: 16)
        }
        defer { server.stop() }
        let probe = HookProbe(answer: WinsockSSL.SSL_ERR_OKAY)
        defer { withExtendedLifetime(probe) {} }
        let s = try deferredSocket(to: server, probe: probe)
        defer { _ = WinsockCE_closesocket(s) }
        #expect(ioctl(s, WinsockSSL.SO_SSL_PERFORM_HANDSHAKE) == 0, "\(lastErrorText)")

        var set = WinsockCE_fd_set()
        set.fd_count = 1
        set.fd_array.0 = s
        var shortWait = timeval(tv_sec: 0, tv_usec: 300_000)
        #expect(WinsockCE_select(0, &set, nil, nil, &shortWait) == 0)
        #expect(set.fd_count == 0)

        release.signal()
        set.fd_count = 1
        set.fd_array.0 = s
        var longWait = timeval(tv_sec: 10, tv_usec: 0)
        #expect(WinsockCE_select(0, &set, nil, nil, &longWait) == 1)
        #expect(WinsockCE___WSAFDIsSet(s, &set) == 1)
        #expect(receive(s).1 == "data\r\n")
    }

    @Test func nonBlockingReceiveWouldBlockUntilDataArrives() throws {
        let issued = try authority.issue(dnsNames: ["mail.example.test"])
        let server = try startTLSServer(issued)
        defer { server.stop() }
        let probe = HookProbe(answer: WinsockSSL.SSL_ERR_OKAY)
        defer { withExtendedLifetime(probe) {} }
        let s = try deferredSocket(to: server, probe: probe)
        defer { _ = WinsockCE_closesocket(s) }
        #expect(ioctl(s, WinsockSSL.SO_SSL_PERFORM_HANDSHAKE) == 0)
        var on = WinsockCE_u_long(1)
        #expect(WinsockCE_ioctlsocket(s, Int(CWinsockCE.FIONBIO), &on) == 0)
        #expect(receive(s).0 == socketError)
        #expect(lastError == WSAEWOULDBLOCK)
        #expect(send(s, "echo") == 4)
        var set = WinsockCE_fd_set()
        set.fd_count = 1
        set.fd_array.0 = s
        var wait = timeval(tv_sec: 10, tv_usec: 0)
        #expect(WinsockCE_select(0, &set, nil, nil, &wait) == 1)
        #expect(receive(s).1 == "echo")
    }

    @Test func closesocketFromAnotherThreadWakesABlockedReceive() throws {
        let issued = try authority.issue(dnsNames: ["mail.example.test"])
        let server = try startTLSServer(issued)
        defer { server.stop() }
        let probe = HookProbe(answer: WinsockSSL.SSL_ERR_OKAY)
        defer { withExtendedLifetime(probe) {} }
        let s = try deferredSocket(to: server, probe: probe)
        #expect(ioctl(s, WinsockSSL.SO_SSL_PERFORM_HANDSHAKE) == 0)
        let outcome = Locked<(Int32, Int32)?>(nil)
        let reader = Thread {
            let result = receive(s).0
            outcome.withLock { $0 = (result, WinsockCE_WSAGetLastError()) }
        }
        reader.start()
        usleep(200_000)
        #expect(WinsockCE_closesocket(s) == 0)
        let deadline = Date().addingTimeInterval(10)
        while outcome.withLock({ $0 }) == nil && Date() < deadline { usleep(1000) }
        let (result, error) = try #require(outcome.withLock { $0 })
        #expect(result == socketError)
        #expect(error == WSAEINTR)
    }

    @Test func readerAndWriterThreadsShareOneSecureSocket() throws {
        let issued = try authority.issue(dnsNames: ["mail.example.test"])
        let server = try startTLSServer(issued)
        defer { server.stop() }
        let probe = HookProbe(answer: WinsockSSL.SSL_ERR_OKAY)
        defer { withExtendedLifetime(probe) {} }
        let s = try deferredSocket(to: server, probe: probe)
        defer { _ = WinsockCE_closesocket(s) }
        #expect(ioctl(s, WinsockSSL.SO_SSL_PERFORM_HANDSHAKE) == 0)
        let lines = 200
        let received = Locked<[UInt8]>([])
        let expected = (0..<lines).map { "line \($0)\n" }.joined()
        let reader = Thread {
            var buffer = [CChar](repeating: 0, count: 1024)
            while received.withLock({ $0.count }) < expected.utf8.count {
                let count = WinsockCE_recv(s, &buffer, 1024, 0)
                if count <= 0 { break }
                received.withLock { $0 += buffer[0..<Int(count)].map { UInt8(bitPattern: $0) } }
            }
        }
        reader.start()
        for index in 0..<lines { #expect(send(s, "line \(index)\n") > 0) }
        let deadline = Date().addingTimeInterval(10)
        while received.withLock({ $0.count }) < expected.utf8.count && Date() < deadline { usleep(1000) }
        #expect(String(decoding: received.withLock { $0 }, as: UTF8.self) == expected)
    }
}
