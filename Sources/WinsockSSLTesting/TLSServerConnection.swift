internal import COpenSSL
import WinsockSSL

/// One connection accepted by a `TLSTestServer`.
///
/// It starts in plain text, so a test can script a STARTTLS-style prelude with `readLine` and `writePlain`,
/// then calls `startTLS()`; after that `read`/`write` carry decrypted data. Every call blocks, each socket
/// operation bounded by the server's `ioTimeout`; `close()` from another thread wakes a blocked call.
///
/// OpenSSL works on memory buffers here rather than on the descriptor: bytes that arrive together with the
/// last plain-text line (a client that sends its ClientHello without waiting) are handed to OpenSSL by
/// `startTLS()`, so nothing is lost however the reads were split.
public final class TLSServerConnection: Sendable {
    private struct State {
        /// Plain bytes received but not yet returned by `readLine` (they go to OpenSSL at `startTLS`).
        var plainBuffer: [UInt8] = []
        /// Decrypted bytes received but not yet returned.
        var decryptedBuffer: [UInt8] = []
        var session: TLSSession?
    }

    private struct Summary {
        var negotiatedVersion: String?
        var negotiatedCipher: String?
        var requestedServerName: String?
    }

    private let socket: StreamSocket
    private let context: ServerContext
    private let registry: ConnectionRegistry
    /// Held for the whole of each read or write; only the handler thread takes it.
    private let state = Locked(State())
    /// Kept apart from `state` so other threads can read it while the handler is blocked.
    private let summary = Locked(Summary())

    private static let chunkSize = 16 * 1024

    init(socket: StreamSocket, context: ServerContext, registry: ConnectionRegistry) {
        self.socket = socket
        self.context = context
        self.registry = registry
    }

    /// The client's address and port.
    public var remoteEndpoint: SocketEndpoint? { socket.remoteEndpoint }

    /// The protocol after `startTLS()`, as OpenSSL names it ("TLSv1.3"). Maps to `SSL_get_version`.
    public var negotiatedVersion: String? { summary.withLock { $0.negotiatedVersion } }

    /// The cipher after `startTLS()`, as OpenSSL names it. Maps to `SSL_CIPHER_get_name`.
    public var negotiatedCipher: String? { summary.withLock { $0.negotiatedCipher } }
    /// The server name the client sent (SNI), nil when it sent none.
    public var requestedServerName: String? { summary.withLock { $0.requestedServerName } }

    // MARK: Plain text

