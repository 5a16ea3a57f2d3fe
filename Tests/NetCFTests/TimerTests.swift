import NetCF
import Testing

/// `System.Threading.Timer` ported following MIGRATION.md 7.1: due time, period, `Timeout.Infinite`, `Change`,
/// `Dispose`, the background thread, and the lifetime of an object that keeps its timer in a field. Every wait
/// is bounded and generous; nothing asserts how long a call took.
@Suite struct TimerTests {
    /// What the callbacks saw, shared with the timer thread under `lock`.
    final class Calls: @unchecked Sendable {
        private var count = 0
        private var states: [ObjectIdentifier] = []
        private var threads: Set<int> = []

        func record(_ state: object?) {
            let thread = Thread.CurrentThread.ManagedThreadId
            lock(self) {
                count += 1
                if let state { states.append(ObjectIdentifier(state as AnyObject)) }
                threads.insert(thread)
            }
        }

        var Count: Int { lock(self) { count } }
        var States: [ObjectIdentifier] { lock(self) { states } }
        var Threads: Set<int> { lock(self) { threads } }

        /// Waits (at most 10 s) until `count` calls were made; true if they were.
        func waitFor(_ expected: Int) throws -> Bool {
            for _ in 0..<1000 {
                if Count >= expected { return true }
                try Thread.Sleep(10)
            }
            return Count >= expected
        }
    }

    @Test func aPeriodicTimerCallsRepeatedlyOnAnotherThreadWithItsStateUntilDisposed() throws {
        let calls = Calls()
        let state = Object()
        let timer = try Timer(calls.record, state, 0, 20)
        #expect(try calls.waitFor(3))
        timer.Dispose()
        let atDispose = calls.Count
        try Thread.Sleep(200)
        // A call already running when Dispose returned may finish; no new one starts.
        #expect(calls.Count <= atDispose + 1)
        #expect(Set(calls.States) == [ObjectIdentifier(state)])
        #expect(!calls.Threads.contains(Thread.CurrentThread.ManagedThreadId))
        timer.Dispose()
    }

    @Test func anInfinitePeriodCallsOnceAndAnInfiniteDueTimeWaitsForChange() throws {
        let once = Calls()
        let oneShot = try Timer(once.record, nil, 10, Timeout.Infinite)
        #expect(try once.waitFor(1))
        try Thread.Sleep(150)
        #expect(once.Count == 1)
        oneShot.Dispose()

        let later = Calls()
        let stopped = try Timer(later.record, nil, Timeout.Infinite, 10)
        try Thread.Sleep(150)
        #expect(later.Count == 0)
        #expect(try stopped.Change(0, 0))
        #expect(try later.waitFor(1))
        try Thread.Sleep(150)
        #expect(later.Count == 1)
        stopped.Dispose()
    }

    @Test func changeToInfiniteStopsAPeriodicTimer() throws {
        let calls = Calls()
        let timer = try Timer(calls.record, nil, 0, 10)
        #expect(try calls.waitFor(2))
        try timer.Change(Timeout.Infinite, Timeout.Infinite)
        let atChange = calls.Count
        try Thread.Sleep(150)
        #expect(calls.Count <= atChange + 1)
        try timer.Change(0, Timeout.Infinite)
        #expect(try calls.waitFor(atChange + 1))
        timer.Dispose()
    }

    @Test func badTimesAndAChangeAfterDisposeThrowAsInDotNet() throws {
        let calls = Calls()
        let dueError = #expect(throws: ArgumentOutOfRangeException.self) { try Timer(calls.record, nil, -2, 0) }
        #expect(dueError?.ParamName == "dueTime")
        let periodError = #expect(throws: ArgumentOutOfRangeException.self) { try Timer(calls.record, nil, 0, -5) }
        #expect(periodError?.ParamName == "period")
        let timer = try Timer(calls.record, nil, Timeout.Infinite, Timeout.Infinite)
        #expect(throws: ArgumentOutOfRangeException.self) { try timer.Change(-2, 0) }
        timer.Dispose()
        #expect(throws: ObjectDisposedException.self) { try timer.Change(0, 0) }
    }

    @Test func anExceptionInTheCallbackDoesNotStopTheTimer() throws {
        let calls = Calls()
        let timer = try Timer({ state in
            calls.record(state)
            throw InvalidOperationException("callback failed")
        }, nil, 0, 10)
        #expect(try calls.waitFor(3))
        timer.Dispose()
    }

    /// A class that keeps its timer in a field and passes its own method, as the MQTT client does.
    final class Pinger {
        private var m_pingTimer: Timer!
        let calls: Calls

        init(_ calls: Calls, weakly: Bool) throws {
            self.calls = calls
            m_pingTimer = weakly
                ? try Timer(weak(self, Pinger.PingTimerProc), nil, 0, 10)
                : try Timer(PingTimerProc, nil, 0, 10)
        }

        func PingTimerProc(_ state: object?) {
            calls.record(state)
        }

        func Stop() { m_pingTimer.Dispose() }
    }

    @Test func anObjectWithItsOwnTimerGoesWhenItsMethodIsPassedWeakly() throws {
        let calls = Calls()
        weak var weakPinger: Pinger?
        do {
            let pinger = try Pinger(calls, weakly: true)
            weakPinger = pinger
            #expect(try calls.waitFor(2))
        }
        for _ in 0..<500 where weakPinger != nil { try Thread.Sleep(10) }
        #expect(weakPinger == nil)
        // Freeing the object released its timer, which stopped.
        try Thread.Sleep(50)
        let afterFree = calls.Count
        try Thread.Sleep(150)
        #expect(calls.Count <= afterFree + 1)
    }

    @Test func anObjectWithItsOwnTimerPassedStronglyGoesWhenTheTimerIsDisposed() throws {
        let calls = Calls()
        weak var weakPinger: Pinger?
        do {
            let pinger = try Pinger(calls, weakly: false)
            weakPinger = pinger
            #expect(try calls.waitFor(2))
        }
        try Thread.Sleep(50)
        do {
            let pinger = try #require(weakPinger, "a strong callback should keep the object alive until Dispose")
            pinger.Stop()
        }
        for _ in 0..<500 where weakPinger != nil { try Thread.Sleep(10) }
        #expect(weakPinger == nil)
    }
}

/// `Thread.Priority`: recorded per thread, `Normal` by default (MIGRATION.md 7.1 gives the decision).
@Suite struct ThreadPriorityTests {
    @Test func aThreadRecordsThePriorityItIsGiven() throws {
        var seen = ThreadPriority.Highest
        let t = Thread {
            seen = Thread.CurrentThread.Priority
            Thread.CurrentThread.Priority = ThreadPriority.BelowNormal
        }
        #expect(t.Priority == ThreadPriority.Normal)
        t.Priority = ThreadPriority.Lowest
        #expect(t.Priority == .Lowest)
        try t.Start()
        try t.Join()
        #expect(seen == .Lowest)
        #expect(t.Priority == .BelowNormal)
        #expect(ThreadPriority.AboveNormal.rawValue == 3)
    }
}
