/// A resource released by an explicit call rather than by the garbage collector.
///
/// `Dispose()` does not throw: .NET guidelines forbid `Dispose` to throw, and the `using` statement
/// runs it while another exception may already be propagating. It should be safe to call twice.
///
/// The corresponding .NET type is `System.IDisposable`.
public protocol IDisposable: AnyObject {
    /// The corresponding .NET member is `IDisposable.Dispose()`.
    func Dispose()
}

/// C#'s `using` statement: runs `body` with `resource` and then disposes it, also when `body` throws.
///
/// ```swift
/// // using (SslHelper helper = new SslHelper(s, SmtpServer, true)) { ... }
/// try using(SslHelper(s, SmtpServer, true)) { helper in ... }
/// ```
public func using<Resource: IDisposable, Result>(
    _ resource: Resource, _ body: (Resource) throws -> Result
) rethrows -> Result {
    defer { resource.Dispose() }
    return try body(resource)
}

/// C#'s `using` statement on an expression that may be `null`: then `body` runs and nothing is disposed.
public func using<Resource: IDisposable, Result>(
    _ resource: Resource?, _ body: (Resource?) throws -> Result
) rethrows -> Result {
    defer { resource?.Dispose() }
    return try body(resource)
}

/// The garbage collector's public surface, for ports. Swift frees objects deterministically (reference
/// counting runs `deinit` when the last reference goes), so there is nothing to collect or finalize later.
///
/// The corresponding .NET type is `System.GC`.
public enum GC {
    /// A no-op: Swift has no finalizer queue; a `deinit` runs exactly once when the last reference goes.
    /// A ported `Dispose()` that calls this keeps its meaning: release now, and not again later, which the
    /// port's `deinit` must ensure itself (for example by checking a "disposed" flag).
    ///
    /// The corresponding .NET member is `GC.SuppressFinalize(Object)`.
    public static func SuppressFinalize(_ obj: AnyObject) {}

    /// A no-op: unreferenced Swift objects are already gone.
    ///
    /// The corresponding .NET member is `GC.Collect()`.
    public static func Collect() {}

    /// A no-op: deinitializers run synchronously.
    ///
    /// The corresponding .NET member is `GC.WaitForPendingFinalizers()`.
    public static func WaitForPendingFinalizers() {}

    /// Keeps `obj` alive at least until this call, as .NET's does (for example a delegate whose function
    /// pointer was handed to native code). Swift may release an object after its last use, so this matters.
    ///
    /// The corresponding .NET member is `GC.KeepAlive(Object)`.
    @inline(never)
    public static func KeepAlive(_ obj: AnyObject?) {
        withExtendedLifetime(obj) {}
    }
}
