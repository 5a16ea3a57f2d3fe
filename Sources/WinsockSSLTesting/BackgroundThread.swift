import Dispatch
import Foundation
import WinsockSSL

/// Work on a thread of its own — a peer feeding a reader, a second client — that a test waits for with a
/// bound, so a hang fails the test instead of stalling the run:
///
/// ```swift
/// let writer = BackgroundThread { try s.Send(payload) }
/// let received = try readEverything(from: s)
/// try writer.finish(within: .seconds(10))   // rethrows what the thread threw
/// ```
public final class BackgroundThread: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let failure = Locked<(any Error)?>(nil)

    /// Starts `body` on a new thread at once. An `UnclosedSocketCheck` watching the caller also watches the
    /// sockets `body` creates.
    public init(_ body: @escaping @Sendable () throws -> Void) {
        let checks = UnclosedSocketCheck.active
        Thread { UnclosedSocketCheck.withActive(checks) { self.run(body) } }.start()
    }

    private func run(_ body: () throws -> Void) {
        do { try body() } catch { failure.withLock { $0 = error } }
        done.signal()
    }

    /// The thread was still running when `finish(within:)` stopped waiting.
    public struct StillRunning: Error, CustomStringConvertible {
        public var description: String { "the background thread did not finish within the bound" }
    }

    /// Waits until the thread has finished, at most `bound`, and rethrows what it threw. Throws
    /// `StillRunning` when the bound passes first (the thread goes on; a test should then fail).
    public func finish(within bound: Duration = .seconds(10)) throws {
        let (seconds, attoseconds) = bound.components
        let timeout = DispatchTime.now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
        guard done.wait(timeout: timeout) == .success else { throw StillRunning() }
        if let error = failure.withLock({ $0 }) { throw error }
    }
}
