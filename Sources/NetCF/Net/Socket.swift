import WinsockSSL

/// A stream socket with the Windows CE SSL provider behind `SetSocketOption(SO_SECURE)` and `IOControl`.
///
/// Calls block as .NET's do, bounded by `ReceiveTimeout` and `SendTimeout`. One thread may block in
/// `Receive` while another calls `Send`. After `Close`, every call throws `ObjectDisposedException`.
///
/// The corresponding .NET type is `System.Net.Sockets.Socket`.
public final class Socket: IDisposable, Sendable {
    /// The Winsock socket this object fronts.
    public let core: WinsockSocket
    private let disposed = Locked(false)
    private let closeTracker: SocketCloseTracker

    /// The corresponding .NET member is `Socket.AddressFamily`.
    public let AddressFamily: NetCF.AddressFamily
    /// The corresponding .NET member is `Socket.SocketType`.
    public let SocketType: NetCF.SocketType
    /// The corresponding .NET member is `Socket.ProtocolType`.
    public let ProtocolType: NetCF.ProtocolType

    /// Creates a TCP socket. Only `InterNetwork`/`InterNetworkV6` stream sockets over TCP exist here,
    /// as only those can carry CE's SSL.
    ///
    /// The corresponding .NET member is `Socket(AddressFamily, SocketType, ProtocolType)`.
    public init(_ addressFamily: NetCF.AddressFamily, _ socketType: NetCF.SocketType, _ protocolType: NetCF.ProtocolType) throws {
        guard addressFamily == .InterNetwork || addressFamily == .InterNetworkV6 else {
            throw SocketException(WinsockError(.addressFamilyNotSupported, "address family \(addressFamily) is not supported; use InterNetwork or InterNetworkV6"))
        }
        guard socketType == .Stream else {
            throw SocketException(WinsockError(.socketTypeNotSupported, "only SocketType.Stream is supported"))
        }
        guard protocolType == .Tcp || protocolType == .Unspecified else {
            throw SocketException(WinsockError(.protocolNotSupported, "only ProtocolType.Tcp is supported"))
        }
        do {
            core = try WinsockSocket(family: addressFamily == .InterNetwork ? .ipv4 : .ipv6)
        } catch {
            throw SocketException(error)
        }
        closeTracker = SocketCloseTracker("System.Net.Sockets.Socket")
        AddressFamily = addressFamily
        SocketType = socketType
        ProtocolType = protocolType
    }

    // MARK: Calling the core

    /// Runs a core operation: refuses after `Close`, and turns core errors into .NET exceptions.
    func perform<Result>(_ body: () throws(WinsockError) -> Result) throws -> Result {
        try throwIfDisposed()
        do {
            return try body()
        } catch {
            if disposed.withLock({ $0 }) { throw ObjectDisposedException("System.Net.Sockets.Socket") }
            throw SocketException(error)
        }
    }

    func throwIfDisposed() throws {
        if disposed.withLock({ $0 }) { throw ObjectDisposedException("System.Net.Sockets.Socket") }
    }

    var isDisposed: Bool { disposed.withLock { $0 } }

    // MARK: Connecting

    /// Connects; on a socket made secure with `SO_SECURE` (and not deferred) the TLS handshake follows
    /// inside this call, with the certificate hook called from it, as on CE. Blocks until done.
    ///
    /// The corresponding .NET member is `Socket.Connect(EndPoint)`.
    public func Connect(_ remoteEP: EndPoint) throws {
        guard let ip = remoteEP as? IPEndPoint else {
            throw ArgumentException("Only IPEndPoint is supported.", "remoteEP")
        }
        let endpoint = try ip.socketEndpoint()
        try perform { () throws(WinsockError) in try core.connect(to: endpoint) }
    }

    /// The corresponding .NET member is `Socket.Connect(IPAddress, int)`.
    public func Connect(_ address: IPAddress, _ port: Int) throws {
        try Connect(IPEndPoint(address, port))
    }

