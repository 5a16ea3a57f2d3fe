internal import Glibc

/// Server sockets for the C interface's `bind`, `listen` and `accept`. Accepted sockets are plain: this
/// provider is a TLS client (`SSL_FLAG_SERVER` is refused), so a program that listens speaks plain text.
extension WinsockSocket {
    /// Binds to `endpoint`. Maps to `bind`.
    package func bind(to endpoint: SocketEndpoint) throws(WinsockError) {
        try stream.withDescriptor { descriptor throws(WinsockError) in
            _ = try SystemCall.check(SystemCall.bind(descriptor, to: endpoint), "bind(\(endpoint))")
        }
    }

    /// Starts listening. Maps to `listen`.
    package func listen(backlog: Int32) throws(WinsockError) {
        if isSecure {
            throw WinsockError(.operationNotSupported, "listen on a socket with SO_SECURE = SO_SEC_SSL: this provider is a TLS client only")
        }
        try stream.withDescriptor { descriptor throws(WinsockError) in
            _ = try SystemCall.check(SystemCall.listen(descriptor, backlog: max(backlog, 1)), "listen")
        }
    }

    /// The next connection, waiting until `deadline` (nil: forever; a past instant: not at all, failing with
    /// `WSAEWOULDBLOCK`). Maps to `accept`.
    package func accept(deadline: ContinuousClock.Instant?) throws(WinsockError) -> WinsockSocket {
        try stream.withDescriptor { descriptor throws(WinsockError) in
            while true {
                switch SystemCall.accept(descriptor) {
                case .success(let (client, remote)):
                    return WinsockSocket(adopting: StreamSocket(adopting: client, family: remote?.address.family ?? stream.family, connectedTo: remote))
                case .failure(let error) where error == EAGAIN || error == EWOULDBLOCK:
                    if let deadline, deadline <= ContinuousClock.now {
                        throw WinsockError(.wouldBlock, "accept: no connection is waiting")
                    }
                    try stream.wait(descriptor, for: Int16(POLLIN), until: deadline, doing: "accept")
                case .failure(let error):
                    throw WinsockError.lastSystemError("accept", errno: error)
                }
            }
        }
    }
}
