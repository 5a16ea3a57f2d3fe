internal import Glibc

/// What a `select` over sockets of this package needs: the descriptor to hand to `poll`, and whether a
/// `receive` would return at once. For a plain socket the kernel's answer is the answer. For a secure one
/// it is not: bytes in the kernel may be a partial TLS record, or a record that carries no application
/// data (a session ticket), and a `receive` would then block. Winsock's `select` on CE reported a secure
/// socket readable only when the provider had data to give, and so does this.
///
/// A socket that was created but never connected (and is not listening) is in none of `select`'s sets.
/// Winsock's rules (the `select` pages of Windows CE and of Winsock 2) are: readfds for a pending
/// connection on a listening socket, data to read, or a connection closed, reset or terminated; writefds
/// once a connect has succeeded, or when data can be sent; exceptfds for a failed non-blocking connect or
/// out-of-band data. A never-connected socket meets none of them (`send` on it fails with `WSAENOTCONN`),
/// so Winsock's `select` waits out its timeout. Linux `poll` instead answers at once with `POLLHUP` and
/// `POLLOUT` for it (a TCP socket in the closed state), which taken at face value would make it readable
/// and writable. Only `POLLIN` counts for a socket that is not connected: a listening socket reports a
/// pending connection with it, and never `POLLHUP`. A socket whose connection was closed or reset by the
/// peer was connected, so its `POLLHUP` and `POLLERR` still make it readable (`recv` returns 0 or the error).
/// A failed `connect` leaves the socket never connected: `connect` itself reported the failure (it always
/// completes or fails within the call here, so no non-blocking connect is pending for exceptfds).
extension WinsockSocket {
    /// Runs `body` with the socket's descriptor, which stays open until `body` returns even if another
    /// thread closes the socket (a close then wakes `poll` with `POLLHUP`).
    package func withPollDescriptor<Result>(_ body: (Int32) throws(WinsockError) -> Result) throws(WinsockError) -> Result {
        try stream.withDescriptor(body)
    }

    /// Whether `poll`'s answer `revents` puts the socket in `select`'s read set as far as the kernel is
    /// concerned (`isReadable(kernelSignalled:)` then adds what TLS knows): `POLLIN`, `POLLHUP` or `POLLERR`
    /// for a connected socket; only `POLLIN` (a pending connection) for one that is not connected.
    package func kernelSignalsReadable(_ revents: Int16) -> Bool {
        let events = Int32(revents)
        guard isConnected else { return events & POLLIN != 0 }
        return events & (POLLIN | POLLHUP | POLLERR) != 0
    }

    /// Whether `poll`'s answer `revents` puts the socket in `select`'s write set: `POLLOUT`, `POLLHUP` or
    /// `POLLERR` (a `send` then fails at once) for a connected socket; never for one that is not connected.
    package func kernelSignalsWritable(_ revents: Int16) -> Bool {
        guard isConnected else { return false }
        return Int32(revents) & (POLLOUT | POLLHUP | POLLERR) != 0
    }

    /// True when `revents` holds only what `poll` says of a socket that is not connected and that `select`
    /// ignores (`POLLHUP`, `POLLOUT`). `poll` gives that answer at once however long it was asked to wait,
    /// so a caller that waits in `poll` leaves such a socket out of its next call instead of spinning.
    package func isQuietWhileUnconnected(_ revents: Int16) -> Bool {
        revents != 0 && !kernelSignalsReadable(revents) && !isConnected
    }

    /// `poll(readable:timeout:)` for a socket that is not connected: true only when it is listening and a
    /// connection is pending (asked for readability); otherwise false once `deadline` passes (nil: wait
    /// until the socket is closed, which throws, or connected by another thread, after which the connected
    /// socket's rules apply). `poll` answers at once for such a socket, so it is asked every 10 ms.
    func pollWhileUnconnected(readable: Bool, deadline: ContinuousClock.Instant?) throws(WinsockError) -> Bool {
        while true {
            let revents = try withPollDescriptor { descriptor throws(WinsockError) in
                try SystemCall.check(SystemCall.poll(descriptor, for: Int16(readable ? POLLIN : POLLOUT), milliseconds: 0), "poll")
            }
            if isConnected {
                return try poll(readable: readable, timeout: deadline.map { max($0 - .now, .zero) })
            }
            if readable ? kernelSignalsReadable(revents) : kernelSignalsWritable(revents) { return true }
            var pause: Duration = .milliseconds(Self.unconnectedPollMilliseconds)
            if let deadline {
                let remaining = deadline - .now
                if remaining <= .zero { return false }
                pause = min(pause, remaining)
            }
            let (seconds, attoseconds) = pause.components
            // A close from another thread is seen at the next look (`withPollDescriptor` throws).
            usleep(UInt32(seconds * 1_000_000 + attoseconds / 1_000_000_000_000))
        }
    }

    /// How often, in milliseconds, a wait on a socket that is not connected looks again.
    package static let unconnectedPollMilliseconds: Int32 = 10

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
