/// The scheduling priority a program asks for a `Thread`.
///
/// `Thread.Priority` records the value (each `Thread` object keeps its own; a new thread is `Normal`) and does
/// not change how Linux schedules the thread: a project decision. CE's priorities are those of its real-time
/// scheduler; on Linux an unprivileged process may lower a thread's priority (`setpriority`, a higher nice
/// value) but never raise it again, so `AboveNormal`, `Highest` and a return to `Normal` after
/// `BelowNormal` would fail, and the ported programs set a priority as a hint (a viewer lowering its decoder
/// thread), not for correctness.
///
/// The corresponding .NET type is `System.Threading.ThreadPriority`.
public enum ThreadPriority: int, Sendable {
    case Lowest = 0
    case BelowNormal = 1
    case Normal = 2
    case AboveNormal = 3
    case Highest = 4
}