    /// Resolves `host` (hosts table first), then tries its addresses of this socket's family in order.
    /// The name becomes the TLS peer name unless `SO_SSL_SET_PEERNAME` set one.
    ///
    /// The corresponding .NET member is `Socket.Connect(string, int)`.
    public func Connect(_ host: String, _ port: Int) throws {
        guard (IPEndPoint.MinPort...IPEndPoint.MaxPort).contains(port) else {
            throw ArgumentOutOfRangeException("port", port, "The port must be between 0 and 65535.")
        }
        let family: InternetAddress.Family = AddressFamily == .InterNetwork ? .ipv4 : .ipv6
        try perform { () throws(WinsockError) in
            let candidates = try NameResolver.resolve(host).filter { $0.family == family }
            guard !candidates.isEmpty else {
                throw WinsockError(.addressFamilyNotSupported, "\(host) has no \(family == .ipv4 ? "IPv4" : "IPv6") address for this socket")
            }
            var lastError: WinsockError?
            for address in candidates {
                do throws(WinsockError) {
                    try core.connect(to: SocketEndpoint(address: address, port: UInt16(port)), hostName: host)
                    return
                } catch {
                    // Only a failed TCP connect moves on to the next address; a TLS failure is final.
                    if core.isConnected || core.phase.isSecure { throw error }
                    if case .failed = core.phase { throw error }
                    lastError = error
                }
            }
            throw lastError!
        }
    }

    /// The corresponding .NET member is `Socket.Connected`.
    public var Connected: Bool { !isDisposed && core.isConnected }

    /// The endpoint the program connected to (a redirect does not change it); nil before `Connect`.
    /// Throws `ObjectDisposedException` after `Close`, as .NET does.
    ///
    /// The corresponding .NET member is `Socket.RemoteEndPoint`.
    public var RemoteEndPoint: EndPoint? {
        get throws {
            try throwIfDisposed()
            return core.stream.remoteEndpoint.map { IPEndPoint($0) }
        }
    }

    /// Throws `ObjectDisposedException` after `Close`.
    ///
    /// The corresponding .NET member is `Socket.LocalEndPoint`.
    public var LocalEndPoint: EndPoint? {
        get throws {
            try throwIfDisposed()
            return core.stream.localEndpoint.map { IPEndPoint($0) }
        }
    }

    // MARK: Sending and receiving

    /// Sends all of `buffer` (encrypted once the socket is secure); returns the count. Blocks, bounded by `SendTimeout`.
    ///
    /// The corresponding .NET member is `Socket.Send(byte[])`.
    @discardableResult
    public func Send(_ buffer: [UInt8]) throws -> Int {
        try Send(buffer, 0, buffer.count, .None)
    }

    /// The corresponding .NET member is `Socket.Send(byte[], SocketFlags)`.
    @discardableResult
    public func Send(_ buffer: [UInt8], _ socketFlags: SocketFlags) throws -> Int {
        try Send(buffer, 0, buffer.count, socketFlags)
    }

    /// The corresponding .NET member is `Socket.Send(byte[], int, SocketFlags)`.
    @discardableResult
    public func Send(_ buffer: [UInt8], _ size: Int, _ socketFlags: SocketFlags) throws -> Int {
        try Send(buffer, 0, size, socketFlags)
    }