    /// Reads one plain-text line, without its `\n` or `\r\n`; nil at end of stream. A last line without a
    /// terminator is returned as a line.
    ///
    /// A TLS ClientHello where a line should be (a client starting its handshake unasked) is not returned as
    /// text: this throws an `.unexpectedTLS` error that describes it, and keeps its bytes for `startTLS()`.
    public func readLine() throws -> String? {
        switch try readPlainInput() {
        case .line(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .endOfStream: return nil
        case .clientHello(let hello):
            throw TLSTestServerError(.unexpectedTLS, "the client sent \(hello) where a plain-text line was expected")
        }
    }

    /// What arrived where a plain-text line was expected.
    enum PlainInput {
        /// A line's bytes, without its `\n` or `\r\n`.
        case line([UInt8])
        /// The start of a TLS handshake; its bytes stay buffered for `startTLS()`.
        case clientHello(TLSClientHello)
        case endOfStream
    }

    /// Reads the next plain-text line, or recognises a ClientHello instead (reading its whole first record).
    func readPlainInput() throws -> PlainInput {
        try state.withLock { state throws -> PlainInput in
            guard state.session == nil else { throw Self.misuse("readLine() after startTLS(); use readTLSLine()") }
            while true {
                if TLSClientHello.looksLikeHandshake(state.plainBuffer) {
                    while state.plainBuffer.count < TLSClientHello.recordLength(state.plainBuffer) ?? 5 {
                        let chunk = try receiveChunk()
                        if chunk.isEmpty { break }
                        state.plainBuffer += chunk
                    }
                    let length = TLSClientHello.recordLength(state.plainBuffer) ?? state.plainBuffer.count
                    return .clientHello(TLSClientHello(record: Array(state.plainBuffer.prefix(length))))
                }
                if let line = Self.takeLineBytes(from: &state.plainBuffer) { return .line(line) }
                let chunk = try receiveChunk()
                if chunk.isEmpty {
                    guard !state.plainBuffer.isEmpty else { return .endOfStream }
                    defer { state.plainBuffer.removeAll() }
                    return .line(state.plainBuffer)
                }
                state.plainBuffer += chunk
            }
        }
    }

    /// Whether the client has sent something not yet read (or closed), waiting at most `timeout` for it.
    /// Maps to `poll`.
    func waitForInput(timeout: Duration) throws -> Bool {
        try state.withLock { state throws -> Bool in
            if !state.plainBuffer.isEmpty || !state.decryptedBuffer.isEmpty || state.session?.hasBufferedInput == true {
                return true
            }
            return try socket.poll(readable: true, timeout: timeout)
        }
    }

    /// For forwarding plain text as it comes: what the client sent next, as received (terminators kept), up
    /// to the start of a TLS handshake, which is returned as `.clientHello` with its bytes kept for `startTLS()`.
    func readPlainChunkOrHello() throws -> PlainInput {
        try state.withLock { state throws -> PlainInput in
            guard state.session == nil else { throw Self.misuse("plain-text read after startTLS()") }
            if state.plainBuffer.isEmpty || state.plainBuffer == [TLSClientHello.handshakeRecordType] {
                let chunk = try receiveChunk()
                if chunk.isEmpty {
                    guard !state.plainBuffer.isEmpty else { return .endOfStream }
                    defer { state.plainBuffer.removeAll() }
                    return .line(state.plainBuffer)
                }
                state.plainBuffer += chunk
            }
            if TLSClientHello.looksLikeHandshake(state.plainBuffer) {
                while state.plainBuffer.count < TLSClientHello.recordLength(state.plainBuffer) ?? 5 {
                    let chunk = try receiveChunk()
                    if chunk.isEmpty { break }
                    state.plainBuffer += chunk
                }
                let length = TLSClientHello.recordLength(state.plainBuffer) ?? state.plainBuffer.count
                return .clientHello(TLSClientHello(record: Array(state.plainBuffer.prefix(length))))
            }
            // Text up to a handshake that starts at the beginning of a later line stays apart from it.
            var end = state.plainBuffer.endIndex
            for index in state.plainBuffer.indices.dropFirst() where state.plainBuffer[index - 1] == UInt8(ascii: "\n")
                && TLSClientHello.looksLikeHandshake(state.plainBuffer[index...]) {
                end = index
                break
            }
            defer { state.plainBuffer.removeSubrange(..<end) }
            return .line(Array(state.plainBuffer[..<end]))
        }
    }

    /// Receives what the client sends next in plain text: whatever is buffered, else one read (`[]` at end
    /// of stream). For checking that a client sends nothing more.
    func readPlainChunk() throws -> [UInt8] {
        try state.withLock { state throws -> [UInt8] in
            guard state.session == nil else { throw Self.misuse("plain-text read after startTLS()") }
            if !state.plainBuffer.isEmpty {
                defer { state.plainBuffer.removeAll() }
                return state.plainBuffer
            }
            return try receiveChunk()
        }
    }

    /// Sends `text` as UTF-8, unencrypted, adding nothing.
    public func writePlain(_ text: String) throws {
        try writePlain(Array(text.utf8))
    }

    /// Sends `bytes` unencrypted.
    public func writePlain(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try socket.sendAll($0) }
    }

    // MARK: TLS

    /// Performs the server side of the TLS handshake on this connection. Failures are also recorded in the
    /// server's `errors`. Maps to `SSL_accept`.
    public func startTLS() throws {
        do {
            try state.withLock { state throws in
                guard state.session == nil else { throw Self.misuse("startTLS() called twice") }
                let session = try TLSSession(context: context, initialBytes: state.plainBuffer)
                state.plainBuffer.removeAll()
                state.session = session
                switch try session.perform("SSL_accept", on: socket, SSL_do_handshake) {
                case .done:
                    break
                case .closedByPeer, .endOfStream:
                    throw TLSTestServerError(.handshake, "the client closed the connection during the handshake")
                }
                summary.withLock {
                    $0.negotiatedVersion = session.version
                    $0.negotiatedCipher = session.cipher
                    $0.requestedServerName = session.serverName
                }
            }
        } catch {
            let failure = (error as? TLSTestServerError).map { TLSTestServerError(.handshake, $0.message) }
                ?? TLSTestServerError(.handshake, "handshake failed: \(error)")
            registry.record("handshake failed: \(failure.message)")
            throw failure
        }
        registry.recordHandshake()
    }

    /// Reads up to `max` decrypted bytes, blocking until at least one arrives; `[]` when the client has closed
    /// (with close_notify or just TCP). Maps to `SSL_read`.
    public func read(max: Int) throws -> [UInt8] {
        try state.withLock { state throws -> [UInt8] in
            if !state.decryptedBuffer.isEmpty {
                let count = min(max, state.decryptedBuffer.count)
                defer { state.decryptedBuffer.removeFirst(count) }
                return Array(state.decryptedBuffer.prefix(count))
            }
            return try Self.readDecrypted(max: max, session: try Self.session(state), socket: socket)
        }
    }

