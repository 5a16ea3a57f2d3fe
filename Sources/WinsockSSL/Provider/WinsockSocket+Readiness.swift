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
    /// stream. `kernelSignalled` is what `poll` said about the descriptor (`POLLIN`, `POLLHUP` or `POLLERR`);
    /// for a secure socket the records already in the kernel are processed without waiting (the same rule
    /// as `poll(readable:timeout:)`), so session tickets and key updates never count.
    package func isReadable(kernelSignalled: Bool) -> Bool {
        switch phase {
        case .plain, .handshaking:
            return kernelSignalled
        case .failed:
            return true
        case .secure(let session):
            return (try? session.isReadableWithoutWaiting()) ?? true
        }
    }
}

extension TLSSession {
    /// True when a read would return at once (application data, the peer closed, or the session failed),
    /// after processing the records the kernel holds without waiting.
    func isReadableWithoutWaiting() throws(WinsockError) -> Bool {
        if failure.withLock({ $0 != nil }) { return true }
        return try socket.withDescriptor { descriptor throws(WinsockError) in
            switch processArrivedRecords(descriptor) {
            case .data, .ended: return true
            case .waiting: return false
            }
        }
    }
}
