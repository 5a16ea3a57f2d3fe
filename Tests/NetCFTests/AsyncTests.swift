import NetCF
import Testing
import WinsockSSLTesting

/// The asynchronous programming model against real loopback peers: plain TCP listeners and TLS servers.
/// Each wait is bounded; an operation that never completes fails its test.
@Suite(.serialized) struct AsyncTests {
    let authority: TestCertificateAuthority
    let bound: Int32 = 10_000

    init() throws {
        authority = try TestCertificateAuthority()
    }

    /// A client written as CE programs write one: callbacks that are instance methods of a plain class
    /// (no `Sendable`), each `End…` in its callback, the next `Begin…` from there.
    final class LineClient {
        let s: Socket
        var buffer = [UInt8](repeating: 0, count: 7)  // small, so a line takes several receives
        var received = ""
        var connectError: (any Error)?
        var callbackThread: Int32 = 0
        var callbackState: AnyObject?
        let connectDone = ManualResetEvent(false)
        let lineDone = ManualResetEvent(false)

        init(_ s: Socket) { self.s = s }

        func OnConnect(_ ar: IAsyncResult) throws {
            defer { _ = try? connectDone.Set() }
            callbackThread = Thread.CurrentThread.ManagedThreadId
            callbackState = ar.AsyncState as AnyObject?
            do {
                try s.EndConnect(ar)
            } catch {
                connectError = error
            }
        }

        func Send(_ text: String) throws {
            let data = Encoding.ASCII.GetBytes(text)
            try s.BeginSend(data, 0, Int32(data.count), SocketFlags.None, OnSend, nil)
        }

        func OnSend(_ ar: IAsyncResult) throws {
            _ = try s.EndSend(ar)
        }

        func StartReceive() throws {
            try s.BeginReceive(buffer, 0, Int32(buffer.count), SocketFlags.None, OnReceive, s)
        }

        func OnReceive(_ ar: IAsyncResult) throws {
            let n = try s.EndReceive(ar, &buffer)
            received += try Encoding.ASCII.GetString(buffer, 0, Int(n))
            if n == 0 || received.EndsWith("\n") {
                try lineDone.Set()
            } else {
                try StartReceive()
            }
        }
    }

    func echoServer(_ names: [String] = ["mail.example.test"], maximumVersion: TLSServerVersion = .tls1_3) throws -> TLSTestServer {
        var configuration = try TLSServerConfiguration(serving: authority.issue(dnsNames: names))
        configuration.maximumVersion = maximumVersion
        return try lineEchoServer(configuration)
    }

    /// A hook that counts its calls and answers `result`.
    func countingHook(_ calls: Counter, returning result: Int32) throws -> IntPtr {
        try Marshal.GetFunctionPointerForDelegate({ _, _, _, _, _ in
            calls.add()
            return result
        } as SSLVALIDATECERTFUNC)
    }

    // MARK: Connect

    @Test func beginConnectCompletesOnAWorkerThreadAndCallsBackWithTheState() throws {
        let listener = try ListeningSocket()
        defer { listener.close() }
        let s = try SecureSockets.plain()
        defer { s.Close() }
        let client = LineClient(s)
        let state = StateObject()
        let ar = try s.BeginConnect(SecureSockets.loopback(listener.localEndpoint.port), client.OnConnect, state)
        let server = try listener.accept(timeout: hangBound)
        defer { server.close() }
        #expect(try client.connectDone.WaitOne(bound))
        #expect(client.connectError == nil)
        #expect(s.Connected)
        #expect(ar.IsCompleted)
        #expect(!ar.CompletedSynchronously)
        #expect(try ar.AsyncWaitHandle.WaitOne(0) == true || ar.IsCompleted)
        #expect(client.callbackState === state)
        #expect((ar.AsyncState as AnyObject?) === state)
        #expect(client.callbackThread != 0 && client.callbackThread != Thread.CurrentThread.ManagedThreadId)
    }

    /// An exception a callback does not catch is reported on standard error; the operation has completed and
    /// its result is still there for `End…`.
    @Test func aCallbackThatThrowsDoesNotLoseTheOperation() throws {
        let listener = try ListeningSocket()
        defer { listener.close() }
        let s = try SecureSockets.plain()
        defer { s.Close() }
        let called = ManualResetEvent(false)
        let ar = try s.BeginConnect(SecureSockets.loopback(listener.localEndpoint.port), { _ in
            try called.Set()
            throw NotImplementedException("callback failed")
        }, nil)
        let server = try listener.accept(timeout: hangBound)
        defer { server.close() }
        #expect(try called.WaitOne(bound))
        try s.EndConnect(ar)
        #expect(s.Connected)
    }

