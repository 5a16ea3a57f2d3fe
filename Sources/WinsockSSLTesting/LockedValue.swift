import WinsockSSL

/// A value that several threads share — what a test's server handler collects, a counter, a flag — reached
/// only under a lock:
///
/// ```swift
/// let received = LockedValue<[String]>([])
/// let server = try TLSTestServer(configuration: configuration) { connection in
///     try connection.startTLS()
///     while let line = try connection.readTLSLine() { received.withLock { $0.append(line) } }
/// }
/// // … run the port …
/// #expect(received.value == ["EHLO", "QUIT"])
/// ```
///
/// Built on a `pthread_mutex_t` rather than `Synchronization.Mutex`, so ThreadSanitizer sees the ordering
/// (see `Locked` in `WinsockSSL`). The lock is not recursive: calling `withLock` inside `body` deadlocks.
public final class LockedValue<Value: Sendable>: Sendable {
    private let storage: Locked<Value>

    public init(_ initialValue: Value) {
        storage = Locked(initialValue)
    }

    /// Runs `body` with exclusive access to the value and returns what it returns. Blocks while another
    /// thread holds the lock.
    public func withLock<Result: Sendable>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        try storage.withLock { value in try body(&value) }
    }

    /// A copy of the value as it is now.
    public var value: Value {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}
