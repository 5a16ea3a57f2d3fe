internal import Glibc
import Synchronization

/// A blocking TCP socket with timeouts, safe to use from two threads at once (one reading, one writing).
///
/// The descriptor is non-blocking underneath; blocking and timeouts are implemented with `poll`, so a
/// receive timeout bounds the whole call, and a thread blocked in `receive` can be woken by `close`.
/// Exactly one object owns each descriptor: it is closed once, when `close()` has been called and the
/// last operation using it has returned (or when the object is released).
public final class StreamSocket: Sendable {
    public let family: InternetAddress.Family

    private struct State {
        var descriptor: Int32
        var closeRequested = false
        var operationsInFlight = 0
        var receiveTimeout: Duration?
        var sendTimeout: Duration?
        var remoteEndpoint: SocketEndpoint?
        var isConnected = false
    }

    private let state: Locked<State>
    /// Set by a successful send and cleared by the next receive: the peer's answer is then a round trip
    /// away, so that receive waits in `poll` first instead of trying a `recv` that finds nothing (strace
    /// of an SMTP session: one `recvfrom` failing with `EAGAIN` per reply). Only a hint: when the bytes
    /// are already there, `poll` returns at once. (A receive right after `connect` still looks first: a
    /// failure already queued, such as a reset, is then reported by that `recv`.)
    private let replyAwaited = Atomic<Bool>(false)

    /// Creates an unconnected TCP socket. Maps to `socket(AF_INET or AF_INET6, SOCK_STREAM, IPPROTO_TCP)`.
    public convenience init(family: InternetAddress.Family) throws(WinsockError) {
        let descriptor = try SystemCall.check(SystemCall.socket(family: family), "socket")
        self.init(adopting: descriptor, family: family, connectedTo: nil)
    }

    /// Takes ownership of a non-blocking descriptor.
    init(adopting descriptor: Int32, family: InternetAddress.Family, connectedTo remote: SocketEndpoint?) {
        self.family = family
        var initial = State(descriptor: descriptor)
        initial.remoteEndpoint = remote
        initial.isConnected = remote != nil
        self.state = Locked(initial)
    }

    deinit {
        // .NET closes an unreferenced socket from its finalizer, and ported code relies on that, so an
        // open socket at this point is closed rather than reported.
        let descriptor = state.withLock { $0.closeRequested ? -1 : $0.descriptor }
        if descriptor >= 0 { SystemCall.close(descriptor) }
    }

    // MARK: Descriptor ownership

    /// Runs `body` with the descriptor, keeping it open until `body` returns even if another thread closes the socket.
    func withDescriptor<Result>(_ body: (Int32) throws(WinsockError) -> Result) throws(WinsockError) -> Result {
        let descriptor = try state.withLock { (state: inout State) throws(WinsockError) -> Int32 in
            guard !state.closeRequested else { throw Self.closedError }
            state.operationsInFlight += 1
            return state.descriptor
        }
        defer { finishOperation() }
        return try body(descriptor)
    }

    private func finishOperation() {
        let descriptorToClose = state.withLock { (state: inout State) -> Int32? in
            state.operationsInFlight -= 1
            return state.closeRequested && state.operationsInFlight == 0 ? state.descriptor : nil
        }
        if let descriptorToClose { SystemCall.close(descriptorToClose) }
    }

    static let closedError = WinsockError(.notSocket, "the socket has been closed")

    /// True once `close()` has been called.
    public var isClosed: Bool { state.withLock { $0.closeRequested } }

    /// Closes the socket. Threads blocked on it wake up and fail; calling `close` again does nothing.
    ///
    /// Maps to `shutdown` (to wake blocked threads) and `close`.
    public func close() {
        let descriptorToClose = state.withLock { (state: inout State) -> Int32? in
            guard !state.closeRequested else { return nil }
            state.closeRequested = true
            state.isConnected = false
            if state.operationsInFlight == 0 { return state.descriptor }
            _ = SystemCall.shutdown(state.descriptor, Int32(SHUT_RDWR))
            return nil
        }
        if let descriptorToClose { SystemCall.close(descriptorToClose) }
    }

    // MARK: Timeouts and state

    /// How long one `receive` may block; nil waits forever.
    public var receiveTimeout: Duration? {
        get { state.withLock { $0.receiveTimeout } }
        set { state.withLock { $0.receiveTimeout = newValue } }
    }

