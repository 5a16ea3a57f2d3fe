internal import Glibc

/// The one place where this package calls into the C library for sockets.
///
/// `EINTR` is retried here and nowhere else; every other `errno` is handed back to the caller,
/// which decides whether it means "would block" or a real failure.
enum SystemCall {
    enum Outcome<Value> {
        case success(Value)
        case failure(errno: Int32)
    }

    /// Runs `body` until it does not fail with `EINTR`. A negative result is a failure whose reason is `errno`.
    @inline(__always)
    static func retryingInterrupts<Value: BinaryInteger>(_ body: () -> Value) -> Outcome<Value> {
        while true {
            let result = body()
            if result >= 0 { return .success(result) }
            let error = errno
            if error != EINTR { return .failure(errno: error) }
        }
    }

    /// Like `retryingInterrupts`, but throws for any failure, naming the call.
    @inline(__always)
    static func checked<Value: BinaryInteger>(_ call: String, _ body: () -> Value) throws(WinsockError) -> Value {
        switch retryingInterrupts(body) {
        case .success(let value): return value
        case .failure(let error): throw WinsockError.lastSystemError(call, errno: error)
        }
    }

    /// Closes a descriptor exactly once. `close` is never retried: on Linux the descriptor is released
    /// even when `close` reports `EINTR`, and a retry could close a descriptor another thread just opened.
    static func close(_ descriptor: Int32) {
        _ = Glibc.close(descriptor)
    }
}
