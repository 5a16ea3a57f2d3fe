import NetCF
import Testing

/// The once-each members of issue 13 item 13: Queue, UTF8Encoding, String.Format, StartsWith with a
/// StringComparison, BSTRs, and `Exception` as the type that catches every .NET exception.
@Suite struct SystemTypesTests {
    // MARK: Queue

    @Test func genericQueueIsFirstInFirstOut() throws {
        let q = Queue<String>()
        q.Enqueue("a")
        q.Enqueue("b")
        q.Enqueue("c")
        #expect(q.Count == 3)
        #expect(try q.Peek() == "a")
        #expect(try q.Dequeue() == "a")
        #expect(q.Contains("c") && !q.Contains("a"))
        #expect(q.ToArray() == ["b", "c"])
        #expect(Array(q) == ["b", "c"], "foreach sees the elements in order")
        q.Clear()
        #expect(q.Count == 0)
        let empty = try #require(throws: InvalidOperationException.self) { try q.Dequeue() }
        #expect(empty.Message == "Queue empty.")
        #expect(throws: InvalidOperationException.self) { try q.Peek() }
        #expect(throws: ArgumentOutOfRangeException.self) { try Queue<Int32>(-1) }
        #expect(Queue([1, 2, 3]).ToArray() == [1, 2, 3])
    }

    @Test func longRunningQueueKeepsOrderWhileReclaimingSpace() throws {
        let q = Queue<Int>()
        var expected = 0
        for i in 0..<10_000 {
            q.Enqueue(i)
            if i % 3 != 0 {
                #expect(try q.Dequeue() == expected)
                expected += 1
            }
        }
        while q.Count > 0 {
            #expect(try q.Dequeue() == expected)
            expected += 1
        }
        #expect(expected == 10_000)
    }