    /// Reads exactly `count` decrypted bytes; throws if the client closes first.
    public func readExactly(_ count: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        while bytes.count < count {
            let chunk = try read(max: count - bytes.count)
            if chunk.isEmpty {
                throw TLSTestServerError(.unexpectedEndOfStream, "the client closed after \(bytes.count) of \(count) bytes")
            }
            bytes += chunk
        }
        return bytes
    }

    /// Reads one decrypted line, without its `\n` or `\r\n`; nil at end of stream.
    public func readTLSLine() throws -> String? {
        try state.withLock { state throws -> String? in
            let session = try Self.session(state)
            while true {
                if let line = Self.takeLine(from: &state.decryptedBuffer) { return line }
                let chunk = try Self.readDecrypted(max: Self.chunkSize, session: session, socket: socket)
                if chunk.isEmpty {
                    guard !state.decryptedBuffer.isEmpty else { return nil }
                    defer { state.decryptedBuffer.removeAll() }
                    return String(decoding: state.decryptedBuffer, as: UTF8.self)
                }
                state.decryptedBuffer += chunk
            }
        }
    }

    /// Encrypts and sends every byte. Maps to `SSL_write`.
    public func write(_ bytes: [UInt8]) throws {
        try state.withLock { state throws in
            let session = try Self.session(state)
            var offset = 0
            while offset < bytes.count {
                let outcome = try bytes[offset...].withUnsafeBytes { buffer in
                    try session.perform("SSL_write", on: socket) { SSL_write($0, buffer.baseAddress, Int32(clamping: buffer.count)) }
                }
                guard case .done(let written) = outcome else {
                    throw TLSTestServerError(.tls, "the client closed the connection while the server was writing")
                }
                offset += Int(written)
            }
        }
    }

    /// Encrypts and sends `text` as UTF-8.
    public func write(_ text: String) throws {
        try write(Array(text.utf8))
    }

    /// Sends a TLS close_notify alert without waiting for the client's, leaving the TCP connection open.
    /// Does nothing before `startTLS()` or once the socket is closed. Maps to `SSL_shutdown`.
    public func closeNotify() {
        state.withLock { state in
            guard let session = state.session else { return }
            _ = try? session.perform("SSL_shutdown", on: socket) { ssl in
                // 0 means "sent ours, theirs not yet received", which is all this method wants.
                SSL_shutdown(ssl) >= 0 ? 1 : -1
            }
        }
    }

    /// Closes the TCP connection (FIN) without a close_notify. Safe from any thread; a blocked call wakes up.
    public func close() {
        socket.close()
    }

    /// Aborts the TCP connection with a reset (`SO_LINGER` of zero, then `close`).
    public func reset() {
        socket.abort()
    }

    // MARK: Helpers

    private static func misuse(_ message: String) -> TLSTestServerError {
        TLSTestServerError(.misuse, message)
    }

    private static func session(_ state: borrowing State) throws -> TLSSession {
        guard let session = state.session else { throw misuse("TLS call before startTLS()") }
        return session
    }

    /// Receives whatever the kernel has (at least one byte, or `[]` at end of stream).
    private func receiveChunk() throws -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: Self.chunkSize)
        let count = try chunk.withUnsafeMutableBytes { try socket.receive(into: $0) }
        return Array(chunk.prefix(count))
    }

    private static func readDecrypted(max: Int, session: TLSSession, socket: StreamSocket) throws -> [UInt8] {
        guard max > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: min(max, chunkSize))
        let outcome = try bytes.withUnsafeMutableBytes { buffer in
            try session.perform("SSL_read", on: socket) { SSL_read($0, buffer.baseAddress, Int32(buffer.count)) }
        }
        switch outcome {
        case .done(let count): return Array(bytes.prefix(Int(count)))
        case .closedByPeer, .endOfStream: return []
        }
    }

    /// Removes and returns the first line of `buffer` (terminator stripped), or nil when it holds no `\n` yet.
    private static func takeLine(from buffer: inout [UInt8]) -> String? {
        takeLineBytes(from: &buffer).map { String(decoding: $0, as: UTF8.self) }
    }

    private static func takeLineBytes(from buffer: inout [UInt8]) -> [UInt8]? {
        guard let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        var end = newline
        if end > buffer.startIndex, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let line = Array(buffer[..<end])
        buffer.removeSubrange(...newline)
        return line
    }
}

