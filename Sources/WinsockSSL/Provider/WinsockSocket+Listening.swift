
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
        WinsockSocket(adopting: try stream.acceptConnection(until: deadline, wouldBlockWhenDue: true))
    }
}
