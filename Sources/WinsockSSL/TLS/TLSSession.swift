internal import COpenSSL
internal import Glibc

/// A TLS client session over a `StreamSocket`, usable by one reading and one writing thread at once.
///
/// OpenSSL forbids concurrent calls on one `SSL`, so every OpenSSL call happens inside `connection`'s
/// lock, and the lock is never held while waiting: the socket is non-blocking, an OpenSSL call that
/// would block returns at once, the lock is released, and the thread waits in `poll` (bounded by its
/// deadline) before trying again. A thread blocked waiting for data therefore never stops another
/// thread from sending.
public final class TLSSession: Sendable {
    let socket: StreamSocket
    let configuration: TLSConfiguration
    let connection: Locked<SSLHandle>
    private let failure = Locked<WinsockError?>(nil)

    /// Creates the session; nothing is sent until `handshake`. Maps to `SSL_new`, `SSL_set_bio` and, for
    /// DNS names, `SSL_set_tlsext_host_name` (SNI).
    init(socket: StreamSocket, configuration: TLSConfiguration) throws(WinsockError) {
        self.socket = socket
        self.configuration = configuration
        let context = try TLSContext.context(for: configuration)
        let handle = try context.makeConnection()
        try socket.withDescriptor { descriptor throws(WinsockError) in
            guard let bio = SocketBIO.make(descriptor: descriptor) else { throw TLSContext.failure("BIO_new") }
            SSL_set_bio(handle.pointer, bio, bio)
        }
        if let name = configuration.peerName, !name.isEmpty, InternetAddress(parsing: name) == nil {
            let sniName = name.hasSuffix(".") ? String(name.dropLast()) : name
            guard shim_SSL_set_tlsext_host_name(handle.pointer, sniName) == 1 else {
                throw WinsockError(.invalidArgument, "\"\(name)\" cannot be sent as a TLS server name")
            }
        }
        connection = Locked(handle)
    }

    private enum Step {
        case done(Int)
        case wantRead
        case wantWrite
        case closed
        case failed(WinsockError)
    }

    /// Runs one OpenSSL call under the lock and classifies its outcome.
    private func step(_ operation: String, _ call: (OpaquePointer, inout Int) -> Int32) -> Step {
        connection.withLock { handle in
            OpenSSLErrorQueue.clear()
            var count = 0
            let result = call(handle.pointer, &count)
            if result == 1 { return .done(count) }
            let savedErrno = errno
            let kind = SSL_get_error(handle.pointer, result)
            let errors = OpenSSLErrorQueue.drain()
            switch kind {
            case SSL_ERROR_WANT_READ: return .wantRead
            case SSL_ERROR_WANT_WRITE: return .wantWrite
            case SSL_ERROR_ZERO_RETURN: return .closed
            case SSL_ERROR_SYSCALL:
                if savedErrno != 0 && savedErrno != EAGAIN {
                    return .failed(WinsockError(WinsockError.Code(errno: savedErrno), "\(operation) failed: \(String(cString: strerror(savedErrno)))"))
                }
                return .failed(Self.unexpectedClose(operation))
            default:
                let reasons = OpenSSLErrorQueue.reasons(errors)
                if reasons.contains(where: { $0.contains("unexpected eof") }) {
                    return .failed(Self.unexpectedClose(operation))
                }
                let detail = errors.isEmpty ? "OpenSSL error \(kind)" : reasons.joined(separator: "; ")
                return .failed(WinsockError(.connectionAborted, "\(operation) failed: \(detail)"))
            }
        }
    }

    private static func unexpectedClose(_ operation: String) -> WinsockError {
        WinsockError(.connectionReset, "the server closed the connection during \(operation) without a TLS close_notify alert")
    }

    private func checkNotFailed() throws(WinsockError) {
        if let earlier = failure.withLock({ $0 }) {
            throw WinsockError(earlier.code, "the TLS session failed earlier: \(earlier.detail)")
        }
    }

    private func record(_ error: WinsockError) -> WinsockError {
        failure.withLock { if $0 == nil { $0 = error } }
        return error
    }

    // MARK: Handshake