    /// `private Queue sendQueue = new Queue();` and `(byte[])sendQueue.Dequeue()`, shared by two threads
    /// through the synchronized wrapper.
    @Test func nonGenericQueueHoldsObjectsAndItsSynchronizedWrapperIsThreadSafe() throws {
        final class Sender {
            var sendQueue: Queue = Queue()
            lazy var shared: Queue = Queue.Synchronized(sendQueue)
        }
        let sender = Sender()
        sender.sendQueue.Enqueue([UInt8]([1, 2]))
        sender.sendQueue.Enqueue("text")
        #expect(try sender.sendQueue.Dequeue() as? [UInt8] == [1, 2])
        #expect(try sender.sendQueue.Dequeue() as? String == "text")

        let shared = sender.shared
        #expect(shared.IsSynchronized && !sender.sendQueue.IsSynchronized)
        let sameRoot = shared.SyncRoot === sender.sendQueue.SyncRoot
        #expect(sameRoot)
        let producers = (0..<4).map { p in Thread { for i in 0..<500 { shared.Enqueue(p * 1000 + i) } } }
        for t in producers { try t.Start() }
        for t in producers { #expect(try t.Join(10_000)) }
        #expect(sender.sendQueue.Count == 2000, "the wrapper and the queue share their elements")
    }

    // MARK: UTF8Encoding

    @Test func utf8EncodingIsTheUTF8Encoding() throws {
        let utf8: UTF8Encoding = UTF8Encoding()
        #expect(utf8.GetBytes("é€") == [0xC3, 0xA9, 0xE2, 0x82, 0xAC])
        #expect(utf8.GetString([0x68, 0x69]) == "hi")
        #expect(utf8.WebName == "utf-8")
        #expect(UTF8Encoding(true).GetBytes("a") == [0x61], "GetBytes never writes a byte order mark")
        #expect(try UTF8Encoding(false, false).GetString([0xFF]) == "\u{FFFD}")
        #expect(throws: NotSupportedException.self) { try UTF8Encoding(false, true) }
    }

    // MARK: String.Format

    @Test func formatFillsPlaceholdersWithAlignmentAndSpecifiers() throws {
        #expect(try String.Format("{0} + {0} = {1}", Int32(2), Int32(4)) == "2 + 2 = 4")
        #expect(try String.Format("[{0,5}]", Int32(42)) == "[   42]")
        #expect(try String.Format("[{0,-5}]", "ab") == "[ab   ]")
        #expect(try String.Format("{0:X}", Int32(255)) == "FF")
        #expect(try String.Format("{0:x8}", Int32(-1)) == "ffffffff")
        #expect(try String.Format("{0:X2}", UInt8(10)) == "0A")
        #expect(try String.Format("{0:X}", Int16(-2)) == "FFFE", "hexadecimal of the value's bits at its width")
        #expect(try String.Format("{0:D2}:{1:D2}", Int32(7), Int32(5)) == "07:05")
        #expect(try String.Format("{0:D4}", Int32(-42)) == "-0042")
        #expect(try String.Format("{0:N0} bytes", Int32(1_234_567)) == "1,234,567 bytes")
        #expect(try String.Format("{0:N}", Int64(-1000)) == "-1,000.00")
        #expect(try String.Format("{0:F1}", 2.25) == "2.3")
        #expect(try String.Format("{0:F2}", -0.004) == "0.00")
        #expect(try String.Format("{0:N2}", 12345.678) == "12,345.68")
        #expect(try String.Format("{0}", 2.0) == "2")
        #expect(try String.Format("{0}", 0.5) == "0.5")
        #expect(try String.Format("{0:0000}", Int32(42)) == "0042")
        #expect(try String.Format("{{{0}}}", true) == "{True}")
        #expect(try String.Format("{0}|{1}|{2,3}", nil, "x", "é") == "|x|  é")
        #expect(try String.Format("{0}", IPAddress.Loopback) == "127.0.0.1")
        #expect(try String.Format("{0:X4}{1,6:D3}", Int32(0x1F), Int32(9)) == "001F   009")
    }

    @Test func badFormatsThrowFormatException() throws {
        let index = try #require(throws: FormatException.self) { try String.Format("{1}", "only one") }
        #expect(index.Message.contains("less than the size of the argument list"))
        for bad in ["{", "}", "{0", "{a}", "{0,}", "{0,x}", "{0:D{1}}", "x } y", "{-1}"] {
            let error = try #require(throws: FormatException.self, "\(bad)") { try String.Format(bad, Int32(1)) }
            #expect(error.Message == "Input string was not in a correct format.", "\(bad)")
        }
        #expect(throws: FormatException.self) { try String.Format("{0:Z}", Int32(1)) }
        #expect(throws: FormatException.self) { try String.Format("{0:X}", 1.5) }
        let unsupported = try #require(throws: NotSupportedException.self) { try String.Format("{0:E3}", Int32(1)) }
        #expect(unsupported.Message.contains("E3"))
        #expect(throws: NotSupportedException.self) { try String.Format("{0:#,##0}", Int32(1)) }
    }

    // MARK: StartsWith with StringComparison

    @Test func comparisonsFollowTheirStringComparison() throws {
        #expect("AUTH TLS".StartsWith("auth", StringComparison.OrdinalIgnoreCase))
        #expect(!"AUTH TLS".StartsWith("auth", StringComparison.Ordinal))
        #expect("AUTH TLS".StartsWith("AUTH", .Ordinal))
        #expect("250-STARTTLS".EndsWith("starttls", .InvariantCultureIgnoreCase))
        #expect("250-STARTTLS".IndexOf("starttls", .CurrentCultureIgnoreCase) == 4)
        #expect("250-STARTTLS".IndexOf("x", .Ordinal) == -1)
        #expect("Content-Type".Equals("content-type", .OrdinalIgnoreCase))
        #expect(String.Equals(nil, nil, .Ordinal) && !String.Equals("a", nil, .Ordinal))
        let missing: String? = nil
        #expect(throws: NullReferenceException.self) { try missing.StartsWith("220", .Ordinal) }
        let line: String? = "220 ready"
        #expect(try line.StartsWith("220", .Ordinal))
    }

    // MARK: BSTR

    @Test func bstrIsALengthPrefixBeforeTheUTF16TextOnTheEmulatedHeap() throws {
        let bstr = try Marshal.StringToBSTR("mail.é")
        #expect(try Marshal.ReadInt32(bstr, -4) == 12, "the prefix counts bytes, not characters")
        #expect(try Marshal.ReadInt16(bstr, 0) == 0x6D)
        #expect(try Marshal.ReadInt16(bstr, 10) == 0xE9)
        #expect(try Marshal.ReadInt16(bstr, 12) == 0, "a NUL follows the text")
        #expect(try Marshal.PtrToStringBSTR(bstr) == "mail.é")
        #expect(try Marshal.PtrToStringUni(bstr) == "mail.é", "the text is also a NUL-terminated wide string")
        try Marshal.FreeBSTR(bstr)
        #expect(throws: AccessViolationException.self) { try Marshal.PtrToStringBSTR(bstr) }
        #expect(throws: AccessViolationException.self) { try Marshal.FreeBSTR(bstr) }
    }

    @Test func bstrKeepsEmbeddedNulsAndRefusesWhatIsNotABSTR() throws {
        let bstr = try Marshal.StringToBSTR("a\u{0}b")
        defer { try? Marshal.FreeBSTR(bstr) }
        #expect(try Marshal.PtrToStringBSTR(bstr) == "a\u{0}b")
        #expect(try Marshal.StringToBSTR(nil) == IntPtr.Zero)
        try Marshal.FreeBSTR(IntPtr.Zero)
        #expect(throws: ArgumentNullException.self) { try Marshal.PtrToStringBSTR(IntPtr.Zero) }
        let plain = try Marshal.StringToHGlobalUni("abc")
        defer { try? Marshal.FreeHGlobal(plain) }
        #expect(throws: AccessViolationException.self, "an HGLOBAL string is not a BSTR") { try Marshal.FreeBSTR(plain) }
        let empty = try Marshal.StringToBSTR("")
        #expect(try Marshal.PtrToStringBSTR(empty) == "")
        try Marshal.FreeBSTR(empty)
        let ansi = try Marshal.StringToHGlobalAnsi("host")
        defer { try? Marshal.FreeHGlobal(ansi) }
        #expect(try Marshal.PtrToStringAnsi(ansi) == "host")
    }

    // MARK: Exceptions

    @Test func exceptionCatchesEveryDotNetExceptionWithItsMessage() throws {
        let throwers: [() throws -> Void] = [
            { throw SocketException(10061) },
            { _ = try Queue<Int>().Dequeue() },
            { _ = try String.Format("{") },
            { throw NotImplementedException() },
            { throw NotSupportedException() },
            { try Monitor.Exit(Queue<Int>()) },
            { try Thread {}.Join() },
            { throw ObjectDisposedException("x") },
        ]
        var messages: [String] = []
        for body in throwers {
            do {
                try body()
                Issue.record("nothing was thrown")
            } catch let e as Exception {
                messages.append(e.Message)
            }
        }
        #expect(messages.count == throwers.count)
        #expect(messages.allSatisfy { !$0.isEmpty })
        #expect(NotImplementedException().Message == "The method or operation is not implemented.")
        #expect(NotImplementedException().ToString() == "System.NotImplementedException: The method or operation is not implemented.")
        #expect(NotSupportedException("no").ToString() == "System.NotSupportedException: no")
    }
}
