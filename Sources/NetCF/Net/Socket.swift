import WinsockSSL

/// A stream socket with the Windows CE SSL provider behind `SetSocketOption(SO_SECURE)` and `IOControl`.
///
/// Calls block as .NET's do, bounded by `ReceiveTimeout` and `SendTimeout`. One thread may block in
/// `Receive` while another calls `Send`. After `Close`, every call throws `ObjectDisposedException`.
///
/// As in .NET the class is not sealed: ported code derives from it (`class MySocket: Socket`, with
/// `try super.init(NetCF.AddressFamily.InterNetwork, …)`). Its own state is behind locks, which is why it
/// is `@unchecked Sendable`; a subclass's fields are the subclass's business, as in .NET.
///
/// The corresponding .NET type is `System.Net.Sockets.Socket`.
open class Socket: IDisposable, @unchecked Sendable {
    /// The Winsock socket this object fronts.
    public let core: WinsockSocket
    private let disposed = Locked(false)
    private let closeTracker: SocketCloseTracker
    /// The certificate hooks this socket took with `SO_SSL_SET_VALIDATE_CERT_HOOK`, kept alive until its
    /// handshake is over or it closes (see `Marshal.GetFunctionPointerForDelegate`).
    private let hookHolders = Locked<[DelegateRegistration.Holder]>([])
    /// After `Bind`: the address, and the kernel socket listening on it.
    let listening = Locked<ListeningState?>(nil)
    let blocking = Locked(true)
    /// True while a `Connect` call runs. .NET sets `Connected` when the call returns, and on CE a secure
    /// socket's handshake runs inside that call, so another thread sees `Connected == false` until both are done.
    private let connectInProgress = Locked(false)
    /// `Socket.Handle`: a number unique among the sockets of this process.
    let handle: Int32
    private static let nextHandle = Locked<Int32>(0x100)

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
        handle = Self.makeHandle()
    }

    /// A socket for a connection that `Accept` returned.
    init(accepted stream: StreamSocket, _ addressFamily: NetCF.AddressFamily) {
        core = WinsockSocket(adopting: stream)
        closeTracker = SocketCloseTracker("System.Net.Sockets.Socket")
        AddressFamily = addressFamily
        SocketType = .Stream
        ProtocolType = .Tcp
        handle = Self.makeHandle()
    }

    private static func makeHandle() -> Int32 {
        nextHandle.withLock { next in
            defer { next = next == Int32.max ? 0x100 : next + 4 }
            return next
        }
    }

    // MARK: Calling the core

    /// Runs a core operation: refuses after `Close`, and turns core errors into .NET exceptions.
    func perform<Result>(_ body: () throws(WinsockError) -> Result) throws -> Result {
        try throwIfDisposed()
        do {
            return try body()
        } catch {
            if disposed.withLock({ $0 }) { throw ObjectDisposedException("System.Net.Sockets.Socket") }
            throw SocketException(withHookException(error))
        }
    }

    /// A rejection because the hook threw names what it threw.
    private func withHookException(_ error: WinsockError) -> WinsockError {
        guard error.certificateHookResult == SSL_ERR_FAILED else { return error }
        let holders = hookHolders.withLock { $0 }
        var thrown: (any Error)?
        for holder in holders where thrown == nil {
            thrown = holder.thrown.withLock { last in
                defer { last = nil }
                return last
            }
        }
        guard let thrown else { return error }
        var described = error
        described.detail += "; the hook threw \(thrown)"
        return described
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
        try throwIfBound()
        connectInProgress.withLock { $0 = true }
        defer {
            connectInProgress.withLock { $0 = false }
            releaseHooksAfterHandshake()
        }
        try perform { () throws(WinsockError) in try core.connect(to: endpoint) }
    }

    private func throwIfBound() throws {
        if listening.withLock({ $0 != nil }) {
            throw SocketException(WinsockError(.invalidArgument, "Connect on a socket bound with Bind (a bound socket only accepts here)"))
        }
    }

    /// The corresponding .NET member is `Socket.Connect(IPAddress, int)`.
    public func Connect(_ address: IPAddress, _ port: some BinaryInteger) throws {
        try Connect(IPEndPoint(address, try CSharpInteger.int(port, "port")))
    }

    /// Resolves `host` (hosts table first), then tries its addresses of this socket's family in order.
    /// The name becomes the TLS peer name unless `SO_SSL_SET_PEERNAME` set one.
    ///
    /// The corresponding .NET member is `Socket.Connect(string, int)`.
    public func Connect(_ host: String, _ port: some BinaryInteger) throws {
        let port = try CSharpInteger.int32(port, "port")
        guard (IPEndPoint.MinPort...IPEndPoint.MaxPort).contains(port) else {
            throw ArgumentOutOfRangeException("port", port, "The port must be between 0 and 65535.")
        }
        let family: InternetAddress.Family = AddressFamily == .InterNetwork ? .ipv4 : .ipv6
        try throwIfBound()
        connectInProgress.withLock { $0 = true }
        defer {
            connectInProgress.withLock { $0 = false }
            releaseHooksAfterHandshake()
        }
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

    /// True once `Connect` has returned successfully (on a secure socket: after its handshake, as on CE),
    /// until the socket or its connection is closed, or its TLS handshake fails (deferred or not): .NET marks
    /// a socket disconnected after a call fails with anything but a timeout or would-block, and a failed
    /// handshake leaves the connection unusable.
    ///
    /// The corresponding .NET member is `Socket.Connected`.
    public var Connected: Bool {
        guard !isDisposed, !connectInProgress.withLock({ $0 }), core.isConnected else { return false }
        if case .failed = core.phase { return false }
        return true
    }

    /// The endpoint the program connected to (a redirect does not change it); nil before `Connect`.
    /// Throws `ObjectDisposedException` after `Close`, as .NET does.
    ///
    /// The corresponding .NET member is `Socket.RemoteEndPoint`.
    public var RemoteEndPoint: EndPoint! {
        get throws {
            try throwIfDisposed()
            return core.stream.remoteEndpoint.map { IPEndPoint($0) }
        }
    }

    /// Throws `ObjectDisposedException` after `Close`.
    ///
    /// The corresponding .NET member is `Socket.LocalEndPoint`.
    public var LocalEndPoint: EndPoint! {
        get throws {
            try throwIfDisposed()
            if let bound = listeningEndPoint { return bound }
            return core.stream.localEndpoint.map { IPEndPoint($0) }
        }
    }

    // MARK: Sending and receiving

    /// Sends all of `buffer` (encrypted once the socket is secure); returns the count. Blocks, bounded by `SendTimeout`.
    ///
    /// The corresponding .NET member is `Socket.Send(byte[])`.
    @discardableResult
    public func Send(_ buffer: [UInt8]) throws -> int {
        try Send(buffer, 0, buffer.count, .None)
    }

    /// The corresponding .NET member is `Socket.Send(byte[], SocketFlags)`.
    @discardableResult
    public func Send(_ buffer: [UInt8], _ socketFlags: SocketFlags) throws -> int {
        try Send(buffer, 0, buffer.count, socketFlags)
    }

    /// The corresponding .NET member is `Socket.Send(byte[], int, SocketFlags)`.
    @discardableResult
    public func Send(_ buffer: [UInt8], _ size: some BinaryInteger, _ socketFlags: SocketFlags) throws -> int {
        try Send(buffer, 0, size, socketFlags)
    }

    /// The corresponding .NET member is `Socket.Send(byte[], int, int, SocketFlags)`.
    @discardableResult
    public func Send(_ buffer: [UInt8], _ offset: some BinaryInteger, _ size: some BinaryInteger, _ socketFlags: SocketFlags) throws -> int {
        let offset = try CSharpInteger.int(offset, "offset"), size = try CSharpInteger.int(size, "size")
        try throwIfDisposed()
        try Self.checkRange(buffer.count, offset, size)
        try Self.checkFlags(socketFlags)
        return try buffer.withUnsafeBytes { bytes in
            let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + size)])
            return CSharpInteger.result(try perform { () throws(WinsockError) in try core.send(slice) })
        }
    }

    /// Receives at least one byte into `buffer` (0 when the peer has closed). Blocks, bounded by `ReceiveTimeout`.
    /// Every `Receive` is `@discardableResult`: a drain loop calls it as a statement (`s.Receive(buf);` →
    /// `try s.Receive(&buf)`), as C# allows.
    ///
    /// The corresponding .NET member is `Socket.Receive(byte[])`; the array is `inout` because Swift arrays are values.
    @discardableResult
    public func Receive(_ buffer: inout [UInt8]) throws -> int {
        try Receive(&buffer, 0, buffer.count, .None)
    }

    /// The corresponding .NET member is `Socket.Receive(byte[], SocketFlags)`.
    @discardableResult
    public func Receive(_ buffer: inout [UInt8], _ socketFlags: SocketFlags) throws -> int {
        try Receive(&buffer, 0, buffer.count, socketFlags)
    }

    /// The corresponding .NET member is `Socket.Receive(byte[], int, SocketFlags)`.
    @discardableResult
    public func Receive(_ buffer: inout [UInt8], _ size: some BinaryInteger, _ socketFlags: SocketFlags) throws -> int {
        try Receive(&buffer, 0, size, socketFlags)
    }

    /// The corresponding .NET member is `Socket.Receive(byte[], int, int, SocketFlags)`.
    @discardableResult
    public func Receive(_ buffer: inout [UInt8], _ offset: some BinaryInteger, _ size: some BinaryInteger, _ socketFlags: SocketFlags) throws -> int {
        let offset = try CSharpInteger.int(offset, "offset"), size = try CSharpInteger.int(size, "size")
        try throwIfDisposed()
        try throwIfWouldBlock()
        try Self.checkRange(buffer.count, offset, size)
        try Self.checkFlags(socketFlags)
        return try buffer.withUnsafeMutableBytes { bytes in
            let slice = UnsafeMutableRawBufferPointer(rebasing: bytes[offset..<(offset + size)])
            return CSharpInteger.result(try perform { () throws(WinsockError) in try core.receive(into: slice) })
        }
    }

    /// Bytes ready to read without blocking (decrypted bytes once the socket is secure).
    ///
    /// The corresponding .NET member is `Socket.Available`.
    public var Available: int {
        get throws { CSharpInteger.result(try perform { () throws(WinsockError) in try core.bytesAvailable() }) }
    }

    /// Waits up to `microSeconds` (negative: forever) for the socket to become readable or writable.
    /// Once the socket is secure, readable means decrypted data, end of stream or an error is waiting;
    /// TLS 1.3 session tickets and key updates alone never make it readable (see `WinsockSocket.poll`).
    ///
    /// The corresponding .NET member is `Socket.Poll(int, SelectMode)`.
    public func Poll(_ microSeconds: some BinaryInteger, _ mode: SelectMode) throws -> Bool {
        let microSeconds = try CSharpInteger.int(microSeconds, "microSeconds")
        if let listener = listening.withLock({ $0 }) {
            return try perform { () throws(WinsockError) in
                mode == .SelectRead ? try listener.hasPendingConnection(timeout: microSeconds < 0 ? nil : .microseconds(microSeconds)) : false
            }
        }
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
    public var ReceiveTimeout: int {
        get { Self.milliseconds(core.stream.receiveTimeout) }
        set { core.stream.receiveTimeout = Self.duration(Int(newValue)) }
    }

    /// Milliseconds one `Send` may block; 0 or -1 waits forever.
    ///
    /// The corresponding .NET member is `Socket.SendTimeout`.
    public var SendTimeout: int {
        get { Self.milliseconds(core.stream.sendTimeout) }
        set { core.stream.sendTimeout = Self.duration(Int(newValue)) }
    }

    static func duration(_ milliseconds: Int) -> Duration? {
        milliseconds > 0 ? .milliseconds(milliseconds) : nil
    }

    static func milliseconds(_ duration: Duration?) -> int {
        guard let duration else { return 0 }
        let (seconds, attoseconds) = duration.components
        return int(clamping: Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }

    /// Sets an option. `(SocketOptionLevel.Socket, SocketOptionName(SO_SECURE), SO_SEC_SSL)` makes the
    /// socket secure, as on Windows CE. The value may be any integer C# would pass as an `int` (a `ushort`
    /// constant included); one that does not fit an `int` throws `ArgumentOutOfRangeException`.
    ///
    /// The corresponding .NET member is `Socket.SetSocketOption(SocketOptionLevel, SocketOptionName, int)`.
    public func SetSocketOption(_ optionLevel: SocketOptionLevel, _ optionName: SocketOptionName, _ optionValue: some BinaryInteger) throws {
        let optionValue = try CSharpInteger.int32(optionValue, "optionValue")
        try throwIfDisposed()
        switch (optionLevel, optionName) {
        case (.Socket, SocketOptionName(rawValue: SO_SECURE)):
            if listening.withLock({ $0 != nil }) {
                throw SocketException(WinsockError(.operationNotSupported, "SO_SECURE on a socket bound with Bind: the SSL provider only connects"))
            }
            try perform { () throws(WinsockError) in try core.setSecurity(optionValue) }
        case (.Socket, .ReceiveTimeout):
            guard optionValue >= -1 else { throw ArgumentOutOfRangeException("optionValue", optionValue, "Timeouts must be -1 or more.") }
            ReceiveTimeout = optionValue
        case (.Socket, .SendTimeout):
            guard optionValue >= -1 else { throw ArgumentOutOfRangeException("optionValue", optionValue, "Timeouts must be -1 or more.") }
            SendTimeout = optionValue
        case (.Socket, .DontLinger):
            try SetSocketOption(.Socket, .Linger, optionValue != 0 ? -1 : 0)
        default:
            let option = try Self.coreOption(optionLevel, optionName)
            try perform { () throws(WinsockError) in try core.stream.setOption(option, optionValue) }
        }
    }

    /// The corresponding .NET member is `Socket.SetSocketOption(SocketOptionLevel, SocketOptionName, bool)`.
    public func SetSocketOption(_ optionLevel: SocketOptionLevel, _ optionName: SocketOptionName, _ optionValue: Bool) throws {
        try SetSocketOption(optionLevel, optionName, optionValue ? 1 : 0)
    }

    /// Sets an option from its Winsock bytes: 4 little-endian bytes for an integer option, the 4-byte Winsock
    /// `linger` structure (`u_short l_onoff`, `u_short l_linger`) for `Linger`. Other lengths throw
    /// `SocketException` 10014 (WSAEFAULT), as Winsock refuses a short buffer.
    ///
    /// The corresponding .NET member is `Socket.SetSocketOption(SocketOptionLevel, SocketOptionName, byte[])`.
    public func SetSocketOption(_ optionLevel: SocketOptionLevel, _ optionName: SocketOptionName, _ optionValue: [UInt8]?) throws {
        guard let optionValue, optionValue.count >= 4 else {
            throw SocketException(WinsockError(.badAddress, "option \(optionName.rawValue) needs 4 bytes, got \(optionValue?.count ?? 0)"))
        }
        if (optionLevel, optionName) == (.Socket, .Linger) {
            let onOff = UInt16(optionValue[0]) | UInt16(optionValue[1]) << 8
            let seconds = UInt16(optionValue[2]) | UInt16(optionValue[3]) << 8
            try SetSocketOption(optionLevel, optionName, LingerOption(onOff != 0, Int32(seconds)))
        } else {
            try SetSocketOption(optionLevel, optionName, try BitConverter.ToInt32(optionValue, 0))
        }
    }

    /// The corresponding .NET member is `Socket.SetSocketOption(SocketOptionLevel, SocketOptionName, object)` with a `LingerOption`.
    public func SetSocketOption(_ optionLevel: SocketOptionLevel, _ optionName: SocketOptionName, _ optionValue: LingerOption) throws {
        guard (optionLevel, optionName) == (.Socket, .Linger) else {
            throw ArgumentException("A LingerOption is the value of SocketOptionName.Linger only.", "optionValue")
        }
        guard optionValue.LingerTime >= 0, optionValue.LingerTime <= Int32(UInt16.max) else {
            throw ArgumentOutOfRangeException("optionValue.LingerTime", optionValue.LingerTime, "The linger time must be between 0 and 65535 seconds.")
        }
        try throwIfDisposed()
        let seconds: Int32 = optionValue.Enabled ? optionValue.LingerTime : -1
        try perform { () throws(WinsockError) in try core.stream.setOption(.lingerSeconds, seconds) }
    }

    /// Reads an option as an integer (`SO_SECURE` reads back `SO_SEC_SSL` or `SO_SEC_NONE`).
    ///
    /// The corresponding .NET member is `Socket.GetSocketOption(SocketOptionLevel, SocketOptionName)`.
    public func GetSocketOption(_ optionLevel: SocketOptionLevel, _ optionName: SocketOptionName) throws -> int {
        try throwIfDisposed()
        switch (optionLevel, optionName) {
        case (.Socket, SocketOptionName(rawValue: SO_SECURE)): return core.securityOption
        case (.Socket, .ReceiveTimeout): return ReceiveTimeout
        case (.Socket, .SendTimeout): return SendTimeout
        case (.Socket, .Type): return SocketType.rawValue
        case (.Socket, .Linger):
            let seconds = try perform { () throws(WinsockError) in try core.stream.option(.lingerSeconds) }
            return seconds < 0 ? 0 : 1
        default:
            let option = try Self.coreOption(optionLevel, optionName)
            return try perform { () throws(WinsockError) in try core.stream.option(option) }
        }
    }

    /// Writes the option's Winsock bytes into `optionValue` (4 bytes; `Linger` as the `linger` structure).
    ///
    /// The corresponding .NET member is `Socket.GetSocketOption(SocketOptionLevel, SocketOptionName, byte[])`;
    /// the array is `inout`.
    public func GetSocketOption(_ optionLevel: SocketOptionLevel, _ optionName: SocketOptionName, _ optionValue: inout [UInt8]) throws {
        let bytes = try optionBytes(optionLevel, optionName)
        guard optionValue.count >= bytes.count else {
            throw SocketException(WinsockError(.badAddress, "option \(optionName.rawValue) needs a buffer of \(bytes.count) bytes, got \(optionValue.count)"))
        }
        optionValue.replaceSubrange(0..<bytes.count, with: bytes)
    }

    /// The option's Winsock bytes, at most `optionLength` of them.
    ///
    /// The corresponding .NET member is `Socket.GetSocketOption(SocketOptionLevel, SocketOptionName, int)`.
    public func GetSocketOption(_ optionLevel: SocketOptionLevel, _ optionName: SocketOptionName, _ optionLength: some BinaryInteger) throws -> [UInt8] {
        let optionLength = try CSharpInteger.int(optionLength, "optionLength")
        let bytes = try optionBytes(optionLevel, optionName)
        guard optionLength >= bytes.count else {
            throw SocketException(WinsockError(.badAddress, "option \(optionName.rawValue) needs \(bytes.count) bytes, asked for \(optionLength)"))
        }
        return bytes
    }

    private func optionBytes(_ optionLevel: SocketOptionLevel, _ optionName: SocketOptionName) throws -> [UInt8] {
        if (optionLevel, optionName) == (.Socket, .Linger) {
            let linger = LingerState
            return BitConverter.GetBytes(UInt16(linger.Enabled ? 1 : 0)) + BitConverter.GetBytes(UInt16(clamping: linger.LingerTime))
        }
        return BitConverter.GetBytes(try GetSocketOption(optionLevel, optionName))
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

    /// Whether Nagle's algorithm is off. A closed socket reads `false`; setting it on a closed socket does
    /// nothing (Swift setters cannot throw; `SetSocketOption(.Tcp, .NoDelay, …)` throws).
    ///
    /// The corresponding .NET member is `Socket.NoDelay`.
    public var NoDelay: Bool {
        get { ((try? GetSocketOption(.Tcp, .NoDelay)) ?? 0) != 0 }
        set { try? SetSocketOption(.Tcp, .NoDelay, newValue) }
    }

    /// Whether `Close` waits for unsent data, and how long. A closed socket reads "off".
    ///
    /// The corresponding .NET member is `Socket.LingerState`.
    public var LingerState: LingerOption {
        get {
            let seconds = (try? perform { () throws(WinsockError) in try core.stream.option(.lingerSeconds) }) ?? -1
            return LingerOption(seconds >= 0, max(seconds, 0))
        }
        set { try? SetSocketOption(.Socket, .Linger, newValue) }
    }

    // MARK: IOControl

    /// Sends a control code to the socket: the Windows CE SSL codes (`SO_SSL_*`) and `FIONREAD`, with no
    /// output wanted (`null` in C#). Returns how many output bytes the code had.
    ///
    /// The corresponding .NET member is `Socket.IOControl(int, byte[], byte[])`.
    @discardableResult
    public func IOControl(_ ioControlCode: Int32, _ optionInValue: [UInt8]?, _ optionOutValue: NullArray) throws -> int {
        CSharpInteger.result(try ioControl(ioControlCode, optionInValue, outputCapacity: 0).count)
    }

    /// The same, writing the output to the start of `optionOutValue` as .NET writes into the array it was given.
    ///
    /// The corresponding .NET member is `Socket.IOControl(int, byte[], byte[])`.
    @discardableResult
    public func IOControl(_ ioControlCode: Int32, _ optionInValue: [UInt8]?, _ optionOutValue: inout [UInt8]) throws -> int {
        let output = try ioControl(ioControlCode, optionInValue, outputCapacity: optionOutValue.count)
        optionOutValue.replaceSubrange(0..<output.count, with: output)
        return CSharpInteger.result(output.count)
    }

    /// An output array passed without `&` would stay unchanged (Swift passes arrays by value), so it is refused.
    @available(*, unavailable, message: "IOControl writes into the output array: pass it with & (try s.IOControl(code, input, &outBuffer)), or nil for no output")
    public func IOControl(_ ioControlCode: Int32, _ optionInValue: [UInt8]?, _ optionOutValue: [UInt8]) throws -> int {
        fatalError("unavailable")
    }

    /// The same refusal for an optional array.
    @available(*, unavailable, message: "IOControl writes into the output array: declare it [UInt8] and pass it with &, or pass nil for no output")
    public func IOControl(_ ioControlCode: Int32, _ optionInValue: [UInt8]?, _ optionOutValue: [UInt8]?) throws -> int {
        fatalError("unavailable")
    }

    private func ioControl(_ code: Int32, _ input: [UInt8]?, outputCapacity: Int) throws -> [UInt8] {
        if code == SO_SSL_SET_VALIDATE_CERT_HOOK, let input, input.count == 8 {
            try throwIfReleasedHook(address: UInt32(input[0]) | UInt32(input[1]) << 8 | UInt32(input[2]) << 16 | UInt32(input[3]) << 24)
        }
        let output = try perform { () throws(WinsockError) in
            try core.ioControl(code, input: input, outputCapacity: outputCapacity)
        }
        if code == SO_SSL_SET_VALIDATE_CERT_HOOK, let input, input.count == 8 {
            takeCertificateHook(address: UInt32(input[0]) | UInt32(input[1]) << 8 | UInt32(input[2]) << 16 | UInt32(input[3]) << 24)
        }
        releaseHooksAfterHandshake()
        return output
    }

    // MARK: Hook lifetime

    /// A pointer from `GetFunctionPointerForDelegate` whose delegate has been released gets a message that
    /// says why, rather than the provider's "not a certificate hook".
    private func throwIfReleasedHook(address: UInt32) throws {
        guard address != 0, UnmanagedHeap.shared.function(at: address) == nil, DelegateRegistration.wasReleased(address) else { return }
        throw SocketException(WinsockError(.invalidArgument,
            "SO_SSL_SET_VALIDATE_CERT_HOOK: the delegate at \(UnmanagedHeap.hex(address)) was released when the sockets that took it " +
            "finished their handshakes; call Marshal.GetFunctionPointerForDelegate for each socket"))
    }

    /// The socket now uses the hook at `address` (0: none): it keeps the delegate alive, the registration stops.
    private func takeCertificateHook(address: UInt32) {
        let holder = (UnmanagedHeap.shared.function(at: address) as? CertificateHook)
            .flatMap { $0.delegate as? DelegateRegistration }?.holdForSocket()
        hookHolders.withLock { holders in
            holders = holder.map { [$0] } ?? []
        }
    }

    /// CE calls the hook once per handshake, so once the handshake is over (or failed) the socket lets go.
    func releaseHooksAfterHandshake() {
        switch core.phase {
        case .secure, .failed: releaseHooks()
        case .plain, .handshaking: break
        }
    }

    private func releaseHooks() {
        let released = hookHolders.withLock { holders in
            defer { holders = [] }
            return holders
        }
        _ = released  // released outside the lock: a holder's deinit takes the heap's lock
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
        guard first else { return }
        closeTracker.closed()
        core.close()
        listening.withLock { $0 }?.close()
        releaseHooks()
    }

    /// The corresponding .NET member is `Socket.Close(int)`; the timeout is not used (set `LingerState` to linger).
    public func Close(_ timeout: some BinaryInteger) { Close() }

    /// The corresponding .NET member is `Socket.Dispose()`.
    public func Dispose() { Close() }
}

/// The type of C#'s `null` where an output array is optional (`IOControl(code, input, null)`), so that an
/// array passed without `&` is a compile-time error instead of an output silently lost.
public struct NullArray: ExpressibleByNilLiteral, Sendable {
    public init(nilLiteral: ()) {}
}

/// Whether and how long a socket lingers on close.
///
/// The corresponding .NET type is `System.Net.Sockets.LingerOption`.
public final class LingerOption: @unchecked Sendable {
    // Mutable like .NET's, and not shared by the socket (it copies the values), hence unchecked.
    /// The corresponding .NET member is `LingerOption.Enabled`.
    public var Enabled: Bool
    /// Seconds. The corresponding .NET member is `LingerOption.LingerTime`.
    public var LingerTime: int

    /// The corresponding .NET member is `LingerOption(bool, int)`.
    public init(_ enable: Bool, _ seconds: some BinaryInteger) {
        Enabled = enable
        LingerTime = int(clamping: seconds)
    }
}
