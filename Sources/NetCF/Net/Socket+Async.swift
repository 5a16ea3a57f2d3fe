import WinsockSSL

/// The asynchronous programming model of `Socket`: each `Begin…` checks its arguments at once, then runs the
/// blocking call on a worker thread; the callback runs on that thread when the call has finished, and the
/// matching `End…` returns its result or throws its exception.
///
/// A secure socket that does not defer its handshake performs it (and calls its certificate hook) inside
/// `BeginConnect`'s work, as `Connect` would; a rejected certificate comes out of `EndConnect` as the
/// `SocketException` `Connect` throws.
///
/// `End…` throws `ArgumentException` for an `IAsyncResult` from another object or another `Begin…` method,
/// and `InvalidOperationException` when called twice for one operation, as .NET documents. Closing the socket
/// ends a pending operation: its `End…` throws `ObjectDisposedException`.
extension Socket {
    // MARK: Connect

    /// The corresponding .NET member is `Socket.BeginConnect(EndPoint, AsyncCallback, object)`.
    @discardableResult
    public func BeginConnect(_ remoteEP: EndPoint, _ callback: AsyncCallback?, _ state: Any?) throws -> IAsyncResult {
        try throwIfDisposed()
        guard remoteEP is IPEndPoint else { throw ArgumentException("Only IPEndPoint is supported.", "remoteEP") }
        return try AsyncOperation<Void>.begin(self, "BeginConnect", callback, state) { try self.Connect(remoteEP) }
    }

    /// Resolves `host` and connects as `Connect(string, int)` does (the name becomes the TLS peer name).
    ///
    /// The corresponding .NET member is `Socket.BeginConnect(string, int, AsyncCallback, object)`.
    @discardableResult
    public func BeginConnect(_ host: String, _ port: some BinaryInteger, _ callback: AsyncCallback?, _ state: Any?) throws -> IAsyncResult {
        try throwIfDisposed()
        let port = try Self.asyncPort(port)
        return try AsyncOperation<Void>.begin(self, "BeginConnect", callback, state) { try self.Connect(host, port) }
    }

    /// The corresponding .NET member is `Socket.BeginConnect(IPAddress, int, AsyncCallback, object)`.
    @discardableResult
    public func BeginConnect(_ address: IPAddress, _ port: some BinaryInteger, _ callback: AsyncCallback?, _ state: Any?) throws -> IAsyncResult {
        try BeginConnect(IPEndPoint(address, try Self.asyncPort(port)), callback, state)
    }

    /// Blocks until the connect (and, on a secure socket that does not defer it, the handshake) has finished;
    /// throws what `Connect` would have thrown.
    ///
    /// The corresponding .NET member is `Socket.EndConnect(IAsyncResult)`.
    public func EndConnect(_ asyncResult: IAsyncResult?) throws {
        try AsyncOperation<Void>.end(asyncResult, self, "BeginConnect", "EndConnect")
    }

    // MARK: Send

    /// Sends `size` bytes of `buffer` from `offset` (all of them, as `Send` does) on a worker thread. The bytes
    /// are copied when this is called, so the program may reuse `buffer` at once.
    ///
    /// The corresponding .NET member is `Socket.BeginSend(byte[], int, int, SocketFlags, AsyncCallback, object)`.
    @discardableResult
    public func BeginSend(_ buffer: [UInt8], _ offset: some BinaryInteger, _ size: some BinaryInteger, _ socketFlags: SocketFlags,
                          _ callback: AsyncCallback?, _ state: Any?) throws -> IAsyncResult {
        try throwIfDisposed()
        let range = try Self.asyncRange(buffer.count, offset, size)
        try Self.asyncFlags(socketFlags)
        let bytes = Array(buffer[range])
        return try AsyncOperation<Int32>.begin(self, "BeginSend", callback, state) {
            try bytes.withUnsafeBytes { slice in
                Int32(try self.perform { () throws(WinsockError) in try self.core.send(slice) })
            }
        }
    }

