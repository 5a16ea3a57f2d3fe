import Glibc
import NetCF
import Testing

/// Runs `body` with standard output sent to a pipe and returns what it wrote.
private func capturingStandardOutput(_ body: () throws -> Void) throws -> String {
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    let saved = dup(1)
    fflush(nil)
    dup2(fds[1], 1)
    close(fds[1])
    defer {
        dup2(saved, 1)
        close(saved)
    }
    try body()
    dup2(saved, 1)
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    let flags = fcntl(fds[0], F_GETFL)
    _ = fcntl(fds[0], F_SETFL, flags | O_NONBLOCK)
    while true {
        let n = read(fds[0], &buffer, buffer.count)
        if n <= 0 { break }
        bytes += buffer[0..<n]
    }
    close(fds[0])
    return String(decoding: bytes, as: UTF8.self)
}

private final class MessageContext {
    let text: String
    init(_ text: String) { self.text = text }
}

@Suite(.serialized) struct SystemMembersTests {
    @Test func consoleWritesToStandardOutput() throws {
        let output = try capturingStandardOutput {
            Console.WriteLine("220 ready")
            Console.WriteLine(nil as String?)
            try Console.WriteLine("{0} + {1} = {2}", 1, 2, 3)
            Console.Write("no end")
            try Console.Write(" [{0,3}]", 7)
            Console.WriteLine()
            Console.WriteLine(42 as int)
        }
        // Other suites may write to standard output meanwhile, so each line is looked for on its own.
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.contains("220 ready"))
        #expect(lines.contains(""))
        #expect(lines.contains("1 + 2 = 3"))
        #expect(lines.contains("no end [  7]"))
        #expect(lines.contains("42"))
        #expect(!output.contains("Optional"))
        #expect(throws: FormatException.self) { try Console.WriteLine("{1}", 0) }
    }

    @Test func timeoutExceptionIsADotNetException() {
        do {
            throw TimeoutException("No response within 5000 ms.")
        } catch let e as Exception {
            #expect(e.Message == "No response within 5000 ms.")
            #expect(e is TimeoutException)
        } catch {
            Issue.record("not an Exception")
        }
        #expect(TimeoutException().Message == "The operation has timed out.")
    }

    @Test func actionAndFuncOfAnyArity() throws {
        var received: [String] = []
        // private Action<MessageContext> myResponseMessageHandler; (called with null, so MessageContext?)
        let handler: Action<MessageContext?> = { context in received.append(context?.text ?? "null") }
        try handler(MessageContext("hello"))
        try handler(nil)
        let none: Action = { received.append("none") }
        try none()
        let empty: Action<> = { received.append("empty") }
        try empty()
        let two: Action<int, string> = { n, s in received.append("\(n)\(s)") }
        try two(1, "x")
        #expect(received == ["hello", "null", "none", "empty", "1x"])
        let parse: Func<string, int> = { try int.Parse($0) }
        #expect(try parse("12") == 12)
        #expect(throws: FormatException.self) { try parse("x") }
        let constant: Func<int> = { 7 }
        #expect(try constant() == 7)
    }

    @Test func threadStateFollowsTheThread() throws {
        let release = ManualResetEvent(false)
        let sleeping = ManualResetEvent(false)
        let thread = Thread {
            _ = try? sleeping.Set()
            try? Thread.Sleep(200)
            _ = try? release.WaitOne(10_000)
        }
        #expect(thread.ThreadState == ThreadState.Unstarted)
        #expect(thread.ThreadState != ThreadState.Running)
        thread.IsBackground = true
        #expect(thread.ThreadState == (ThreadState.Unstarted | ThreadState.Background))
        try thread.Start()
        #expect(try sleeping.WaitOne(10_000))
        // In Sleep (or, once it ended, in WaitOne: Running) — never Unstarted or Stopped now.
        let state = thread.ThreadState
        #expect((state & ThreadState.Background) != 0)
        #expect((state & ThreadState.Unstarted) == 0)
        #expect((state & ThreadState.Stopped) == 0)
        try release.Set()
        #expect(try thread.Join(10_000))
        #expect(thread.ThreadState == (ThreadState.Stopped | ThreadState.Background))
        #expect(ThreadState.WaitSleepJoin.ToString() == "WaitSleepJoin")
    }

    @Test func threadStateIsWaitSleepJoinInJoin() throws {
        let release = ManualResetEvent(false)
        let inner = Thread { _ = try? release.WaitOne(10_000) }
        try inner.Start()
        let joiner = Thread { try? inner.Join() }
        try joiner.Start()
        // Poll (bounded) until the joiner is inside Join.
        var sawWaiting = false
        for _ in 0..<1000 where !sawWaiting {
            sawWaiting = joiner.ThreadState == ThreadState.WaitSleepJoin
            if !sawWaiting { try Thread.Sleep(5) }
        }
        #expect(sawWaiting)
        try release.Set()
        #expect(try joiner.Join(10_000))
        #expect(joiner.ThreadState == ThreadState.Stopped)
    }

    @Test func toArrayCopiesAnArray() {
        var temp: [byte] = [1, 2, 3]
        let temp_buffer = List<byte>()
        temp_buffer.AddRange(temp.ToArray())
        let copy = temp.ToArray()
        temp[0] = 9
        #expect(copy == [1, 2, 3])
        #expect(temp_buffer.Count == 3)
    }
}
