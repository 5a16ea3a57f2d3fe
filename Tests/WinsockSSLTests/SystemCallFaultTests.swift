import Glibc
import Testing
import WinsockSSL
import WinsockSSLTesting

/// The paths real peers rarely take — interrupted calls, calls that would block, resets, short reads and
/// writes — taken on purpose through the system-call funnel's fault seam, on real loopback sockets.
@Suite struct SystemCallFaultTests {
    let authority: TestCertificateAuthority

    init() throws {
        authority = try TestCertificateAuthority()
    }

    /// Queues `faults` on `socket` for the length of `body`, then checks every one of them happened.
    func with<Result>(_ faults: [SystemCallFaults.Fault], on call: SystemCallFaults.Call, of socket: StreamSocket,
                      _ body: () throws -> Result) throws -> Result {
        try SystemCallFaults.inject(faults, into: call, on: socket)
        defer { SystemCallFaults.clear(socket) }
        let result = try body()
        #expect(SystemCallFaults.remaining(call, on: socket) == 0, "not every injected \(call) fault was reached")
        return result
    }

    // MARK: The plain socket

    @Test func interruptedReceivesAreRetried() throws {
        try withConnectedPair { client, server in
            try send(Array("abc".utf8), to: server)
            let received = try with([.fail(errno: EINTR), .fail(errno: EINTR)], on: .receive, of: client) {
                try receive(3, from: client)
            }
            #expect(received == Array("abc".utf8))
        }
    }

    @Test func aReceiveThatWouldBlockWaitsAndTriesAgain() throws {
        try withConnectedPair { client, server in
            try send([7, 8, 9], to: server)
            let received = try with([.fail(errno: EAGAIN), .fail(errno: EWOULDBLOCK)], on: .receive, of: client) {
                try receive(3, from: client)
            }
            #expect(received == [7, 8, 9])
        }
    }

    @Test func aResetDuringReceiveIsReportedAsAReset() throws {
        try withConnectedPair { client, _ in
            let error = try with([.fail(errno: ECONNRESET)], on: .receive, of: client) {
                try #require(throws: WinsockError.self) { _ = try receive(1, from: client) }
            }
            #expect(error.code == .connectionReset)
        }
    }

    @Test func shortReadsReturnWhatArrivedAndLeaveTheRest() throws {
        try withConnectedPair { client, server in
            try send(Array(0..<10), to: server)
            #expect(try server.poll(readable: false, timeout: hangBound))
            #expect(try client.poll(readable: true, timeout: hangBound))
            var buffer = [UInt8](repeating: 0, count: 10)
            let first = try with([.shorten(to: 2)], on: .receive, of: client) {
                try buffer.withUnsafeMutableBytes { try client.receive(into: $0, deadline: .now.advanced(by: hangBound)) }
            }
            #expect(first == 2)
            #expect(buffer[0..<2] == [0, 1])
            #expect(try receive(8, from: client) == Array(2..<10))
        }
    }

    @Test func sendAllSurvivesShortWritesInterruptsAndWouldBlock() throws {
        try withConnectedPair { client, server in
            let message = (0..<100).map { UInt8($0) }
            try with([.shorten(to: 3), .fail(errno: EINTR), .shorten(to: 1), .fail(errno: EAGAIN), .shorten(to: 50)], on: .send, of: client) {
                try send(message, to: client)
            }
            #expect(try receive(100, from: server) == message)
        }
    }

    @Test func anInterruptedPollIsRetried() throws {
        try withConnectedPair { client, server in
            try send([1], to: server)
            let readable = try with([.fail(errno: EINTR)], on: .poll, of: client) {
                try client.poll(readable: true, timeout: hangBound)
            }
            #expect(readable)
        }
    }

    @Test func aFailedPollIsAnErrorNamingPoll() throws {
        try withConnectedPair { client, _ in
            let error = try with([.fail(errno: ENOMEM)], on: .poll, of: client) {
                try #require(throws: WinsockError.self) { _ = try client.poll(readable: true, timeout: hangBound) }
            }
            #expect(error.detail.contains("poll"))
        }
    }

    // MARK: TLS over the driver

    func secureConnection(to server: TLSTestServer) throws -> SecureConnection {
        var configuration = TLSConfiguration(peerName: "localhost")
        configuration.additionalTrustRoots = [authority.root]
        configuration.trustsProcessRoots = false
        let socket = try StreamSocket(family: .ipv4)
        socket.receiveTimeout = hangBound
        socket.sendTimeout = hangBound
        try socket.connect(to: server.endpoint, timeout: hangBound)
        // The handshake itself meets one-byte reads, interrupts and would-block answers.
        return try with([.shorten(to: 1), .fail(errno: EINTR), .shorten(to: 1), .fail(errno: EAGAIN), .shorten(to: 3)], on: .receive, of: socket) {
            try with([.shorten(to: 10), .fail(errno: EAGAIN), .fail(errno: EINTR)], on: .send, of: socket) {
                try SecureConnection.upgrade(socket, configuration: configuration)
            }
        }
    }