    /// Blocks until the send has finished; returns the number of bytes sent.
    ///
    /// The corresponding .NET member is `Socket.EndSend(IAsyncResult)`.
    @discardableResult
    public func EndSend(_ asyncResult: IAsyncResult?) throws -> Int32 {
        try AsyncOperation<Int32>.end(asyncResult, self, "BeginSend", "EndSend")
    }

    // MARK: Receive

    /// Receives up to `size` bytes on a worker thread (at least one, or 0 when the peer has closed).
    ///
    /// A Swift array is a value, so the worker cannot fill the caller's `buffer` as .NET fills the array it
    /// was given: the bytes are written into the array passed to `EndReceive(ar, &buffer)`, at this `offset`.
    ///
    /// The corresponding .NET member is `Socket.BeginReceive(byte[], int, int, SocketFlags, AsyncCallback, object)`.
    @discardableResult
    public func BeginReceive(_ buffer: [UInt8], _ offset: some BinaryInteger, _ size: some BinaryInteger, _ socketFlags: SocketFlags,
                             _ callback: AsyncCallback?, _ state: Any?) throws -> IAsyncResult {
        try throwIfDisposed()
        let range = try Self.asyncRange(buffer.count, offset, size)
        try Self.asyncFlags(socketFlags)
        return try AsyncOperation<AsyncReadBytes>.begin(self, "BeginReceive", callback, state) {
            var chunk = [UInt8](repeating: 0, count: range.count)
            let count = try chunk.withUnsafeMutableBytes { slice in
                try self.perform { () throws(WinsockError) in try self.core.receive(into: slice) }
            }
            return AsyncReadBytes(offset: range.lowerBound, bytes: Array(chunk.prefix(count)))
        }
    }

    /// Blocks until the receive has finished, copies the received bytes into `buffer` at the offset given to
    /// `BeginReceive`, and returns their count (0: the peer has closed).
    ///
    /// The corresponding .NET member is `Socket.EndReceive(IAsyncResult)`; the array that .NET filled is passed
    /// here with `&`, as for `Receive`.
    public func EndReceive(_ asyncResult: IAsyncResult?, _ buffer: inout [UInt8]) throws -> Int32 {
        try AsyncOperation<AsyncReadBytes>.end(asyncResult, self, "BeginReceive", "EndReceive").copy(into: &buffer)
    }

    /// Not available: the received bytes would be lost. Pass the array that `BeginReceive` was given.
    @available(*, unavailable, message: "pass the receive buffer with &: EndReceive(ar, &buffer) writes the bytes into it, as .NET fills the array given to BeginReceive")
    public func EndReceive(_ asyncResult: IAsyncResult?) throws -> Int32 { 0 }

    static func asyncPort(_ port: some BinaryInteger) throws -> Int {
        let port = try CSharpInteger.int(port, "port")
        guard (0...65535).contains(port) else {
            throw ArgumentOutOfRangeException("port", port, "The port must be between 0 and 65535.")
        }
        return port
    }

    static func asyncRange(_ count: Int, _ offset: some BinaryInteger, _ size: some BinaryInteger) throws -> Range<Int> {
        let offset = try CSharpInteger.int(offset, "offset")
        let size = try CSharpInteger.int(size, "size")
        guard offset >= 0, offset <= count else { throw ArgumentOutOfRangeException("offset", offset, "Offset is outside the buffer.") }
        guard size >= 0, size <= count - offset else { throw ArgumentOutOfRangeException("size", size, "Size runs past the end of the buffer.") }
        return offset..<(offset + size)
    }

    static func asyncFlags(_ flags: SocketFlags) throws {
        guard flags.isEmpty else {
            throw SocketException(WinsockError(.operationNotSupported, "socket flags other than SocketFlags.None are not supported"))
        }
    }
}
