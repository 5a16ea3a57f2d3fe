import NetCF
import Testing

/// System.Threading as ported CE code uses it. Every wait is bounded (`bound` ms), so a bug fails a test
/// instead of hanging the run.
@Suite struct ThreadingTests {
    let bound: Int32 = 10_000

    /// A class as C# code has it: no `Sendable`, methods run on threads it starts itself.
    final class Worker {
        var count: Int32 = 0
        var ranOn: Thread?
        let started = ManualResetEvent(false)
        let release = ManualResetEvent(false)

        func Count() {
            for _ in 0..<1000 { lock(self) { count += 1 } }
        }

        func RecordAndWait() throws {
            ranOn = Thread.CurrentThread
            try started.Set()
            try release.WaitOne(10_000)
        }

        func Fail() throws {
            throw InvalidOperationException("the loop broke")
        }
    }

    // MARK: Thread

    @Test func threadRunsAnInstanceMethodOfAPlainClassAndJoinWaitsForIt() throws {
        let worker = Worker()
        let threads = (0..<4).map { _ in Thread(worker.Count) }
        for t in threads { try t.Start() }
        for t in threads { #expect(try t.Join(bound)) }
        #expect(worker.count == 4000)
        #expect(threads.allSatisfy { !$0.IsAlive })
    }

    @Test func methodGroupConvertsAsInCSharp() throws {
        let worker = Worker()
        let t = Thread(worker.Count)
        try t.Start()
        #expect(try t.Join(bound))
        #expect(worker.count == 1000)
    }

    /// A port's `main.swift` runs on the main actor; starting a thread and waiting for events there compiles in
    /// Swift 6 mode without annotations, as the C# did.
    @MainActor @Test func portsFromMainActorCodeAsFromTopLevelCode() throws {
        let worker = Worker()
        let t = Thread(worker.Count)
        try t.Start()
        #expect(try t.Join(bound))
        let async = Thread(worker.RecordAndWait)
        try async.Start()
        #expect(try worker.started.WaitOne(bound))
        try worker.release.Set()
        #expect(try async.Join(bound))
        #expect(worker.count == 1000 && worker.ranOn === async)
    }

    @Test func joinWithTimeoutReportsAThreadStillRunningAndIsAliveFollowsIt() throws {
        let worker = Worker()
        let t = Thread(worker.RecordAndWait)
        t.Name = "recorder"
        #expect(!t.IsAlive)
        try t.Start()
        #expect(try worker.started.WaitOne(bound))
        #expect(t.IsAlive)
        #expect(try t.Join(50) == false)
        try worker.release.Set()
        #expect(try t.Join(bound))
        #expect(!t.IsAlive)
        #expect(t.Name == "recorder")
        #expect(worker.ranOn === t, "CurrentThread inside the thread is the Thread object that started it")
    }

    /// What the process does at exit (an `atexit` handler runs this): wait for foreground threads, not for
    /// background ones.
    @Test func exitWaitsForForegroundThreadsButNotForBackgroundOnes() throws {
        let foregroundRelease = ManualResetEvent(false)
        let foreground = Thread { _ = try foregroundRelease.WaitOne(10_000) }
        let backgroundRelease = ManualResetEvent(false)
        let background = Thread { _ = try backgroundRelease.WaitOne(10_000) }
        background.IsBackground = true
        try foreground.Start()
        try background.Start()
        let releaser = Thread {
            try Thread.Sleep(100)
            try foregroundRelease.Set()
        }
        releaser.IsBackground = true
        try releaser.Start()

        ThreadRegistry.waitForForegroundThreads()
        #expect(!foreground.IsAlive, "the foreground thread had ended before the wait returned")
        #expect(background.IsAlive, "a background thread is not waited for")
        try backgroundRelease.Set()
        #expect(try background.Join(bound))
    }

    @Test func aNamedThreadCarriesItsNameInTheSystem() throws {
        let release = ManualResetEvent(false)
        let name = "rx-\(UInt16.random(in: 0...UInt16.max))"
        let t = Thread { _ = try release.WaitOne(10_000) }
        t.Name = name
        try t.Start()
        var seen = 0
        for _ in 0..<500 where seen == 0 {
            seen = liveThreadCount(named: name)
            if seen == 0 { try Thread.Sleep(2) }
        }
        #expect(seen == 1)
        try release.Set()
        #expect(try t.Join(bound))
    }

    @Test func currentThreadIsStableAndIdsAreDistinct() throws {
        let worker = Worker()
        let t = Thread(worker.RecordAndWait)
        try worker.release.Set()
        try t.Start()
        #expect(try t.Join(bound))
        #expect(Thread.CurrentThread === Thread.CurrentThread)
        #expect(Thread.CurrentThread.ManagedThreadId != t.ManagedThreadId)
        #expect(Thread(worker.Count).ManagedThreadId != t.ManagedThreadId)
    }

    /// `reader = new Thread(ReceiveLoop)` in an object: the object holds its thread and the thread its method.
    /// Once the thread has ended, both can go, as .NET's collector would free them.
    @Test func anObjectHoldingItsOwnThreadIsFreedAfterTheThreadEnds() throws {
        final class Client {
            var reader: Thread?
            let done = ManualResetEvent(false)
            func ReceiveLoop() throws { try done.Set() }
            func Start() throws {
                reader = Thread(ReceiveLoop)
                try reader!.Start()
            }
        }
        weak var released: Client?
        weak var releasedThread: Thread?
        do {
            let client = Client()
            try client.Start()
            #expect(try client.done.WaitOne(bound))
            #expect(try client.reader!.Join(bound))
            released = client
            releasedThread = client.reader
        }
        // The native thread lets go of the Thread object just after the method returns.
        for _ in 0..<500 where released != nil || releasedThread != nil { try Thread.Sleep(2) }
        #expect(released == nil, "the client was kept alive by its finished thread")
        #expect(releasedThread == nil)
    }

    @Test func startingTwiceAndJoiningUnstartedThreadThrowThreadStateException() throws {
        let worker = Worker()
        let t = Thread(worker.Count)
        #expect(throws: ThreadStateException.self) { try t.Join() }
        try t.Start()
        #expect(throws: ThreadStateException.self) { try t.Start() }
        #expect(try t.Join(bound))
        #expect(throws: ThreadStateException.self) { try t.Start() }
    }

    @Test func aThreadJoiningItselfGetsAnExceptionInsteadOfWaitingForever() throws {
        let outcome = Outcome()
        let t = Thread { outcome.record { try Thread.CurrentThread.Join() } }
        try t.Start()
        #expect(try t.Join(bound))
        #expect(outcome.error is ThreadStateException)
    }

    @Test func anUncaughtExceptionEndsOnlyItsThread() throws {
        let worker = Worker()
        let t = Thread(worker.Fail)
        t.IsBackground = true
        #expect(t.IsBackground)
        try t.Start()
        #expect(try t.Join(bound))
        #expect(!t.IsAlive)
    }

    @Test func sleepWaitsAtLeastItsTimeAndRefusesNegativeTimeouts() throws {
        let clock = ContinuousClock()
        let start = clock.now
        try Thread.Sleep(30)
        #expect(clock.now - start >= .milliseconds(30))
        try Thread.Sleep(0)
        #expect(throws: ArgumentOutOfRangeException.self) { try Thread.Sleep(-2) }
        #expect(throws: ArgumentOutOfRangeException.self) { try Thread {}.Join(-5) }
        #expect(Timeout.Infinite == -1)
    }

    @Test func threadPoolRunsEachWorkItemOnABackgroundThreadWithItsState() throws {
        final class Job {
            var ranOn: Int32 = 0
            var state: AnyObject?
            let done = ManualResetEvent(false)
            func Work(_ state: AnyObject?) throws {
                ranOn = Thread.CurrentThread.ManagedThreadId
                self.state = state
                try done.Set()
            }
        }
        let job = Job()
        let state = Worker()
        #expect(try ThreadPool.QueueUserWorkItem(job.Work, state))
        #expect(try job.done.WaitOne(bound))
        #expect(job.state === state)
        #expect(job.ranOn != Thread.CurrentThread.ManagedThreadId)
        let failing = ManualResetEvent(false)
        #expect(try ThreadPool.QueueUserWorkItem { _ in
            try failing.Set()
            throw NotSupportedException("a failing work item ends only itself")
        })
        #expect(try failing.WaitOne(bound))
    }

    // MARK: Events

    @Test func manualResetEventStaysSignalledForEveryWaiterUntilReset() throws {
        let e = ManualResetEvent(false)
        #expect(try e.WaitOne(0) == false)
        let passed = Counter()
        let waiters = (0..<3).map { _ in Thread { if (try? e.WaitOne(10_000)) == true { passed.add() } } }
        for t in waiters { try t.Start() }
        try e.Set()
        for t in waiters { #expect(try t.Join(bound)) }
        #expect(passed.value == 3)
        #expect(try e.WaitOne(0))
        #expect(try e.WaitOne())
        try e.Reset()
        #expect(try e.WaitOne(20) == false)
        let handle: WaitHandle = ManualResetEvent(true)
        #expect(try handle.WaitOne(0, false))
    }

    @Test func autoResetEventLetsOneWaiterThroughPerSet() throws {
        let e = AutoResetEvent(false)
        let passed = Counter()
        let waiters = (0..<2).map { _ in Thread { if (try? e.WaitOne(300)) == true { passed.add() } } }
        for t in waiters { try t.Start() }
        try e.Set()
        for t in waiters { #expect(try t.Join(bound)) }
        #expect(passed.value == 1)
        #expect(try e.WaitOne(0) == false, "the one Set was consumed")
        try e.Set()
        #expect(try e.WaitOne(0))
        #expect(try e.WaitOne(0) == false)
    }

    @Test func closedEventAndBadTimeoutsThrow() throws {
        let e = AutoResetEvent(false)
        #expect(throws: ArgumentOutOfRangeException.self) { try e.WaitOne(-2) }
        let outcome = Outcome()
        let waiter = Thread { outcome.record { try e.WaitOne(10_000) } }
        try waiter.Start()
        try Thread.Sleep(20)
        e.Close()
        #expect(try waiter.Join(bound))
        #expect(outcome.error is ObjectDisposedException, "a waiter blocked in WaitOne is woken by Close")
        #expect(throws: ObjectDisposedException.self) { try e.WaitOne(0) }
        #expect(throws: ObjectDisposedException.self) { try e.Set() }
    }

    @Test func waitAnyReturnsTheSignalledHandlesIndex() throws {
        let connected = AutoResetEvent(false)
        let stop = ManualResetEvent(false)
        let handles: [WaitHandle] = [connected, stop]
        #expect(try WaitHandle.WaitAny(handles, 0) == WaitHandle.WaitTimeout)
        #expect(try WaitHandle.WaitAny(handles, 20, false) == 258)

        let setter = Thread {
            try Thread.Sleep(30)
            try stop.Set()
        }
        try setter.Start()
        #expect(try WaitHandle.WaitAny(handles, bound) == 1, "woken by a Set on another thread")
        #expect(try setter.Join(bound))

        try connected.Set()
        #expect(try WaitHandle.WaitAny(handles) == 0, "the lowest index when several are signalled")
        #expect(try connected.WaitOne(0) == false, "the auto-reset event it returned for was reset")
        #expect(try stop.WaitOne(0), "the others are left as they were")

        #expect(throws: ArgumentException.self) { try WaitHandle.WaitAny([]) }
        stop.Close()
        #expect(throws: ObjectDisposedException.self) { try WaitHandle.WaitAny(handles, 0) }
    }

    @Test func waitAllTakesEveryHandleAtOnceOrNothing() throws {
        let first = AutoResetEvent(false)
        let second = AutoResetEvent(false)
        try first.Set()
        #expect(try WaitHandle.WaitAll([first, second], 20) == false)
        #expect(try first.WaitOne(0), "a WaitAll that timed out took nothing")

        try first.Set()
        let setter = Thread {
            try Thread.Sleep(30)
            try second.Set()
        }
        try setter.Start()
        #expect(try WaitHandle.WaitAll([first, second], bound, false))
        #expect(try setter.Join(bound))
        #expect(try first.WaitOne(0) == false && second.WaitOne(0) == false, "both were taken together")

        #expect(throws: ArgumentException.self) { try WaitHandle.WaitAll([first, first], 0) }
        #expect(throws: ArgumentOutOfRangeException.self) { try WaitHandle.WaitAll([first], -3) }
    }

    // MARK: lock and Monitor

    @Test func lockExcludesOtherThreadsAndIsReentrant() throws {
        let worker = Worker()
        let holder = Thread {
            lock(worker) {
                lock(worker) { _ = try? worker.started.Set() }
                _ = try? worker.release.WaitOne(10_000)
            }
        }
        try holder.Start()
        #expect(try worker.started.WaitOne(bound))
        #expect(Monitor.TryEnter(worker) == false, "another thread holds the lock")
        #expect(try Monitor.TryEnter(worker, 20) == false)
        try worker.release.Set()
        #expect(try Monitor.TryEnter(worker, bound), "the holder released both levels")
        try Monitor.Exit(worker)
        #expect(try holder.Join(bound))
    }

    @Test func lockIsReleasedWhenItsBodyThrows() throws {
        let worker = Worker()
        #expect(throws: InvalidOperationException.self) { try lock(worker) { try worker.Fail() } }
        let other = Outcome()
        let t = Thread { other.record { if !Monitor.TryEnter(worker) { throw InvalidOperationException("still held") } else { try Monitor.Exit(worker) } } }
        try t.Start()
        #expect(try t.Join(bound))
        #expect(other.error == nil)
    }

    @Test func exitWaitAndPulseWithoutTheLockThrowSynchronizationLockException() throws {
        let worker = Worker()
        #expect(throws: SynchronizationLockException.self) { try Monitor.Exit(worker) }
        #expect(throws: SynchronizationLockException.self) { try Monitor.Wait(worker, 10) }
        #expect(throws: SynchronizationLockException.self) { try Monitor.Pulse(worker) }
        #expect(throws: SynchronizationLockException.self) { try Monitor.PulseAll(worker) }
        Monitor.Enter(worker)
        try Monitor.Exit(worker)
        #expect(throws: SynchronizationLockException.self) { try Monitor.Exit(worker) }
    }

    /// The classic producer/consumer queue of CE programs: `Monitor.Wait` in a loop, `Monitor.Pulse` per item.
    @Test func waitAndPulseHandItemsFromProducerToConsumer() throws {
        final class Channel {
            var items: [Int] = []
            var taken: [Int] = []
        }
        let channel = Channel()
        let consumer = Thread {
            for _ in 0..<50 {
                try lock(channel) {
                    while channel.items.isEmpty {
                        guard try Monitor.Wait(channel, 10_000) else { throw InvalidOperationException("no pulse") }
                    }
                    channel.taken.append(channel.items.removeFirst())
                }
            }
        }
        try consumer.Start()
        for i in 0..<50 {
            try lock(channel) {
                channel.items.append(i)
                try Monitor.Pulse(channel)
            }
        }
        #expect(try consumer.Join(bound))
        #expect(channel.taken == Array(0..<50))
    }

    @Test func waitTimesOutWithTheLockRetakenAndPulseAllWakesEveryWaiter() throws {
        let worker = Worker()
        try lock(worker) {
            Monitor.Enter(worker)  // two levels: Wait must restore both
            #expect(try Monitor.Wait(worker, 20) == false)
            try Monitor.Exit(worker)
        }
        #expect(Monitor.TryEnter(worker))
        try Monitor.Exit(worker)

        let woken = Counter()
        let ready = Counter()
        let waiters = (0..<3).map { _ in
            Thread {
                try lock(worker) {
                    ready.add()
                    if try Monitor.Wait(worker, 10_000) { woken.add() }
                }
            }
        }
        for t in waiters { try t.Start() }
        for _ in 0..<1000 where ready.value < 3 { try Thread.Sleep(5) }
        try lock(worker) { try Monitor.PulseAll(worker) }
        for t in waiters { #expect(try t.Join(bound)) }
        #expect(woken.value == 3)
    }

    // MARK: Interlocked

    @Test func interlockedOperationsAreAtomicAndReturnWhatDotNetReturns() throws {
        final class Shared {
            var hits: Int32 = 0
            var total: Int64 = 0
        }
        let shared = Shared()
        // Each update is made under one lock, but Swift counts the caller's `&shared.hits` as an access that
        // begins before the lock is taken, and ThreadSanitizer reports those overlapping accesses (see
        // `Interlocked`); under it, one thread runs, so the sanitizer run stays meaningful for everything else.
        let threadCount = runningUnderThreadSanitizer ? 1 : 4
        let threads = (0..<threadCount).map { _ in
            Thread {
                for _ in 0..<5000 {
                    Interlocked.Increment(&shared.hits)
                    Interlocked.Add(&shared.total, 2)
                }
            }
        }
        for t in threads { try t.Start() }
        for t in threads { #expect(try t.Join(bound)) }
        #expect(shared.hits == Int32(threadCount * 5000))
        #expect(shared.total == Int64(threadCount * 10_000))

        var value: Int32 = 5
        #expect(Interlocked.Increment(&value) == 6)
        #expect(Interlocked.Decrement(&value) == 5)
        #expect(Interlocked.Add(&value, 10) == 15)
        #expect(Interlocked.Exchange(&value, 1) == 15 && value == 1)
        #expect(Interlocked.CompareExchange(&value, 7, 2) == 1 && value == 1, "no store when the comparand differs")
        #expect(Interlocked.CompareExchange(&value, 7, 1) == 1 && value == 7)
        var top = Int32.max
        #expect(Interlocked.Increment(&top) == Int32.min, "wraps as .NET does")
        let a = Worker(), b = Worker()
        var slot: Worker? = a
        #expect(Interlocked.CompareExchange(&slot, b, Worker()) === a && slot === a)
        #expect(Interlocked.CompareExchange(&slot, b, a) === a && slot === b)
        #expect(Interlocked.Exchange(&slot, nil) === b && slot == nil)
    }
}

/// A count several threads add to.
final class Counter: Sendable {
    private let storage = Locked<Int>(0)
    func add() { storage.withLock { $0 += 1 } }
    var value: Int { storage.withLock { $0 } }
}

/// What a piece of work threw, kept for the test thread to look at.
final class Outcome: Sendable {
    private let storage = Locked<(any Error)?>(nil)
    func record(_ body: () throws -> Void) {
        do { try body() } catch { storage.withLock { $0 = error } }
    }
    var error: (any Error)? { storage.withLock { $0 } }
}
