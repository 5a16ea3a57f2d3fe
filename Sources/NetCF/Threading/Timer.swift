/// The method a `Timer` calls, with the `state` given to the timer. As for every delegate, C#'s
/// `new TimerCallback(this.PingTimerProc)` ports as `self.PingTimerProc` (or `weak(self, Class.PingTimerProc)`
/// when the object keeps the timer in a field: see `Timer`).
///
/// The corresponding .NET type is `System.Threading.TimerCallback`.
public typealias TimerCallback = (_ state: object?) throws -> Void

/// Calls a method after a delay and then, optionally, periodically, on a background thread.
///
/// ```swift
/// // m_pingTimer = new Timer(PingTimerProc, null, PingPeriod, PingPeriod);
/// m_pingTimer = try Timer(weak(self, MQTTClient.PingTimerProc), nil, PingPeriod, PingPeriod)
/// // m_reconnectTimer.Change(Timeout.Infinite, Timeout.Infinite); m_pingTimer.Dispose();
/// try m_reconnectTimer.Change(Timeout.Infinite, Timeout.Infinite); m_pingTimer.Dispose()
/// ```
///
/// `dueTime` is the delay before the first call in milliseconds (0: at once; `Timeout.Infinite`: not started
/// until `Change`); `period` the interval between later calls (0 or `Timeout.Infinite`: called once). A value
/// below -1 throws `ArgumentOutOfRangeException` naming the parameter, as in .NET.
///
/// Each timer has one background thread of its own (named "NetCF timer"), which calls the callback; calls
/// of one timer never overlap (.NET may run a slow callback again on another pool thread while it is still
/// running), and the next period is counted from the start of the previous call. An exception the callback
/// does not catch is written to standard error and the timer goes on (.NET would end the process), as for
/// `Thread`.
///
/// **Lifetime.** After `Dispose` returns no call starts (a call already running finishes), and the timer lets
/// go of the callback. A timer nobody references any more stops, as .NET's collector stops an unreferenced
/// timer. An object that keeps its timer in a field and passes its own method forms a reference cycle, which
/// .NET frees and reference counting does not: pass `weak(self, Class.Method)` (or `Dispose` the timer when the
/// object is done, as well-behaved C# does), so that the object can go.
///
/// A file that also imports Foundation names it `NetCF.Timer` (Foundation has a `Timer` of its own).
///
/// The corresponding .NET type is `System.Threading.Timer`.
public final class Timer: IDisposable {
    /// What the timer thread shares with the `Timer`; the thread holds only this, so dropping the `Timer`
    /// disposes it. Unchecked `Sendable`: every field is guarded by `state`, the callback is called on the
    /// timer thread as .NET calls delegates on a pool thread.
    private final class Schedule: @unchecked Sendable {
        let state = ConditionLock()
        var callback: TimerCallback?
        let argument: object?
        /// When the next call is due; nil while the timer is stopped.
        var next: ConditionLock.Deadline?
        var period: Int32 = Timeout.Infinite
        var disposed = false

        init(_ callback: @escaping TimerCallback, _ argument: object?) {
            self.callback = callback
            self.argument = argument
        }

        /// The timer thread: waits for the next due time, calls, repeats, until disposed.
        func run() {
            state.lock()
            while !disposed {
                guard let due = next else {
                    _ = state.wait(until: nil)
                    continue
                }
                if !due.hasPassed {
                    _ = state.wait(until: due)
                    continue
                }
                next = period == Timeout.Infinite || period == 0 ? nil : .after(milliseconds: period)
                var method = callback
                state.unlock()
                if let call = method {
                    do {
                        try call(argument)
                    } catch {
                        ThreadRegistry.report("Unhandled exception in a Timer callback: \(error)")
                    }
                }
                // Let go of the callback before taking the lock: when it held the last reference to its
                // object, that object's deinit may release (and so dispose) this timer.
                method = nil
                state.lock()
            }
            state.unlock()
        }
    }

    private let schedule: Schedule

    /// Starts the timer; see the type for `dueTime` and `period`. Throws `ArgumentOutOfRangeException` for a
    /// value below -1 or above `int.MaxValue` (.NET's `long` and `uint` forms accept up to 4294967294 ms, about
    /// 50 days; a `uint` of 0xFFFFFFFF, their infinite, is refused here: write `Timeout.Infinite`).
    ///
    /// The corresponding .NET members are `Timer(TimerCallback, object, int, int)` and its `long`/`uint` forms.
    public init(_ callback: @escaping TimerCallback, _ state: object?, _ dueTime: some BinaryInteger, _ period: some BinaryInteger) throws {
        let dueTime = try ConditionLock.timeout(dueTime, "dueTime")
        let period = try ConditionLock.timeout(period, "period")
        schedule = Schedule(callback, state)
        schedule.period = period
        schedule.next = ConditionLock.Deadline.after(milliseconds: dueTime)
        let schedule = self.schedule
        try startNativeThread(named: "NetCF timer") { schedule.run() }
    }

    /// Changes when the next call happens and the period, counted from now; `Change(Timeout.Infinite, …)`
    /// stops the timer until the next `Change`. Returns true. Throws `ArgumentOutOfRangeException` for a value
    /// below -1, `ObjectDisposedException` after `Dispose`.
    ///
    /// The corresponding .NET member is `Timer.Change(int, int)`.
    @discardableResult
    public func Change(_ dueTime: some BinaryInteger, _ period: some BinaryInteger) throws -> Bool {
        let dueTime = try ConditionLock.timeout(dueTime, "dueTime")
        let period = try ConditionLock.timeout(period, "period")
        try schedule.state.withLock {
            guard !schedule.disposed else { throw ObjectDisposedException(nil, "Cannot access a disposed object.") }
            schedule.period = period
            schedule.next = ConditionLock.Deadline.after(milliseconds: dueTime)
            schedule.state.broadcast()
        }
        return true
    }

    /// Stops the timer and ends its thread; no call starts after it returns. Safe to call twice.
    ///
    /// The corresponding .NET member is `Timer.Dispose()`.
    public func Dispose() {
        let callback = schedule.state.withLock {
            schedule.disposed = true
            schedule.next = nil
            schedule.state.broadcast()
            defer { schedule.callback = nil }
            return schedule.callback
        }
        // Released outside the lock: the callback's object may hold this timer, and its deinit may dispose it.
        _ = callback
    }

    deinit {
        Dispose()
    }
}