    @Test func tlsDataCrossesShortTransfersInterruptsAndWouldBlockIntact() throws {
        let issued = try authority.issue(dnsNames: ["localhost"])
        let server = try TLSTestServer(configuration: TLSServerConfiguration(serving: issued), handler: TLSTestServer.echo)
        defer { server.stop() }
        let connection = try secureConnection(to: server)
        defer { connection.close() }
        #expect(connection.info != nil)

        // More than one 64 KiB transfer each way, so the driver's buffers wrap.
        let message = (0..<150_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
        let sendFaults: [SystemCallFaults.Fault] = [.shorten(to: 1), .shorten(to: 4_000), .fail(errno: EAGAIN), .fail(errno: EINTR), .shorten(to: 17)]
        let receiveFaults: [SystemCallFaults.Fault] = [.shorten(to: 1), .fail(errno: EINTR), .shorten(to: 5), .fail(errno: EAGAIN), .shorten(to: 300)]
        try SystemCallFaults.inject(receiveFaults, into: .receive, on: connection.socket)
        defer { SystemCallFaults.clear(connection.socket) }
        // The echo server answers while we write, so the reply is read on another thread (full duplex).
        let reader = Reader(connection, expecting: message.count)
        try with(sendFaults, on: .send, of: connection.socket) {
            try connection.write(message)
        }
        let echoed = try reader.result()
        #expect(SystemCallFaults.remaining(.receive, on: connection.socket) == 0)
        #expect(echoed.count == message.count)
        #expect(echoed == message)
    }

    @Test func aSixtyFourKiBWriteReachesTheKernelInOneSend() throws {
        let issued = try authority.issue(dnsNames: ["localhost"])
        let server = try TLSTestServer(configuration: TLSServerConfiguration(serving: issued), handler: TLSTestServer.echo)
        defer { server.stop() }
        let connection = try secureConnection(to: server)
        defer { connection.close() }
        // Room in the kernel for the whole write, so a second send could only come from the driver.
        try connection.socket.setOption(.sendBufferSize, 1 << 20)
        let message = (0..<65_536).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        // Faults that change nothing (a limit above any transfer) count the calls: each call takes one.
        let counters = [SystemCallFaults.Fault](repeating: .shorten(to: 1 << 20), count: 8)
        try SystemCallFaults.inject(counters, into: .send, on: connection.socket)
        let reader = Reader(connection, expecting: message.count)
        try connection.write(message)
        let sends = counters.count - SystemCallFaults.remaining(.send, on: connection.socket)
        SystemCallFaults.clear(connection.socket)
        // Four records of 16 KiB, handed to the kernel together rather than one send per record.
        #expect(sends == 1)
        #expect(try reader.result() == message)
    }

    @Test func aResetDuringATLSReadFailsTheSessionWithAReset() throws {
        let issued = try authority.issue(dnsNames: ["localhost"])
        let server = try TLSTestServer(configuration: TLSServerConfiguration(serving: issued), handler: TLSTestServer.echo)
        defer { server.stop() }
        let connection = try secureConnection(to: server)
        defer { connection.close() }
        let first = try with([.fail(errno: ECONNRESET)], on: .receive, of: connection.socket) {
            try #require(throws: WinsockError.self) { _ = try connection.read(upTo: 10) }
        }
        #expect(first.code == .connectionReset)
        let later = try #require(throws: WinsockError.self) { try connection.write(Array("x".utf8)) }
        #expect(later.code == .connectionReset)
        #expect(later.detail.contains("failed earlier"))
    }

    @Test func theFirstRecordCheckSeesTheFirstByteEvenWhenItArrivesAlone() throws {
        // A plain-text reply where the ServerHello is due, read one byte at a time, is still refused.
        let listener = try ListeningSocket()
        defer { listener.close() }
        let socket = try StreamSocket(family: .ipv4)
        defer { socket.close() }
        socket.receiveTimeout = hangBound
        try socket.connect(to: listener.localEndpoint, timeout: hangBound)
        let peer = try listener.accept(timeout: hangBound)
        defer { peer.close() }
        let answer = BackgroundThread {
            // Wait for the ClientHello, then answer in plain text.
            _ = try peer.peekBytes(upTo: 1, deadline: .now.advanced(by: hangBound))
            try send(Array("250 not TLS\r\n".utf8), to: peer)
        }
        defer { try? answer.finish(within: hangBound) }
        var configuration = TLSConfiguration(peerName: "localhost")
        configuration.trustsProcessRoots = false
        // Every receive (including those that find nothing yet) is cut to one byte.
        try SystemCallFaults.inject(Array(repeating: .shorten(to: 1), count: 1_000), into: .receive, on: socket)
        defer { SystemCallFaults.clear(socket) }
        let error = try #require(throws: WinsockError.self) { _ = try SecureConnection.upgrade(socket, configuration: configuration) }
        #expect(error.code == .connectionAborted)
        #expect(error.detail.contains("plain text arrived instead of the server's TLS handshake"))
        #expect(error.detail.contains("\"2\""))
    }
}

/// Reads `count` decrypted bytes on a thread of its own.
final class Reader: Sendable {
    private let received = Locked<[UInt8]>([])
    private let thread: BackgroundThread

    init(_ connection: SecureConnection, expecting count: Int) {
        let received = self.received
        thread = BackgroundThread {
            while received.withLock({ $0.count }) < count {
                let chunk = try connection.read(upTo: min(65_536, count - received.withLock { $0.count }))
                if chunk.isEmpty { break }
                received.withLock { $0 += chunk }
            }
        }
    }

    func result() throws -> [UInt8] {
        try thread.finish(within: hangBound)
        return received.withLock { $0 }
    }
}