/// One `SSL` object whose input and output are memory BIOs; `perform` moves bytes between them and the socket.
///
/// Not `Sendable`: it lives inside its connection's lock.
final class TLSSession {
    enum Outcome {
        /// The call succeeded with this (positive) result.
        case done(Int32)
        /// The peer sent close_notify.
        case closedByPeer
        /// The TCP connection ended without close_notify.
        case endOfStream
    }

    private let ssl: OpaquePointer
    /// Owned by `ssl` (`SSL_set_bio` transfers ownership); freed by `SSL_free`.
    private let input: OpaquePointer
    private let output: OpaquePointer

    /// Creates a server-side session and feeds it `initialBytes` already read from the socket.
    /// Maps to `SSL_new`, `BIO_new(BIO_s_mem())`, `SSL_set_bio` and `SSL_set_accept_state`.
    init(context: ServerContext, initialBytes: [UInt8]) throws(TLSTestServerError) {
        OpenSSLErrors.clear()
        guard let ssl = SSL_new(context.pointer) else {
            throw TLSTestServerError(.handshake, "SSL_new failed: \(OpenSSLErrors.drain())")
        }
        guard let input = BIO_new(BIO_s_mem()), let output = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw TLSTestServerError(.handshake, "BIO_new failed: \(OpenSSLErrors.drain())")
        }
        SSL_set_bio(ssl, input, output)
        SSL_set_accept_state(ssl)
        self.ssl = ssl
        self.input = input
        self.output = output
        if !initialBytes.isEmpty {
            initialBytes.withUnsafeBytes { _ = BIO_write(input, $0.baseAddress, Int32($0.count)) }
        }
    }

    deinit {
        SSL_free(ssl)
    }

    /// The negotiated protocol name. Maps to `SSL_get_version`.
    var version: String { String(cString: SSL_get_version(ssl)) }

    /// Whether received bytes wait inside OpenSSL (a second record read together with the first), which a
    /// `poll` on the socket cannot see. Maps to `BIO_ctrl_pending` and `SSL_pending`.
    var hasBufferedInput: Bool { BIO_ctrl_pending(input) > 0 || SSL_pending(ssl) > 0 }

    /// Maps to `SSL_get_servername`.
    var serverName: String? {
        SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name).map { String(cString: $0) }
    }

    /// The negotiated cipher name. Maps to `SSL_get_current_cipher` and `SSL_CIPHER_get_name`.
    var cipher: String? {
        SSL_get_current_cipher(ssl).map { String(cString: SSL_CIPHER_get_name($0)) }
    }

    /// Runs `call` until it stops asking for input: sends what OpenSSL wrote, receives what it wants to read.
    /// Each receive and send is bounded by the socket's timeouts.
    func perform(_ name: String, on socket: StreamSocket, _ call: (OpaquePointer) -> Int32) throws -> Outcome {
        while true {
            OpenSSLErrors.clear()
            let result = call(ssl)
            let reason = result > 0 ? SSL_ERROR_NONE : SSL_get_error(ssl, result)
            // A fatal error still leaves an alert in the output buffer, which the client should get.
            let failure: String? = switch reason {
            case SSL_ERROR_NONE, SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE, SSL_ERROR_ZERO_RETURN: nil
            default: OpenSSLErrors.drain()
            }
            if let failure {
                try? flush(to: socket)
                throw TLSTestServerError(.tls, "\(name) failed: \(failure)")
            }
            try flush(to: socket)
            switch reason {
            case SSL_ERROR_NONE:
                return .done(result)
            case SSL_ERROR_ZERO_RETURN:
                return .closedByPeer
            case SSL_ERROR_WANT_READ:
                var chunk = [UInt8](repeating: 0, count: 16 * 1024)
                let count = try chunk.withUnsafeMutableBytes { try socket.receive(into: $0) }
                if count == 0 { return .endOfStream }
                chunk.withUnsafeBytes { _ = BIO_write(input, $0.baseAddress, Int32(count)) }
            default:
                continue // SSL_ERROR_WANT_WRITE: a memory BIO never fills, and it was just flushed.
            }
        }
    }

    /// Sends everything OpenSSL has written to the output BIO. Maps to `BIO_read`.
    private func flush(to socket: StreamSocket) throws {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while BIO_ctrl_pending(output) > 0 {
            let count = chunk.withUnsafeMutableBytes { BIO_read(output, $0.baseAddress, Int32($0.count)) }
            guard count > 0 else { return }
            try chunk.withUnsafeBytes { try socket.sendAll(UnsafeRawBufferPointer(rebasing: $0.prefix(Int(count)))) }
        }
    }
}
