/// The handle of an asynchronous operation started by a `Begin…` method and finished by the matching `End…`.
///
/// The corresponding .NET type is `System.IAsyncResult`.
public protocol IAsyncResult: AnyObject, Sendable {
    /// The object passed as the last argument of the `Begin…` call (C#'s `object state`): a reference (the
    /// socket, `this`) or a value such as the `byte[]` being read into; `ar.AsyncState as! Socket` reads it back.
    ///
    /// The corresponding .NET member is `IAsyncResult.AsyncState`.
    var AsyncState: Any? { get }
    /// Signalled when the operation has completed; waiting on it does not end the operation (call `End…`).
    ///
    /// The corresponding .NET member is `IAsyncResult.AsyncWaitHandle`.
    var AsyncWaitHandle: WaitHandle { get }
    /// The corresponding .NET member is `IAsyncResult.IsCompleted`.
    var IsCompleted: Bool { get }
    /// Always false here: every operation completes on a worker thread, and the callback runs there.
    ///
    /// The corresponding .NET member is `IAsyncResult.CompletedSynchronously`.
    var CompletedSynchronously: Bool { get }
}

/// The method a `Begin…` call runs on the operation's worker thread when the operation completes. As for
/// every delegate, C#'s `new AsyncCallback(this.OnConnect)` ports as `self.OnConnect`.
///
/// The method may throw (it usually calls a throwing `End…`); an exception it does not catch is written to
/// standard error, as for a `Thread` (see MIGRATION.md, Threads and asynchronous calls).
///
/// The corresponding .NET type is `System.AsyncCallback`.
public typealias AsyncCallback = (_ ar: IAsyncResult) throws -> Void

/// One asynchronous operation: its work runs on a thread of its own, which completes the operation, calls
/// the callback and ends. So no thread outlives its operation, and as many threads run as operations are
/// pending; the threads are named "NetCF async". `End…` blocks until completion and rethrows the work's exception.
final class AsyncOperation<Value>: IAsyncResult, @unchecked Sendable {
    // `@unchecked Sendable`: `outcome` and `ended` are guarded by `guardLock`; `state` and the owner are
    // the program's objects, shared across threads as .NET shares them.
    private let owner: AnyObject?
    private let beginMethod: String
    private let state: Any?
    private let completion = ManualResetEvent(false)
    private let guardLock = ConditionLock()
    private var outcome: Result<Value, any Error>?
    private var ended = false

    private init(owner: AnyObject?, beginMethod: String, state: Any?) {
        self.owner = owner
        self.beginMethod = beginMethod
        self.state = state
    }

    var AsyncState: Any? { state }
    var AsyncWaitHandle: WaitHandle { completion }
    var IsCompleted: Bool { guardLock.withLock { outcome != nil } }
    var CompletedSynchronously: Bool { false }

    /// Starts `work` on a new thread for `owner`'s `beginMethod`.
    static func begin(_ owner: AnyObject?, _ beginMethod: String, _ callback: AsyncCallback?, _ state: Any?,
                      _ work: @escaping () throws -> Value) throws -> AsyncOperation<Value> {
        let operation = AsyncOperation(owner: owner, beginMethod: beginMethod, state: state)
        try startNativeThread(named: "NetCF async") {
            let outcome = Result { try work() }
            operation.guardLock.withLock { operation.outcome = outcome }
            _ = try? operation.completion.Set()
            guard let callback else { return }
            do {
                try callback(operation)
            } catch {
                ThreadRegistry.report("Unhandled exception in the AsyncCallback of \(beginMethod): \(error)")
            }
        }
        return operation
    }

    /// The `End…` of `beginMethod`: checks that `asyncResult` came from `owner`'s `beginMethod` and is ended
    /// once, waits for it and returns its value or rethrows its exception.
    static func end(_ asyncResult: IAsyncResult?, _ owner: AnyObject?, _ beginMethod: String, _ endMethod: String) throws -> Value {
        guard let asyncResult else { throw ArgumentNullException("asyncResult") }
        guard let operation = asyncResult as? AsyncOperation<Value>, operation.owner === owner,
              operation.beginMethod == beginMethod else {
            throw ArgumentException("The IAsyncResult object was not returned from the corresponding \(beginMethod) method on this object.", "asyncResult")
        }
        try operation.guardLock.withLock {
            if operation.ended { throw InvalidOperationException("\(endMethod) can only be called once for each asynchronous operation.") }
            operation.ended = true
        }
        try operation.completion.WaitOne()
        // The wait handle stays open: a program may still wait on it after `End…` (it is freed with the result).
        return try operation.guardLock.withLock { operation.outcome! }.get()
    }
}

/// The bytes one asynchronous read got (`BeginReceive`, `BeginRead`), kept until its `End…` copies them into
/// the program's array: a Swift array is a value, so the worker cannot fill the caller's array as .NET does.
struct AsyncReadBytes {
    var offset: Int
    var bytes: [UInt8]

    /// Copies the bytes into `buffer` at the offset the `Begin…` call was given; returns their count.
    func copy(into buffer: inout [UInt8]) throws -> Int32 {
        guard offset + bytes.count <= buffer.count else {
            throw ArgumentException("The buffer is too small for the \(bytes.count) bytes read at offset \(offset).", "buffer")
        }
        buffer.replaceSubrange(offset..<(offset + bytes.count), with: bytes)
        return Int32(bytes.count)
    }
}
