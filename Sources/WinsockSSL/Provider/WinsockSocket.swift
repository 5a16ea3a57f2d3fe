/// A Windows CE Winsock stream socket with CE's SSL provider built in.
///
/// This is the object behind .NET's `Socket` in this package. It keeps what CE's provider kept per
/// socket — the `SO_SECURE` mode, the certificate hook, the flags, the peer name, the protocol list —
/// and moves through the phases of `SecureSocketPhase`: plain text, handshaking, secure, or failed.
/// `send` and `receive` go to the kernel while the socket is plain and through OpenSSL once it is
/// secure, so the program's `Send`, `Receive` and streams switch to TLS without noticing.
///
/// Safe to use from several threads: one thread may block in `receive` while another sends.
public final class WinsockSocket: Sendable {
    /// The TCP socket underneath.
    public let stream: StreamSocket
    let state: Locked<ProviderState>

    /// Creates an unconnected stream socket. The corresponding Winsock call is `socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)`.
    public init(family: InternetAddress.Family) throws(WinsockError) {
        stream = try StreamSocket(family: family)
        state = Locked(ProviderState())
    }

    /// Wraps a connected stream socket, such as one from `ListeningSocket.accept`; it starts plain.
    public init(adopting stream: StreamSocket) {
        self.stream = stream
        state = Locked(ProviderState())
    }

    /// Everything CE's SSL provider remembered about a socket.
    struct ProviderState {
        var secure = false
        var flags: UInt32 = 0
        var hook: CertificateHookBinding?
        var peerName: String?
        var connectHostName: String?
        /// The name the connected address was last resolved from (`ResolvedNames`), read at `connect`.
        var resolvedName: String?
        var protocols = ProtocolSelection.standard
        var phase = SecureSocketPhase.plain
        var trustRoots: [Certificate] = []
        var holders: [PlaintextGuard.WeakHolder] = []
        var configurationOverride: TLSConfiguration?
    }

    // MARK: State queries

    /// True when `SO_SECURE` is `SO_SEC_SSL`.
    public var isSecure: Bool { state.withLock { $0.secure } }

    /// The current phase (plain, handshaking, secure, failed).
    public var phase: SecureSocketPhase { state.withLock { $0.phase } }

    /// What the handshake negotiated; nil until the socket is secure.
    public var sessionInfo: TLSSessionInfo? {
        if case .secure(let session) = phase { return session.info }
        return nil
    }

    public var isConnected: Bool { stream.isConnected }

    // MARK: Options

    /// Sets `SO_SECURE`. `SO_SEC_SSL` makes the socket secure and `SO_SEC_NONE` makes it plain again;
    /// both only before `connect`.
    ///
    /// The corresponding Winsock call is `setsockopt(s, SOL_SOCKET, SO_SECURE, &value, sizeof(DWORD))`.
    public func setSecurity(_ value: Int32) throws(WinsockError) {
        guard value == SO_SEC_SSL || value == SO_SEC_NONE else {
            throw WinsockError(.invalidArgument, "SO_SECURE takes SO_SEC_SSL (0x2004) or SO_SEC_NONE (0x2002), not \(hex(value))")
        }
        let connected = stream.isConnected
        try state.withLock { (state: inout ProviderState) throws(WinsockError) in
            guard !connected else {
                throw WinsockError(.invalidArgument, "SO_SECURE must be set before connect; the socket is already connected")
            }
            state.secure = value == SO_SEC_SSL
        }
    }

    /// `SO_SEC_SSL` or `SO_SEC_NONE`.
    public var securityOption: Int32 { isSecure ? SO_SEC_SSL : SO_SEC_NONE }

    /// Trusts `root` for this socket's handshakes, in addition to the system's and `TrustStore.process`.
    public func addTrustRoot(_ root: Certificate) {
        state.withLock { $0.trustRoots.append(root) }
    }

    /// Replaces the TLS settings derived from the ioctl state (for the Swift-native API and tests).
    /// The peer name, trust roots and versions given here win; the CE hook, when set, still decides.
    public func setTLSConfiguration(_ configuration: TLSConfiguration?) {
        state.withLock { $0.configurationOverride = configuration }
    }

    /// Registers a reader that buffers bytes from this socket, so a deferred handshake can refuse to
    /// start while it still holds plain text.
    public func registerBufferedReader(_ holder: any BufferedPlaintextHolder) {
        state.withLock { state in
            state.holders.removeAll { $0.holder == nil }
            if !state.holders.contains(where: { $0.holder === holder }) {
                state.holders.append(PlaintextGuard.WeakHolder(holder: holder))
            }
        }
    }

    // MARK: Connecting

