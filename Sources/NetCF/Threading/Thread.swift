internal import Glibc

/// The method a `Thread` runs. As for every delegate, C#'s `new ThreadStart(this.ReceiveLoop)` ports as
/// `self.ReceiveLoop`.
///
/// The method may throw (a ported receive loop calls `Receive`, which throws): see `Thread` for what
/// happens to an exception nobody catches. The method need not be `Sendable`, and its class needs no
/// annotation: as in .NET, the program keeps the objects it shares between threads consistent (with
/// `lock`, `Monitor`, `Interlocked` or the events).
///
/// The corresponding .NET type is `System.Threading.ThreadStart`.
public typealias ThreadStart = () throws -> Void

/// An operating-system thread running a `ThreadStart`.
///
/// ```swift
/// // Thread t = new Thread(new ThreadStart(this.ReceiveLoop));
/// let t = Thread(self.ReceiveLoop)
/// // t.IsBackground = true; t.Start();
/// t.IsBackground = true; try t.Start()
/// ```
///
/// As in .NET, a foreground thread (the default) keeps the process alive: when the program's main code
/// returns (or calls `exit`), the process first waits for every foreground thread that is still running.
/// Background threads are ended with the process.
///
/// An exception the method does not catch ends the thread and is written to standard error with the
/// thread's name. .NET would end the whole process there; this package does not crash a program for it
/// (a written project decision, see MIGRATION.md "Threads and asynchronous calls").
///
/// `Thread.Abort` cannot be ported (no thread can be stopped at an arbitrary point in Swift): close the
/// socket the thread is blocked on, which makes its `Receive` throw, and let the loop end (MIGRATION.md).
///
/// The corresponding .NET type is `System.Threading.Thread`.
public final class Thread: @unchecked Sendable {
    // `@unchecked Sendable`: the method is only called by the thread `Start` creates (the .NET way: a delegate
    // runs on whichever thread calls it); every other stored property is a constant or guarded by `state`.
    /// The method, until `Start` hands it to the new thread. Not kept afterwards: a program's object that holds
    /// its `Thread` (`reader = new Thread(ReceiveLoop)`) would otherwise form a reference cycle with it, which
    /// .NET's garbage collector breaks and Swift's reference counting does not; so the cycle ends with the thread.
    private var start: ThreadStart?
    /// A thread this package did not start (the main thread, a thread of Swift's concurrency pool).
    private let adopted: Bool
    private let state = ConditionLock()
    private var phase: Phase
    private var name: String?
    private var isBackground = false
    private var priority = ThreadPriority.Normal
    /// How many `Sleep`/`Join` calls of this thread are waiting (for `ThreadState.WaitSleepJoin`).
    private var waits = 0

    private enum Phase { case unstarted, running, stopped }

    /// The corresponding .NET member is `Thread.ManagedThreadId`. The first thread that asks is given 1
    /// when it is the process's main thread, as in .NET.
    public let ManagedThreadId: Int32

    /// The corresponding .NET member is `Thread(ThreadStart)`.
    public init(_ start: @escaping ThreadStart) {
        self.start = start
        self.adopted = false
        self.phase = .unstarted
        self.ManagedThreadId = ThreadRegistry.nextIdentifier()
    }

    /// A thread this package did not start (the main thread, or one from elsewhere), as `CurrentThread` sees it.
    private init(adopting identifier: Int32) {
        self.start = nil
        self.adopted = true
        self.phase = .running
        self.ManagedThreadId = identifier
        self.isBackground = identifier != 1
    }

    // MARK: Starting and waiting

    /// Starts the thread. Throws `ThreadStateException` when it was started before.
    ///
    /// The corresponding .NET member is `Thread.Start()`.
    public func Start() throws {
        let (method, threadName) = try state.withLock { () throws -> (ThreadStart, String?) in
            guard phase == .unstarted, let method = start else {
                throw ThreadStateException("Thread is running or terminated; it cannot restart.")
            }
            start = nil
            phase = .running
            if !isBackground { ThreadRegistry.addForeground(self) }
            return (method, name)
        }
        do {
            try startNativeThread(named: threadName ?? "NetCF thread") { self.run(method) }
        } catch {
            finish()
            throw error
        }
    }

