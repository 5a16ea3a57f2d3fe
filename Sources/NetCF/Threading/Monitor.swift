internal import Glibc

/// Locks keyed on an object's identity, re-entrant, with `Wait`/`Pulse` as in .NET; C#'s `lock` statement is
/// the function `lock(_:_:)`.
///
/// A lock is held by a thread: the thread that entered must exit, as many times as it entered. While any
/// thread holds or waits for an object's lock, this table keeps a strong reference to the object, so the
/// identity cannot be reused by another object meanwhile.
///
/// The corresponding .NET type is `System.Threading.Monitor`.
public enum Monitor {
    /// Blocks until the calling thread holds `obj`'s lock. Re-entrant: a thread that holds it enters again
    /// at once, and must `Exit` once more.
    ///
    /// The corresponding .NET member is `Monitor.Enter(object)`.
    public static func Enter(_ obj: AnyObject) {
        _ = MonitorTable.enter(obj, deadline: nil)
    }

    /// Takes `obj`'s lock if no other thread holds it; never blocks.
    ///
    /// The corresponding .NET member is `Monitor.TryEnter(object)`.
    public static func TryEnter(_ obj: AnyObject) -> Bool {
        MonitorTable.enter(obj, deadline: .after(milliseconds: 0))
    }

    /// Takes `obj`'s lock, waiting at most `millisecondsTimeout` ms (`Timeout.Infinite`: no limit).
    ///
    /// The corresponding .NET member is `Monitor.TryEnter(object, int)`.
    public static func TryEnter(_ obj: AnyObject, _ millisecondsTimeout: some BinaryInteger) throws -> Bool {
        let millisecondsTimeout = try ConditionLock.timeout(millisecondsTimeout)
        return MonitorTable.enter(obj, deadline: .after(milliseconds: millisecondsTimeout))
    }

    /// Releases one level of `obj`'s lock. Throws `SynchronizationLockException` when the calling thread does
    /// not hold it.
    ///
    /// The corresponding .NET member is `Monitor.Exit(object)`.
    public static func Exit(_ obj: AnyObject) throws {
        try MonitorTable.exit(obj)
    }

    /// Releases `obj`'s lock (all levels), waits until another thread calls `Pulse` or `PulseAll` on it, then
    /// takes the lock back as it was. Throws `SynchronizationLockException` when the caller does not hold it.
    ///
    /// The corresponding .NET member is `Monitor.Wait(object)`.
    @discardableResult
    public static func Wait(_ obj: AnyObject) throws -> Bool {
        try MonitorTable.wait(obj, deadline: nil)
    }

    /// The same, giving up waiting for a pulse after `millisecondsTimeout` ms: returns false then, after the
    /// lock has been taken back.
    ///
    /// The corresponding .NET member is `Monitor.Wait(object, int)`.
    @discardableResult
    public static func Wait(_ obj: AnyObject, _ millisecondsTimeout: some BinaryInteger) throws -> Bool {
        let millisecondsTimeout = try ConditionLock.timeout(millisecondsTimeout)
        return try MonitorTable.wait(obj, deadline: .after(milliseconds: millisecondsTimeout))
    }

    /// Wakes the longest-waiting thread in `Wait` on `obj`; it runs once the caller releases the lock.
    ///
    /// The corresponding .NET member is `Monitor.Pulse(object)`.
    public static func Pulse(_ obj: AnyObject) throws {
        try MonitorTable.pulse(obj, all: false)
    }

    /// Wakes every thread in `Wait` on `obj`.
    ///
    /// The corresponding .NET member is `Monitor.PulseAll(object)`.
    public static func PulseAll(_ obj: AnyObject) throws {
        try MonitorTable.pulse(obj, all: true)
    }
}

/// C#'s `lock (obj) { ... }`: holds `Monitor`'s lock on `obj` while `body` runs, and releases it also when
/// `body` throws.
///
/// ```swift
/// // lock (this) { n = s.Receive(buffer); }
/// try lock(self) { n = try s.Receive(&buffer) }
/// ```
@discardableResult
public func lock<Result, Failure: Error>(_ obj: AnyObject, _ body: () throws(Failure) -> Result) throws(Failure) -> Result {
    Monitor.Enter(obj)
    defer { try! MonitorTable.exit(obj) }  // Cannot fail: this thread entered just above.
    return try body()
}

/// The state of every object's lock that is held or waited for, behind one mutex.
enum MonitorTable {
    private final class Entry {
        let object: AnyObject
        var owner: pthread_t?
        var count = 0
        var waiters: [Waiter] = []
        /// Threads in `enter`, or in `wait` until they hold the lock again.
        var entering = 0
        init(_ object: AnyObject) { self.object = object }
        var isIdle: Bool { owner == nil && waiters.isEmpty && entering == 0 }
    }

    private final class Waiter {
        var pulsed = false
    }

    /// `@unchecked Sendable`: `entries` is touched only with `condition` held.
    private final class Table: @unchecked Sendable {
        let condition = ConditionLock()
        var entries: [ObjectIdentifier: Entry] = [:]
    }

    private static let table = Table()

    /// Number of objects whose lock is held or waited for (for tests: it returns to 0).
    static var activeCount: Int { table.condition.withLock { table.entries.count } }

    private static func entry(_ obj: AnyObject) -> Entry {
        let key = ObjectIdentifier(obj)
        if let entry = table.entries[key] { return entry }
        let entry = Entry(obj)
        table.entries[key] = entry
        return entry
    }

    private static func dropIfIdle(_ entry: Entry) {
        if entry.isIdle { table.entries[ObjectIdentifier(entry.object)] = nil }
    }