    @Test func refusedConnectSurfacesFromEndConnect() throws {
        let port = try closedLoopbackPort()
        let s = try SecureSockets.plain()
        defer { s.Close() }
        let ar = try s.BeginConnect(IPAddress.Loopback, Int32(port), nil, nil)
        #expect(try ar.AsyncWaitHandle.WaitOne(bound))
        let error = try #require(throws: SocketException.self) { try s.EndConnect(ar) }
        #expect(error.ErrorCode == 10061)
        #expect(!s.Connected)
    }

    /// The IRC-style shape: a non-deferred secure socket whose handshake (and hook) runs inside BeginConnect's
    /// work, then a line sent with BeginSend and read back with BeginReceive, all from callbacks.
    @Test(arguments: [TLSServerVersion.tls1_2, .tls1_3])
    func nonDeferredSecureSocketHandshakesInsideBeginConnectThenSendsAndReceives(_ version: TLSServerVersion) throws {
        let server = try echoServer(maximumVersion: version)
        defer { server.stop() }
        let calls = Counter()
        let hook = try countingHook(calls, returning: SSL_ERR_OKAY)
        defer { Marshal.ReleaseFunctionPointer(hook) }
        let s = try SecureSockets.make(trusting: authority.root, deferred: false)
        defer { s.Close() }
        try s.IOControl(SO_SSL_SET_VALIDATE_CERT_HOOK, SecureSockets.hookStructure(hook, .Zero), nil)

        let client = LineClient(s)
        try s.BeginConnect(SecureSockets.loopback(server.port), client.OnConnect, nil)
        #expect(try client.connectDone.WaitOne(bound))
        #expect(client.connectError == nil, "\(String(describing: client.connectError))")
        #expect(calls.value == 1, "the hook ran before EndConnect returned")
        #expect(s.core.phase.isSecure)

        try client.StartReceive()
        try client.Send("hello over TLS\r\n")
        #expect(try client.lineDone.WaitOne(bound))
        #expect(client.received == "echo: hello over TLS\r\n", "\(client.received.debugDescription)")
    }

    @Test func hookRejectionComesOutOfEndConnectAsConnectWouldThrowIt() throws {
        let server = try echoServer()
        defer { server.stop() }
        let calls = Counter()
        var hooks: [IntPtr] = []
        defer { for hook in hooks { Marshal.ReleaseFunctionPointer(hook) } }

        /// A socket with a hook of its own, as each helper object registers one in CE programs.
        func rejectingSocket() throws -> Socket {
            let hook = try countingHook(calls, returning: SSL_ERR_CERT_UNKNOWN)
            hooks.append(hook)
            let s = try SecureSockets.make(trusting: authority.root, deferred: false)
            try s.IOControl(SO_SSL_SET_VALIDATE_CERT_HOOK, SecureSockets.hookStructure(hook, .Zero), nil)
            return s
        }
        let synchronous = try rejectingSocket()
        defer { synchronous.Close() }
        let expected = try #require(throws: SocketException.self) { try synchronous.Connect(SecureSockets.loopback(server.port)) }

        let s = try rejectingSocket()
        defer { s.Close() }
        let ar = try s.BeginConnect(SecureSockets.loopback(server.port), nil, nil)
        let error = try #require(throws: SocketException.self) { try s.EndConnect(ar) }
        #expect(error.ErrorCode == expected.ErrorCode)
        #expect(error.CertificateHookResult == SSL_ERR_CERT_UNKNOWN)
        #expect(expected.CertificateHookResult == SSL_ERR_CERT_UNKNOWN)
        #expect(calls.value == 2)
        #expect(s.Connected == synchronous.Connected)
    }

    @Test func beginConnectByHostNameVerifiesThatName() throws {
        let name = "async-\(UInt32.random(in: 0...UInt32.max)).example.test"
        HostsTable.shared.set(name, to: [.loopbackIPv4])
        defer { HostsTable.shared.remove(name) }

        let good = try echoServer([name])
        defer { good.stop() }
        let s = try SecureSockets.make(trusting: authority.root, deferred: false)
        defer { s.Close() }
        let ar = try s.BeginConnect(name, Int32(good.port), nil, nil)
        try s.EndConnect(ar)
        #expect(s.core.phase.isSecure)

        let wrong = try echoServer(["other.example.test"])
        defer { wrong.stop() }
        let t = try SecureSockets.make(trusting: authority.root, deferred: false)
        defer { t.Close() }
        let failed = try t.BeginConnect(name, Int32(wrong.port), nil, nil)
        let error = try #require(throws: SocketException.self) { try t.EndConnect(failed) }
        #expect(error.ErrorCode == 10053)
        #expect(error.VerificationFailure == "host name mismatch")
        #expect(throws: ArgumentOutOfRangeException.self) { try t.BeginConnect(name, 70_000, nil, nil) }
    }

