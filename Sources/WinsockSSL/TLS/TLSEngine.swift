internal import COpenSSL
internal import Glibc

/// One TLS client connection in OpenSSL, with no I/O of its own: no descriptor, no clock, no waiting.
///
/// OpenSSL reads and writes a BIO pair. The engine's caller (the driver, `TLSSession`) puts the bytes it
/// received from the peer into the input side (`inputSpace`, `commitInput`), takes the bytes OpenSSL wants
/// sent from the output side (`pendingOutput`, `consumeOutput`), and steps the connection (`handshake`,
/// `read`, `write`, `peek`, `shutdown`); each step says what it needs next: more input, room for output,
/// nothing (it completed), or that the connection closed or failed. The pair's buffers are sized so the
/// driver can move `transferSize` bytes with one system call in either direction, without copying them
/// again: `recv` writes straight into the input ring and `send` reads straight from the output ring.
///
/// The input side also guards the server's first bytes: a TLS reply starts with a handshake (22) or
/// alert (21) record, so a first byte that is anything else is plain text where TLS was due (a STARTTLS
/// injection, or a server that never started TLS). Those bytes are refused before OpenSSL sees them and
/// kept for the error message.
///
/// Not locked: OpenSSL forbids concurrent calls on one `SSL`, so the driver keeps the engine inside a
/// `Locked` and reaches it only there, one thread at a time. That is also why its `Sendable` conformance is
/// unchecked: the driver's steps are closures over the caller's buffers, which region checking cannot
/// prove disjoint from the engine, while the lock makes every access exclusive. Failures keep OpenSSL's error codes; end of stream is recognised by the reason
/// `SSL_R_UNEXPECTED_EOF_WHILE_READING`. The error queue and `errno` are cleared before every OpenSSL call.
final class TLSEngine: @unchecked Sendable {
    /// What a step achieved, or what it needs before it can go on.
    enum Status {
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
    enum Failure: Sendable {
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
    static let transferSize = 64 * 1024

    /// Owns the `SSL`, which owns the pair's internal half.
    let handle: SSLHandle
    /// The pair's outer half, where the driver's bytes go in and come out. Owned here.
    private let network: OpaquePointer
    private var awaitingFirstRecord = true
    /// Why the connection failed, once it has.
    private(set) var failure: Failure?
    /// True once the peer's stream has ended (`endInput`).
    private(set) var inputEnded = false

    /// A client engine for one connection from `context`, sending `serverName` as SNI when it is a DNS name.
    /// Maps to `SSL_new`, `BIO_new_bio_pair`, `SSL_set_bio`, `SSL_set_connect_state` and `SSL_set_tlsext_host_name`.
    init(context: TLSContext, serverName: String?) throws(WinsockError) {
        handle = try context.makeConnection()
        var inner: OpaquePointer?
        var outer: OpaquePointer?
        OpenSSLErrorQueue.clear()
        // A 64 KiB plaintext write becomes four records; the output side holds them with their headers and tags.
        guard BIO_new_bio_pair(&inner, Self.transferSize + 1024, &outer, Self.transferSize) == 1, let inner, let outer else {
            throw TLSContext.failure("BIO_new_bio_pair")
        }
        network = outer
        SSL_set_bio(handle.pointer, inner, inner)
        SSL_set_connect_state(handle.pointer)
        if let name = serverName, let sniName = Self.sniName(name) {
            guard shim_SSL_set_tlsext_host_name(handle.pointer, sniName) == 1 else {
                throw WinsockError(.invalidArgument, "\"\(name)\" cannot be sent as a TLS server name")
            }
        }
    }

    /// What is sent as SNI for `name`: the name without a trailing dot, or nil when it is not a DNS name.
    ///
    /// RFC 6066 (section 3) forbids literal addresses in SNI. Beyond what `InternetAddress` parses, a name
    /// whose last label is a number ("127.1", "2130706433", "0x7f.1", which `inet_aton` and so `getaddrinfo`
    /// take as addresses) or that contains a colon or a bracket (IPv6, bracketed or with a zone) is treated
    /// as an address: no top-level domain is numeric (RFC 3696, section 2).
    static func sniName(_ name: String) -> String? {
        let trimmed = name.hasSuffix(".") ? String(name.dropLast()) : name
        guard !trimmed.isEmpty, !trimmed.contains(where: { ":[]".contains($0) }), InternetAddress(parsing: trimmed) == nil else { return nil }
        let lastLabel = trimmed.split(separator: ".", omittingEmptySubsequences: false).last ?? ""
        let lowered = lastLabel.lowercased()
        let isDecimal = lastLabel.allSatisfy { $0.isASCII && $0.isNumber }
        let isHex = lowered.hasPrefix("0x") && lowered.dropFirst(2).allSatisfy { $0.isHexDigit }
        return isDecimal || isHex ? nil : trimmed
    }

