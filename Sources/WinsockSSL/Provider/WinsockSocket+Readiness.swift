internal import COpenSSL
internal import Glibc

/// What a `select` over sockets of this package needs: the descriptor to hand to `poll`, and whether a
/// `receive` would return at once. For a plain socket the kernel's answer is the answer. For a secure one
/// it is not: bytes in the kernel may be a partial TLS record, or a record that carries no application
/// data (a session ticket), and a `receive` would then block. Winsock's `select` on CE reported a secure
/// socket readable only when the provider had data to give, and so does this.
extension WinsockSocket {
    /// Runs `body` with the socket's descriptor, which stays open until `body` returns even if another
    /// thread closes the socket (a close then wakes `poll` with `POLLHUP`).
    package func withPollDescriptor<Result>(_ body: (Int32) throws(WinsockError) -> Result) throws(WinsockError) -> Result {
        try stream.withDescriptor(body)
    }

    /// True when a `receive` would return without waiting: decrypted bytes are buffered, the peer has
    /// closed (cleanly or not), the handshake failed, or (plain socket) the kernel has bytes or an end of
    /// stream. `kernelSignalled` is what `poll` said about the descriptor (`POLLIN`, `POLLHUP` or `POLLERR`).
    /// Reads already-arrived TLS records into OpenSSL's buffer, never waiting.
    package func isReadable(kernelSignalled: Bool) -> Bool {
        switch phase {
        case .plain, .handshaking:
            return kernelSignalled
        case .failed:
            return true
        case .secure(let session):
            if session.hasDecryptedBytes { return true }
            guard kernelSignalled else { return false }
            guard let available = try? session.bytesAvailable() else { return true }
            if available > 0 || session.hasReceivedCloseNotify { return true }
            // All arrived bytes were a partial record or carried no data; poll again to tell an end of
            // stream (which keeps the descriptor readable with nothing to read) from "more is coming".
            return (try? withPollDescriptor { descriptor throws(WinsockError) in
                var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                guard Glibc.poll(&entry, 1, 0) == 1 else { return false }
                return ((try? stream.bytesAvailable()) ?? 0) == 0
            }) ?? true
        }
    }
}

extension TLSSession {
    /// Decrypted bytes are waiting in OpenSSL's buffer. Maps to `SSL_pending`.
    var hasDecryptedBytes: Bool {
        connection.withLock { SSL_pending($0.pointer) > 0 }
    }

    /// The server's close_notify has been read. Maps to `SSL_get_shutdown`.
    var hasReceivedCloseNotify: Bool {
        connection.withLock { SSL_get_shutdown($0.pointer) & SSL_RECEIVED_SHUTDOWN != 0 }
    }
}