    /// The reader/writer shape of CE programs (issue 13 item 17): a reader thread that polls and then receives
    /// under `lock (this)`, a writer that sends under the same lock. Against TLS 1.3 the server's session
    /// tickets arrive right after the handshake; the reader must not block in `Receive` holding the lock.
    @Test func readerThreadWithPollAndLockAndAWriterThreadAgainstTLS1_2() throws {
        try readerThreadWithPollAndLockAndAWriterThread(.tls1_2)
    }

    /// Without the TLS 1.3 readiness rule (issue 13 item 17), `Poll` reported the session tickets as readable
    /// and the reader blocked in `Receive` holding the lock.
    @Test func readerThreadWithPollAndLockAndAWriterThreadAgainstTLS1_3() throws {
        try readerThreadWithPollAndLockAndAWriterThread(.tls1_3)
    }

    func readerThreadWithPollAndLockAndAWriterThread(_ version: TLSServerVersion) throws {
        final class Chat {
            let s: Socket
            var buffer = [UInt8](repeating: 0, count: 256)
            var received = ""
            var running = true
            let gotLine = ManualResetEvent(false)
            init(_ s: Socket) { self.s = s }

            func ReceiveLoop() throws {
                while lock(self, { running }) {
                    if try s.Poll(50_000, SelectMode.SelectRead) {
                        var n = 0
                        try lock(self) { n = Int(try s.Receive(&buffer)) }
                        if n == 0 { return }
                        try lock(self) {
                            received += Encoding.ASCII.GetString(Array(buffer[0..<n]))
                            if received.EndsWith("\n") { try gotLine.Set() }
                        }
                    }
                }
            }

            func Send(_ text: String) throws {
                try lock(self) { _ = try s.Send(Encoding.ASCII.GetBytes(text)) }
            }
        }
        let server = try echoServer(maximumVersion: version)
        defer { server.stop() }
        let calls = Counter()
        let hook = try countingHook(calls, returning: SSL_ERR_OKAY)
        defer { Marshal.ReleaseFunctionPointer(hook) }
        let s = try SecureSockets.make(trusting: authority.root, deferred: false)
        defer { s.Close() }
        s.ReceiveTimeout = 3000  // a reader stuck in Receive gives up after this: a failure, not a hang
        try s.IOControl(SO_SSL_SET_VALIDATE_CERT_HOOK, SecureSockets.hookStructure(hook, .Zero), nil)
        try s.Connect(SecureSockets.loopback(server.port))

        let chat = Chat(s)
        let reader = Thread(chat.ReceiveLoop)
        reader.IsBackground = true
        try reader.Start()
        try Thread.Sleep(100)  // the tickets arrive meanwhile
        try chat.Send("hello\r\n")
        #expect(try chat.gotLine.WaitOne(bound))
        #expect(lock(chat) { chat.received } == "echo: hello\r\n")
        lock(chat) { chat.running = false }
        #expect(try reader.Join(bound))
    }

    // MARK: Misuse of End…

    @Test func endCalledTwiceOrWithAnotherOperationsResultThrowsAsDotNetDocuments() throws {
        let listener = try ListeningSocket()
        defer { listener.close() }
        let s = try SecureSockets.plain()
        defer { s.Close() }
        let other = try SecureSockets.plain()
        defer { other.Close() }
        let ar = try s.BeginConnect(SecureSockets.loopback(listener.localEndpoint.port), nil, nil)
        let server = try listener.accept(timeout: hangBound)
        defer { server.close() }

        #expect(throws: ArgumentException.self) { try other.EndConnect(ar) }
        #expect(throws: ArgumentException.self) { try s.EndSend(ar) }
        #expect(throws: ArgumentNullException.self) { try s.EndConnect(nil) }
        try s.EndConnect(ar)
        let twice = try #require(throws: InvalidOperationException.self) { try s.EndConnect(ar) }
        #expect(twice.Message.contains("EndConnect"))
        #expect(throws: ArgumentException.self) { try Dns.EndGetHostEntry(ar) }
    }

    @Test func beginChecksItsArgumentsAtOnce() throws {
        try withConnectedSocket { s, _ in
            let buffer = [UInt8](repeating: 0, count: 8)
            #expect(throws: ArgumentOutOfRangeException.self) { try s.BeginSend(buffer, 9, 0, .None, nil, nil) }
            #expect(throws: ArgumentOutOfRangeException.self) { try s.BeginReceive(buffer, 4, 5, .None, nil, nil) }
            #expect(throws: ArgumentOutOfRangeException.self) { try s.BeginReceive(buffer, -1, 1, .None, nil, nil) }
            #expect(throws: SocketException.self) { try s.BeginSend(buffer, 0, 8, .OutOfBand, nil, nil) }
            s.Close()
            #expect(throws: ObjectDisposedException.self) { try s.BeginSend(buffer, 0, 8, .None, nil, nil) }
            #expect(throws: ObjectDisposedException.self) { try s.BeginConnect(IPAddress.Loopback, 1, nil, nil) }
        }
    }