    /// How long one `send` may block; nil waits forever.
    public var sendTimeout: Duration? {
        get { state.withLock { $0.sendTimeout } }
        set { state.withLock { $0.sendTimeout = newValue } }
    }

    public var isConnected: Bool { state.withLock { $0.isConnected } }

    /// The endpoint the program connected to (before any `EndpointRedirects` entry was applied).
    public var remoteEndpoint: SocketEndpoint? { state.withLock { $0.remoteEndpoint } }

    /// The local address and port. Maps to `getsockname`.
    public var localEndpoint: SocketEndpoint? {
        try? withDescriptor { descriptor throws(WinsockError) in
            try SystemCall.check(SystemCall.localEndpoint(descriptor), "getsockname")
        } ?? nil
    }

    static func deadline(after timeout: Duration?) -> ContinuousClock.Instant? {
        timeout.map { ContinuousClock.now.advanced(by: $0) }
    }

    // MARK: Connecting

    /// Connects to `endpoint`, waiting at most `timeout` (nil: until the system gives up).
    ///
    /// An `EndpointRedirects.shared` entry for `endpoint` is honoured. Maps to `connect` and `poll`.
    public func connect(to endpoint: SocketEndpoint, timeout: Duration? = nil) throws(WinsockError) {
        let destination = EndpointRedirects.shared.destination(for: endpoint)
        guard destination.address.family == family else {
            throw WinsockError(.addressFamilyNotSupported,
                               "cannot connect an \(family == .ipv4 ? "IPv4" : "IPv6") socket to \(endpoint)")
        }
        let deadline = Self.deadline(after: timeout)
        try withDescriptor { descriptor throws(WinsockError) in
            if state.withLock({ $0.isConnected }) {
                throw WinsockError(.isConnected, "the socket is already connected")
            }
            var outcome = SystemCall.connect(descriptor, to: destination)
            if case .failure(let error) = outcome, error == EINPROGRESS {
                // A non-blocking connect always reports EINPROGRESS, but on loopback (and whenever the
                // answer is already queued) the kernel has completed it before returning. Asking again
                // says so in one call (EISCONN, or the connection's error), where `poll` and
                // `getsockopt(SO_ERROR)` take two; EALREADY means it is still under way.
                outcome = SystemCall.connect(descriptor, to: destination)
            }
            switch outcome {
            case .success:
                break
            case .failure(let error) where error == EINPROGRESS || error == EALREADY:
                try wait(descriptor, for: Int16(POLLOUT), until: deadline, doing: "connect to \(endpoint)")
                let pending = try SystemCall.check(SystemCall.pendingError(descriptor), "getsockopt(SO_ERROR)")
                if pending != 0 {
                    throw WinsockError(WinsockError.Code(errno: pending),
                                       "connect to \(endpoint) failed: \(String(cString: strerror(pending)))")
                }
            case .failure(let error) where error == EISCONN:
                break
            case .failure(let error):
                throw WinsockError(WinsockError.Code(errno: error),
                                   "connect to \(endpoint) failed: \(String(cString: strerror(error)))")
            }
            state.withLock {
                $0.isConnected = true
                $0.remoteEndpoint = endpoint
            }
        }
    }

    // MARK: Waiting

    /// Blocks until `events` are ready on `descriptor` or `deadline` passes. Maps to `poll`.
    /// `operation` names the call in a timeout's message; it is only formatted for one.
    func wait(_ descriptor: Int32, for events: Int16, until deadline: ContinuousClock.Instant?,
              doing operation: @autoclosure () -> String) throws(WinsockError) {
        var expired = false
        while true {
            var milliseconds: Int32 = -1
            if let deadline {
                let remaining = deadline - ContinuousClock.now
                if expired {
                    throw WinsockError(.timedOut, "\(operation()) timed out")
                }
                // A deadline already passed (a zero timeout: `Poll(0, …)`) still looks once, without waiting.
                expired = remaining <= .zero
                let (seconds, attoseconds) = max(remaining, .zero).components
                let total = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
                milliseconds = Int32(clamping: total)
            }
            let ready = try SystemCall.check(SystemCall.poll(descriptor, for: events, milliseconds: milliseconds), "poll")
            if isClosed { throw Self.closedError }
            if ready != 0 { return }
        }
    }

