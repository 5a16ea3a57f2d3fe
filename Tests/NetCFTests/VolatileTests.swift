import NetCF
import Testing

/// `@Volatile`, C#'s `volatile`: the stop flag of a reader thread, set by another thread. Under
/// `scripts/sanitize thread` a plain `var` here is reported as a data race; the wrapper is not.
@Suite struct VolatileTests {
    final class Poller {
        @Volatile var running = bool()
        @Volatile var rounds = int()
        let started = ManualResetEvent(false)

        func Loop() throws {
            try started.Set()
            while running {
                rounds = rounds &+ 1
                try Thread.Sleep(1)
            }
        }
    }

    @Test func aFlagSetOnOneThreadStopsALoopOnAnother() throws {
        let poller = Poller()
        poller.running = true
        let thread = Thread(poller.Loop)
        try thread.Start()
        #expect(try poller.started.WaitOne(10_000))
        poller.running = false
        #expect(try thread.Join(10_000), "the loop did not see the flag change")
        #expect(!poller.running)
    }

    @Test func readsReturnTheLastWrite() {
        let poller = Poller()
        poller.rounds = 41
        poller.rounds = 42
        #expect(poller.rounds == 42)
    }
}
