internal import COpenSSL
internal import Glibc

/// One TLS connection in OpenSSL, client or server, with no I/O of its own: no descriptor, no clock, no waiting.
///
/// OpenSSL reads and writes through the engine's own BIO. The engine's caller (the driver, `TLSSession`)
/// puts the bytes it received from the peer into the input side (`inputSpace`, `commitInput`), takes the
/// bytes OpenSSL wants sent from the output side (`pendingOutput`, `consumeOutput`), and steps the
/// connection (`handshake`, `read`, `write`, `peek`, `shutdown`); each step says what it needs next: more
/// input, room for output, nothing (it completed), or that the connection closed or failed.
///
/// Each side's buffer holds `transferSize` bytes (the output side a little more, for four records with
/// their headers and tags), so the driver can move 64 KiB with one system call in either direction
/// without copying them again: `recv` writes straight into the input buffer and `send` reads straight
/// from the output buffer. A buffer exists only while it holds bytes: it is allocated when the driver
/// asks for room (or OpenSSL writes) and freed as soon as it is emptied, so an idle connection holds
/// neither (with `SSL_MODE_RELEASE_BUFFERS`, neither does OpenSSL) and a small exchange touches only the
/// pages its bytes fill. A BIO pair (`BIO_new_bio_pair`) allocates both rings for the life of the
/// connection; under it 1,000 idle connections cost 33.8 KiB each instead of 24 (BENCHMARKS.md).
///
/// The client role (`init(context:serverName:)`) is what every socket of the package uses; the server role
/// (`init(serving:)`) is what WinsockSSLTesting's test servers use, so both ends of a loopback test run the
/// same BIO, buffers and error classification.
///
/// In the client role the input side also guards the server's first bytes: a TLS reply starts with a
/// handshake (22) or alert (21) record, so a first byte that is anything else is plain text where TLS was
/// due (a STARTTLS injection, or a server that never started TLS). Those bytes are refused before OpenSSL
/// sees them and kept for the error message. The server role has no such guard: a test server reports what
/// OpenSSL makes of a client's non-TLS bytes ("http request", "wrong version number").
///
/// Not locked: OpenSSL forbids concurrent calls on one `SSL`, so the driver keeps the engine inside a
/// `Locked` and reaches it only there, one thread at a time. That is also why its `Sendable` conformance is
/// unchecked: the driver's steps are closures over the caller's buffers, which region checking cannot
/// prove disjoint from the engine, while the lock makes every access exclusive. Failures keep OpenSSL's error codes; end of stream is recognised by the reason
/// `SSL_R_UNEXPECTED_EOF_WHILE_READING`. The error queue and `errno` are cleared before every OpenSSL call.
package final class TLSEngine: @unchecked Sendable {
    /// Which end of the handshake the engine plays.
    enum Role {
        /// Connects (`SSL_set_connect_state`): the package's sockets.
        case client
        /// Accepts (`SSL_set_accept_state`): WinsockSSLTesting's servers.
        case server
    }

    /// What a step achieved, or what it needs before it can go on.
    package enum Status {
        /// The step finished; for `read`, `write` and `peek` the number of bytes, otherwise 0.
        case complete(Int)
        /// OpenSSL needs bytes from the peer (`commitInput`, or `endInput` when the peer closed).
        case needsInput
        /// OpenSSL has filled the output side; the peer must take some of `pendingOutput` first.
        case needsOutputSpace
        /// The peer sent close_notify.
        case closed
        /// The connection is unusable; every later step reports the same failure.
        case failed(Failure)
    }

    /// Why a connection failed, as codes.
    package enum Failure: Sendable {
        /// The peer's stream ended without close_notify (`SSL_R_UNEXPECTED_EOF_WHILE_READING`).
        case endOfStream
        /// The first bytes the peer sent cannot start a TLS record; the first 64 of them.
        case plaintext([UInt8])
        /// The driver's system call failed with this `errno`.
        case transport(errno: Int32)
        /// OpenSSL failed: `SSL_get_error`'s answer and the queued errors, oldest first.
        case openSSL(kind: Int32, errors: [OpenSSLErrorQueue.Entry])
    }

    /// How many bytes the driver can move with one `recv` or `send`.
    package static let transferSize = 64 * 1024

    /// The room one more record needs in the output side before `write` encrypts it: 16 KiB of plain
    /// text plus TLS 1.3's 22 bytes (TLS 1.2's CBC suites add at most a few hundred).
    private static let recordRoom = 16 * 1024 + 512

    /// Owns the `SSL`, which owns the BIO.
    let handle: SSLHandle
    /// The BIO OpenSSL reads `input` from and writes `output` to; its data pointer is this engine (unretained).
    private let bio: OpaquePointer
    /// Bytes received from the peer that OpenSSL has not read yet.
    fileprivate var input = EngineBuffer(capacity: TLSEngine.transferSize)
    /// Bytes OpenSSL has written that the peer has not been sent yet.
    fileprivate var output = EngineBuffer(capacity: TLSEngine.transferSize + 1024)
    /// Only the client role looks at the peer's first byte (see the type's comment).
    private var awaitingFirstRecord: Bool
    /// Why the connection failed, once it has.
    package private(set) var failure: Failure?
    /// True once the peer's stream has ended (`endInput`).
    package private(set) var inputEnded = false

    /// A client engine for one connection from `context`, sending `serverName` as SNI when it is a DNS name.
    /// Maps to `SSL_new`, `BIO_new`, `SSL_set_bio`, `SSL_set_connect_state` and `SSL_set_tlsext_host_name`.
    convenience init(context: TLSContext, serverName: String?) throws(WinsockError) {
        try self.init(handle: try context.makeConnection(), role: .client)
        if let name = serverName, let sniName = Self.sniName(name) {
            guard shim_SSL_set_tlsext_host_name(handle.pointer, sniName) == 1 else {
                throw WinsockError(.invalidArgument, "\"\(name)\" cannot be sent as a TLS server name")
            }
        }
    }

    /// A server engine for one accepted connection, from `serverContext`: an `SSL_CTX` made with
    /// `TLS_server_method` and prepared with `prepareServerContext` (the `SSL` keeps its own reference to it).
    /// The client's server name (SNI) is read after the handshake with `requestedServerName`.
    /// Maps to `SSL_new`, `BIO_new`, `SSL_set_bio` and `SSL_set_accept_state`.
    package convenience init(serving serverContext: OpaquePointer) throws(WinsockError) {
        OpenSSLErrorQueue.clear()
        guard let ssl = SSL_new(serverContext) else { throw TLSContext.failure("SSL_new") }
        try self.init(handle: SSLHandle(ssl), role: .server)
    }

    /// Gives the `SSL` of `handle` the engine's BIO and sets its role.
    private init(handle: SSLHandle, role: Role) throws(WinsockError) {
        self.handle = handle
        awaitingFirstRecord = role == .client
        OpenSSLErrorQueue.clear()
        guard let bio = BIO_new(EngineBIOMethod.shared.pointer) else {
            throw TLSContext.failure("BIO_new")
        }
        self.bio = bio
        BIO_set_init(bio, 1)
        // The SSL takes the BIO's one reference; the data pointer is cleared in deinit, before the SSL goes.
        SSL_set_bio(handle.pointer, bio, bio)
        switch role {
        case .client: SSL_set_connect_state(handle.pointer)
        case .server: SSL_set_accept_state(handle.pointer)
        }
        BIO_set_data(bio, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Sets on a server context the modes the engine's `write` relies on, as the client contexts have them:
    /// partial writes (one record a step), a write buffer that may move between retries, and OpenSSL's
    /// buffers released while idle. Maps to `SSL_CTX_set_mode`.
    package static func prepareServerContext(_ serverContext: OpaquePointer) {
        _ = shim_SSL_CTX_set_mode(serverContext, Int(SSL_MODE_ENABLE_PARTIAL_WRITE) | Int(SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER) | Int(SSL_MODE_RELEASE_BUFFERS))
    }

    /// What is sent as SNI for `name`: the name without a trailing dot, or nil when it is not a DNS name.
    ///
    /// RFC 6066 (section 3) forbids literal addresses in SNI. Beyond what `InternetAddress` parses, a name
    /// whose last label is a number ("127.1", "2130706433", "0x7f.1", which `inet_aton` and so `getaddrinfo`
    /// take as addresses) or that contains a colon or a bracket (IPv6, bracketed or with a zone) is treated
    /// as an address: no top-level domain is numeric (RFC 3696, section 2).
    static func sniName(_ name: String) -> String? {
        let trimmed = name.hasSuffix(".") ? String(name.dropLast()) : name
        // Bytes, not Characters: this runs on every connection (it was 14 K instructions per handshake).
        let isAddressPunctuation = { (byte: UInt8) in byte == UInt8(ascii: ":") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]") }
        guard !trimmed.isEmpty, !trimmed.utf8.contains(where: isAddressPunctuation), InternetAddress(parsing: trimmed) == nil else { return nil }
        let utf8 = trimmed.utf8
        let lastLabel = utf8[(utf8.lastIndex(of: UInt8(ascii: ".")).map { utf8.index(after: $0) } ?? utf8.startIndex)...]
        let isDecimal = lastLabel.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        let isHex = lastLabel.count >= 2 && lastLabel.first == UInt8(ascii: "0") && (lastLabel.dropFirst().first == UInt8(ascii: "x") || lastLabel.dropFirst().first == UInt8(ascii: "X"))
            && lastLabel.dropFirst(2).allSatisfy { Self.isHexDigit($0) }
        return isDecimal || isHex ? nil : trimmed
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }

    deinit {
        BIO_set_data(bio, nil)
        input.release()
        output.release()
    }

    // MARK: Input

    /// Free room in the input side, contiguous, for the driver to `recv` into (empty when full, or when the
    /// buffer could not be allocated: the engine has then failed with `ENOMEM`).
    package func inputSpace() -> UnsafeMutableRawBufferPointer {
        guard let space = input.space() else {
            fail(.transport(errno: ENOMEM))
            return UnsafeMutableRawBufferPointer(start: nil, count: 0)
        }
        return space
    }

    /// Hands OpenSSL the first `count` bytes the driver put into `inputSpace()`; 0 (nothing arrived) gives an
    /// unused buffer back. False when they were refused as plain text (the engine has then failed with
    /// `.plaintext`).
    package func commitInput(_ count: Int) -> Bool {
        guard count > 0 else {
            input.releaseIfEmpty()
            return true
        }
        if awaitingFirstRecord, let first = input.space().map({ UnsafeRawBufferPointer(rebasing: $0[..<min(count, 64)]) }) {
            // 22 = handshake, 21 = alert: the only record types a server may open its reply with.
            guard first[0] == 22 || first[0] == 21 else {
                fail(.plaintext(Array(first)))
                input.releaseIfEmpty()
                return false
            }
            awaitingFirstRecord = false
        }
        input.append(count)
        return true
    }

    /// Tells OpenSSL the peer's stream has ended; what it still needs will then never come.
    package func endInput() {
        guard !inputEnded else { return }
        inputEnded = true
        input.releaseIfEmpty()
    }

    // MARK: Output

    /// True when OpenSSL has written bytes the peer has not been sent.
    package var hasOutput: Bool { output.count > 0 }

    /// The next contiguous bytes to send (empty when there are none).
    package func pendingOutput() -> UnsafeRawBufferPointer { output.bytes }

    /// Drops the first `count` bytes of `pendingOutput()`, which the peer has been sent.
    package func consumeOutput(_ count: Int) {
        output.remove(count)
    }

    // MARK: Steps

    /// Advances the handshake, as client or server (`role`). Maps to `SSL_do_handshake`.
    package func handshake() -> Status {
        step { ssl, _ in SSL_do_handshake(ssl) }
    }

    /// Decrypts into `buffer`. Maps to `SSL_read_ex`.
    package func read(into buffer: UnsafeMutableRawBufferPointer) -> Status {
        step { ssl, count in SSL_read_ex(ssl, buffer.baseAddress, buffer.count, &count) }
    }

    /// Encrypts from `bytes`; may take fewer than all of them (partial writes are on). Maps to `SSL_write_ex`.
    ///
    /// OpenSSL's partial-write mode returns after each record, so this encrypts record after record while
    /// the output side has room for a whole one: a 64 KiB write leaves as four records the driver hands the
    /// kernel with one `send`, instead of one `send` per record.
    package func write(_ bytes: UnsafeRawBufferPointer) -> Status {
        var taken = 0
        while true {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[taken...])
            let status = step { ssl, count in SSL_write_ex(ssl, rest.baseAddress, rest.count, &count) }
            guard case .complete(let count) = status else { return taken > 0 ? .complete(taken) : status }
            taken += count
            guard taken < bytes.count, output.room >= Self.recordRoom else { return .complete(taken) }
        }
    }

    /// Processes the records that have arrived (session tickets, key updates, application data) without
    /// consuming application data; `.complete` once some is decrypted. Maps to `SSL_peek_ex`.
    package func peek() -> Status {
        var byte: UInt8 = 0
        return step { ssl, count in SSL_peek_ex(ssl, &byte, 1, &count) }
    }

    /// Decrypted bytes ready to read. Maps to `SSL_pending`.
    package var pendingPlaintext: Int { Int(SSL_pending(handle.pointer)) }

    /// Queues close_notify once, after a completed handshake; the driver sends it. Maps to `SSL_shutdown`.
    package func shutdown() {
        guard failure == nil, SSL_is_init_finished(handle.pointer) == 1,
              SSL_get_shutdown(handle.pointer) & SSL_SENT_SHUTDOWN == 0 else { return }
        _ = step { ssl, _ in SSL_shutdown(ssl) >= 0 ? 1 : -1 }
    }

    /// Lets the certificate verification callback find `verifier` during the handshake (nil removes it).
    /// Maps to `SSL_set_ex_data`.
    func setVerifier(_ verifier: CertificateVerifier?) {
        _ = SSL_set_ex_data(handle.pointer, verifierSlot, verifier.map { Unmanaged.passUnretained($0).toOpaque() })
    }

    /// Marks the connection failed (the driver does, when its system call fails); later steps report it.
    package func fail(_ reason: Failure) {
        if failure == nil { failure = reason }
    }

    /// Runs one OpenSSL call and classifies its outcome.
    private func step(_ call: (OpaquePointer, inout Int) -> Int32) -> Status {
        if let failure { return .failed(failure) }
        OpenSSLErrorQueue.clear()
        errno = 0
        var count = 0
        let result = call(handle.pointer, &count)
        if result == 1 { return .complete(count) }
        let kind = SSL_get_error(handle.pointer, result)
        let errors = OpenSSLErrorQueue.drainEntries()
        switch kind {
        case SSL_ERROR_WANT_READ:
            return .needsInput
        case SSL_ERROR_WANT_WRITE:
            return .needsOutputSpace
        case SSL_ERROR_ZERO_RETURN:
            return .closed
        case SSL_ERROR_SYSCALL where errors.isEmpty:
            // The BIO pair reports nothing else: its read side ended.
            fail(.endOfStream)
        default:
            if errors.contains(where: { $0.isSSL(SSL_R_UNEXPECTED_EOF_WHILE_READING) }) {
                fail(.endOfStream)
            } else {
                fail(.openSSL(kind: kind, errors: errors))
            }
        }
        return .failed(failure!)
    }
}

// MARK: Server role

extension TLSEngine {
    /// Whether bytes received from the peer wait inside the engine (not yet read by OpenSSL) or inside
    /// OpenSSL (records read but not returned), which a `poll` on the socket cannot see.
    /// Maps to `SSL_has_pending`.
    package var hasBufferedInput: Bool { input.count > 0 || SSL_has_pending(handle.pointer) == 1 }

    /// The protocol as OpenSSL names it ("TLSv1.3"). Maps to `SSL_get_version`.
    package var protocolName: String { String(cString: SSL_get_version(handle.pointer)) }

    /// The cipher suite as OpenSSL names it; nil before the handshake. Maps to `SSL_get_current_cipher`
    /// and `SSL_CIPHER_get_name`.
    package var cipherName: String? {
        SSL_get_current_cipher(handle.pointer).map { String(cString: SSL_CIPHER_get_name($0)) }
    }

    /// In the server role, the name the client sent as SNI; nil when it sent none. Maps to `SSL_get_servername`.
    package var requestedServerName: String? {
        SSL_get_servername(handle.pointer, TLSEXT_NAMETYPE_host_name).map { String(cString: $0) }
    }
}

/// The BIO method of every engine: OpenSSL reads the engine's `input` and writes its `output` through it.
/// Maps to `BIO_meth_new`, `BIO_meth_set_read_ex`, `BIO_meth_set_write_ex` and `BIO_meth_set_ctrl`.
private struct EngineBIOMethod: @unchecked Sendable {
    let pointer: OpaquePointer

    /// Made once; never freed (every engine's BIO uses it).
    static let shared = EngineBIOMethod()

    private init() {
        guard let method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "WinsockSSL engine") else {
            fatalError("BIO_meth_new failed: OpenSSL could not allocate a BIO method")
        }
        _ = BIO_meth_set_read_ex(method) { bio, data, length, readCount in
            BIO_clear_flags(bio, BIO_FLAGS_READ | BIO_FLAGS_WRITE | BIO_FLAGS_IO_SPECIAL | BIO_FLAGS_SHOULD_RETRY)
            guard let engine = TLSEngine.owner(of: bio), let data else { return 0 }
            let count = engine.input.take(into: UnsafeMutableRawPointer(data), length)
            if count > 0 {
                readCount?.pointee = count
                return 1
            }
            // Nothing yet: OpenSSL reports "wants read" unless the stream ended (then BIO_CTRL_EOF says so).
            if !engine.inputEnded { BIO_set_flags(bio, BIO_FLAGS_READ | BIO_FLAGS_SHOULD_RETRY) }
            return 0
        }
        _ = BIO_meth_set_write_ex(method) { bio, data, length, written in
            BIO_clear_flags(bio, BIO_FLAGS_READ | BIO_FLAGS_WRITE | BIO_FLAGS_IO_SPECIAL | BIO_FLAGS_SHOULD_RETRY)
            guard let engine = TLSEngine.owner(of: bio), let data else { return 0 }
            let count = engine.output.put(UnsafeRawPointer(data), length)
            if count > 0 {
                written?.pointee = count
                return 1
            }
            // Full: OpenSSL keeps the rest of the record and reports "wants write".
            BIO_set_flags(bio, BIO_FLAGS_WRITE | BIO_FLAGS_SHOULD_RETRY)
            return 0
        }
        _ = BIO_meth_set_ctrl(method) { bio, command, _, _ in
            guard let engine = TLSEngine.owner(of: bio) else { return 0 }
            switch command {
            case BIO_CTRL_FLUSH: return 1
            case BIO_CTRL_PENDING: return engine.input.count
            case BIO_CTRL_WPENDING: return engine.output.count
            case BIO_CTRL_EOF: return engine.inputEnded && engine.input.count == 0 ? 1 : 0
            default: return 0
            }
        }
        pointer = method
    }
}

