import Foundation
import NetCF
import Synchronization
import Testing
import WinsockSSL
import WinsockSSLTesting

// Shared set-up for the secure-socket tests: sockets made secure the way ported code does it (SetSocketOption
// and IOControl), servers on 127.0.0.1:0, and a raw TCP server for conversations TLSTestServer cannot script.

/// Values seen on another thread (a server handler, a certificate hook), in order.
final class Recorder<Value: Sendable>: Sendable {
    private let storage = Locked<[Value]>([])
    func append(_ value: Value) { storage.withLock { $0.append(value) } }
    var values: [Value] { storage.withLock { $0 } }
}

enum SecureSockets {
    /// Generous bounds: reaching one turns a hang into a failure (WSAETIMEDOUT), never into a pass.
    static let timeoutMilliseconds: int = 10_000

    /// A TCP socket with `SO_SECURE = SO_SEC_SSL`, optionally deferred, trusting `root` for its handshakes only.
    static func make(trusting root: Certificate?, deferred: Bool) throws -> Socket {
        let s = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        s.ReceiveTimeout = timeoutMilliseconds
        s.SendTimeout = timeoutMilliseconds
        if let root { s.core.addTrustRoot(root) }
        try s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName(SO_SECURE), SO_SEC_SSL)
        if deferred {
            try s.IOControl(SO_SSL_SET_FLAGS, BitConverter.GetBytes(SSL_FLAG_DEFER_HANDSHAKE), nil)
        }
        return s
    }

    /// A plain TCP socket with the same timeouts.
    static func plain() throws -> Socket {
        let s = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        s.ReceiveTimeout = timeoutMilliseconds
        s.SendTimeout = timeoutMilliseconds
        return s
    }

    static func loopback(_ port: UInt16) -> IPEndPoint { IPEndPoint(IPAddress.Loopback, Int(port)) }

    /// The ASCII name with its NUL, as `SO_SSL_SET_PEERNAME` and Windows Mobile 5's handshake want it.
    static func nulTerminated(_ name: String) -> [UInt8] { Encoding.ASCII.GetBytes(name) + [0] }

    /// A deferred secure socket that connected to `port` and performed the handshake for `name`.
    static func handshake(port: UInt16, name: String, trusting root: Certificate?) throws -> Socket {
        let s = try make(trusting: root, deferred: true)
        do {
            try s.Connect(loopback(port))
            try s.IOControl(SO_SSL_PERFORM_HANDSHAKE, nulTerminated(name), nil)
        } catch {
            s.Close()
            throw error
        }
        return s
    }

    /// The `SocketException` a handshake against `port` for `name` fails with.
    static func handshakeFailure(port: UInt16, name: String, trusting root: Certificate?) throws -> SocketException {
        let s = try make(trusting: root, deferred: true)
        defer { s.Close() }
        try s.Connect(loopback(port))
        return try #require(throws: SocketException.self) {
            try s.IOControl(SO_SSL_PERFORM_HANDSHAKE, nulTerminated(name), nil)
        }
    }

    /// The 8-byte `SSLVALIDATECERTHOOK` structure, built as the blog builds it.
    static func hookStructure(_ function: IntPtr, _ argument: IntPtr) -> [UInt8] {
        BitConverter.GetBytes(function.ToInt32()) + BitConverter.GetBytes(argument.ToInt32())
    }

    /// The `index`-th little-endian DWORD of `bytes`.
    static func dword(_ bytes: [UInt8], _ index: Int) -> UInt32 {
        let base = 4 * index
        return UInt32(bytes[base]) | UInt32(bytes[base + 1]) << 8 | UInt32(bytes[base + 2]) << 16 | UInt32(bytes[base + 3]) << 24
    }

    /// Reads everything up to and including the first `\n` with `Receive`.
    static func receiveLine(_ s: Socket) throws -> String {
        var line: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1)
        while line.last != 0x0a {
            guard try s.Receive(&buffer) == 1 else { break }
            line.append(buffer[0])
        }
        return String(decoding: line, as: UTF8.self)
    }
}

