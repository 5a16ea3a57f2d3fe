import WinsockSSL

/// A socket after `Bind`: the kernel socket bound (and listening) at its address, and connections that
/// `Poll` has already taken from the kernel for the next `Accept`.
final class ListeningState: Sendable {
    let listener: ListeningSocket
    let backlog = Locked<Int32?>(nil)
    private let pending = Locked<[StreamSocket]>([])

    init(_ listener: ListeningSocket) {
        self.listener = listener
    }

    /// Whether a connection is waiting, waiting up to `timeout` (nil: forever).
    func hasPendingConnection(timeout: Duration?) throws(WinsockError) -> Bool {
        if pending.withLock({ !$0.isEmpty }) { return true }
        do throws(WinsockError) {
            let connection = try listener.accept(timeout: timeout)
            pending.withLock { $0.append(connection) }
            return true
        } catch where error.code == .timedOut {
            return false
        }
    }

    /// The next connection, waiting up to `timeout` (nil: forever).
    func accept(timeout: Duration?) throws(WinsockError) -> StreamSocket {
        if let waiting = pending.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return waiting }
        return try listener.accept(timeout: timeout)
    }

    func close() {
        listener.close()
        for connection in pending.withLock({ $0 }) { connection.close() }
    }
}

extension Socket {
    // MARK: Accepting connections (plain sockets only)

    /// Binds the socket to a local address (port 0 picks a free one).
    ///
    /// Here `Bind` also starts listening (with the kernel's queue of 128): the socket is ready for `Listen`
    /// and `Accept`. Binding a socket that then connects is not supported (`Connect` after `Bind` throws
    /// 10022), nor binding a secure socket: CE's SSL provider had no server side (10045).
    ///
    /// The corresponding .NET member is `Socket.Bind(EndPoint)`.
    public func Bind(_ localEP: EndPoint) throws {
        guard let ip = localEP as? IPEndPoint else {
            throw ArgumentException("Only IPEndPoint is supported.", "localEP")
        }
        try throwIfDisposed()
        if core.isSecure {
            throw SocketException(WinsockError(.operationNotSupported, "a socket with SO_SECURE = SO_SEC_SSL cannot be bound for listening: the SSL provider only connects"))
        }
        let endpoint = try ip.socketEndpoint()
        let state = try perform { () throws(WinsockError) -> ListeningState in
            guard !core.isConnected else { throw WinsockError(.invalidArgument, "Bind on a connected socket") }
            return ListeningState(try ListeningSocket(on: endpoint))
        }
        let alreadyBound = listening.withLock { current in
            guard current == nil else { return true }
            current = state
            return false
        }
        if alreadyBound {
            state.close()
            throw SocketException(WinsockError(.invalidArgument, "the socket is already bound"))
        }
        // The unconnected descriptor made by the constructor is not used by a listening socket.
        core.close()
    }

    /// Starts accepting connections. A socket made secure with `SO_SECURE` is refused with 10045, as CE's
    /// provider refused a listening SSL socket; `Bind` must come first (10022 otherwise).
    ///
    /// The corresponding .NET member is `Socket.Listen(int)`.
    public func Listen(_ backlog: some BinaryInteger) throws {
        let backlog = try CSharpInteger.int32(backlog, "backlog")
        try throwIfDisposed()
        if core.isSecure {
            throw SocketException(WinsockError(.operationNotSupported, "Listen on a socket with SO_SECURE = SO_SEC_SSL: the SSL provider only connects"))
        }
        guard let state = listening.withLock({ $0 }) else {
            throw SocketException(WinsockError(.invalidArgument, "Listen before Bind"))
        }
        state.backlog.withLock { $0 = backlog }
    }

    /// Waits for a connection and returns a new plain socket for it. Blocks until one arrives or the socket
    /// is closed; with `Blocking = false`, throws 10035 (WSAEWOULDBLOCK) when none is waiting.
    ///
    /// The corresponding .NET member is `Socket.Accept()`.
    public func Accept() throws -> Socket {
        try acceptConnection(nonBlocking: !Blocking)
    }

    /// Starts `Accept` on a worker thread (see `IAsyncResult`); it waits for a connection whatever `Blocking` says,
    /// as .NET's does. Closing the socket ends the wait: `EndAccept` then throws `ObjectDisposedException`.
    ///
    /// The corresponding .NET member is `Socket.BeginAccept(AsyncCallback, object)`.
    @discardableResult
    public func BeginAccept(_ callback: AsyncCallback?, _ state: Any?) throws -> IAsyncResult {
        _ = try listeningState()
        return try AsyncOperation<Socket>.begin(self, "BeginAccept", callback, state) { try self.acceptConnection(nonBlocking: false) }
    }

    /// Blocks until the accept has finished and returns the new plain socket.
    ///
    /// The corresponding .NET member is `Socket.EndAccept(IAsyncResult)`.
    public func EndAccept(_ asyncResult: IAsyncResult?) throws -> Socket {
        try AsyncOperation<Socket>.end(asyncResult, self, "BeginAccept", "EndAccept")
    }

    private func listeningState() throws -> ListeningState {
        try throwIfDisposed()
        guard let state = listening.withLock({ $0 }), state.backlog.withLock({ $0 }) != nil else {
            throw InvalidOperationException("You must call the Listen method before performing this operation.")
        }
        return state
    }

    private func acceptConnection(nonBlocking: Bool) throws -> Socket {
        let state = try listeningState()
        let connection = try perform { () throws(WinsockError) -> StreamSocket in
            do throws(WinsockError) {
                return try state.accept(timeout: nonBlocking ? .zero : nil)
            } catch where nonBlocking && error.code == .timedOut {
                throw WinsockError(.wouldBlock, "no connection is waiting (Blocking = false)")
            }
        }
        return Socket(accepted: connection, AddressFamily)
    }

    /// The local address: the bound one for a listening socket.
    var listeningEndPoint: EndPoint? {
        listening.withLock { $0 }.map { IPEndPoint($0.listener.localEndpoint) }
    }

    // MARK: Blocking and the handle

    /// With `false`, `Receive` and `Accept` throw 10035 (WSAEWOULDBLOCK) instead of waiting when nothing is
    /// ready. `Connect` and `Send` still complete before they return (a project decision: CE programs
    /// switch to non-blocking to poll for input, and a half-done connect or send is not offered).
    ///
    /// The corresponding .NET member is `Socket.Blocking`.
    public var Blocking: Bool {
        get { blocking.withLock { $0 } }
        set { blocking.withLock { $0 = newValue } }
    }

    func throwIfWouldBlock() throws {
        guard !Blocking else { return }
        if try !Poll(0, .SelectRead) {
            throw SocketException(WinsockError(.wouldBlock, "no data is waiting (Blocking = false)"))
        }
    }

    /// A number unique among this process's sockets. It is not a kernel descriptor: nothing here could
    /// use one (there is no P/Invoke), so programs that log it or compare it keep working.
    ///
    /// The corresponding .NET member is `Socket.Handle`.
    public var Handle: IntPtr { IntPtr(handle) }
}