    /// Waits until the socket is readable (or writable) for at most `timeout`; true when it is.
    /// Maps to `poll`; the corresponding .NET member is `Socket.Poll`.
    public func poll(readable: Bool, timeout: Duration?) throws(WinsockError) -> Bool {
        try withDescriptor { descriptor throws(WinsockError) in
            do throws(WinsockError) {
                try wait(descriptor, for: Int16(readable ? POLLIN : POLLOUT), until: Self.deadline(after: timeout), doing: "poll")
                return true
            } catch {
                if error.code == .timedOut { return false }
                throw error
            }
        }
    }

    // MARK: Reading and writing

    /// Receives up to `buffer.count` bytes, blocking until at least one arrives; 0 means the peer closed.
    ///
    /// Bounded by `receiveTimeout` unless a `deadline` is given. Maps to `recv`.
    public func receive(into buffer: UnsafeMutableRawBufferPointer, deadline: ContinuousClock.Instant? = nil) throws(WinsockError) -> Int {
        let deadline = deadline ?? Self.deadline(after: receiveTimeout)
        return try withDescriptor { descriptor throws(WinsockError) in
            if replyAwaited.exchange(false, ordering: .relaxed), buffer.count > 0 {
                try wait(descriptor, for: Int16(POLLIN), until: deadline, doing: "receive")
            }
            return try receive(descriptor, into: buffer, peek: false, deadline: deadline)
        }
    }

    /// Reads without consuming, like `receive`. Maps to `recv` with `MSG_PEEK`.
    public func peek(into buffer: UnsafeMutableRawBufferPointer, deadline: ContinuousClock.Instant?) throws(WinsockError) -> Int {
        try withDescriptor { descriptor throws(WinsockError) in
            try receive(descriptor, into: buffer, peek: true, deadline: deadline)
        }
    }

