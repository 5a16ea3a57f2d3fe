import WinsockSSL

/// A TCP connection with a stream to read and write it: a `Socket` and the `NetworkStream` over it.
///
/// The socket is ``Client``; a program that wants CE's SSL makes it secure before connecting, exactly as it
/// would a plain `Socket`: `tcpClient.Client.SetSocketOption(SocketOptionLevel.Socket,
/// SocketOptionName(SO_SECURE), SO_SEC_SSL)` and, if it likes, `IOControl` for a hook or a deferred handshake.
/// `Connect(host, port)` then performs the handshake (the host name is the peer name), and ``GetStream()``
/// reads and writes TLS. The state is behind locks; as in .NET, one thread may read the stream while another
/// writes it.
///
/// The corresponding .NET type is `System.Net.Sockets.TcpClient`.
public final class TcpClient: IDisposable, @unchecked Sendable {
    private struct State {
        var client: Socket?
        var stream: NetworkStream?
        var disposed = false
    }

    private let state: Locked<State>

    /// An unconnected client with an IPv4 socket.
    ///
    /// The corresponding .NET member is `TcpClient()`.
    public convenience init() throws {
        try self.init(NetCF.AddressFamily.InterNetwork)
    }

    /// An unconnected client with a socket of `family`: `InterNetwork` or `InterNetworkV6`, others throw
    /// `ArgumentException`.
    ///
    /// The corresponding .NET member is `TcpClient(AddressFamily)`.
    public init(_ family: NetCF.AddressFamily) throws {
        guard family == .InterNetwork || family == .InterNetworkV6 else {
            throw ArgumentException("'\(family)' is not a valid address family; use InterNetwork or InterNetworkV6.", "family")
        }
        state = Locked(State(client: try Socket(family, .Stream, .Tcp)))
    }

    /// Connects to `hostname` at once: its IPv4 addresses first, then its IPv6 ones.
    ///
    /// The corresponding .NET member is `TcpClient(String, Int32)`. Throws `ArgumentOutOfRangeException` for a
    /// port outside 0…65535 and `SocketException` when no address accepts the connection.
    public convenience init(_ hostname: String, _ port: some BinaryInteger) throws {
        let port = try TcpClient.checkedPort(port)
        self.init(accepted: try TcpClient.connectedSocket(hostname, port))
    }

    private static func connectedSocket(_ hostname: String, _ port: int) throws -> Socket {
        for family in [NetCF.AddressFamily.InterNetwork, .InterNetworkV6] {
            let s = try Socket(family, .Stream, .Tcp)
            do {
                try s.Connect(hostname, port)
                return s
            } catch let error as SocketException
                        where family == .InterNetwork && error.ErrorCode == WinsockError.Code.addressFamilyNotSupported.rawValue {
                // The name has no IPv4 address: try its IPv6 ones with a socket of that family.
                s.Close()
            } catch {
                s.Close()
                throw error
            }
        }
        throw SocketException(WinsockError(.hostNotFound, "\(hostname) has no address"))
    }

    /// The client `TcpListener.AcceptTcpClient` returns for a connection it accepted.
    init(accepted socket: Socket) {
        state = Locked(State(client: socket))
    }

    static func checkedPort(_ port: some BinaryInteger) throws -> int {
        let port = try CSharpInteger.int32(port, "port")
        guard (IPEndPoint.MinPort...IPEndPoint.MaxPort).contains(port) else {
            throw ArgumentOutOfRangeException("port", port, "Specified argument was out of the range of valid values.")
        }
        return port
    }

    // MARK: The socket

    /// The socket under the client; nil after `Close`. Setting it replaces the socket (the old one is not closed).
    ///
    /// The corresponding .NET member is `TcpClient.Client`.
    public var Client: Socket! {
        get { state.withLock { $0.client } }
        set { state.withLock { $0.client = newValue } }
    }

    /// Whether the socket was connected at its last operation; false after `Close`.
    ///
    /// The corresponding .NET member is `TcpClient.Connected`.
    public var Connected: Bool { Client?.Connected ?? false }

    /// Bytes that can be read without blocking (decrypted bytes on a secure socket).
    ///
    /// The corresponding .NET member is `TcpClient.Available`.
    public var Available: int {
        get throws { try socket().Available }
    }

    private func socket() throws -> Socket {
        try state.withLock { state in
            guard !state.disposed, let client = state.client else { throw ObjectDisposedException("System.Net.Sockets.TcpClient") }
            return client
        }
    }

