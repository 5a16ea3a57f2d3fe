// swift-format-ignore-file: AmbiguousTrailingClosureOverload
// (`watch` has a synchronous and an async form, as `TaskLocal.withValue` has: the caller's context picks one)

internal import Foundation

/// Finds sockets a program never closed: sockets released (their last reference dropped) without `Close`
/// or `Dispose`, and sockets still open when asked.
///
/// A socket released while open is closed by its `deinit`, the way .NET's finalizer closes it, so a port that
/// forgets `Close()` passes every descriptor count. This check makes the omission visible, with the place in
/// the program's source where the socket was created:
///
/// ```swift
/// let check = UnclosedSocketCheck()
/// try check.watch { try runThePortedCode() }
/// #expect(check.unclosedSockets.isEmpty, "\(check.unclosedSockets)")
/// ```
///
/// A check sees the sockets created while `watch` runs in the calling task or thread (a task-local value,
/// so tests running in parallel do not see each other's sockets). Threads the watched code starts itself
/// are not included, except `WinsockSSLTesting`'s `BackgroundThread`, which carries the checks over. Setting
/// the environment variable `WINSOCKSSL_UNCLOSED_SOCKETS=report` (or `UnclosedSocketCheck.process.isEnabled`)
/// watches every socket of the process and prints each one released without a close to standard error.
///
/// Where a socket was created is found from a backtrace taken when it is created (only while a check is on)
/// and resolved against the binary's debug information: the first frame outside `WinsockSSL` and `NetCF`.
/// In a build without debug information the function name is all there is.
public final class UnclosedSocketCheck: Sendable {
    /// One socket that was not closed.
    public struct UnclosedSocket: Sendable, CustomStringConvertible {
        /// What kind of socket it was, by its .NET name ("System.Net.Sockets.Socket").
        public let kind: String
        /// `path:line` of the code that created it, relative to the current directory where possible;
        /// nil when the binary has no debug information for that frame.
        public let createdAt: String?
        /// The function that created it, when known.
        public let function: String?
        /// True when the socket was released without a close; false when it is still open and referenced.
        public let wasReleased: Bool

        public var description: String {
            let place = [createdAt, function.map { "in \($0)" }].compactMap { $0 }.joined(separator: " ")
            let origin = place.isEmpty ? "at an unknown place" : place
            return wasReleased
                ? "\(kind) created at \(origin) was released without Close or Dispose (its deinit closed it)"
                : "\(kind) created at \(origin) is still open"
        }
    }

    private struct State {
        var released: [UnclosedSocket] = []
        var live: [WeakTracker] = []
        var isEnabled = false
        var printsReports = false
    }

    private struct WeakTracker {
        weak var tracker: SocketCloseTracker?
    }

    private let state: Locked<State>

    /// The check that, when enabled, watches every socket in the process.
    public static let process: UnclosedSocketCheck = {
        let check = UnclosedSocketCheck()
        if ProcessInfo.processInfo.environment["WINSOCKSSL_UNCLOSED_SOCKETS"] == "report" {
            check.state.withLock {
                $0.isEnabled = true
                $0.printsReports = true
            }
        }
        return check
    }()

    /// The checks whose `watch` is running in this task or thread, innermost last.
    @TaskLocal public static var active: [UnclosedSocketCheck] = []

    public init() {
        state = Locked(State())
    }

    /// For `UnclosedSocketCheck.process` only: whether every socket created from now on is watched.
    public var isEnabled: Bool {
        get { state.withLock { $0.isEnabled } }
        set { state.withLock { $0.isEnabled = newValue } }
    }

    /// Runs `body`, watching every socket it creates on this task or thread.
    public func watch<Result>(_ body: () throws -> Result) rethrows -> Result {
        try Self.$active.withValue(Self.active + [self], operation: body)
    }

    /// Runs `body`, watching every socket it creates in this task.
    public func watch<Result>(_ body: () async throws -> Result) async rethrows -> Result {
        try await Self.$active.withValue(Self.active + [self], operation: body)
    }

    /// Runs `body` with `checks` active: for threads that carry a watch over from the thread that started them.
    public static func withActive<Result>(_ checks: [UnclosedSocketCheck], _ body: () throws -> Result) rethrows -> Result {
        try $active.withValue(checks, operation: body)
    }

    /// Sockets released without a close so far, in the order they were released.
    public var releasedWithoutClose: [UnclosedSocket] { state.withLock { $0.released } }

    /// Sockets created while watched that are neither closed nor released yet.
    public var stillOpen: [UnclosedSocket] {
        let trackers = state.withLock { state in
            state.live.removeAll { $0.tracker == nil }
            return state.live.compactMap(\.tracker)
        }
        return trackers.filter { !$0.isClosed }.map { $0.report(released: false) }
    }

    /// `releasedWithoutClose` followed by `stillOpen`: everything the program did not close.
    public var unclosedSockets: [UnclosedSocket] { releasedWithoutClose + stillOpen }

    /// Forgets what was reported so far.
    public func reset() {
        state.withLock {
            $0.released.removeAll()
            $0.live.removeAll()
        }
    }

    // MARK: Called by trackers

    /// The checks a socket created now belongs to.
    static var watching: [UnclosedSocketCheck] {
        let processWide = process.isEnabled ? [process] : []
        return processWide + active
    }

    func started(_ tracker: SocketCloseTracker) {
        state.withLock { state in
            // A long run with the process-wide check on creates many sockets; forget those already gone.
            if state.live.count >= 1024 { state.live.removeAll { $0.tracker == nil } }
            state.live.append(WeakTracker(tracker: tracker))
        }
    }

    func released(_ report: UnclosedSocket) {
        let prints = state.withLock { state in
            state.released.append(report)
            return state.printsReports
        }
        if prints { FileHandle.standardError.write(Data("WinsockSSL: \(report)\n".utf8)) }
    }
}