    /// The corresponding .NET member is `Socket.Send(byte[], int, int, SocketFlags)`.
    @discardableResult
    public func Send(_ buffer: [UInt8], _ offset: Int, _ size: Int, _ socketFlags: SocketFlags) throws -> Int {
        try throwIfDisposed()
        try Self.checkRange(buffer.count, offset, size)
        try Self.checkFlags(socketFlags)
        return try buffer.withUnsafeBytes { bytes in
            let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + size)])
            return try perform { () throws(WinsockError) in try core.send(slice) }
        }
    }

    /// Receives at least one byte into `buffer` (0 when the peer has closed). Blocks, bounded by `ReceiveTimeout`.
    ///
    /// The corresponding .NET member is `Socket.Receive(byte[])`; the array is `inout` because Swift arrays are values.
    public func Receive(_ buffer: inout [UInt8]) throws -> Int {
        try Receive(&buffer, 0, buffer.count, .None)
    }

    /// The corresponding .NET member is `Socket.Receive(byte[], SocketFlags)`.
    public func Receive(_ buffer: inout [UInt8], _ socketFlags: SocketFlags) throws -> Int {
        try Receive(&buffer, 0, buffer.count, socketFlags)
    }

    /// The corresponding .NET member is `Socket.Receive(byte[], int, SocketFlags)`.
    public func Receive(_ buffer: inout [UInt8], _ size: Int, _ socketFlags: SocketFlags) throws -> Int {
        try Receive(&buffer, 0, size, socketFlags)
    }

    /// The corresponding .NET member is `Socket.Receive(byte[], int, int, SocketFlags)`.
    public func Receive(_ buffer: inout [UInt8], _ offset: Int, _ size: Int, _ socketFlags: SocketFlags) throws -> Int {
        try throwIfDisposed()
        try Self.checkRange(buffer.count, offset, size)
        try Self.checkFlags(socketFlags)
        return try buffer.withUnsafeMutableBytes { bytes in
            let slice = UnsafeMutableRawBufferPointer(rebasing: bytes[offset..<(offset + size)])
            return try perform { () throws(WinsockError) in try core.receive(into: slice) }
        }
    }

    /// Bytes ready to read without blocking (decrypted bytes once the socket is secure).
    ///
    /// The corresponding .NET member is `Socket.Available`.
    public var Available: Int {
        get throws { try perform { () throws(WinsockError) in try core.bytesAvailable() } }
    }

    /// Waits up to `microSeconds` (negative: forever) for the socket to become readable or writable.
    /// Once the socket is secure, readable means decrypted data, end of stream or an error is waiting;
    /// TLS 1.3 session tickets and key updates alone never make it readable (see `WinsockSocket.poll`).
    ///
    /// The corresponding .NET member is `Socket.Poll(int, SelectMode)`.
    public func Poll(_ microSeconds: Int, _ mode: SelectMode) throws -> Bool {
        let timeout: Duration? = microSeconds < 0 ? nil : .microseconds(microSeconds)
        return try perform { () throws(WinsockError) in
            switch mode {
            case .SelectRead: return try core.poll(readable: true, timeout: timeout)
            case .SelectWrite: return try core.poll(readable: false, timeout: timeout)
            case .SelectError: return false
            }
        }
    }

    static func checkRange(_ count: Int, _ offset: Int, _ size: Int) throws {
        guard offset >= 0, offset <= count else { throw ArgumentOutOfRangeException("offset", offset, "Offset is outside the buffer.") }
        guard size >= 0, size <= count - offset else { throw ArgumentOutOfRangeException("size", size, "Size runs past the end of the buffer.") }
    }

    static func checkFlags(_ flags: SocketFlags) throws {
        guard flags.isEmpty else {
            throw SocketException(WinsockError(.operationNotSupported, "socket flags other than SocketFlags.None are not supported"))
        }
    }

    // MARK: Timeouts and options

    /// Milliseconds one `Receive` (or a read of a stream over this socket) may block; 0 or -1 waits forever.
    ///
    /// The corresponding .NET member is `Socket.ReceiveTimeout`.
    public var ReceiveTimeout: Int {
        get { Self.milliseconds(core.stream.receiveTimeout) }
        set { core.stream.receiveTimeout = Self.duration(newValue) }
    }

    /// Milliseconds one `Send` may block; 0 or -1 waits forever.
    ///
    /// The corresponding .NET member is `Socket.SendTimeout`.
    public var SendTimeout: Int {
        get { Self.milliseconds(core.stream.sendTimeout) }
        set { core.stream.sendTimeout = Self.duration(newValue) }
    }

    static func duration(_ milliseconds: Int) -> Duration? {
        milliseconds > 0 ? .milliseconds(milliseconds) : nil
    }

    static func milliseconds(_ duration: Duration?) -> Int {
        guard let duration else { return 0 }
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }

    /// Sets an option. `(SocketOptionLevel.Socket, SocketOptionName(rawValue: SO_SECURE), SO_SEC_SSL)`
    /// makes the socket secure, as on Windows CE.
    ///
    /// The corresponding .NET member is `Socket.SetSocketOption(SocketOptionLevel, SocketOptionName, int)`.
    public func SetSocketOption(_ optionLevel: SocketOptionLevel, _ optionName: SocketOptionName, _ optionValue: Int32) throws {
        try throwIfDisposed()
        switch (optionLevel, optionName) {
        case (.Socket, SocketOptionName(rawValue: SO_SECURE)):
            try perform { () throws(WinsockError) in try core.setSecurity(optionValue) }
        case (.Socket, .ReceiveTimeout):
            guard optionValue >= -1 else { throw ArgumentOutOfRangeException("optionValue", optionValue, "Timeouts must be -1 or more.") }
            ReceiveTimeout = Int(optionValue)
        case (.Socket, .SendTimeout):
            guard optionValue >= -1 else { throw ArgumentOutOfRangeException("optionValue", optionValue, "Timeouts must be -1 or more.") }
            SendTimeout = Int(optionValue)
        default:
            let option = try Self.coreOption(optionLevel, optionName)
            try perform { () throws(WinsockError) in try core.stream.setOption(option, optionValue) }
        }
    }

    /// The corresponding .NET member is `Socket.SetSocketOption(SocketOptionLevel, SocketOptionName, bool)`.
    public func SetSocketOption(_ optionLevel: SocketOptionLevel, _ optionName: SocketOptionName, _ optionValue: Bool) throws {
        try SetSocketOption(optionLevel, optionName, optionValue ? 1 : 0)
    }

    /// Reads an option as an integer (`SO_SECURE` reads back `SO_SEC_SSL` or `SO_SEC_NONE`).
    ///
    /// The corresponding .NET member is `Socket.GetSocketOption(SocketOptionLevel, SocketOptionName)`.
    public func GetSocketOption(_ optionLevel: SocketOptionLevel, _ optionName: SocketOptionName) throws -> Int32 {
        try throwIfDisposed()
        switch (optionLevel, optionName) {
        case (.Socket, SocketOptionName(rawValue: SO_SECURE)): return core.securityOption
        case (.Socket, .ReceiveTimeout): return Int32(clamping: ReceiveTimeout)
        case (.Socket, .SendTimeout): return Int32(clamping: SendTimeout)
        case (.Socket, .Type): return SocketType.rawValue
        default:
            let option = try Self.coreOption(optionLevel, optionName)
            return try perform { () throws(WinsockError) in try core.stream.option(option) }
        }
    }

    static func coreOption(_ level: SocketOptionLevel, _ name: SocketOptionName) throws -> StreamSocket.Option {
        switch (level, name) {
        case (.Socket, .ReuseAddress): return .reuseAddress
        case (.Socket, .KeepAlive): return .keepAlive
        case (.Socket, .SendBuffer): return .sendBufferSize
        case (.Socket, .ReceiveBuffer): return .receiveBufferSize
        case (.Socket, .Linger): return .lingerSeconds
        case (.Tcp, .NoDelay): return .noDelay
        default:
            throw SocketException(WinsockError(.protocolOption,
                "socket option \(UnmanagedHeap.hex(UInt32(bitPattern: name.rawValue))) at level \(level.rawValue) is not supported"))
        }
    }

    // MARK: IOControl

    /// Sends a control code to the socket: the Windows CE SSL codes (`SO_SSL_*`) and `FIONREAD`.
    /// Output, if any, is discarded; the return value is how many bytes it had.
    ///
    /// The corresponding .NET member is `Socket.IOControl(int, byte[], byte[])`.
    @discardableResult
    public func IOControl(_ ioControlCode: Int32, _ optionInValue: [UInt8]?, _ optionOutValue: [UInt8]?) throws -> Int {
        try perform { () throws(WinsockError) in
            try core.ioControl(ioControlCode, input: optionInValue, outputCapacity: optionOutValue?.count ?? 0).count
        }
    }

    /// The same, writing the output to the start of `optionOutValue` as .NET writes into the array it was given.
    ///
    /// The corresponding .NET member is `Socket.IOControl(int, byte[], byte[])`.
    @discardableResult
    public func IOControl(_ ioControlCode: Int32, _ optionInValue: [UInt8]?, _ optionOutValue: inout [UInt8]) throws -> Int {
        let capacity = optionOutValue.count
        let output = try perform { () throws(WinsockError) in
            try core.ioControl(ioControlCode, input: optionInValue, outputCapacity: capacity)
        }
        optionOutValue.replaceSubrange(0..<output.count, with: output)
        return output.count
    }

    // MARK: Closing

    /// The corresponding .NET member is `Socket.Shutdown(SocketShutdown)`.
    public func Shutdown(_ how: SocketShutdown) throws {
        let direction: StreamSocket.ShutdownDirection = switch how {
        case .Receive: .receive
        case .Send: .send
        case .Both: .both
        }
        try perform { () throws(WinsockError) in try core.shutdown(direction) }
    }

    /// Closes the socket (sending TLS close_notify first when secure). Calling it again does nothing.
    ///
    /// The corresponding .NET member is `Socket.Close()`.
    public func Close() {
        let first = disposed.withLock { wasDisposed in
            defer { wasDisposed = true }
            return !wasDisposed
        }
        if first {
            closeTracker.closed()
            core.close()
        }
    }

    /// The corresponding .NET member is `Socket.Close(int)`; the timeout is not used (close never lingers here).
    public func Close(_ timeout: Int) { Close() }

    /// The corresponding .NET member is `Socket.Dispose()`.
    public func Dispose() { Close() }
}