    /// Performs the client handshake, bounded by `deadline`.
    ///
    /// The first bytes of the server's answer are inspected by `SocketBIO` before OpenSSL reads them: a
    /// TLS record starts with a handshake (22) or alert (21) content type, so anything else is plain text
    /// that a STARTTLS server, or an attacker in the path, sent where TLS was due. Maps to `SSL_connect`.
    func handshake(deadline: ContinuousClock.Instant?, verifier: CertificateVerifier) throws(WinsockError) {
        try checkNotFailed()
        let unmanaged = Unmanaged.passUnretained(verifier)
        connection.withLock { _ = SSL_set_ex_data($0.pointer, verifierSlot, unmanaged.toOpaque()) }
        defer { connection.withLock { _ = SSL_set_ex_data($0.pointer, verifierSlot, nil) } }

        try socket.withDescriptor { descriptor throws(WinsockError) in
            while true {
                switch step("the TLS handshake", { ssl, _ in SSL_connect(ssl) }) {
                case .done:
                    return
                case .wantRead:
                    try socket.wait(descriptor, for: Int16(POLLIN), until: deadline, doing: "the TLS handshake")
                case .wantWrite:
                    try socket.wait(descriptor, for: Int16(POLLOUT), until: deadline, doing: "the TLS handshake")
                case .closed:
                    throw record(WinsockError(.connectionReset, "the server closed the connection during the TLS handshake"))
                case .failed(let error):
                    if let plaintext = refusedPlaintext() {
                        throw record(PlaintextGuard.injectionError(preview: plaintext, whereFound: "instead of the server's TLS handshake"))
                    }
                    if let rejection = verifier.failure { throw record(rejection) }
                    throw record(error)
                }
            }
        }
    }

    /// The plain text the socket BIO refused as the server's first reply, if it did.
    private func refusedPlaintext() -> [UInt8]? {
        connection.withLock { handle in
            SSL_get_rbio(handle.pointer).flatMap(SocketBIO.state)?.refusedPlaintext
        }
    }

    // MARK: Data

    /// Reads decrypted bytes, blocking until at least one arrives; 0 after the server's close_notify.
    /// Maps to `SSL_read_ex`.
    func read(into buffer: UnsafeMutableRawBufferPointer, deadline: ContinuousClock.Instant?) throws(WinsockError) -> Int {
        guard buffer.count > 0 else { return 0 }
        try checkNotFailed()
        return try socket.withDescriptor { descriptor throws(WinsockError) in
            while true {
                switch step("receive", { ssl, count in SSL_read_ex(ssl, buffer.baseAddress, buffer.count, &count) }) {
                case .done(let count): return count
                case .wantRead: try socket.wait(descriptor, for: Int16(POLLIN), until: deadline, doing: "receive")
                case .wantWrite: try socket.wait(descriptor, for: Int16(POLLOUT), until: deadline, doing: "receive")
                case .closed: return 0
                case .failed(let error): throw record(error)
                }
            }
        }
    }

    /// Encrypts and sends every byte. Maps to `SSL_write_ex`.
    func write(_ bytes: UnsafeRawBufferPointer, deadline: ContinuousClock.Instant?) throws(WinsockError) {
        guard bytes.count > 0 else { return }
        try checkNotFailed()
        try socket.withDescriptor { descriptor throws(WinsockError) in
            var offset = 0
            while offset < bytes.count {
                let remaining = UnsafeRawBufferPointer(rebasing: bytes[offset...])
                switch step("send", { ssl, count in SSL_write_ex(ssl, remaining.baseAddress, remaining.count, &count) }) {
                case .done(let count): offset += count
                case .wantRead: try socket.wait(descriptor, for: Int16(POLLIN), until: deadline, doing: "send")
                case .wantWrite: try socket.wait(descriptor, for: Int16(POLLOUT), until: deadline, doing: "send")
                case .closed: throw record(WinsockError(.connectionReset, "send failed: the server closed the TLS session"))
                case .failed(let error): throw record(error)
                }
            }
        }
    }

    /// Decrypted bytes ready to read without blocking. Processes records already in the kernel buffer.
    /// Maps to `SSL_pending`, `SSL_has_pending` and a non-blocking `SSL_peek_ex`.
    func bytesAvailable() throws(WinsockError) -> Int {
        try checkNotFailed()
        let kernelBytes = try socket.bytesAvailable()
        return connection.withLock { handle in
            var pending = Int(SSL_pending(handle.pointer))
            // Records read ahead sit in OpenSSL's buffer still encrypted: SSL_has_pending sees them.
            if pending == 0 && (kernelBytes > 0 || SSL_has_pending(handle.pointer) == 1) {
                OpenSSLErrorQueue.clear()
                var byte: UInt8 = 0
                var count = 0
                _ = SSL_peek_ex(handle.pointer, &byte, 1, &count)
                OpenSSLErrorQueue.clear()
                pending = Int(SSL_pending(handle.pointer))
            }
            return pending
        }
    }

    /// Sends close_notify once, without waiting for the server's. Maps to `SSL_shutdown`.
    func sendCloseNotify() {
        connection.withLock { handle in
            OpenSSLErrorQueue.clear()
            if SSL_is_init_finished(handle.pointer) == 1 && (SSL_get_shutdown(handle.pointer) & SSL_SENT_SHUTDOWN) == 0 {
                _ = SSL_shutdown(handle.pointer)
            }
            OpenSSLErrorQueue.clear()
        }
    }

    /// What was negotiated; nil before the handshake completes.
    public var info: TLSSessionInfo? {
        connection.withLock { TLSSessionInfo(handle: $0) }
    }
}