    /// Up to `maximum` bytes that are waiting, without consuming them.
    public func peekBytes(upTo maximum: Int, deadline: ContinuousClock.Instant?) throws(WinsockError) -> [UInt8] {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(maximum, 1), alignment: 1)
        defer { buffer.deallocate() }
        let count = try peek(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<maximum]), deadline: deadline)
        return Array(buffer[0..<count])
    }

    private func receive(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, peek: Bool, deadline: ContinuousClock.Instant?) throws(WinsockError) -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            switch SystemCall.receive(descriptor, into: buffer, peek: peek) {
            case .success(let count):
                return count
            case .failure(let error) where error == EAGAIN || error == EWOULDBLOCK:
                try wait(descriptor, for: Int16(POLLIN), until: deadline, doing: "receive")
            case .failure(let error):
                if isClosed { throw Self.closedError }
                throw WinsockError.lastSystemError("recv", errno: error)
            }
        }
    }

    /// Sends as many bytes as the kernel takes without blocking, blocking only when it takes none; returns the count.
    ///
    /// Bounded by `sendTimeout`. Maps to `send` with `MSG_NOSIGNAL`.
    public func sendSome(_ bytes: UnsafeRawBufferPointer, deadline: ContinuousClock.Instant? = nil) throws(WinsockError) -> Int {
        let deadline = deadline ?? Self.deadline(after: sendTimeout)
        return try withDescriptor { descriptor throws(WinsockError) in
            try sendSome(descriptor, bytes, deadline: deadline)
        }
    }

    /// Sends every byte, blocking as needed. Bounded, as a whole, by `sendTimeout`.
    public func sendAll(_ bytes: UnsafeRawBufferPointer, deadline: ContinuousClock.Instant? = nil) throws(WinsockError) {
        let deadline = deadline ?? Self.deadline(after: sendTimeout)
        try withDescriptor { descriptor throws(WinsockError) in
            var offset = 0
            while offset < bytes.count {
                offset += try sendSome(descriptor, UnsafeRawBufferPointer(rebasing: bytes[offset...]), deadline: deadline)
            }
        }
    }

    private func sendSome(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, deadline: ContinuousClock.Instant?) throws(WinsockError) -> Int {
        guard bytes.count > 0 else { return 0 }
        while true {
            switch SystemCall.send(descriptor, bytes) {
            case .success(let count):
                replyAwaited.store(true, ordering: .relaxed)
                return count
            case .failure(let error) where error == EAGAIN || error == EWOULDBLOCK:
                try wait(descriptor, for: Int16(POLLOUT), until: deadline, doing: "send")
            case .failure(let error):
                if isClosed { throw Self.closedError }
                throw WinsockError.lastSystemError("send", errno: error)
            }
        }
    }

    /// Bytes received and not yet read, as the kernel counts them. Maps to `ioctl(FIONREAD)`.
    public func bytesAvailable() throws(WinsockError) -> Int {
        try withDescriptor { descriptor throws(WinsockError) in
            try SystemCall.check(SystemCall.bytesReadable(descriptor), "ioctl(FIONREAD)")
        }
    }

    public enum ShutdownDirection: Sendable {
        case receive, send, both
    }

    /// Stops receiving, sending or both. Maps to `shutdown`.
    public func shutdown(_ direction: ShutdownDirection) throws(WinsockError) {
        try withDescriptor { descriptor throws(WinsockError) in
            let how: Int32 = switch direction {
            case .receive: Int32(SHUT_RD)
            case .send: Int32(SHUT_WR)
            case .both: Int32(SHUT_RDWR)
            }
            _ = try SystemCall.check(SystemCall.shutdown(descriptor, how), "shutdown")
        }
    }

    /// Aborts the connection with a TCP reset instead of an orderly close (`SO_LINGER` of zero, then `close`).
    public func abort() {
        try? withDescriptor { descriptor throws(WinsockError) in
            // A failure here still closes the socket below, only without the reset.
            _ = SystemCall.setOption(descriptor, Glibc.SOL_SOCKET, SO_LINGER, Glibc.linger(l_onoff: 1, l_linger: 0))
        }
        close()
    }

    // MARK: Options

    /// Socket options that pass through to the kernel.
    public enum Option: Sendable, Hashable {
        case reuseAddress
        case keepAlive
        case noDelay
        case receiveBufferSize
        case sendBufferSize
        case lingerSeconds
    }

    // `Glibc.` is spelled out: this module also exports Windows CE's SOL_SOCKET (0xffff), which would win otherwise.
    private static func cName(_ option: Option) -> (Int32, Int32) {
        switch option {
        case .reuseAddress: (Glibc.SOL_SOCKET, SO_REUSEADDR)
        case .keepAlive: (Glibc.SOL_SOCKET, SO_KEEPALIVE)
        case .noDelay: (Int32(IPPROTO_TCP), TCP_NODELAY)
        case .receiveBufferSize: (Glibc.SOL_SOCKET, SO_RCVBUF)
        case .sendBufferSize: (Glibc.SOL_SOCKET, SO_SNDBUF)
        case .lingerSeconds: (Glibc.SOL_SOCKET, SO_LINGER)
        }
    }

    /// Sets an integer option. For `lingerSeconds`, a negative value turns lingering off. Maps to `setsockopt`.
    public func setOption(_ option: Option, _ value: Int32) throws(WinsockError) {
        let (level, name) = Self.cName(option)
        try withDescriptor { descriptor throws(WinsockError) in
            if option == .lingerSeconds {
                let linger = Glibc.linger(l_onoff: value >= 0 ? 1 : 0, l_linger: max(value, 0))
                _ = try SystemCall.check(SystemCall.setOption(descriptor, level, name, linger), "setsockopt(SO_LINGER)")
            } else {
                _ = try SystemCall.check(SystemCall.setOption(descriptor, level, name, value), "setsockopt")
            }
        }
    }

    /// Reads an integer option. For `lingerSeconds`, -1 means lingering is off. Maps to `getsockopt`.
    public func option(_ option: Option) throws(WinsockError) -> Int32 {
        let (level, name) = Self.cName(option)
        return try withDescriptor { descriptor throws(WinsockError) in
            if option == .lingerSeconds {
                let linger = try SystemCall.check(SystemCall.option(descriptor, level, name, as: Glibc.linger()), "getsockopt(SO_LINGER)")
                return linger.l_onoff == 0 ? -1 : linger.l_linger
            }
            return try SystemCall.check(SystemCall.option(descriptor, level, name, as: Int32(0)), "getsockopt")
        }
    }
}