/// A TLS server that answers the handshake at once and echoes each TLS line as "echo: <line>".
func lineEchoServer(_ configuration: TLSServerConfiguration, seen: Recorder<TLSServerConnection>? = nil) throws -> TLSTestServer {
    try TLSTestServer(configuration: configuration) { connection in
        try connection.startTLS()
        seen?.append(connection)
        while let line = try connection.readTLSLine() { try connection.write("echo: \(line)\r\n") }
        connection.closeNotify()
    }
}

/// A TCP server for one connection whose handler works on the raw socket, for conversations that break the
/// TLS protocol on purpose (plain text where a ServerHello is due, a close or reset mid-handshake).
final class RawTestServer: Sendable {
    let port: UInt16
    private let listener: ListeningSocket
    private let connection = Recorder<StreamSocket>()
    private let finished = DispatchSemaphore(value: 0)
    private let failures = Recorder<String>()

    init(handler: @escaping @Sendable (StreamSocket) throws -> Void) throws {
        listener = try ListeningSocket()
        port = listener.localEndpoint.port
        let listener = self.listener, connection = self.connection, finished = self.finished, failures = self.failures
        let thread = Thread {
            defer { finished.signal() }
            do {
                let socket = try listener.accept(timeout: .seconds(30))
                socket.receiveTimeout = .seconds(30)
                socket.sendTimeout = .seconds(30)
                connection.append(socket)
                try handler(socket)
            } catch {
                failures.append("\(error)")
            }
        }
        thread.start()
    }

    /// Closes everything and waits for the handler (a blocked handler wakes up when its socket closes).
    /// Calling it again only waits again.
    func stop() {
        listener.close()
        connection.values.forEach { $0.close() }
        finished.wait()
        finished.signal()
    }

    var errors: [String] { failures.values }
}

extension StreamSocket {
    /// Sends `text` unencrypted.
    func writePlain(_ text: String) throws {
        try Array(text.utf8).withUnsafeBytes { try sendAll($0) }
    }

    /// Reads exactly `count` bytes; throws at end of stream.
    func readExactly(_ count: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: max(count, 1))
        while bytes.count < count {
            let received = try chunk.withUnsafeMutableBytes { try receive(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<(count - bytes.count)])) }
            guard received > 0 else { throw RawServerEndOfStream(count: bytes.count) }
            bytes += chunk[0..<received]
        }
        return bytes
    }

    /// Reads one line up to and including `\n`, a byte at a time so nothing after it is consumed.
    func readPlainLine() throws -> String {
        var line: [UInt8] = []
        while line.last != 0x0a { line += try readExactly(1) }
        return String(decoding: line, as: UTF8.self)
    }

    /// Reads one TLS record (the 5-byte header and its body); what a client sends first is its ClientHello.
    func readTLSRecord() throws -> [UInt8] {
        let header = try readExactly(5)
        return header + (try readExactly(Int(header[3]) << 8 | Int(header[4])))
    }

    /// Blocks until the client closes (or the server stops), discarding what arrives.
    func drainUntilClosed() {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while let count = try? chunk.withUnsafeMutableBytes({ try receive(into: $0) }), count > 0 {}
    }
}

struct RawServerEndOfStream: Error, CustomStringConvertible {
    let count: Int
    var description: String { "the client closed after \(count) bytes" }
}

/// A flag shared with a hook or another thread.
final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    func set(_ newValue: Bool) { value.store(newValue, ordering: .sequentiallyConsistent) }
    var isSet: Bool { value.load(ordering: .sequentiallyConsistent) }
}

extension SecureSocketPhase {
    var isPlain: Bool {
        if case .plain = self { return true }
        return false
    }

    var isFailed: Bool {
        if case .failed = self { return true }
        return false
    }
}
