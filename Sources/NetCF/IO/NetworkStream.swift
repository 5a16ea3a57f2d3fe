/// A stream over a connected socket. Reads and writes go through `Socket.Receive` and `Socket.Send`, so
/// they are plain text before a deferred handshake and TLS after it, on the same stream object.
///
/// Failures are `IOException`s whose `InnerException` is the `SocketException`, as in .NET.
///
/// The corresponding .NET type is `System.Net.Sockets.NetworkStream`.
public final class NetworkStream: Stream {
    /// The corresponding .NET member is `NetworkStream.Socket`.
    public let Socket: Socket
    private let ownsSocket: Bool
    private var closed = false

    /// A stream that leaves the socket open when it is closed.
    ///
    /// The corresponding .NET member is `NetworkStream(Socket)`. Throws `IOException` for an unconnected socket.
    public convenience init(_ socket: Socket) throws {
        try self.init(socket, false)
    }

    /// The corresponding .NET member is `NetworkStream(Socket, bool ownsSocket)`.
    public init(_ socket: Socket, _ ownsSocket: Bool) throws {
        guard socket.Connected else {
            throw IOException("The operation is not allowed on non-connected sockets.")
        }
        self.Socket = socket
        self.ownsSocket = ownsSocket
        super.init()
    }

    /// Labelled form of `init(_:_:)`, as C# named arguments read: `NetworkStream(s, ownsSocket: true)`.
    public convenience init(_ socket: Socket, ownsSocket: Bool) throws {
        try self.init(socket, ownsSocket)
    }

    public override var CanRead: Bool { !closed }
    public override var CanWrite: Bool { !closed }
    public override var underlyingSocket: Socket? { Socket }

    /// Blocks until at least one byte arrives (bounded by the socket's `ReceiveTimeout`); 0 when the peer closed.
    ///
    /// The corresponding .NET member is `NetworkStream.Read(byte[], int, int)`.
    public override func Read(_ buffer: inout [UInt8], _ offset: int, _ count: int) throws -> int {
        let offset = Int(offset), count = Int(count)
        try Stream.checkRange(buffer.count, offset, count)
        return int(try buffer.withUnsafeMutableBytes { bytes in
            try read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[offset..<(offset + count)]))
        })
    }

    public override func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try throwIfClosed()
        do {
            return try Socket.perform { () throws(WinsockError) in try Socket.core.receive(into: buffer) }
        } catch let error as SocketException {
            throw IOException("Unable to read data from the transport connection: \(error.winsockError.detail).", error)
        } catch let error as ObjectDisposedException {
            throw IOException("Unable to read data from the transport connection: the socket has been closed.", error)
        }
    }

    /// Sends all `count` bytes (bounded by the socket's `SendTimeout`).
    ///
    /// The corresponding .NET member is `NetworkStream.Write(byte[], int, int)`.
    public override func Write(_ buffer: [UInt8], _ offset: int, _ count: int) throws {
        let offset = Int(offset), count = Int(count)
        try throwIfClosed()
        try Stream.checkRange(buffer.count, offset, count)
        do {
            try Socket.Send(buffer, offset, count, .None)
        } catch let error as SocketException {
            throw IOException("Unable to write data to the transport connection: \(error.winsockError.detail).", error)
        } catch let error as ObjectDisposedException {
            throw IOException("Unable to write data to the transport connection: the socket has been closed.", error)
        }
    }

    /// True when a read would not block.
    ///
    /// The corresponding .NET member is `NetworkStream.DataAvailable`.
    public var DataAvailable: Bool {
        get throws {
            try throwIfClosed()
            return try Socket.Available > 0
        }
    }

    /// Closes the stream, and the socket too when the stream owns it.
    ///
    /// The corresponding .NET member is `NetworkStream.Close()`.
    public override func Close() {
        guard !closed else { return }
        closed = true
        if ownsSocket { Socket.Close() }
    }

    private func throwIfClosed() throws {
        if closed { throw ObjectDisposedException("System.Net.Sockets.NetworkStream") }
    }
}
