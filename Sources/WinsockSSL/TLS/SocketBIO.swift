internal import COpenSSL
internal import Glibc

/// OpenSSL's I/O for a `TLSSession`: a BIO that sends with `MSG_NOSIGNAL`.
///
/// OpenSSL's own socket BIO writes with `write(2)`, which raises `SIGPIPE` (and kills the process) when the
/// server has already closed; a library must not do that nor change the process's signal handling, so the
/// session uses this BIO instead. The descriptor is kept in the BIO's data pointer; the BIO never closes it.
enum SocketBIO {
    /// Created once and never changed; OpenSSL reads a `BIO_METHOD` concurrently without locking.
    nonisolated(unsafe) private static let method: OpaquePointer = {
        let method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK | BIO_TYPE_DESCRIPTOR, "winsockssl socket")!
        _ = BIO_meth_set_write(method, write)
        _ = BIO_meth_set_read(method, read)
        _ = BIO_meth_set_ctrl(method, control)
        _ = BIO_meth_set_create(method, create)
        return method
    }()

    /// A new BIO for `descriptor`; the caller (or the `SSL` it is given to) owns it.
    static func make(descriptor: Int32) -> OpaquePointer? {
        guard let bio = BIO_new(method) else { return nil }
        BIO_set_data(bio, UnsafeMutableRawPointer(bitPattern: Int(descriptor) + 1))
        return bio
    }

    private static func descriptor(_ bio: OpaquePointer) -> Int32 {
        Int32(Int(bitPattern: BIO_get_data(bio)) - 1)
    }

    private static let create: @convention(c) (OpaquePointer?) -> Int32 = { bio in
        BIO_set_init(bio, 1)
        return 1
    }

    private static let write: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int32) -> Int32 = { bio, data, length in
        guard let bio else { return -1 }
        shim_BIO_clear_retry_flags(bio)
        let outcome = SystemCall.retryingInterrupts { Glibc.send(descriptor(bio), data, Int(length), Int32(MSG_NOSIGNAL)) }
        switch outcome {
        case .success(let count): return Int32(count)
        case .failure(let error):
            if error == EAGAIN || error == EWOULDBLOCK { shim_BIO_set_retry_write(bio) }
            errno = error
            return -1
        }
    }

    private static let read: @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?, Int32) -> Int32 = { bio, data, length in
        guard let bio else { return -1 }
        shim_BIO_clear_retry_flags(bio)
        let outcome = SystemCall.retryingInterrupts { Glibc.recv(descriptor(bio), data, Int(length), 0) }
        switch outcome {
        case .success(let count): return Int32(count)
        case .failure(let error):
            if error == EAGAIN || error == EWOULDBLOCK { shim_BIO_set_retry_read(bio) }
            errno = error
            return -1
        }
    }

    private static let control: @convention(c) (OpaquePointer?, Int32, Int, UnsafeMutableRawPointer?) -> Int = { _, command, _, _ in
        // The socket is unbuffered, so a flush has nothing to do; every other control is unsupported.
        command == BIO_CTRL_FLUSH ? 1 : 0
    }
}
