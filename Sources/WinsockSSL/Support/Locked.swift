internal import Glibc

/// A value that is reached only while holding a `pthread_mutex_t`; the package uses it instead of
/// `Synchronization.Mutex`.
///
/// It exists for ThreadSanitizer. On Linux, `Mutex` waits with raw `futex` system calls, which TSan does
/// not intercept, so TSan sees no ordering between two threads' critical sections and reports every
/// access to the protected value as a data race (Swift 6.3.1: four threads incrementing one `Mutex<Int>`
/// under `withLock` give a report; the same program with a pthread mutex gives none). TSan intercepts
/// `pthread_mutex_lock` and `pthread_mutex_unlock`, so with this type its reports stay meaningful.
///
/// It is `@unchecked Sendable` because `value` is read and written only inside `withLock`, between
/// `pthread_mutex_lock` and `pthread_mutex_unlock`. Like `Mutex`, it takes the initial value `sending` and
/// lends it to `body` as `inout sending`, so a value that is not `Sendable` cannot escape the lock while
/// other code can still reach it. The lock is not recursive: calling `withLock` again from inside `body`
/// deadlocks.
package final class Locked<Value>: @unchecked Sendable {
    /// Allocated on its own because a pthread mutex must not move once initialised, and Swift promises a
    /// stable address only for memory it does not manage.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    /// Exclusivity is the lock's job: the runtime's dynamic check on every access (`swift_beginAccess`) is
    /// turned off for this one property, whose only accesses are inside `withLock`.
    @exclusivity(unchecked) private var value: Value

    package init(_ initialValue: sending Value) {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        let result = pthread_mutex_init(mutex, nil)
        precondition(result == 0, "pthread_mutex_init failed: \(result)")
        value = initialValue
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value. Blocks while another thread holds the lock.
    package func withLock<Result, Failure: Error>(
        _ body: (inout sending Value) throws(Failure) -> sending Result
    ) throws(Failure) -> sending Result {
        let locked = pthread_mutex_lock(mutex)
        precondition(locked == 0, "pthread_mutex_lock failed: \(locked)")
        defer {
            let unlocked = pthread_mutex_unlock(mutex)
            precondition(unlocked == 0, "pthread_mutex_unlock failed: \(unlocked)")
        }
        return try body(&value)
    }
}
