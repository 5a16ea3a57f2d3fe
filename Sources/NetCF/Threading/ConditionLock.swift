internal import Glibc

/// A pthread mutex with one condition variable, the building block of `Thread`, the events and `Monitor`.
///
/// It is `@unchecked Sendable` because the state its users keep beside it is read and written only while
/// the mutex is held (between `lock()` and `unlock()`, or inside `withLock`). The condition variable waits
/// on the monotonic clock, so changing the wall clock does not stretch or cut a timeout.
final class ConditionLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        precondition(pthread_mutex_init(mutex, nil) == 0, "pthread_mutex_init failed")
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        precondition(pthread_cond_init(condition, &attributes) == 0, "pthread_cond_init failed")
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        condition.deinitialize(count: 1)
        condition.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    func lock() {
        let result = pthread_mutex_lock(mutex)
        precondition(result == 0, "pthread_mutex_lock failed: \(result)")
    }

    func unlock() {
        let result = pthread_mutex_unlock(mutex)
        precondition(result == 0, "pthread_mutex_unlock failed: \(result)")
    }

    func withLock<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        lock()
        defer { unlock() }
        return try body()
    }

    /// Waits for a broadcast with the mutex held (released while waiting). Returns false when `deadline`
    /// passed first; nil waits without a limit. Callers loop on their own condition: wake-ups can be spurious.
    func wait(until deadline: Deadline?) -> Bool {
        guard let deadline else {
            pthread_cond_wait(condition, mutex)
            return true
        }
        var time = deadline.time
        return pthread_cond_timedwait(condition, mutex, &time) != ETIMEDOUT
    }

    /// Wakes every waiter; call with the mutex held.
    func broadcast() {
        pthread_cond_broadcast(condition)
    }

    /// A point on the monotonic clock.
    struct Deadline {
        var time: timespec

        /// `milliseconds` from now; nil for `Timeout.Infinite` (-1).
        static func after(milliseconds: Int32) -> Deadline? {
            guard milliseconds != Timeout.Infinite else { return nil }
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            let nanoseconds = Int(now.tv_nsec) + Int(milliseconds % 1000) * 1_000_000
            now.tv_sec += Int(milliseconds / 1000) + nanoseconds / 1_000_000_000
            now.tv_nsec = nanoseconds % 1_000_000_000
            return Deadline(time: now)
        }

        var hasPassed: Bool {
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            return (now.tv_sec, now.tv_nsec) >= (time.tv_sec, time.tv_nsec)
        }
    }

    /// A .NET `int` timeout in milliseconds; refuses one below -1 (or outside `int`), as every .NET wait does.
    static func timeout(_ millisecondsTimeout: some BinaryInteger, _ paramName: String = "millisecondsTimeout") throws -> Int32 {
        let milliseconds = Int32(try intArgument(millisecondsTimeout, paramName))
        guard milliseconds >= Timeout.Infinite else {
            throw ArgumentOutOfRangeException(paramName, milliseconds,
                                              "Number must be either non-negative and less than or equal to Int32.MaxValue or -1.")
        }
        return milliseconds
    }
}

/// Starts `body` on a new detached operating-system thread named `name`, which ends when `body` returns.
///
/// The name (at most 15 bytes, Linux's limit) is what `top -H`, debuggers and `/proc/self/task/*/comm` show.
///
/// The body is handed over in an unchecked box: the C# code being ported shares its objects between
/// threads as .NET allows, and keeping them consistent is the program's business, as it is in .NET.
func startNativeThread(named name: String, _ body: @escaping () -> Void) throws {
    let context = Unmanaged.passRetained(NativeThreadBody(name: name, body)).toOpaque()
    var handle = pthread_t()
    let result = pthread_create(&handle, nil, { context in
        let thread = Unmanaged<NativeThreadBody>.fromOpaque(context!).takeRetainedValue()
        nameCurrentThread(thread.name)
        thread.body()
        return nil
    }, context)
    guard result == 0 else {
        Unmanaged<NativeThreadBody>.fromOpaque(context).release()
        throw OutOfMemoryException("Insufficient memory to start a thread (pthread_create: \(result)).")
    }
    pthread_detach(handle)
}

private final class NativeThreadBody: @unchecked Sendable {
    let name: String
    let body: () -> Void
    init(name: String, _ body: @escaping () -> Void) {
        self.name = name
        self.body = body
    }
}

/// Names the calling thread through `/proc/thread-self/comm` (Glibc's `pthread_setname_np` is a GNU
/// extension Swift does not import); a failure leaves the inherited name.
func nameCurrentThread(_ name: String) {
    var bytes = Array(name.utf8.prefix(15))
    while !bytes.isEmpty, String(validating: bytes, as: UTF8.self) == nil { bytes.removeLast() }
    let descriptor = open("/proc/thread-self/comm", O_WRONLY)
    guard descriptor >= 0 else { return }
    _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    close(descriptor)
}