    private func run(_ method: ThreadStart) {
        ThreadRegistry.setCurrent(self)
        do {
            try method()
        } catch {
            let label = state.withLock { name }.map { "'\($0)'" } ?? "\(ManagedThreadId)"
            ThreadRegistry.report("Unhandled exception in thread \(label): \(error)")
        }
        finish()
    }

    private func finish() {
        state.withLock {
            phase = .stopped
            state.broadcast()
        }
        ThreadRegistry.removeForeground(self)
    }

    /// Blocks until the thread has ended. Throws `ThreadStateException` for a thread not started, or when a
    /// thread joins itself (which would wait forever).
    ///
    /// The corresponding .NET member is `Thread.Join()`.
    public func Join() throws {
        _ = try Join(Timeout.Infinite)
    }

    /// Blocks until the thread has ended or `millisecondsTimeout` ms have passed (`Timeout.Infinite`: no
    /// limit); true when it ended.
    ///
    /// The corresponding .NET member is `Thread.Join(int)`.
    @discardableResult
    public func Join(_ millisecondsTimeout: some BinaryInteger) throws -> Bool {
        let millisecondsTimeout = try ConditionLock.timeout(millisecondsTimeout)
        if ThreadRegistry.current() === self {
            throw ThreadStateException("A thread cannot join itself: it would wait forever.")
        }
        let deadline = ConditionLock.Deadline.after(milliseconds: millisecondsTimeout)
        let caller = ThreadRegistry.current()
        caller?.markWaiting(1)
        defer { caller?.markWaiting(-1) }
        return try state.withLock {
            if phase == .unstarted { throw ThreadStateException("Thread has not been started.") }
            while phase != .stopped {
                if !state.wait(until: deadline), phase != .stopped { return false }
            }
            return true
        }
    }

    /// Suspends the calling thread for `millisecondsTimeout` ms (`Timeout.Infinite`: forever; 0 yields).
    ///
    /// The corresponding .NET member is `Thread.Sleep(int)`.
    public static func Sleep(_ millisecondsTimeout: some BinaryInteger) throws {
        let millisecondsTimeout = try ConditionLock.timeout(millisecondsTimeout)
        if millisecondsTimeout == 0 {
            sched_yield()
            return
        }
        // Sleeping is waiting on a condition nobody signals.
        let caller = ThreadRegistry.current()
        caller?.markWaiting(1)
        defer { caller?.markWaiting(-1) }
        let sleeper = ConditionLock()
        let deadline = ConditionLock.Deadline.after(milliseconds: millisecondsTimeout)
        sleeper.withLock {
            while true {
                if !sleeper.wait(until: deadline) { return }
                if let deadline, deadline.hasPassed { return }
            }
        }
    }

    // MARK: Properties

    /// The thread running the caller.
    ///
    /// The corresponding .NET member is `Thread.CurrentThread`.
    public static var CurrentThread: Thread {
        if let thread = ThreadRegistry.current() { return thread }
        let thread = Thread(adopting: ThreadRegistry.isMainThread ? 1 : ThreadRegistry.nextIdentifier())
        ThreadRegistry.setCurrent(thread)
        return thread
    }

    private func markWaiting(_ delta: Int) {
        state.withLock { waits += delta }
    }

    /// The thread's state as far as this package can tell: `Unstarted` before `Start`, `Running` (0) while it
    /// runs, `WaitSleepJoin` added while it is in `Thread.Sleep` or `Join` (not while it blocks in a socket
    /// call, a `WaitHandle` or `Monitor.Wait`), `Stopped` once its method has returned; `Background` is added
    /// for a background thread, as in .NET (`Unstarted | Background` before `Start`). A thread not started
    /// by NetCF (the main thread, as `Thread.CurrentThread`) is `Running`.
    ///
    /// The corresponding .NET member is `Thread.ThreadState`.
    public var ThreadState: ThreadState {
        state.withLock {
            var result: NetCF.ThreadState
            switch phase {
            case .unstarted: result = .Unstarted
            case .running: result = waits > 0 ? .WaitSleepJoin : .Running
            case .stopped: result = .Stopped
            }
            if isBackground { result = result | .Background }
            return result
        }
    }

    /// True from `Start` until the method has returned.
    ///
    /// The corresponding .NET member is `Thread.IsAlive`.
    public var IsAlive: Bool { state.withLock { phase == .running } }

