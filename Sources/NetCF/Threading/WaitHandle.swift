/// Something a thread can wait for: the base of `ManualResetEvent` and `AutoResetEvent`, and what
/// `IAsyncResult.AsyncWaitHandle` returns.
///
/// After `Close` every wait throws `ObjectDisposedException`.
///
/// The corresponding .NET type is `System.Threading.WaitHandle`.
public class WaitHandle: IDisposable, @unchecked Sendable {
    // `@unchecked Sendable`: the subclasses keep their state behind `condition`.
    let condition = ConditionLock()
    var closed = false

    init() {}

    /// Returns `true` once the handle is signalled; consumes the signal where the handle's kind says so.
    /// Called with `condition` held.
    func consumeSignal() -> Bool {
        preconditionFailure("WaitHandle subclasses override consumeSignal")
    }

    /// Whether the handle is signalled, without consuming the signal. Called with `condition` held.
    func isSignalled() -> Bool {
        preconditionFailure("WaitHandle subclasses override isSignalled")
    }

    /// The corresponding .NET member is `WaitHandle.WaitTimeout`.
    public static let WaitTimeout: Int32 = 258

    /// Blocks until the handle is signalled.
    ///
    /// The corresponding .NET member is `WaitHandle.WaitOne()`.
    @discardableResult
    public func WaitOne() throws -> Bool {
        try WaitOne(Timeout.Infinite)
    }

    /// Blocks until the handle is signalled (true) or `millisecondsTimeout` ms have passed (false);
    /// `Timeout.Infinite` waits without a limit.
    ///
    /// The corresponding .NET member is `WaitHandle.WaitOne(int)`.
    @discardableResult
    public func WaitOne(_ millisecondsTimeout: some BinaryInteger) throws -> Bool {
        let millisecondsTimeout = try ConditionLock.timeout(millisecondsTimeout)
        let deadline = ConditionLock.Deadline.after(milliseconds: millisecondsTimeout)
        return try condition.withLock {
            while true {
                if closed { throw ObjectDisposedException(nil, "Safe handle has been closed.") }
                if consumeSignal() { return true }
                if !condition.wait(until: deadline) {
                    if closed { throw ObjectDisposedException(nil, "Safe handle has been closed.") }
                    return consumeSignal()
                }
            }
        }
    }

    /// The Compact Framework's overload; `exitContext` has no meaning outside .NET remoting and is ignored.
    ///
    /// The corresponding .NET member is `WaitHandle.WaitOne(int, bool)`.
    @discardableResult
    public func WaitOne(_ millisecondsTimeout: some BinaryInteger, _ exitContext: Bool) throws -> Bool {
        try WaitOne(millisecondsTimeout)
    }

    /// Releases the handle; threads waiting on it get `ObjectDisposedException`.
    ///
    /// The corresponding .NET member is `WaitHandle.Close()`.
    public func Close() {
        condition.withLock {
            closed = true
            condition.broadcast()
        }
        MultipleWait.handleChanged()
    }

    /// The corresponding .NET member is `WaitHandle.Dispose()`.
    public func Dispose() { Close() }
}

/// Whether a signalled `EventWaitHandle` lets one waiter through and resets itself, or stays signalled.
///
/// The corresponding .NET type is `System.Threading.EventResetMode`.
public enum EventResetMode: Int32, Sendable {
    case AutoReset = 0
    case ManualReset = 1
}

/// An event a thread sets and other threads wait for: `ManualResetEvent` and `AutoResetEvent` are its two kinds.
///
/// The corresponding .NET type is `System.Threading.EventWaitHandle`.
public class EventWaitHandle: WaitHandle, @unchecked Sendable {
    private var signalled: Bool
    private let mode: EventResetMode

    /// The corresponding .NET member is `EventWaitHandle(bool, EventResetMode)`.
    public init(_ initialState: Bool, _ mode: EventResetMode) {
        self.signalled = initialState
        self.mode = mode
    }

    override func consumeSignal() -> Bool {
        guard signalled else { return false }
        if mode == .AutoReset { signalled = false }
        return true
    }

    override func isSignalled() -> Bool { signalled }

    /// Signals the event: a manual-reset event releases every waiter and stays signalled; an auto-reset event
    /// releases one waiter (or the next to come) and resets.
    ///
    /// The corresponding .NET member is `EventWaitHandle.Set()`.
    @discardableResult
    public func Set() throws -> Bool {
        try condition.withLock {
            if closed { throw ObjectDisposedException(nil, "Safe handle has been closed.") }
            signalled = true
            condition.broadcast()
        }
        MultipleWait.handleChanged()
        return true
    }

    /// Unsignals the event, so that waiters block.
    ///
    /// The corresponding .NET member is `EventWaitHandle.Reset()`.
    @discardableResult
    public func Reset() throws -> Bool {
        try condition.withLock {
            if closed { throw ObjectDisposedException(nil, "Safe handle has been closed.") }
            signalled = false
            return true
        }
    }
}
