/// The method `ThreadPool.QueueUserWorkItem` runs; C#'s `new WaitCallback(M)` ports as `M`.
///
/// The corresponding .NET type is `System.Threading.WaitCallback`.
public typealias WaitCallback = (_ state: AnyObject?) throws -> Void

/// Work items on background threads.
///
/// There is no pool to size here: each item runs on a background thread of its own (named "NetCF pool"),
/// which ends with the item, as the `Begin…` methods' workers do. An exception the item does not catch is
/// written to standard error (see `Thread`).
///
/// The corresponding .NET type is `System.Threading.ThreadPool`.
public enum ThreadPool {
    /// Runs `callBack(nil)` on a background thread; true once it is queued.
    ///
    /// The corresponding .NET member is `ThreadPool.QueueUserWorkItem(WaitCallback)`.
    @discardableResult
    public static func QueueUserWorkItem(_ callBack: @escaping WaitCallback) throws -> Bool {
        try QueueUserWorkItem(callBack, nil)
    }

    /// Runs `callBack(state)` on a background thread; true once it is queued.
    ///
    /// The corresponding .NET member is `ThreadPool.QueueUserWorkItem(WaitCallback, object)`.
    @discardableResult
    public static func QueueUserWorkItem(_ callBack: @escaping WaitCallback, _ state: AnyObject?) throws -> Bool {
        try startNativeThread(named: "NetCF pool") {
            do {
                try callBack(state)
            } catch {
                ThreadRegistry.report("Unhandled exception in a ThreadPool work item: \(error)")
            }
        }
        return true
    }
}
