import Foundation
import NetCF
import Testing
import WinsockSSL
import WinsockSSLTesting

/// On a secure socket, readiness means application data, end of stream or an error — nothing else.
///
/// A TLS 1.3 server sends session tickets (OpenSSL: two) right after the handshake. They are TLS records
/// but carry no data for the program, so `Poll(SelectRead)`, `Available` and `DataAvailable` must not see
/// them; otherwise the common CE reader — `if (s.Poll(…, SelectRead)) lock (this) { n = s.Receive(buf); }`
/// — blocks in `Receive` holding the lock its writer needs, and the two deadlock.
@Suite struct TLS13ReadinessTests {
    let authority: TestCertificateAuthority
    let issued: IssuedCertificate

    init() throws {
        authority = try TestCertificateAuthority()
        issued = try authority.issue(dnsNames: ["localhost"])
    }

    /// A non-deferred secure socket connected to `port` for "localhost"; the handshake is done when this returns.
    func connect(to port: UInt16) throws -> Socket {
        let s = try SecureSockets.make(trusting: authority.root, deferred: false)
        try s.IOControl(SO_SSL_SET_PEERNAME, SecureSockets.nulTerminated("localhost"), nil)
        try s.Connect(SecureSockets.loopback(port))
        return s
    }

    @Test func sessionTicketsAloneDoNotMakeTheSocketReadable() throws {
        let server = try lineEchoServer(TLSServerConfiguration(serving: issued))
        defer { server.stop() }
        let s = try connect(to: server.port)
        defer { s.Close() }
        #expect(s.core.sessionInfo?.version == .tls1_3)
        // Polled at once, as ported code does: the tickets arrive just before or while Poll waits.
        #expect(try s.Poll(500_000, SelectMode.SelectRead) == false)
        #expect(try s.Available == 0)
        #expect(try NetworkStream(s).DataAvailable == false)
        // The tickets were consumed on the way, not left for a later poll to trip over.
        #expect(try s.core.stream.bytesAvailable() == 0)

        // Real data still makes it readable, and is all there.
        _ = try s.Send(Encoding.ASCII.GetBytes("ping\r\n"))
        #expect(try s.Poll(Int(SecureSockets.timeoutMilliseconds) * 1000, SelectMode.SelectRead))
        #expect(try s.Available > 0)
        #expect(try SecureSockets.receiveLine(s) == "echo: ping\r\n")
    }

    @Test func endOfStreamMakesTheSocketReadable() throws {
        let server = try TLSTestServer(configuration: TLSServerConfiguration(serving: issued)) { connection in
            try connection.startTLS()
            _ = try connection.readTLSLine()
            connection.closeNotify()
            connection.close()
        }
        defer { server.stop() }
        let s = try connect(to: server.port)
        defer { s.Close() }
        #expect(try s.Poll(500_000, SelectMode.SelectRead) == false)
        _ = try s.Send(Encoding.ASCII.GetBytes("bye\r\n"))
        #expect(try s.Poll(Int(SecureSockets.timeoutMilliseconds) * 1000, SelectMode.SelectRead))
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(try s.Receive(&buffer) == 0)
    }

    @Test func pollThenReceiveUnderALockDoesNotStarveTheWriterAfterTheTickets() throws {
        let server = try lineEchoServer(TLSServerConfiguration(serving: issued))
        defer { server.stop() }
        let s = try connect(to: server.port)
        defer { s.Close() }
        #expect(s.core.sessionInfo?.version == .tls1_3)
        // The reader starts polling at once, as ported code does: the tickets arrive while it waits.
        let reader = PollingReader(s)
        defer { reader.stop() }
        usleep(100_000)  // let the tickets arrive while the reader polls; not a limit on anything
        var expected = ""
        for index in 0..<5 {
            try reader.writeUnderTheLock(s, "line \(index)\n")
            expected += "echo: line \(index)\r\n"
            #expect(reader.awaitText(expected), "the echo of line \(index) never arrived")
        }
    }

    /// `openssl s_server` sends a KeyUpdate (asking for ours in return) when told to on its standard input,
    /// while the reader is waiting in `Poll`: a record for TLS, none for the program.
    @Test func pollThenReceiveUnderALockDoesNotStarveTheWriterWhenTheServerUpdatesItsKeys() throws {
        let server = try OpenSSLServer(issued)
        defer { server.stop() }
        let s = try connect(to: server.port)
        defer { s.Close() }
        #expect(s.core.sessionInfo?.version == .tls1_3)
        let reader = PollingReader(s)
        defer { reader.stop() }
        usleep(100_000)  // let the reader settle into Poll; not a limit on anything
        try server.command("K")
        usleep(100_000)
        for index in 0..<3 {
            try reader.writeUnderTheLock(s, "line \(index)\n")
        }
        try server.command("hello from s_server")
        #expect(reader.awaitText("hello from s_server\n"), "the server's line never arrived")
        // Our KeyUpdate answer and the three lines reached the server, which printed them.
        #expect(server.awaitOutput("line 2"), "s_server never printed the last line sent")
    }
}

/// The reader half of the item-17 pattern, on a thread of its own:
/// `while (…) { if (s.Poll(…, SelectRead)) lock (this) { n = s.Receive(buf); … } }`.
final class PollingReader: Sendable {
    let lock = NSLock()
    private let received = Recorder<UInt8>()
    private let stopped = Locked(false)
    private let thread: BackgroundThread

    init(_ s: Socket) {
        let lock = self.lock, received = self.received, stopped = self.stopped
        thread = BackgroundThread {
            var buffer = [UInt8](repeating: 0, count: 256)
            while !stopped.withLock({ $0 }) {
                if try s.Poll(500_000, SelectMode.SelectRead) {
                    lock.lock()
                    defer { lock.unlock() }
                    let n = try s.Receive(&buffer)
                    if n == 0 { return }
                    for byte in buffer[0..<n] { received.append(byte) }
                }
            }
        }
    }

    /// The writer half: `lock (this) { s.Send(…); }`. Records an issue, and closes the socket to free the
    /// reader, when the lock cannot be had within a bound: the reader is blocked in `Receive` holding it.
    func writeUnderTheLock(_ s: Socket, _ text: String) throws {
        guard lock.lock(before: Date(timeIntervalSinceNow: 5)) else {
            Issue.record("the writer could not get the lock within 5 s: the reader is blocked in Receive holding it")
            s.Close()
            throw WriterStarved()
        }
        defer { lock.unlock() }
        _ = try s.Send(Encoding.ASCII.GetBytes(text))
    }

    struct WriterStarved: Error {}

    /// Waits (bounded) until everything received reads `text`; false when it never does.
    func awaitText(_ text: String) -> Bool {
        let deadline = ContinuousClock.now.advanced(by: hangBound)
        while ContinuousClock.now < deadline {
            if String(decoding: received.values, as: UTF8.self) == text { return true }
            usleep(2_000)
        }
        return false
    }

    func stop() {
        stopped.withLock { $0 = true }
        try? thread.finish(within: hangBound)
    }
}
