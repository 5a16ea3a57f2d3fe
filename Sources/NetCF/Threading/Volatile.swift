import WinsockSSL

/// C#'s `volatile` field modifier: `private volatile bool running;` is `@Volatile private var running = bool()`.
///
/// CE programs stop their reader threads with a flag that one thread sets and another polls, often without
/// `volatile` at all. .NET's memory model lets that pass; in Swift two threads touching a plain stored property
/// without a lock is a data race (undefined behaviour, reported by ThreadSanitizer). Each read and write of a
/// `@Volatile` property takes a lock of its own, so the flag works as the C# did. A compound update
/// (`count += 1`) is a read and then a write, as it is in C#; use `Interlocked` or `lock` for those. The
/// value must be `Sendable` (the C# types of flags and counters are).
@propertyWrapper
public struct Volatile<Value: Sendable>: Sendable {
    private let storage: Locked<Value>

    public init(wrappedValue: Value) {
        storage = Locked(wrappedValue)
    }

    public var wrappedValue: Value {
        get { storage.withLock { $0 } }
        nonmutating set { storage.withLock { $0 = newValue } }
    }
}
