/// The asynchronous form of `Dns.GetHostEntry`, on a worker thread like `Socket`'s `Begin…` methods.
extension Dns {
    /// Used as the owner of `Dns` operations, so that `EndGetHostEntry` refuses a `Socket`'s `IAsyncResult`.
    private final class Owner: Sendable {}
    private static let owner = Owner()

    /// Starts resolving `hostName` (hosts table first) on a worker thread.
    ///
    /// The corresponding .NET member is `Dns.BeginGetHostEntry(string, AsyncCallback, object)`.
    @discardableResult
    public static func BeginGetHostEntry(_ hostNameOrAddress: String, _ requestCallback: AsyncCallback?, _ stateObject: Any?) throws -> IAsyncResult {
        try AsyncOperation<IPHostEntry>.begin(owner, "BeginGetHostEntry", requestCallback, stateObject) {
            try GetHostEntry(hostNameOrAddress)
        }
    }

    /// Blocks until the lookup has finished; returns the entry or throws what `GetHostEntry` would
    /// (`SocketException` 11001 for an unknown name).
    ///
    /// The corresponding .NET member is `Dns.EndGetHostEntry(IAsyncResult)`.
    public static func EndGetHostEntry(_ asyncResult: IAsyncResult?) throws -> IPHostEntry {
        try AsyncOperation<IPHostEntry>.end(asyncResult, owner, "BeginGetHostEntry", "EndGetHostEntry")
    }
}
