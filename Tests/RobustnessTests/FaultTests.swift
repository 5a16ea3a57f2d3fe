import Foundation
import NetCF
import Testing
import WinsockSSL
import WinsockSSLTesting

/// Peers that misbehave: garbage where TLS is due, records cut short, connections dropped or reset
/// mid-stream, a peer that sends one byte a second. Each ends in a clear error, in bounded time, with
/// every descriptor given back.
extension Robustness {
    @Suite struct Faults {
        /// No socket of this process on any of `ports` is left open. The check is by port, not by counting
        /// all descriptors: `swift test` runs the other test targets in this same process at the same time,
        /// and their sockets and pipes come and go while this test runs.
        func expectReturned(ports: [UInt16], sourceLocation: SourceLocation = #_sourceLocation) {
            let closed = ProcessResources.settle { ports.allSatisfy { ProcessResources.socketDescriptors(port: $0) == 0 } }
            #expect(closed, "sockets left open on \(ports.map { ($0, ProcessResources.socketDescriptors(port: $0)) })", sourceLocation: sourceLocation)
        }

        // MARK: Garbage instead of a ServerHello

        enum Garbage: String, CaseIterable, Sendable {
            case randomBytes = "4 KiB of random bytes"
            case fakeHandshakeRecord = "a handshake record header with a random body"
            case oversizedRecord = "an alert record header announcing 65535 bytes, then random bytes"
            case nothingThenClose = "nothing at all, then a close"

            var bytes: [UInt8] {
                var generator = SeededGenerator(seed: 0x5eed)
                let random = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
                switch self {
                case .randomBytes: return [0x9c] + random
                case .fakeHandshakeRecord: return [22, 3, 3, 0x10, 0x00] + random
                case .oversizedRecord: return [21, 3, 3, 0xff, 0xff] + random
                case .nothingThenClose: return []
                }
            }
        }

        @Test(arguments: Garbage.allCases, [true, false])
        func garbageInsteadOfTheServerHelloFailsClearly(garbage: Garbage, deferred: Bool) throws {
            let server = try RawServer { socket in
                guard try socket.receiveTLSRecord() != nil else { return }
                try socket.send(garbage.bytes)
                if garbage != .nothingThenClose { socket.drain(within: .seconds(5)) }
            }
            let s = try Fixtures.secureSocket(deferred: deferred)
            let (error, elapsed) = failure {
                try s.Connect(Fixtures.loopback(server.port))
                if deferred { try s.IOControl(SO_SSL_PERFORM_HANDSHAKE, nil, nil) }
            }
            let exception = try #require(error as? SocketException, "\(garbage.rawValue): \(String(describing: error))")
            #expect([10053, 10054].contains(exception.ErrorCode), "\(garbage.rawValue): \(exception.Message)")
            #expect(elapsed < .seconds(5), "\(garbage.rawValue) took \(elapsed)")
            var buffer = [UInt8](repeating: 0, count: 16)
            #expect(throws: SocketException.self) { _ = try s.Receive(&buffer) }
            s.Close()
            server.stop()
            expectReturned(ports: [server.port])
        }

        // MARK: Truncated records

        @Test func halfAServerHelloThenCloseIsAConnectionReset() throws {
            let upstream = try TLSTestServer(configuration: Fixtures.serverConfiguration(), handler: TLSTestServer.echo)
            let proxy = try TamperingProxy(upstreamPort: upstream.port) { index, _ in index == 0 ? .truncateAndClose : .forward }
            let s = try Fixtures.secureSocket(deferred: false)
            let (error, elapsed) = failure { try s.Connect(Fixtures.loopback(proxy.port)) }
            let exception = try #require(error as? SocketException)
            #expect(exception.ErrorCode == 10054, "\(exception.Message)")
            #expect(elapsed < .seconds(5))
            s.Close()
            proxy.stop()
            upstream.stop()
            expectReturned(ports: [proxy.port, upstream.port])
        }

        enum Reader: String, CaseIterable, Sendable {
            case receive = "Socket.Receive"
            case networkStreamRead = "NetworkStream.Read"
            case streamReaderReadLine = "StreamReader.ReadLine"
        }