    deinit {
        BIO_free(network)
    }

    // MARK: Input

    /// Free room in the input side, contiguous, for the driver to `recv` into (empty when full).
    /// Maps to `BIO_nwrite0`.
    func inputSpace() -> UnsafeMutableRawBufferPointer {
        var start: UnsafeMutablePointer<CChar>?
        let count = BIO_nwrite0(network, &start)
        guard count > 0, let start else { return UnsafeMutableRawBufferPointer(start: nil, count: 0) }
        return UnsafeMutableRawBufferPointer(start: start, count: Int(count))
    }

    /// Hands OpenSSL the first `count` bytes the driver put into `inputSpace()`. False when they were refused
    /// as plain text (the engine has then failed with `.plaintext`). Maps to `BIO_nwrite`.
    func commitInput(_ count: Int) -> Bool {
        guard count > 0 else { return true }
        if awaitingFirstRecord {
            var start: UnsafeMutablePointer<CChar>?
            _ = BIO_nwrite0(network, &start)
            let first = UnsafeRawBufferPointer(start: start, count: min(count, 64))
            // 22 = handshake, 21 = alert: the only record types a server may open its reply with.
            guard first[0] == 22 || first[0] == 21 else {
                fail(.plaintext(Array(first)))
                return false
            }
            awaitingFirstRecord = false
        }
        var start: UnsafeMutablePointer<CChar>?
        _ = BIO_nwrite(network, &start, Int32(count))
        return true
    }

    /// Tells OpenSSL the peer's stream has ended; what it still needs will then never come.
    /// Maps to `BIO_shutdown_wr`.
    func endInput() {
        guard !inputEnded else { return }
        inputEnded = true
        _ = BIO_ctrl(network, BIO_C_SHUTDOWN_WR, 0, nil)
    }

    // MARK: Output

    /// True when OpenSSL has written bytes the peer has not been sent. Maps to `BIO_ctrl_pending`.
    var hasOutput: Bool { BIO_ctrl_pending(network) > 0 }

    /// The next contiguous bytes to send (empty when there are none). Maps to `BIO_nread0`.
    func pendingOutput() -> UnsafeRawBufferPointer {
        var start: UnsafeMutablePointer<CChar>?
        let count = BIO_nread0(network, &start)
        guard count > 0, let start else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: start, count: Int(count))
    }

    /// Drops the first `count` bytes of `pendingOutput()`, which the peer has been sent. Maps to `BIO_nread`.
    func consumeOutput(_ count: Int) {
        guard count > 0 else { return }
        var start: UnsafeMutablePointer<CChar>?
        _ = BIO_nread(network, &start, Int32(count))
    }

    // MARK: Steps

    /// Advances the client handshake. Maps to `SSL_do_handshake`.
    func handshake() -> Status {
        step { ssl, _ in SSL_do_handshake(ssl) }
    }

    /// Decrypts into `buffer`. Maps to `SSL_read_ex`.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Status {
        step { ssl, count in SSL_read_ex(ssl, buffer.baseAddress, buffer.count, &count) }
    }

    /// Encrypts from `bytes`; may take fewer than all of them (partial writes are on). Maps to `SSL_write_ex`.
    func write(_ bytes: UnsafeRawBufferPointer) -> Status {
        step { ssl, count in SSL_write_ex(ssl, bytes.baseAddress, bytes.count, &count) }
    }

    /// Processes the records that have arrived (session tickets, key updates, application data) without
    /// consuming application data; `.complete` once some is decrypted. Maps to `SSL_peek_ex`.
    func peek() -> Status {
        var byte: UInt8 = 0
        return step { ssl, count in SSL_peek_ex(ssl, &byte, 1, &count) }
    }

    /// Decrypted bytes ready to read. Maps to `SSL_pending`.
    var pendingPlaintext: Int { Int(SSL_pending(handle.pointer)) }

    /// Queues close_notify once, after a completed handshake; the driver sends it. Maps to `SSL_shutdown`.
    func shutdown() {
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
    func fail(_ reason: Failure) {
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