    // MARK: Send and receive

    @Test func receivedBytesLandAtTheOffsetGivenToBeginReceive() throws {
        try withConnectedSocket { s, server in
            var buffer = [UInt8](repeating: 0xEE, count: 10)
            let ar = try s.BeginReceive(buffer, 3, 4, .None, nil, s)
            try server.send([1, 2, 3, 4])
            let n = try s.EndReceive(ar, &buffer)
            #expect(n == 4)
            #expect(buffer == [0xEE, 0xEE, 0xEE, 1, 2, 3, 4, 0xEE, 0xEE, 0xEE])
            #expect(ar.AsyncState as? Socket === s, "C# programs pass the socket as the state")

            let sent = try s.BeginSend([9, 8, 7, 6, 5], 1, 3, .None, nil, nil)
            #expect(try s.EndSend(sent) == 3)
            #expect(try server.receive(3) == [8, 7, 6])

            var small: [UInt8] = []  // too small for any received byte
            let more = try s.BeginReceive(buffer, 0, 10, .None, nil, nil)
            try server.send([1, 2, 3])
            #expect(try more.AsyncWaitHandle.WaitOne(bound))
            #expect(throws: ArgumentException.self) { try s.EndReceive(more, &small) }
        }
    }

    @Test func closingTheSocketEndsAPendingReceive() throws {
        try withConnectedSocket { s, _ in
            let ar = try s.BeginReceive([UInt8](repeating: 0, count: 16), 0, 16, .None, nil, nil)
            try Thread.Sleep(20)
            #expect(!ar.IsCompleted)
            s.Close()
            #expect(try ar.AsyncWaitHandle.WaitOne(bound), "Close must wake the blocked receive")
            var buffer = [UInt8](repeating: 0, count: 16)
            #expect(throws: ObjectDisposedException.self) { try s.EndReceive(ar, &buffer) }
        }
    }

    @Test func peerCloseCompletesAReceiveWithZero() throws {
        try withConnectedSocket { s, server in
            var buffer = [UInt8](repeating: 0, count: 4)
            let ar = try s.BeginReceive(buffer, 0, 4, .None, nil, nil)
            server.close()
            #expect(try s.EndReceive(ar, &buffer) == 0)
        }
    }

    /// Every operation's thread ends with it: after 200 operations no worker is left.
    @Test func workerThreadsEndWithTheirOperations() throws {
        try withConnectedSocket { s, server in
            var buffer = [UInt8](repeating: 0, count: 1)
            for i in 0..<100 {
                let received = try s.BeginReceive(buffer, 0, 1, .None, nil, nil)
                try server.send([UInt8(i)])
                #expect(try s.EndReceive(received, &buffer) == 1 && buffer[0] == UInt8(i))
                #expect(try s.EndSend(s.BeginSend(buffer, 0, 1, .None, nil, nil)) == 1)
            }
            #expect(try server.receive(100).count == 100)
        }
        var remaining = liveThreadCount(named: "NetCF async")
        for _ in 0..<1000 where remaining > 0 {
            try Thread.Sleep(10)
            remaining = liveThreadCount(named: "NetCF async")
        }
        #expect(remaining == 0)
    }

    // MARK: Dns

    @Test func dnsBeginGetHostEntryResolvesOnAWorkerThread() throws {
        let name = "dns-\(UInt32.random(in: 0...UInt32.max)).example.test"
        HostsTable.shared.set(name, to: [.loopbackIPv4])
        defer { HostsTable.shared.remove(name) }
        let done = ManualResetEvent(false)
        let ar = try Dns.BeginGetHostEntry(name, { _ in try done.Set() }, done)
        #expect(try done.WaitOne(bound))
        let entry = try Dns.EndGetHostEntry(ar)
        #expect(entry.AddressList.map { $0.ToString() } == ["127.0.0.1"])
        #expect((ar.AsyncState as AnyObject?) === done)
        #expect(throws: InvalidOperationException.self) { try Dns.EndGetHostEntry(ar) }

        let unknown = try Dns.BeginGetHostEntry("no-such-host.invalid", nil, nil)
        let error = try #require(throws: SocketException.self) { try Dns.EndGetHostEntry(unknown) }
        #expect(error.ErrorCode == 11001)
    }
}

/// A C# program's state object for `Begin…` calls.
final class StateObject {}