extension TLSEngine {
    /// The engine a BIO of `EngineBIOMethod` belongs to; nil once the engine is gone.
    fileprivate static func owner(of bio: OpaquePointer?) -> TLSEngine? {
        guard let bio, let data = BIO_get_data(bio) else { return nil }
        return Unmanaged<TLSEngine>.fromOpaque(data).takeUnretainedValue()
    }
}

/// Bytes waiting in one direction of a `TLSEngine`, in a buffer of `capacity` bytes that is allocated when
/// room is first asked for and freed whenever it is emptied.
private struct EngineBuffer {
    let capacity: Int
    private var storage: UnsafeMutableRawPointer?
    private var start = 0
    private var end = 0

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Bytes held.
    var count: Int { end - start }

    /// Room left after the bytes held, once they are moved to the front.
    var room: Int { capacity - count }

    /// The bytes held, contiguous.
    var bytes: UnsafeRawBufferPointer {
        guard let storage else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: storage + start, count: count)
    }

    /// Contiguous room after the bytes held (allocating the buffer, or moving the bytes to the front, when
    /// needed); nil when the buffer cannot be allocated.
    mutating func space() -> UnsafeMutableRawBufferPointer? {
        if storage == nil {
            guard let allocated = malloc(capacity) else { return nil }
            storage = allocated
        }
        if end == capacity, start > 0 {
            memmove(storage!, storage! + start, count)
            end -= start
            start = 0
        }
        return UnsafeMutableRawBufferPointer(start: storage! + end, count: capacity - end)
    }

    /// Counts `added` bytes written into `space()` as held.
    mutating func append(_ added: Int) {
        end += added
    }

    /// Copies up to `length` bytes in; how many fitted (0 when full or not allocatable).
    mutating func put(_ source: UnsafeRawPointer, _ length: Int) -> Int {
        guard let space = space() else { return 0 }
        let copied = min(length, space.count)
        space.baseAddress?.copyMemory(from: source, byteCount: copied)
        end += copied
        return copied
    }

    /// Copies up to `length` held bytes out and drops them; how many.
    mutating func take(into destination: UnsafeMutableRawPointer, _ length: Int) -> Int {
        let copied = min(length, count)
        guard copied > 0, let storage else { return 0 }
        destination.copyMemory(from: storage + start, byteCount: copied)
        remove(copied)
        return copied
    }

    /// Drops the first `removed` bytes held; an emptied buffer is freed.
    mutating func remove(_ removed: Int) {
        start += min(removed, count)
        releaseIfEmpty()
    }

    mutating func releaseIfEmpty() {
        if start == end { release() }
    }

    /// Frees the buffer and whatever it held.
    mutating func release() {
        free(storage)
        storage = nil
        start = 0
        end = 0
    }
}