    private static func ownedEntry(_ obj: AnyObject) throws -> Entry {
        guard let entry = table.entries[ObjectIdentifier(obj)], let owner = entry.owner, pthread_equal(owner, pthread_self()) != 0 else {
            throw SynchronizationLockException()
        }
        return entry
    }

    static func enter(_ obj: AnyObject, deadline: ConditionLock.Deadline?) -> Bool {
        let me = pthread_self()
        return table.condition.withLock {
            let entry = entry(obj)
            entry.entering += 1
            defer {
                entry.entering -= 1
                dropIfIdle(entry)
            }
            while let owner = entry.owner, pthread_equal(owner, me) == 0 {
                if !table.condition.wait(until: deadline), entry.owner != nil, pthread_equal(entry.owner!, me) == 0 {
                    return false
                }
            }
            entry.owner = me
            entry.count += 1
            return true
        }
    }

    static func exit(_ obj: AnyObject) throws {
        try table.condition.withLock {
            let entry = try ownedEntry(obj)
            entry.count -= 1
            if entry.count == 0 {
                entry.owner = nil
                table.condition.broadcast()
                dropIfIdle(entry)
            }
        }
    }

    static func wait(_ obj: AnyObject, deadline: ConditionLock.Deadline?) throws -> Bool {
        let me = pthread_self()
        return try table.condition.withLock {
            let entry = try ownedEntry(obj)
            let depth = entry.count
            let waiter = Waiter()
            entry.waiters.append(waiter)
            // Counted as entering until the lock is back, so that the entry stays in the table meanwhile.
            entry.entering += 1
            defer { entry.entering -= 1 }
            entry.owner = nil
            entry.count = 0
            table.condition.broadcast()
            while !waiter.pulsed {
                if !table.condition.wait(until: deadline), !waiter.pulsed {
                    entry.waiters.removeAll { $0 === waiter }
                    break
                }
            }
            // Take the lock back, however long that takes, as .NET does.
            while entry.owner != nil { _ = table.condition.wait(until: nil) }
            entry.owner = me
            entry.count = depth
            return waiter.pulsed
        }
    }

    static func pulse(_ obj: AnyObject, all: Bool) throws {
        try table.condition.withLock {
            let entry = try ownedEntry(obj)
            let woken = all ? entry.waiters.count : min(1, entry.waiters.count)
            for waiter in entry.waiters.prefix(woken) { waiter.pulsed = true }
            entry.waiters.removeFirst(woken)
            if woken > 0 { table.condition.broadcast() }
        }
    }
}

// MARK: - An `object` (Swift `Any`) as the lock

extension Monitor {
    /// The class instance an `object` holds: what C# locks on. A value (a number, a string) has no identity
    /// to lock on here, where C# would lock a box made once for it, so it is refused with `ArgumentException`.
    static func reference(_ obj: Any) throws -> AnyObject {
        if let optional = obj as? OptionalReference {
            guard let object = optional.wrappedReference else { throw ArgumentNullException("obj") }
            return object
        }
        guard type(of: obj) is AnyClass else {
            throw ArgumentException("lock and Monitor need an object of a class (such as Object()); this \(type(of: obj)) is a value, with no identity to lock on.", "obj")
        }
        return obj as AnyObject
    }

    /// `Enter` on a field that may be null (`var sync: Object!`); null throws `ArgumentNullException`.
    @_disfavoredOverload
    public static func Enter(_ obj: AnyObject?) throws { Enter(try reference(obj as Any)) }

    /// `Exit` on a field that may be null.
    @_disfavoredOverload
    public static func Exit(_ obj: AnyObject?) throws { try Exit(try reference(obj as Any)) }

    /// `Enter` on a variable of type `object` (C#'s `object sync = new object();`).
    @_disfavoredOverload
    public static func Enter(_ obj: Any) throws { Enter(try reference(obj)) }

    /// `Exit` on a variable of type `object`.
    @_disfavoredOverload
    public static func Exit(_ obj: Any) throws { try Exit(try reference(obj)) }

    /// `Wait` on a variable of type `object`.
    @_disfavoredOverload @discardableResult
    public static func Wait(_ obj: Any) throws -> Bool { try Wait(try reference(obj)) }

    /// `Pulse` on a variable of type `object`.
    @_disfavoredOverload
    public static func Pulse(_ obj: Any) throws { try Pulse(try reference(obj)) }

    /// `PulseAll` on a variable of type `object`.
    @_disfavoredOverload
    public static func PulseAll(_ obj: Any) throws { try PulseAll(try reference(obj)) }
}

/// An `Optional` seen through `Any`: its class instance, if it holds one.
protocol OptionalReference {
    var wrappedReference: AnyObject? { get }
}

extension Optional: OptionalReference {
    var wrappedReference: AnyObject? {
        guard case .some(let value) = self, type(of: value as Any) is AnyClass else { return nil }
        return value as AnyObject
    }
}

/// `lock` on a field that may be null (`Logger logger;` ported as `var logger: Logger!`): the lock of the
/// instance it holds; null throws `ArgumentNullException`, as C#'s `lock (null)` does.
@_disfavoredOverload @discardableResult
public func lock<Result>(_ obj: AnyObject?, _ body: () throws -> Result) throws -> Result {
    guard let obj else { throw ArgumentNullException("obj") }
    return try lock(obj, body)
}

/// `lock` on a variable of type `object` (C#'s `object sync = new object();` ported as
/// `let sync: object = Object()`): the lock of the instance it holds.
@_disfavoredOverload @discardableResult
public func lock<Result>(_ obj: Any, _ body: () throws -> Result) throws -> Result {
    try lock(try Monitor.reference(obj), body)
}
