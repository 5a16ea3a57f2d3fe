import WinsockSSL

/// One connection accepted by a `TLSTestServer`.
///
/// It starts in plain text, so a test can script a STARTTLS-style prelude with `readLine` and `writePlain`,
/// then calls `startTLS()`; after that `read`/`write` carry decrypted data. Every call blocks, each socket
/// operation bounded by the server's `ioTimeout`; `close()` from another thread wakes a blocked call.
///
/// TLS runs on WinsockSSL's `TLSEngine` in its server role (`ServerTLSSession`), which works on memory
/// buffers rather than on the descriptor: bytes that arrive together with the last plain-text line (a client
/// that sends its ClientHello without waiting) are handed to OpenSSL by `startTLS()`, so nothing is lost
/// however the reads were split.
public final class TLSServerConnection: Sendable {
    private struct State {
        /// Plain bytes received but not yet returned by `readLine` (they go to OpenSSL at `startTLS`).
        var plainBuffer: [UInt8] = []
        /// Decrypted bytes received but not yet returned.
        var decryptedBuffer: [UInt8] = []
        var session: ServerTLSSession?
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
                    return .clientHello(try receiveFirstRecord(&state.plainBuffer))
                }
                if let line = Self.takeLineBytes(from: &state.plainBuffer) { return .line(line) }
                if let ended = try receivePlain(into: &state.plainBuffer) { return ended }
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
            if state.plainBuffer.isEmpty || state.plainBuffer == [TLSClientHello.handshakeRecordType],
               let ended = try receivePlain(into: &state.plainBuffer) {
                return ended
            }
            if TLSClientHello.looksLikeHandshake(state.plainBuffer) {
                return .clientHello(try receiveFirstRecord(&state.plainBuffer))
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
    /// server's `errors`. Maps to `SSL_accept` (`SSL_do_handshake` in accept state).
    public func startTLS() throws {
        do {
            try state.withLock { state throws in
                guard state.session == nil else { throw Self.misuse("startTLS() called twice") }
                let session = try ServerTLSSession(context: context, socket: socket, initialBytes: state.plainBuffer)
                state.plainBuffer.removeAll()
                state.session = session
                switch try session.handshake() {
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
            return try Self.readDecrypted(max: max, session: try Self.session(state))
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
                let chunk = try Self.readDecrypted(max: Self.chunkSize, session: session)
                if chunk.isEmpty {
                    guard !state.decryptedBuffer.isEmpty else { return nil }
                    defer { state.decryptedBuffer.removeAll() }
                    return String(decoding: state.decryptedBuffer, as: UTF8.self)
                }
                state.decryptedBuffer += chunk
            }
        }
    }

    /// Encrypts and sends every byte. Maps to `SSL_write_ex`.
    public func write(_ bytes: [UInt8]) throws {
        try state.withLock { state throws in
            let session = try Self.session(state)
            var offset = 0
            while offset < bytes.count {
                let outcome = try bytes[offset...].withUnsafeBytes { try session.write($0) }
                guard case .done(let written) = outcome else {
                    throw TLSTestServerError(.tls, "the client closed the connection while the server was writing")
                }
                offset += written
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
            try? state.session?.sendCloseNotify()
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

    private static func session(_ state: borrowing State) throws -> ServerTLSSession {
        guard let session = state.session else { throw misuse("TLS call before startTLS()") }
        return session
    }

    /// Receives whatever the kernel has (at least one byte, or `[]` at end of stream).
    private func receiveChunk() throws -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: Self.chunkSize)
        let count = try chunk.withUnsafeMutableBytes { try socket.receive(into: $0) }
        return Array(chunk.prefix(count))
    }

    /// Receives more plain text into `buffer`; nil when some arrived. At end of stream, what `buffer` still
    /// holds is the last line (and `buffer` is emptied), or `.endOfStream` when it holds nothing.
    private func receivePlain(into buffer: inout [UInt8]) throws -> PlainInput? {
        let chunk = try receiveChunk()
        guard chunk.isEmpty else {
            buffer += chunk
            return nil
        }
        guard !buffer.isEmpty else { return .endOfStream }
        defer { buffer.removeAll() }
        return .line(buffer)
    }

    /// Receives the rest of the TLS record that `buffer` starts with (its header says how long it is), unless
    /// the client closes first, and describes it.
    private func receiveFirstRecord(_ buffer: inout [UInt8]) throws -> TLSClientHello {
        while buffer.count < TLSClientHello.recordLength(buffer) ?? 5 {
            let chunk = try receiveChunk()
            if chunk.isEmpty { break }
            buffer += chunk
        }
        let length = TLSClientHello.recordLength(buffer) ?? buffer.count
        return TLSClientHello(record: Array(buffer.prefix(length)))
    }

    private static func readDecrypted(max: Int, session: ServerTLSSession) throws -> [UInt8] {
        guard max > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: min(max, chunkSize))
        let outcome = try bytes.withUnsafeMutableBytes { try session.read(into: $0) }
        switch outcome {
        case .done(let count): return Array(bytes.prefix(count))
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