    /// A background thread does not keep the process alive; see the type's description.
    ///
    /// The corresponding .NET member is `Thread.IsBackground`.
    public var IsBackground: Bool {
        get { state.withLock { isBackground } }
        set {
            let running = state.withLock {
                isBackground = newValue
                return phase == .running && !adopted
            }
            guard running else { return }
            if newValue { ThreadRegistry.removeForeground(self) } else { ThreadRegistry.addForeground(self) }
        }
    }

    /// The thread's name (nil until set). Set before `Start`, it also names the operating-system thread
    /// (its first 15 bytes; "NetCF thread" otherwise), as debuggers and `top -H` show it. .NET allows setting it only once and throws
    /// `InvalidOperationException` the second time; a Swift setter cannot throw, so here a later value replaces it.
    ///
    /// The corresponding .NET member is `Thread.Name`.
    public var Name: String? {
        get { state.withLock { name } }
        set {
            state.withLock { name = newValue }
        }
    }

    /// The thread's scheduling priority, recorded but not applied (`Normal` until set); see `ThreadPriority`.
    ///
    /// The corresponding .NET member is `Thread.Priority`.
    public var Priority: ThreadPriority {
        get { state.withLock { priority } }
        set { state.withLock { priority = newValue } }
    }

    /// Not available: see the type's description and MIGRATION.md for the replacement.
    ///
    /// The corresponding .NET member is `Thread.Abort()`.
    @available(
        *, unavailable,
        message: "Thread.Abort cannot be ported: close the socket (or set the event) the thread waits on and let its loop return; see MIGRATION.md, Threads and asynchronous calls"
    )
    public func Abort() {}
}

/// Which `Thread` object stands for each operating-system thread, and which foreground threads the
/// process waits for at exit.
package enum ThreadRegistry {
    private static let identifiers = Locked<Int32>(1)
    private static let foreground = Locked<[ObjectIdentifier: Thread]>([:])
    private static let exitHook = Locked(false)

    /// The key under which each thread keeps a retained reference to its `Thread`, released when it ends.
    private static let currentKey: pthread_key_t = {
        var key = pthread_key_t()
        let result = pthread_key_create(&key) { value in
            if let value { Unmanaged<Thread>.fromOpaque(value).release() }
        }
        precondition(result == 0, "pthread_key_create failed: \(result)")
        return key
    }()

    static func nextIdentifier() -> Int32 {
        identifiers.withLock { last in
            last += 1
            return last
        }
    }

    /// Linux names the calling thread `/proc/thread-self` -> "PID/task/TID"; the main thread's TID is the PID.
    static var isMainThread: Bool {
        var buffer = [CChar](repeating: 0, count: 64)
        let count = readlink("/proc/thread-self", &buffer, buffer.count - 1)
        guard count > 0 else { return false }
        let parts = String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self).split(separator: "/")
        return parts.count == 3 && parts[0] == parts[2]
    }

    static func current() -> Thread? {
        guard let value = pthread_getspecific(currentKey) else { return nil }
        return Unmanaged<Thread>.fromOpaque(value).takeUnretainedValue()
    }

    static func setCurrent(_ thread: Thread) {
        if let old = pthread_getspecific(currentKey) { Unmanaged<Thread>.fromOpaque(old).release() }
        pthread_setspecific(currentKey, Unmanaged.passRetained(thread).toOpaque())
    }

    static func report(_ message: String) {
        let line = Array((message + "\n").utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }

    static func addForeground(_ thread: Thread) {
        foreground.withLock { $0[ObjectIdentifier(thread)] = thread }
        let register = exitHook.withLock { registered in
            defer { registered = true }
            return !registered
        }
        if register { atexit { ThreadRegistry.waitForForegroundThreads() } }
    }

    static func removeForeground(_ thread: Thread) {
        _ = foreground.withLock { $0.removeValue(forKey: ObjectIdentifier(thread)) }
    }

    /// Runs at process exit: waits for the foreground threads, as the .NET runtime does before it ends.
    package static func waitForForegroundThreads() {
        while let thread = foreground.withLock({ $0.values.first }) {
            _ = try? thread.Join(Timeout.Infinite)
            removeForeground(thread)
        }
    }
}