    // MARK: Connecting

    /// Resolves `hostname` (hosts table first) and connects to its first address that answers. On a socket made
    /// secure through ``Client``, the handshake follows with `hostname` as the peer name.
    ///
    /// The corresponding .NET member is `TcpClient.Connect(String, Int32)`.
    public func Connect(_ hostname: String, _ port: some BinaryInteger) throws {
        let port = try Self.checkedPort(port)
        try socket().Connect(hostname, port)
    }

    /// The corresponding .NET member is `TcpClient.Connect(IPAddress, Int32)`.
    public func Connect(_ address: IPAddress, _ port: some BinaryInteger) throws {
        let port = try Self.checkedPort(port)
        try socket().Connect(address, port)
    }

    /// The corresponding .NET member is `TcpClient.Connect(IPEndPoint)`.
    public func Connect(_ remoteEP: IPEndPoint) throws {
        try socket().Connect(remoteEP)
    }

    // MARK: The stream

    /// The stream over the connection; the same object on every call. Closing it closes the socket, as in .NET.
    ///
    /// The corresponding .NET member is `TcpClient.GetStream()`. Throws `ObjectDisposedException` after
    /// `Close` and `InvalidOperationException` when the client is not connected.
    public func GetStream() throws -> NetworkStream {
        let client = try socket()
        guard client.Connected else {
            throw InvalidOperationException("The operation is not allowed on non-connected sockets.")
        }
        return try state.withLock { state in
            if let stream = state.stream { return stream }
            let stream = try NetworkStream(client, true)
            state.stream = stream
            return stream
        }
    }

    // MARK: Options

    /// Whether Nagle's algorithm is off (`TCP_NODELAY`).
    ///
    /// The corresponding .NET member is `TcpClient.NoDelay`.
    public var NoDelay: Bool {
        get { Client?.NoDelay ?? false }
        set { Client?.NoDelay = newValue }
    }

    /// Milliseconds a read may block; 0 waits forever.
    ///
    /// The corresponding .NET member is `TcpClient.ReceiveTimeout`.
    public var ReceiveTimeout: int {
        get { Client?.ReceiveTimeout ?? 0 }
        set { Client?.ReceiveTimeout = newValue }
    }

    /// Milliseconds a write may block; 0 waits forever.
    ///
    /// The corresponding .NET member is `TcpClient.SendTimeout`.
    public var SendTimeout: int {
        get { Client?.SendTimeout ?? 0 }
        set { Client?.SendTimeout = newValue }
    }

    /// The kernel's receive buffer size in bytes (`SO_RCVBUF`; Linux reports twice the size set). Reads 0 and
    /// ignores a new value after `Close` (Swift setters cannot throw; `Client.SetSocketOption` does).
    ///
    /// The corresponding .NET member is `TcpClient.ReceiveBufferSize`.
    public var ReceiveBufferSize: int {
        get { (try? Client?.GetSocketOption(.Socket, .ReceiveBuffer)) ?? 0 }
        set { try? Client?.SetSocketOption(.Socket, .ReceiveBuffer, newValue) }
    }

    /// The kernel's send buffer size in bytes (`SO_SNDBUF`), as ``ReceiveBufferSize``.
    ///
    /// The corresponding .NET member is `TcpClient.SendBufferSize`.
    public var SendBufferSize: int {
        get { (try? Client?.GetSocketOption(.Socket, .SendBuffer)) ?? 0 }
        set { try? Client?.SetSocketOption(.Socket, .SendBuffer, newValue) }
    }

    /// Whether `Close` waits for unsent data, and how long.
    ///
    /// The corresponding .NET member is `TcpClient.LingerState`.
    public var LingerState: LingerOption {
        get { Client?.LingerState ?? LingerOption(false, 0) }
        set { Client?.LingerState = newValue }
    }

    // MARK: Closing

    /// Closes the stream and the socket. Calling it again does nothing.
    ///
    /// The corresponding .NET member is `TcpClient.Close()`.
    public func Close() {
        let (stream, client) = state.withLock { state -> (NetworkStream?, Socket?) in
            defer { state = State(client: nil, stream: nil, disposed: true) }
            return state.disposed ? (nil, nil) : (state.stream, state.client)
        }
        stream?.Close()
        client?.Close()
    }

    /// The corresponding .NET member is `TcpClient.Dispose()`.
    public func Dispose() { Close() }
}
