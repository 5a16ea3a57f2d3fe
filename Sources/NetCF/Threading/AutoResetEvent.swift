/// An event that lets exactly one waiter through per `Set`, then resets itself.
///
/// The corresponding .NET type is `System.Threading.AutoResetEvent`.
public final class AutoResetEvent: EventWaitHandle, @unchecked Sendable {
    /// The corresponding .NET member is `AutoResetEvent(bool)`.
    public init(_ initialState: Bool) {
        super.init(initialState, .AutoReset)
    }
}
