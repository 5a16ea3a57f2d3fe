/// A thread's state, as `Thread.ThreadState` reports it: .NET's flag values, combined with `|` and tested
/// with `&` (`(t.ThreadState & ThreadState.Stopped) != 0` ports unchanged: a literal `0` is the empty set).
///
/// This package reports `Running`, `Unstarted`, `Stopped`, `WaitSleepJoin` and `Background`; `Suspended`,
/// `SuspendRequested`, `StopRequested`, `AbortRequested` and `Aborted` exist for code that compares with them
/// but are never reported (NetCF's `Thread` has no `Suspend` or `Abort`; see MIGRATION.md section 9).
///
/// The corresponding .NET type is `System.Threading.ThreadState`.
public struct ThreadState: OptionSet, CSharpEnum, CSharpEnumNames, ExpressibleByIntegerLiteral, Hashable, Sendable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
    public init(integerLiteral value: Int32) { self.init(rawValue: value) }

    public static let Running = ThreadState([])
    public static let StopRequested = ThreadState(rawValue: 1)
    public static let SuspendRequested = ThreadState(rawValue: 2)
    public static let Background = ThreadState(rawValue: 4)
    public static let Unstarted = ThreadState(rawValue: 8)
    public static let Stopped = ThreadState(rawValue: 16)
    public static let WaitSleepJoin = ThreadState(rawValue: 32)
    public static let Suspended = ThreadState(rawValue: 64)
    public static let AbortRequested = ThreadState(rawValue: 128)
    public static let Aborted = ThreadState(rawValue: 256)

    public static let Names: [Int32: String] = [
        0: "Running", 1: "StopRequested", 2: "SuspendRequested", 4: "Background", 8: "Unstarted", 16: "Stopped",
        32: "WaitSleepJoin", 64: "Suspended", 128: "AbortRequested", 256: "Aborted",
    ]

    /// C#'s `|` on flags.
    public static func | (lhs: ThreadState, rhs: ThreadState) -> ThreadState { lhs.union(rhs) }

    /// C#'s `&` on flags.
    public static func & (lhs: ThreadState, rhs: ThreadState) -> ThreadState { lhs.intersection(rhs) }
}
