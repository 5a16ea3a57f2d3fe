/// Waiting for several handles at once.
extension WaitHandle {
    /// Blocks until one of `waitHandles` is signalled and returns its index (the lowest, when several are);
    /// an auto-reset event it returns for is reset, the others are left as they are.
    ///
    /// The corresponding .NET member is `WaitHandle.WaitAny(WaitHandle[])`.
    public static func WaitAny(_ waitHandles: [WaitHandle]) throws -> Int32 {
        try WaitAny(waitHandles, Timeout.Infinite)
    }

    /// The same, giving up after `millisecondsTimeout` ms (`Timeout.Infinite`: no limit) with `WaitTimeout`.
    ///
    /// The corresponding .NET member is `WaitHandle.WaitAny(WaitHandle[], int)`.
    public static func WaitAny(_ waitHandles: [WaitHandle], _ millisecondsTimeout: some BinaryInteger) throws -> Int32 {
        let millisecondsTimeout = try ConditionLock.timeout(millisecondsTimeout)
        try MultipleWait.check(waitHandles, refuseDuplicates: false)
        let deadline = ConditionLock.Deadline.after(milliseconds: millisecondsTimeout)
        while true {
            let seen = MultipleWait.generation()
            for (index, handle) in waitHandles.enumerated() {
                let signalled = try handle.condition.withLock {
                    if handle.closed { throw ObjectDisposedException(nil, "Safe handle has been closed.") }
                    return handle.consumeSignal()
                }
                if signalled { return Int32(index) }
            }
            if !MultipleWait.waitForChange(after: seen, until: deadline) { return WaitTimeout }
        }
    }

    /// The Compact Framework's overload; `exitContext` is ignored.
    ///
    /// The corresponding .NET member is `WaitHandle.WaitAny(WaitHandle[], int, bool)`.
    public static func WaitAny(_ waitHandles: [WaitHandle], _ millisecondsTimeout: some BinaryInteger, _ exitContext: Bool) throws -> Int32 {
        try WaitAny(waitHandles, millisecondsTimeout)
    }

    /// Blocks until every one of `waitHandles` is signalled at the same moment, then takes them all at once
    /// (auto-reset events are reset together). The same handle twice throws `ArgumentException`
    /// (.NET's `DuplicateWaitObjectException`).
    ///
    /// The corresponding .NET member is `WaitHandle.WaitAll(WaitHandle[])`.
    @discardableResult
    public static func WaitAll(_ waitHandles: [WaitHandle]) throws -> Bool {
        try WaitAll(waitHandles, Timeout.Infinite)
    }

    /// The same, giving up after `millisecondsTimeout` ms with false (and nothing taken).
    ///
    /// The corresponding .NET member is `WaitHandle.WaitAll(WaitHandle[], int)`.
    @discardableResult
    public static func WaitAll(_ waitHandles: [WaitHandle], _ millisecondsTimeout: some BinaryInteger) throws -> Bool {
        let millisecondsTimeout = try ConditionLock.timeout(millisecondsTimeout)
        try MultipleWait.check(waitHandles, refuseDuplicates: true)
        // One locking order for every caller, so two WaitAll calls cannot deadlock each other.
        let ordered = waitHandles.sorted { ObjectIdentifier($0) < ObjectIdentifier($1) }
        let deadline = ConditionLock.Deadline.after(milliseconds: millisecondsTimeout)
        while true {
            let seen = MultipleWait.generation()
            for handle in ordered { handle.condition.lock() }
            defer { for handle in ordered { handle.condition.unlock() } }
            if ordered.contains(where: { $0.closed }) { throw ObjectDisposedException(nil, "Safe handle has been closed.") }
            if ordered.allSatisfy({ $0.isSignalled() }) {
                for handle in ordered { _ = handle.consumeSignal() }
                return true
            }
            // Release the handles before waiting (the deferred unlock runs at the end of this iteration).
            for handle in ordered { handle.condition.unlock() }
            let changed = MultipleWait.waitForChange(after: seen, until: deadline)
            for handle in ordered { handle.condition.lock() }
            if !changed {
                if ordered.contains(where: { $0.closed }) { throw ObjectDisposedException(nil, "Safe handle has been closed.") }
                guard ordered.allSatisfy({ $0.isSignalled() }) else { return false }
                for handle in ordered { _ = handle.consumeSignal() }
                return true
            }
        }
    }

    /// The Compact Framework's overload; `exitContext` is ignored.
    ///
    /// The corresponding .NET member is `WaitHandle.WaitAll(WaitHandle[], int, bool)`.
    @discardableResult
    public static func WaitAll(_ waitHandles: [WaitHandle], _ millisecondsTimeout: some BinaryInteger, _ exitContext: Bool) throws -> Bool {
        try WaitAll(waitHandles, millisecondsTimeout)
    }
}

/// A process-wide count of `Set` and `Close` calls, so that a thread waiting for several handles (each with
/// a lock of its own) wakes when any of them changes, and misses no change made while it was looking.
enum MultipleWait {
    private final class Board: @unchecked Sendable {
        // `@unchecked Sendable`: `changes` is read and written only with `condition` held.
        let condition = ConditionLock()
        var changes = 0
    }

    private static let board = Board()

    static func generation() -> Int {
        board.condition.withLock { board.changes }
    }

    static func handleChanged() {
        board.condition.withLock {
            board.changes &+= 1
            board.condition.broadcast()
        }
    }

    /// Waits until a handle has changed since `seen`; false when `deadline` passed first.
    static func waitForChange(after seen: Int, until deadline: ConditionLock.Deadline?) -> Bool {
        board.condition.withLock {
            while board.changes == seen {
                if !board.condition.wait(until: deadline), board.changes == seen { return false }
            }
            return true
        }
    }

    /// .NET's limits: at least one handle, at most 64; `WaitAll` refuses the same handle twice.
    static func check(_ handles: [WaitHandle], refuseDuplicates: Bool) throws {
        guard !handles.isEmpty else { throw ArgumentException("Waithandle array may not be empty.", "waitHandles") }
        guard handles.count <= 64 else { throw NotSupportedException("The number of WaitHandles must be less than or equal to 64.") }
        if refuseDuplicates, Set(handles.map(ObjectIdentifier.init)).count != handles.count {
            throw ArgumentException("Duplicate objects in argument.", "waitHandles")
        }
    }
}
