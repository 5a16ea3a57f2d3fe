import Foundation
import WinsockSSL

/// Bounds the steps no socket timeout covers. `ReceiveTimeout` and `SendTimeout` bound every reply and
/// every send, and the provider bounds the handshake by them; but name resolution and the TCP connect
/// wait as long as the system lets them (about two minutes for an unanswered connect on Linux).
///
/// The submission reports each step; a step that lasts longer than `limit` ends the process with a
/// message naming it and exit status 1.
final class Watchdog: Sendable {
    private struct Step {
        var name: String
        var started: ContinuousClock.Instant
    }

    private let limit: Duration
    private let current = Locked<Step?>(nil)

    init(limit: Duration) {
        self.limit = limit
        let thread = Thread { [self] in watch() }
        thread.start()
    }

    /// Starts timing `name`; the previous step counts as done.
    func begin(_ name: String) {
        current.withLock { $0 = Step(name: name, started: .now) }
    }

    /// Stops timing: what follows is bounded by the socket's timeouts.
    func end() {
        current.withLock { $0 = nil }
    }

    private func watch() {
        while true {
            Thread.sleep(forTimeInterval: 0.1)
            guard let step = current.withLock({ $0 }), ContinuousClock.now - step.started > limit else { continue }
            fail("\(step.name): no answer within \(limit)")
        }
    }
}
