import Foundation
import NetCF
import Synchronization
import Testing
import WinsockSSL
import WinsockSSLTesting

// Shared set-up for the robustness tests: one certificate authority, sockets made secure the way ported
// code does it, and bounds that turn a hang into a failure.

/// The one suite every robustness test lives in. Serialized, so that descriptor and memory counts taken by
/// one test are not disturbed by another test of this target running at the same time.
@Suite(.serialized) enum Robustness {}

/// The name every test certificate is issued for.
let serverName = "mail.example.test"

/// Generous bound for anything a test waits on: reaching it is a failure, never a pass.
let hangBound: Duration = .seconds(20)

/// Socket timeout of the clients, in milliseconds (a hang becomes WSAETIMEDOUT).
let clientTimeoutMilliseconds = 10_000

enum Fixtures {
    /// Made once: generating keys is the slow part of a test.
    static let authority: TestCertificateAuthority = try! TestCertificateAuthority()
    static let issued: IssuedCertificate = try! authority.issue(dnsNames: [serverName])

    static func serverConfiguration(maximumVersion: TLSServerVersion = .tls1_3, ioTimeout: Duration = .seconds(10)) -> TLSServerConfiguration {
        TLSServerConfiguration(certificateChainPEM: issued.certificateChainPEM, privateKeyPEM: issued.privateKey.pemEncoded,
                               maximumVersion: maximumVersion, ioTimeout: ioTimeout)
    }

    static func loopback(_ port: UInt16) -> IPEndPoint { IPEndPoint(IPAddress.Loopback, Int(port)) }

    /// A TCP socket with the client timeouts and the test root trusted for its handshakes only.
    static func socket(timeoutMilliseconds: Int = clientTimeoutMilliseconds) throws -> Socket {
        let s = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        s.ReceiveTimeout = int(timeoutMilliseconds)
        s.SendTimeout = int(timeoutMilliseconds)
        s.core.addTrustRoot(authority.root)
        return s
    }

    /// A secure socket: `SO_SECURE = SO_SEC_SSL`, the peer name set, deferred when asked; not connected.
    static func secureSocket(deferred: Bool, timeoutMilliseconds: Int = clientTimeoutMilliseconds) throws -> Socket {
        let s = try socket(timeoutMilliseconds: timeoutMilliseconds)
        try s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName(SO_SECURE), SO_SEC_SSL)
        try s.IOControl(SO_SSL_SET_PEERNAME, Encoding.ASCII.GetBytes(serverName) + [0], nil)
        if deferred {
            try s.IOControl(SO_SSL_SET_FLAGS, BitConverter.GetBytes(SSL_FLAG_DEFER_HANDSHAKE), nil)
        }
        return s
    }

    /// A secure socket connected to `port` with the handshake done (not deferred).
    static func connectedSecureSocket(port: UInt16, timeoutMilliseconds: Int = clientTimeoutMilliseconds) throws -> Socket {
        let s = try secureSocket(deferred: false, timeoutMilliseconds: timeoutMilliseconds)
        do {
            try s.Connect(loopback(port))
        } catch {
            s.Close()
            throw error
        }
        return s
    }
}

/// How long `body` took.
func measure<T>(_ body: () throws -> T) rethrows -> (T, Duration) {
    let clock = ContinuousClock()
    let start = clock.now
    let value = try body()
    return (value, clock.now - start)
}

/// Runs `body` and returns the error it threw, or nil; with its duration.
func failure(of body: () throws -> Void) -> ((any Error)?, Duration) {
    measure {
        do {
            try body()
            return nil
        } catch {
            return error
        }
    }
}

/// The `SocketException` behind `error`: itself, or the `InnerException` of an `IOException`.
func socketException(in error: (any Error)?) -> SocketException? {
    if let socket = error as? SocketException { return socket }
    if let io = error as? IOException { return io.InnerException as? SocketException }
    return nil
}

/// Values seen on another thread, in order.
final class Recorder<Value: Sendable>: Sendable {
    private let storage = Locked<[Value]>([])
    func append(_ value: Value) { storage.withLock { $0.append(value) } }
    var values: [Value] { storage.withLock { $0 } }
}

/// A flag shared between threads.
final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .releasing) }
    var isSet: Bool { value.load(ordering: .acquiring) }
}

extension Duration {
    var timeInterval: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

func sleep(_ duration: Duration) {
    Thread.sleep(forTimeInterval: duration.timeInterval)
}

extension StreamSocket {
    func send(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try sendAll($0, deadline: .now.advanced(by: hangBound)) }
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// Reads exactly `count` bytes; nil when the peer closes first.
    func receiveExactly(_ count: Int) throws -> [UInt8]? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: max(count, 1))
        let deadline = ContinuousClock.now.advanced(by: hangBound)
        while bytes.count < count {
            let received = try chunk.withUnsafeMutableBytes {
                try receive(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<(count - bytes.count)]), deadline: deadline)
            }
            if received == 0 { return nil }
            bytes += chunk[0..<received]
        }
        return bytes
    }

    /// One line up to and including `\n`, a byte at a time so nothing after it is consumed.
    func receiveLine() throws -> String? {
        var line: [UInt8] = []
        while line.last != 0x0a {
            guard let byte = try receiveExactly(1) else { return nil }
            line += byte
        }
        return String(decoding: line, as: UTF8.self)
    }

    /// One TLS record: the 5-byte header and its body.
    func receiveTLSRecord() throws -> [UInt8]? {
        guard let header = try receiveExactly(5) else { return nil }
        guard let body = try receiveExactly(Int(header[3]) << 8 | Int(header[4])) else { return nil }
        return header + body
    }

    /// Discards what arrives until the peer closes, fails, or `bound` passes.
    func drain(within bound: Duration = hangBound) {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let deadline = ContinuousClock.now.advanced(by: bound)
        while let count = try? chunk.withUnsafeMutableBytes({ try receive(into: $0, deadline: deadline) }), count > 0 {}
    }
}
