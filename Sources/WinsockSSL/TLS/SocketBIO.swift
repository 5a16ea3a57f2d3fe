internal import COpenSSL
internal import Glibc

/// OpenSSL's I/O for a `TLSSession`: a BIO over the socket's descriptor.
///
/// It exists for two reasons. OpenSSL's own socket BIO writes with `write(2)`, which raises `SIGPIPE`
/// (and kills the process) when the server has already closed; a library must neither do that nor change
/// the process's signal handling, so this BIO sends with `MSG_NOSIGNAL`. And it guards the first byte the
/// server sends: before OpenSSL may read anything, the BIO peeks at it, and a byte that cannot start a
/// TLS handshake or alert record means plain text arrived where TLS was due (a STARTTLS injection or
/// downgrade); the read then fails and the bytes are kept for the error message, so no race between a
/// check and OpenSSL's read can let them through.
enum SocketBIO {
    /// What one BIO knows: its descriptor and the state of the first-record check.
    final class State {
        let descriptor: Int32
        var awaitingFirstRecord = true
        /// The first bytes of a reply that was not TLS, when the check refused it.
        var refusedPlaintext: [UInt8]?

        init(descriptor: Int32) { self.descriptor = descriptor }
    }

    /// Created once and never changed; OpenSSL reads a `BIO_METHOD` concurrently without locking.
    nonisolated(unsafe) private static let method: OpaquePointer = {
        let method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK | BIO_TYPE_DESCRIPTOR, "winsockssl socket")!
        _ = BIO_meth_set_write(method, write)
        _ = BIO_meth_set_read(method, read)
        _ = BIO_meth_set_ctrl(method, control)
        _ = BIO_meth_set_create(method, create)
        _ = BIO_meth_set_destroy(method, destroy)
        return method
    }()

    /// A new BIO for `descriptor`; the caller (or the `SSL` it is given to) owns it. It never closes the descriptor.
    static func make(descriptor: Int32) -> OpaquePointer? {
        guard let bio = BIO_new(method) else { return nil }
        BIO_set_data(bio, Unmanaged.passRetained(State(descriptor: descriptor)).toOpaque())
        return bio
    }

    /// The state of `bio`, which must come from `make`. Use only while OpenSSL is not using the BIO.
    static func state(_ bio: OpaquePointer) -> State? {
        BIO_get_data(bio).map { Unmanaged<State>.fromOpaque($0).takeUnretainedValue() }
    }

    private static let create: @convention(c) (OpaquePointer?) -> Int32 = { bio in
        BIO_set_init(bio, 1)
        return 1
    }

    private static let destroy: @convention(c) (OpaquePointer?) -> Int32 = { bio in
        guard let bio, let data = BIO_get_data(bio) else { return 1 }
        Unmanaged<State>.fromOpaque(data).release()
        BIO_set_data(bio, nil)
        return 1
    }

    private static let write: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int32) -> Int32 = { bio, data, length in
        guard let bio, let state = state(bio) else { return -1 }
        shim_BIO_clear_retry_flags(bio)
        let outcome = SystemCall.retryingInterrupts { Glibc.send(state.descriptor, data, Int(length), Int32(MSG_NOSIGNAL)) }
        return finish(bio, outcome, retry: shim_BIO_set_retry_write)
    }

    private static let read: @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?, Int32) -> Int32 = { bio, data, length in
        guard let bio, let state = state(bio) else { return -1 }
        shim_BIO_clear_retry_flags(bio)
        if state.awaitingFirstRecord {
            var preview = [UInt8](repeating: 0, count: 64)
            let peeked = SystemCall.retryingInterrupts { Glibc.recv(state.descriptor, &preview, preview.count, Int32(MSG_PEEK)) }
            guard case .success(let count) = peeked, count > 0 else {
                return finish(bio, peeked.map { _ in 0 }, retry: shim_BIO_set_retry_read)
            }
            // 22 = handshake, 21 = alert: the only record types a server may open its reply with.
            guard preview[0] == 22 || preview[0] == 21 else {
                state.refusedPlaintext = Array(preview.prefix(count))
                errno = EPROTO
                return -1
            }
            state.awaitingFirstRecord = false
        }
        let outcome = SystemCall.retryingInterrupts { Glibc.recv(state.descriptor, data, Int(length), 0) }
        return finish(bio, outcome, retry: shim_BIO_set_retry_read)
    }

    /// The BIO's answer for a send or receive: the count, or -1 with `errno` set and, for "would block",
    /// the retry flag OpenSSL turns into `SSL_ERROR_WANT_READ`/`WANT_WRITE`.
    private static func finish(_ bio: OpaquePointer, _ outcome: SystemCall.Outcome<Int>, retry: (OpaquePointer?) -> Void) -> Int32 {
        switch outcome {
        case .success(let count): return Int32(count)
        case .failure(let error):
            if error == EAGAIN || error == EWOULDBLOCK { retry(bio) }
            errno = error
            return -1
        }
    }

    private static let control: @convention(c) (OpaquePointer?, Int32, Int, UnsafeMutableRawPointer?) -> Int = { _, command, _, _ in
        // The socket is unbuffered, so a flush has nothing to do; every other control is unsupported.
        command == BIO_CTRL_FLUSH ? 1 : 0
    }
}

extension SystemCall.Outcome {
    func map<Other>(_ transform: (Value) -> Other) -> SystemCall.Outcome<Other> {
        switch self {
        case .success(let value): .success(transform(value))
        case .failure(let error): .failure(errno: error)
        }
    }
}
