internal import Glibc

/// A TCP socket that accepts connections, for test servers and examples.
public final class ListeningSocket: Sendable {
    private let socket: StreamSocket

    /// Binds to `endpoint` (port 0 picks a free port) and listens. Maps to `bind` and `listen`.
    public init(on endpoint: SocketEndpoint = SocketEndpoint(address: .loopbackIPv4, port: 0), backlog: Int32 = 128) throws(WinsockError) {
        socket = try StreamSocket(family: endpoint.address.family)
        try socket.setOption(.reuseAddress, 1)
        try socket.withDescriptor { descriptor throws(WinsockError) in
            _ = try SystemCall.check(SystemCall.bind(descriptor, to: endpoint), "bind(\(endpoint))")
            _ = try SystemCall.check(SystemCall.listen(descriptor, backlog: backlog), "listen")
        }
    }

    /// The bound address and port.
    public var localEndpoint: SocketEndpoint {
        socket.localEndpoint ?? SocketEndpoint(address: .anyIPv4, port: 0)
    }

    /// Waits for the next connection, at most `timeout` (nil: forever). Maps to `accept`.
    public func accept(timeout: Duration? = nil) throws(WinsockError) -> StreamSocket {
        try socket.acceptConnection(until: StreamSocket.deadline(after: timeout), wouldBlockWhenDue: false)
    }

    /// Stops listening; a thread blocked in `accept` wakes up with an error.
    public func close() {
        socket.close()
    }
}

extension StreamSocket {
    /// The next connection on this listening socket, waiting until `deadline` (nil: forever). With
    /// `wouldBlockWhenDue`, a deadline already passed fails with `WSAEWOULDBLOCK` (a non-blocking `accept`)
    /// instead of waiting and timing out. Maps to `accept`.
    func acceptConnection(until deadline: ContinuousClock.Instant?, wouldBlockWhenDue: Bool) throws(WinsockError) -> StreamSocket {
        try withDescriptor { descriptor throws(WinsockError) in
            while true {
                switch SystemCall.accept(descriptor) {
                case .success(let (client, remote)):
                    return StreamSocket(adopting: client, family: remote?.address.family ?? family, connectedTo: remote)
                case .failure(let error) where error == EAGAIN || error == EWOULDBLOCK:
                    if wouldBlockWhenDue, let deadline, deadline <= ContinuousClock.now {
                        throw WinsockError(.wouldBlock, "accept: no connection is waiting")
                    }
                    try wait(descriptor, for: Int16(POLLIN), until: deadline, doing: "accept")
                case .failure(let error):
                    throw WinsockError.lastSystemError("accept", errno: error)
                }
            }
        }
    }
}
