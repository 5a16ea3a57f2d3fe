/// An event that stays signalled after `Set` until `Reset`: every waiter passes.
///
/// ```swift
/// // ManualResetEvent connectDone = new ManualResetEvent(false);
/// let connectDone = ManualResetEvent(false)
/// ```
///
/// The corresponding .NET type is `System.Threading.ManualResetEvent`.
public final class ManualResetEvent: EventWaitHandle, @unchecked Sendable {
    /// The corresponding .NET member is `ManualResetEvent(bool)`.
    public init(_ initialState: Bool) {
        super.init(initialState, .ManualReset)
    }
}
