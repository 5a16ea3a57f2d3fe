import WinsockSSL

/// Listens for TCP connections: a plain `Socket` bound and listening, handing out each connection as a
/// `Socket` or a `TcpClient`.
///
/// Only plain listeners exist, as CE's SSL provider had no server side: a ``Server`` socket made secure with
/// `SO_SECURE` before ``Start()`` makes `Start` throw `SocketException` 10045 (`Socket.Bind`'s rule).
///
/// The corresponding .NET type is `System.Net.Sockets.TcpListener`.
public final class TcpListener: @unchecked Sendable {
    private struct State {
        var server: Socket
        var active = false
    }

    private let state: Locked<State>
    private let endpoint: IPEndPoint

    /// The corresponding .NET member is `TcpListener(IPAddress, Int32)`. A port outside 0…65535 throws
    /// `ArgumentOutOfRangeException`; port 0 picks a free port at ``Start()`` (read it from ``LocalEndpoint``).
    public convenience init(_ localaddr: IPAddress, _ port: some BinaryInteger) throws {
        try self.init(IPEndPoint(localaddr, try TcpClient.checkedPort(port)))
    }

    /// Listens on every IPv4 address (`IPAddress.Any`). .NET marks it obsolete, but Compact Framework 2.0
    /// code still calls it.
    ///
    /// The corresponding .NET member is `TcpListener(Int32)`.
    public convenience init(_ port: some BinaryInteger) throws {
        try self.init(IPAddress.Any, port)
    }

    /// The corresponding .NET member is `TcpListener(IPEndPoint)`.
    public init(_ localEP: IPEndPoint) throws {
        endpoint = IPEndPoint(localEP.Address, localEP.Port)
        state = Locked(State(server: try Socket(localEP.AddressFamily, .Stream, .Tcp)))
    }

    /// A socket never started (or made fresh by `Stop`) is the listener's own, not the program's: it closes here,
    /// so that `UnclosedSocketCheck` reports only a listener the program started and never stopped.
    deinit {
        let (server, active) = state.withLock { ($0.server, $0.active) }
        if !active { server.Close() }
    }

    /// The listening socket (before ``Start()``, the socket that `Start` will bind).
    ///
    /// The corresponding .NET member is `TcpListener.Server`.
    public var Server: Socket { state.withLock { $0.server } }

    /// The bound address once started (with the port the system picked for 0), the requested one before.
    ///
    /// The corresponding .NET member is `TcpListener.LocalEndpoint`.
    public var LocalEndpoint: EndPoint {
        let (server, active) = state.withLock { ($0.server, $0.active) }
        guard active, let bound = try? server.LocalEndPoint else { return endpoint }
        return bound
    }

    /// Starts listening with the system's largest queue. Calling it again while listening does nothing.
    ///
    /// The corresponding .NET member is `TcpListener.Start()`.
    public func Start() throws {
        try start(nil)
    }

    /// Starts listening with a queue of `backlog` connections (0…`Int32.MaxValue`, else
    /// `ArgumentOutOfRangeException`).
    ///
    /// The corresponding .NET member is `TcpListener.Start(Int32)`.
    public func Start(_ backlog: some BinaryInteger) throws {
        let backlog = try CSharpInteger.int32(backlog, "backlog")
        guard backlog >= 0 else {
            throw ArgumentOutOfRangeException("backlog", backlog, "Specified argument was out of the range of valid values.")
        }
        try start(backlog)
    }

    private func start(_ backlog: int?) throws {
        try state.withLock { state in
            guard !state.active else { return }
            do {
                try state.server.Bind(endpoint)
                try state.server.Listen(backlog ?? int.max)
            } catch {
                // As .NET's Stop after a failed Start: the socket is closed and a fresh one awaits the next Start.
                state.server.Close()
                state.server = try Socket(endpoint.AddressFamily, .Stream, .Tcp)
                throw error
            }
            state.active = true
        }
    }

    /// Closes the listening socket (connections waiting to be accepted are refused; a blocked `AcceptSocket`
    /// throws) and prepares a new one, so that `Start` may be called again.
    ///
    /// The corresponding .NET member is `TcpListener.Stop()`.
    public func Stop() throws {
        let fresh = try Socket(endpoint.AddressFamily, .Stream, .Tcp)
        let old = state.withLock { state in
            defer { state = State(server: fresh, active: false) }
            return state.server
        }
        old.Close()
    }

    /// Whether a connection is waiting to be accepted.
    ///
    /// The corresponding .NET member is `TcpListener.Pending()`. Throws `InvalidOperationException` before `Start`.
    public func Pending() throws -> Bool {
        try activeServer().Poll(0, .SelectRead)
    }

    /// Waits for a connection and returns its socket.
    ///
    /// The corresponding .NET member is `TcpListener.AcceptSocket()`. Throws `InvalidOperationException` before
    /// `Start`, `SocketException` when `Stop` closes the listener while it waits.
    public func AcceptSocket() throws -> Socket {
        let server = try activeServer()
        do {
            return try server.Accept()
        } catch is ObjectDisposedException {
            // .NET reports an accept cancelled by Stop as WSAEINTR.
            throw SocketException(WinsockError(.interrupted, "the listener was stopped while AcceptSocket waited"))
        }
    }

    /// Waits for a connection and returns a `TcpClient` for it.
    ///
    /// The corresponding .NET member is `TcpListener.AcceptTcpClient()`.
    public func AcceptTcpClient() throws -> TcpClient {
        TcpClient(accepted: try AcceptSocket())
    }

    private func activeServer() throws -> Socket {
        try state.withLock { state in
            guard state.active else {
                throw InvalidOperationException("Not listening. You must call the Start() method before calling this method.")
            }
            return state.server
        }
    }
}