    /// Connects to `endpoint`. On a secure socket without `SSL_FLAG_DEFER_HANDSHAKE` the TLS handshake
    /// follows at once, and the certificate hook runs inside this call, as on CE.
    ///
    /// `hostName` is the name the program resolved, if it connected by name; it becomes the peer name
    /// when `SO_SSL_SET_PEERNAME` was not used. The name this process last resolved to `endpoint`'s address
    /// (`ResolvedNames.shared`) is remembered too: sent as SNI when no peer name is known. Blocks until connected; the TCP connect is bounded by
    /// the system, the handshake by the socket's timeouts. The corresponding Winsock call is `connect`.
    public func connect(to endpoint: SocketEndpoint, hostName: String? = nil, timeout: Duration? = nil) throws(WinsockError) {
        let resolvedName = ResolvedNames.shared.name(for: endpoint.address)
        let immediateHandshake = try state.withLock { (state: inout ProviderState) throws(WinsockError) -> Bool in
            if case .failed = state.phase { throw WinsockError(.invalidArgument, "the socket failed earlier and cannot connect again") }
            let immediate = state.secure && state.flags & SSL_FLAG_DEFER_HANDSHAKE == 0
            if immediate {
                try Self.requireVerifiableName(state, handshakeName: nil, connectName: hostName, resolvedName: resolvedName)
            }
            return immediate
        }
        try stream.connect(to: endpoint, timeout: timeout)
        state.withLock { state in
            state.connectHostName = hostName
            state.resolvedName = resolvedName
        }
        SocketTrace.emit(.connected(requested: endpoint, actual: EndpointRedirects.shared.destination(for: endpoint)))
        if immediateHandshake {
            try performHandshake(name: nil)
        }
    }

    // MARK: Data

    /// Sends every byte: plain while the socket is plain, encrypted once it is secure. Blocks until all
    /// is sent or `sendTimeout` passes. The corresponding Winsock call is `send`.
    public func send(_ bytes: UnsafeRawBufferPointer) throws(WinsockError) -> Int {
        let deadline = StreamSocket.deadline(after: stream.sendTimeout)
        let session = try dataPhase("send")
        if let session {
            try session.write(bytes, deadline: deadline)
        } else {
            try stream.sendAll(bytes, deadline: deadline)
        }
        SocketTrace.emit(.sent(Array(bytes), secure: session != nil))
        return bytes.count
    }

    /// Receives at least one byte (0 when the peer has closed): plain or decrypted according to the phase.
    /// Blocks until data arrives or `receiveTimeout` passes. The corresponding Winsock call is `recv`.
    public func receive(into buffer: UnsafeMutableRawBufferPointer) throws(WinsockError) -> Int {
        let deadline = StreamSocket.deadline(after: stream.receiveTimeout)
        let session = try dataPhase("receive")
        let count = if let session {
            try session.read(into: buffer, deadline: deadline)
        } else {
            try stream.receive(into: buffer, deadline: deadline)
        }
        SocketTrace.emit(.received(Array(buffer[0..<count]), secure: session != nil))
        return count
    }

    /// Bytes that can be read without blocking (decrypted bytes once secure).
    /// The corresponding Winsock call is `ioctlsocket(FIONREAD)`.
    public func bytesAvailable() throws(WinsockError) -> Int {
        switch try dataPhase("FIONREAD") {
        case .some(let session): return try session.bytesAvailable()
        case .none: return try stream.bytesAvailable()
        }
    }

    /// Waits up to `timeout` (nil: forever) until the socket is readable or writable; true when it is.
    ///
    /// On a secure socket "readable" means what a program expects from it: a `receive` would return at once,
    /// because decrypted data is waiting, the peer closed, or the session failed. Records that carry no
    /// application data (TLS 1.3 session tickets, key updates) are processed while waiting and never make
    /// the socket readable, so a reader that polls before it receives never blocks in `receive`.
    /// A socket that was never connected is neither readable nor writable, as in Winsock (see
    /// `pollWhileUnconnected`). The corresponding Winsock call is `select`; the .NET member is `Socket.Poll`.
    public func poll(readable: Bool, timeout: Duration?) throws(WinsockError) -> Bool {
        guard isConnected else { return try pollWhileUnconnected(readable: readable, deadline: StreamSocket.deadline(after: timeout)) }
        guard readable else { return try stream.poll(readable: false, timeout: timeout) }
        switch try dataPhase("poll") {
        case .some(let session): return try session.waitUntilReadable(deadline: StreamSocket.deadline(after: timeout))
        case .none: return try stream.poll(readable: true, timeout: timeout)
        }
    }

    /// The TLS session when secure, nil when plain; throws while a handshake runs or after one failed.
    private func dataPhase(_ operation: String) throws(WinsockError) -> TLSSession? {
        switch phase {
        case .plain: return nil
        case .secure(let session): return session
        case .handshaking:
            throw WinsockError(.inProgress, "\(operation) is not allowed while the TLS handshake is in progress")
        case .failed(let error):
            throw WinsockError(.connectionAborted, "\(operation) on a socket whose TLS handshake failed: \(error.detail)")
        }
    }

    /// Stops sending and/or receiving. A secure socket sends TLS close_notify before shutting down sending.
    /// The corresponding Winsock call is `shutdown`.
    public func shutdown(_ direction: StreamSocket.ShutdownDirection) throws(WinsockError) {
        if direction != .receive, case .secure(let session) = phase { session.sendCloseNotify() }
        try stream.shutdown(direction)
    }

    /// Closes the socket; a secure socket first sends TLS close_notify (unless the TCP socket is already
    /// closed: the session never writes to a descriptor it no longer owns). The corresponding Winsock call is `closesocket`.
    public func close() {
        if case .secure(let session) = phase { session.sendCloseNotify() }
        stream.close()
    }

    func hex(_ value: Int32) -> String { HexFormat.dword(UInt32(bitPattern: value)) }
}