        /// Reads everything with one kind of reader until it throws; returns the error and what was read.
        func readUntilFailure(_ s: Socket, with reader: Reader) throws -> (error: (any Error)?, received: [UInt8]) {
            let stream = try NetworkStream(s)
            let lineReader = StreamReader(stream, Encoding.ASCII)
            defer {
                lineReader.Close()
                stream.Close()
            }
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            let (error, _) = failure {
                while true {
                    switch reader {
                    case .receive:
                        let count = try s.Receive(&buffer)
                        if count == 0 { return }
                        received += buffer[0..<count]
                    case .networkStreamRead:
                        let count = try stream.Read(&buffer, 0, buffer.count)
                        if count == 0 { return }
                        received += buffer[0..<count]
                    case .streamReaderReadLine:
                        guard let line = try lineReader.ReadLine() else { return }
                        received += Array((line + "\n").utf8)
                    }
                }
            }
            return (error, received)
        }

        /// A TLS 1.2 server (whose application data is the only type-23 record) sends one line; the proxy
        /// passes half of that record and hangs up. The half record must not be decrypted into anything.
        @Test(arguments: Reader.allCases)
        func halfAnApplicationRecordThenCloseIsAConnectionReset(reader: Reader) throws {
            let upstream = try TLSTestServer(configuration: Fixtures.serverConfiguration(maximumVersion: .tls1_2)) { connection in
                try connection.startTLS()
                try connection.write("secret line that must not arrive in part\r\n")
                _ = try? connection.read(max: 1)
            }
            let proxy = try TamperingProxy(upstreamPort: upstream.port) { _, type in type == 23 ? .truncateAndClose : .forward }
            let s = try Fixtures.connectedSecureSocket(port: proxy.port)
            let (error, received) = try readUntilFailure(s, with: reader)
            #expect(received.isEmpty, "\(reader.rawValue) returned \(received.count) bytes of a truncated record")
            let exception = try #require(socketException(in: error), "\(reader.rawValue): \(String(describing: error))")
            #expect(exception.ErrorCode == 10054, "\(exception.Message)")
            if reader != .receive { #expect(error is IOException) }
            s.Close()
            proxy.stop()
            upstream.stop()
            expectReturned(ports: [proxy.port, upstream.port])
        }

        // MARK: Close without close_notify, reset mid-transfer

        @Test(arguments: Reader.allCases)
        func closeWithoutCloseNotifyMidStreamIsAConnectionReset(reader: Reader) throws {
            let server = try TLSTestServer(configuration: Fixtures.serverConfiguration()) { connection in
                try connection.startTLS()
                try connection.write("first line\r\nsecond line\r\n")
                sleep(.milliseconds(50))
                connection.close()
            }
            let s = try Fixtures.connectedSecureSocket(port: server.port)
            let (error, received) = try readUntilFailure(s, with: reader)
            #expect(String(decoding: received, as: UTF8.self).replacingOccurrences(of: "\r", with: "") == "first line\nsecond line\n")
            let exception = try #require(socketException(in: error), "\(reader.rawValue) ended without an error: a truncation looked like an orderly end")
            #expect(exception.ErrorCode == 10054, "\(exception.Message)")
            #expect(exception.Message.contains("close_notify"), "\(exception.Message)")
            s.Close()
            server.stop()
            expectReturned(ports: [server.port])
        }

        static let transferSize = 64 * 1024 * 1024

        @Test func resetByTheServerHalfwayThroughA64MiBDownloadIsAConnectionReset() throws {
            let server = try TLSTestServer(configuration: Fixtures.serverConfiguration()) { connection in
                try connection.startTLS()
                let chunk = [UInt8](repeating: 0x61, count: 1024 * 1024)
                for _ in 0..<(Self.transferSize / chunk.count / 2) { try connection.write(chunk) }
                connection.reset()
            }
            let s = try Fixtures.connectedSecureSocket(port: server.port)
            var total = 0
            var buffer = [UInt8](repeating: 0, count: 256 * 1024)
            let (error, elapsed) = failure {
                while true {
                    let count = try s.Receive(&buffer)
                    if count == 0 { return }
                    total += Int(count)
                }
            }
            let exception = try #require(error as? SocketException, "the download ended without an error after \(total) bytes")
            #expect(exception.ErrorCode == 10054, "\(exception.Message)")
            // The server's writes block until this side reads, so most of the first half has arrived.
            #expect(total > Self.transferSize / 4 && total <= Self.transferSize / 2, "\(total) bytes arrived")
            #expect(elapsed < hangBound)
            s.Close()
            server.stop()
            expectReturned(ports: [server.port])
        }

        @Test func resetByTheServerHalfwayThroughA64MiBUploadFailsTheSend() throws {
            let server = try TLSTestServer(configuration: Fixtures.serverConfiguration()) { connection in
                try connection.startTLS()
                var received = 0
                while received < Self.transferSize / 2 { received += try connection.read(max: 1024 * 1024).count }
                connection.reset()
            }
            let s = try Fixtures.connectedSecureSocket(port: server.port)
            let upload = [UInt8](repeating: 0x62, count: Self.transferSize)
            let (error, elapsed) = failure { _ = try s.Send(upload) }
            #expect(server.errors == [], "the server did not read half the upload: \(server.errors)")
            let exception = try #require(error as? SocketException, "64 MiB were sent to a server that reset halfway")
            #expect(exception.ErrorCode == 10054, "\(exception.Message)")
            #expect(elapsed < hangBound)
            s.Close()
            server.stop()
            expectReturned(ports: [server.port])
        }

        // MARK: A peer that sends one byte a second

        static let dripTimeoutMilliseconds = 2_000
        /// How far past the timeout a call may end (scheduling, the proxy's own pacing).
        static let dripSlack: Duration = .milliseconds(1_500)

        /// The handshake is bounded as a whole: a server that keeps it alive with a byte a second is cut off
        /// at the socket timeout, with WSAETIMEDOUT.
        @Test(arguments: [true, false])
        func aOneBytePerSecondServerCannotKeepTheHandshakeAlivePastTheTimeout(deferred: Bool) throws {
            let upstream = try TLSTestServer(configuration: Fixtures.serverConfiguration(), handler: TLSTestServer.echo)
            let proxy = try TamperingProxy(upstreamPort: upstream.port) { _, _ in .drip(.seconds(1)) }
            let s = try Fixtures.secureSocket(deferred: deferred, timeoutMilliseconds: Self.dripTimeoutMilliseconds)
            if deferred { try s.Connect(Fixtures.loopback(proxy.port)) }
            let (error, elapsed) = failure {
                if deferred {
                    try s.IOControl(SO_SSL_PERFORM_HANDSHAKE, nil, nil)
                } else {
                    try s.Connect(Fixtures.loopback(proxy.port))
                }
            }
            let exception = try #require(error as? SocketException, "the handshake through a one-byte-a-second peer succeeded")
            #expect(exception.ErrorCode == 10060, "\(exception.Message)")
            #expect(elapsed >= .milliseconds(Self.dripTimeoutMilliseconds - 100), "gave up early, after \(elapsed)")
            #expect(elapsed < .milliseconds(Self.dripTimeoutMilliseconds) + Self.dripSlack, "the handshake ran for \(elapsed)")
            s.Close()
            proxy.stop()
            upstream.stop()
            expectReturned(ports: [proxy.port, upstream.port])
        }
    }
}

extension Robustness.Faults {
    /// After the handshake, a record passed on a byte a second: each read call is bounded as a whole, so
    /// every reader gives up at the timeout instead of waiting for the record to trickle in.
    @Test(arguments: Reader.allCases)
    func aOneBytePerSecondRecordCannotKeepAReadAlivePastTheTimeout(reader: Reader) throws {
        let upstream = try TLSTestServer(configuration: Fixtures.serverConfiguration(maximumVersion: .tls1_2)) { connection in
            try connection.startTLS()
            try connection.write("a line that arrives one byte a second\r\n")
            _ = try? connection.read(max: 1)
        }
        let proxy = try TamperingProxy(upstreamPort: upstream.port) { _, type in type == 23 ? .drip(.seconds(1)) : .forward }
        let s = try Fixtures.connectedSecureSocket(port: proxy.port, timeoutMilliseconds: Self.dripTimeoutMilliseconds)
        let ((error, received), elapsed) = try measure { try readUntilFailure(s, with: reader) }
        #expect(received.isEmpty)
        let exception = try #require(socketException(in: error), "\(reader.rawValue): \(String(describing: error))")
        #expect(exception.ErrorCode == 10060, "\(exception.Message)")
        #expect(elapsed < .milliseconds(Self.dripTimeoutMilliseconds) + Self.dripSlack, "\(reader.rawValue) ran for \(elapsed)")
        s.Close()
        proxy.stop()
        upstream.stop()
        expectReturned(ports: [proxy.port, upstream.port])
    }
}

/// SplitMix64: a fixed seed gives the same bytes on every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
