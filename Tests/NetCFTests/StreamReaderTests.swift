import Glibc
import NetCF
import Testing
import WinsockSSL
import WinsockSSLTesting

/// A stream that hands out the given segments one `Read` at a time, as a network delivers them.
private final class SegmentedStream: NetCF.Stream {
    private var segments: [[UInt8]]
    private(set) var closed = false

    init(_ segments: [String]) {
        self.segments = segments.map { Array($0.utf8) }
    }

    override var CanRead: Bool { !closed }

    override func Read(_ buffer: inout [UInt8], _ offset: int, _ count: int) throws -> int {
        guard !segments.isEmpty else { return 0 }
        let offset = Int(offset)
        let segment = segments[0]
        let n = min(Int(count), segment.count)
        buffer.replaceSubrange(offset..<(offset + n), with: segment[0..<n])
        if n == segment.count { segments.removeFirst() } else { segments[0].removeFirst(n) }
        return int(n)
    }

    override func Close() { closed = true }
}

private func reader(_ text: String) -> StreamReader {
    StreamReader(MemoryStream(Array(text.utf8)))
}

private func readAllLines(_ reader: StreamReader) throws -> [String] {
    var lines: [String] = []
    while let line = try reader.ReadLine() { lines.append(line) }
    return lines
}

// The blog's transcript (SEED-blog-post.txt), byte for byte, including the two spaces in "ready at  Mon".
private let blogBanner = "220 BLU0-SMTP8.blu0.hotmail.com Microsoft ESMTP MAIL Service, Version: 6.0.3790.3959 ready at  Mon, 14 Sep 2009 16:44:33 -0700"
private let blogEHLOReply = [
    "250-BLU0-SMTP8.blu0.hotmail.com Hello [131.107.0.75]",
    "250-TURN",
    "250-SIZE 35840000",
    "250-ETRN",
    "250-PIPELINING",
    "250-DSN",
    "250-ENHANCEDSTATUSCODES",
    "250-8bitmime",
    "250-BINARYMIME",
    "250-CHUNKING",
    "250-VRFY",
    "250-TLS",
    "250-STARTTLS",
    "250 OK",
]
private let blogSTARTTLSReply = "220 2.0.0 SMTP server ready"

@Suite struct StreamReaderLineTests {
    @Test func readLineSplitsOnLineFeedCarriageReturnAndBoth() throws {
        #expect(try readAllLines(reader("a\nb\rc\r\nd\n")) == ["a", "b", "c", "d"])
    }

    @Test func finalLineWithoutATerminatorIsReturned() throws {
        #expect(try readAllLines(reader("220 ready\r\n250 OK")) == ["220 ready", "250 OK"])
    }

    @Test func readLineReturnsNilAtEndOfStreamEveryTime() throws {
        let sr = reader("only\n")
        #expect(try sr.ReadLine() == "only")
        #expect(try sr.ReadLine() == nil)
        #expect(try sr.ReadLine() == nil)
        #expect(try reader("").ReadLine() == nil)
    }

    @Test func emptyLinesArePreserved() throws {
        #expect(try readAllLines(reader("\n\r\n\ra\n\n")) == ["", "", "", "a", ""])
        #expect(try readAllLines(reader("a\r\rb")) == ["a", "", "b"])
    }

    @Test func carriageReturnEndingOneSegmentAndLineFeedStartingTheNextAreOneLineBreak() throws {
        let sr = StreamReader(SegmentedStream(["a\r", "\nb\r", "\n", "c\r", "\r\n"]))
        #expect(try readAllLines(sr) == ["a", "b", "c", ""])
    }

    @Test func carriageReturnEndingASegmentEndsTheLineWhateverFollows() throws {
        let sr = StreamReader(SegmentedStream(["a\r", "b\n"]))
        #expect(try readAllLines(sr) == ["a", "b"])
    }

    @Test func lineSplitAcrossSegmentsIsJoined() throws {
        let sr = StreamReader(SegmentedStream(["250-ST", "ART", "TLS\r", "\n250 ", "OK"]))
        #expect(try readAllLines(sr) == ["250-STARTTLS", "250 OK"])
    }

    @Test func linesLongerThanTheBufferAreReturnedWhole() throws {
        let long = String(repeating: "x", count: 40_000)
        #expect(try readAllLines(reader(long + "\r\n" + "tail")) == [long, "tail"])
    }

    @Test func carriageReturnLineFeedStraddlingTheBufferBoundaryIsOneLineBreak() throws {
        // 16 KiB - 1 characters put "\r" in the last byte of the first buffer fill and "\n" in the next.
        let line = String(repeating: "y", count: 16 * 1024 - 1)
        #expect(try readAllLines(reader(line + "\r\n" + "next\n")) == [line, "next"])
    }

    @Test func closeClosesTheStreamAndLaterReadsThrowObjectDisposed() throws {
        let stream = SegmentedStream(["a\n"])
        let sr = StreamReader(stream)
        sr.Close()
        #expect(stream.closed)
        #expect(throws: ObjectDisposedException.self) { try sr.ReadLine() }
        #expect(throws: ObjectDisposedException.self) { try sr.Read() }
        sr.Dispose()
    }
}

/// The reader returns a line straight from its buffer when the buffer holds the whole of it, and assembles
/// it otherwise; these pin the edges between the two paths.
@Suite struct StreamReaderBufferEdgeTests {
    @Test func carriageReturnEndingAFillAfterWholeLinesAndLineFeedStartingTheNextAreOneLineBreak() throws {
        #expect(try readAllLines(StreamReader(SegmentedStream(["x\r\ny\r", "\nz\r\n"]))) == ["x", "y", "z"])
        #expect(try readAllLines(StreamReader(SegmentedStream(["x\r\ny\r", "\n"]))) == ["x", "y"])
        #expect(try readAllLines(StreamReader(SegmentedStream(["x\ny\r", "z\n"]))) == ["x", "y", "z"])
    }

    @Test func lineEndingInTheFirstBytesOfTheNextFillIsJoined() throws {
        let sr = StreamReader(SegmentedStream(["250-one\r\n250-tw", "o\r\n250-three\r\n", "\n"]))
        #expect(try readAllLines(sr) == ["250-one", "250-two", "250-three", ""])
    }

    @Test func nonASCIIByteInsideAnASCIIFillIsReplacedInItsLineOnly() throws {
        let bytes = Array("250-a\r\n250-J".utf8) + [0xE3] + Array("o\r\n250-b\r\n".utf8)
        #expect(try readAllLines(StreamReader(MemoryStream(bytes), Encoding.ASCII)) == ["250-a", "250-J?o", "250-b"])
    }

    @Test func invalidUTF8InsideAnASCIIFillBecomesOneReplacementCharacter() throws {
        let bytes = Array("250-a\r\n250-J".utf8) + [0xE3] + Array("o\r\n250-J\u{E3}o\r\n250-b\r\n".utf8)
        #expect(try readAllLines(StreamReader(MemoryStream(bytes), Encoding.UTF8)) == ["250-a", "250-J\u{FFFD}o", "250-J\u{E3}o", "250-b"])
    }

    /// 70,000 bytes: longer than four fills, with a two-byte UTF-8 character split by the first fill's end.
    @Test func lineLongerThanSixtyFourKiBWithANonASCIICharacterIsReturnedWhole() throws {
        let head = [UInt8](repeating: 0x61, count: 16 * 1024 - 1) + [0xC3, 0xA3]
        let bytes = head + [UInt8](repeating: 0x62, count: 70_000 - head.count) + Array("\r\nnext".utf8)
        let expectedUTF8 = String(repeating: "a", count: 16 * 1024 - 1) + "\u{E3}" + String(repeating: "b", count: 70_000 - head.count)
        #expect(try readAllLines(StreamReader(MemoryStream(bytes), Encoding.UTF8)) == [expectedUTF8, "next"])
        let expectedASCII = String(repeating: "a", count: 16 * 1024 - 1) + "??" + String(repeating: "b", count: 70_000 - head.count)
        #expect(try readAllLines(StreamReader(MemoryStream(bytes), Encoding.ASCII)) == [expectedASCII, "next"])
    }

    @Test func endOfStreamInsideALineThatSpansFillsReturnsTheLineThenNil() throws {
        let tail = String(repeating: "c", count: 40_000)
        let sr = StreamReader(MemoryStream(Array(("a\r\nb" + tail).utf8)), Encoding.ASCII)
        #expect(try sr.ReadLine() == "a")
        #expect(try sr.ReadLine() == "b" + tail)
        #expect(try sr.ReadLine() == nil)
        #expect(try sr.ReadLine() == nil)
    }
}

@Suite struct StreamReaderDecodingTests {
    @Test func asciiDecodesBytesAbove7FAsQuestionMarks() throws {
        let sr = StreamReader(MemoryStream([0x4A, 0x6F, 0xE3, 0x6F, 0x0A]), Encoding.ASCII)
        #expect(try sr.ReadLine() == "Jo?o")
        #expect(sr.CurrentEncoding.WebName == "us-ascii")
    }

    /// The reader checks each fill for non-ASCII bytes once; the replacement must not depend on where a
    /// fill starts or ends: a non-ASCII byte in a later fill, in a line that spans two fills, and ASCII
    /// lines after a fill that held one all decode as line-by-line checking would.
    @Test func asciiReplacementHoldsAcrossFills() throws {
        let plain = String(repeating: "250-plain ascii line\r\n", count: 1000)  // 22,000 bytes: more than one fill
        let segments = [plain, "250-Jo\u{E3}o\r\n", "250-after\r\n250-spl", "it J\u{E3}", "o\r\n250-end\r\n"]
        let sr = StreamReader(SegmentedStream(segments), Encoding.ASCII)
        var lines = try readAllLines(sr)
        #expect(lines.count == 1004)
        #expect(lines.prefix(1000).allSatisfy { $0 == "250-plain ascii line" })
        lines.removeFirst(1000)
        #expect(lines == ["250-Jo??o", "250-after", "250-split J??o", "250-end"])
    }

    @Test func utf8IsTheDefault() throws {
        let sr = StreamReader(MemoryStream([0x4A, 0x6F, 0xC3, 0xA3, 0x6F]))
        #expect(try sr.ReadLine() == "Jo\u{E3}o")
        #expect(sr.CurrentEncoding.WebName == "utf-8")
    }

    @Test func utf8ByteOrderMarkIsSkippedAndSwitchesToUTF8() throws {
        let sr = StreamReader(MemoryStream([0xEF, 0xBB, 0xBF] + Array("Jo\u{E3}o\n".utf8)), Encoding.ASCII)
        #expect(try sr.ReadLine() == "Jo\u{E3}o")
        #expect(sr.CurrentEncoding.WebName == "utf-8")
    }

    @Test func byteOrderMarkIsDataWhenDetectionIsOff() throws {
        let sr = StreamReader(MemoryStream([0xEF, 0xBB, 0xBF, 0x41]), Encoding.ASCII, false)
        #expect(try sr.ReadLine() == "???A")
        #expect(sr.CurrentEncoding.WebName == "us-ascii")
    }
}

@Suite struct StreamReaderCharacterTests {
    @Test func peekDoesNotConsumeAndReadDoes() throws {
        let sr = reader("ab")
        #expect(try sr.Peek() == 0x61)
        #expect(try sr.Peek() == 0x61)
        #expect(try sr.Read() == 0x61)
        #expect(try sr.Read() == 0x62)
        #expect(try sr.Peek() == -1)
        #expect(try sr.Read() == -1)
    }

    @Test func readGivesUTF16CodeUnitsSoASurrogatePairTakesTwoReads() throws {
        let sr = reader("\u{1F600}")
        #expect(try sr.Peek() == 0xD83D)
        #expect(try sr.Read() == 0xD83D)
        #expect(try sr.Peek() == 0xDE00)
        #expect(try sr.Read() == 0xDE00)
        #expect(try sr.Read() == -1)
    }

    @Test func endOfStreamBecomesTrueOnceEverythingIsRead() throws {
        let sr = reader("a\n")
        #expect(try !sr.EndOfStream)
        #expect(try sr.ReadLine() == "a")
        #expect(try sr.EndOfStream)
        #expect(try reader("").EndOfStream)
    }

    @Test func readToEndReturnsWhatReadLineLeft() throws {
        let sr = reader("line1\r\nrest\nmore")
        #expect(try sr.ReadLine() == "line1")
        #expect(try sr.ReadToEnd() == "rest\nmore")
        #expect(try sr.ReadToEnd() == "")
        #expect(try sr.ReadLine() == nil)
    }
}

@Suite struct StreamReaderOverNetworkStreamTests {
    @Test func carriageReturnInOneTCPSegmentAndLineFeedInTheNextAreOneLineBreak() throws {
        try withConnectedSocket { s, server throws in
            let sr = StreamReader(try NetworkStream(s), Encoding.ASCII)
            try server.send("220 ready\r")
            // Documented difference from .NET: the line comes back without waiting for the byte after "\r".
            #expect(try sr.ReadLine() == "220 ready")
            try server.send("\n250 OK\r\n")
            #expect(try sr.ReadLine() == "250 OK")
            server.close()
            #expect(try sr.ReadLine() == nil)
        }
    }

    @Test func lineSentOneByteAtATimeIsAssembled() throws {
        let line = "250-BLU0-SMTP8.blu0.hotmail.com Hello [131.107.0.75]"
        try withConnectedSocket { s, server throws in
            let sr = StreamReader(try NetworkStream(s), Encoding.ASCII)
            try server.setOption(.noDelay, 1)
            let writer = BackgroundThread {
                for byte in Array((line + "\r\n").utf8) {
                    try server.send([byte])
                    usleep(1000)
                }
                try server.shutdown(.send)
            }
            #expect(try sr.ReadLine() == line)
            #expect(try sr.ReadLine() == nil)
            try writer.finish(within: hangBound)
        }
    }

    @Test func eightMebibyteLineIsReturnedWhole() throws {
        let length = 8 * 1024 * 1024
        try withConnectedSocket { s, server throws in
            let sr = StreamReader(try NetworkStream(s), Encoding.ASCII)
            let writer = BackgroundThread {
                try server.send([UInt8](repeating: 0x78, count: length) + Array("\r\nend".utf8))
                try server.shutdown(.send)
            }
            let line = try sr.ReadLine()
            #expect(line?.utf8.count == length)
            #expect(line == String(repeating: "x", count: length))
            #expect(try sr.ReadLine() == "end")
            #expect(try sr.ReadLine() == nil)
            try writer.finish(within: hangBound)
        }
    }

    @Test func blogLoopsReadTheBlogTranscriptUpTo220() throws {
        let listener = try ListeningSocket()
        defer { listener.close() }
        let smtpServer = "blog-transcript.smtp.example.test"
        HostsTable.shared.set(smtpServer, to: [.loopbackIPv4])
        defer { HostsTable.shared.remove(smtpServer) }
        let port = Int(listener.localEndpoint.port)

        // The server replays the 2009 conversation and records what the client sent.
        let commands = Locked<[String]>([])
        let server = BackgroundThread {
            let connection = try listener.accept(timeout: hangBound)
            defer { connection.close() }
            try connection.send(blogBanner + "\r\n")
            let ehlo = try connection.receiveLine()
            commands.withLock { $0.append(ehlo ?? "<eof>") }
            try connection.send(blogEHLOReply.map { $0 + "\r\n" }.joined())
            let starttls = try connection.receiveLine()
            commands.withLock { $0.append(starttls ?? "<eof>") }
            try connection.send(blogSTARTTLSReply + "\r\n")
            _ = try connection.receive(1)
        }

        // The blog's code, line for line.
        let IPhst = try Dns.GetHostEntry(smtpServer)
        let endPt = IPEndPoint(IPhst.AddressList[0], port)
        let s = try Socket(endPt.AddressFamily, .Stream, .Tcp)
        defer { s.Close() }
        var line: String? = nil
        try s.Connect(endPt)
        let sr = StreamReader(try NetworkStream(s), Encoding.ASCII)
        try s.Send(Encoding.ASCII.GetBytes("EHLO\r\n"))
        while try assign(&line, sr.ReadLine()) != "250 OK" {}
        try s.Send(Encoding.ASCII.GetBytes("STARTTLS\r\n"))
        while try !assign(&line, sr.ReadLine()).StartsWith("220") {}

        #expect(line == blogSTARTTLSReply)
        s.Close()
        try server.finish(within: hangBound)
        #expect(commands.withLock { $0 } == ["EHLO", "STARTTLS"])
    }
}

@Suite struct StreamReaderPreambleTests {
    @Test func utf8ReaderSkipsItsOwnByteOrderMarkEvenWithoutDetection() throws {
        let reader = StreamReader(MemoryStream([0xef, 0xbb, 0xbf, 0x41, 0x0a]), Encoding.UTF8, false)
        #expect(try reader.ReadLine() == "A")
    }
}

@Suite struct ClosedSocketOrderTests {
    @Test func aClosedSocketReportsDisposalBeforeCheckingArguments() throws {
        let s = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        s.Close()
        #expect(throws: ObjectDisposedException.self) { try s.Send([1, 2], 5, 1, .None) }
        var buffer = [UInt8](repeating: 0, count: 2)
        #expect(throws: ObjectDisposedException.self) { try s.Receive(&buffer, 5, 1, .None) }
    }
}

/// `ReadLine` over TLS: each `SSL_write` of the server is one record, and the reader gets at most one record
/// per fill, so lines and line breaks split by records are split across fills.
@Suite struct StreamReaderOverTLSTests {
    let authority: TestCertificateAuthority

    init() throws {
        authority = try TestCertificateAuthority()
    }

    static let longLine = String(repeating: "L", count: 70_000)

    /// Sends each element of `records` with its own `SSL_write` (70,000 bytes go as five records), then
    /// close_notify.
    func linesOverTLS(_ records: [[UInt8]], _ encoding: Encoding) throws -> [String] {
        let server = try TLSTestServer(configuration: TLSServerConfiguration(serving: authority.issue(dnsNames: ["mail.example.test"]))) { connection in
            try connection.startTLS()
            for record in records { try connection.write(record) }
            connection.closeNotify()
        }
        defer { server.stop() }
        let s = try SecureSockets.handshake(port: server.port, name: "mail.example.test", trusting: authority.root)
        defer { s.Close() }
        let sr = StreamReader(try NetworkStream(s), encoding)
        var lines: [String] = []
        while let line = try sr.ReadLine() { lines.append(line) }
        #expect(try sr.ReadLine() == nil)
        return lines
    }

    static let records: [[UInt8]] = [
        Array("250-first\r\n250-sec".utf8), Array("ond\r".utf8), Array("\n250-Jo".utf8),
        [0xE3] + Array("o\r\n250-\u{E3}\r\n".utf8), Array((longLine + "\r\n").utf8), Array("tail".utf8),
    ]

    @Test func linesAndLineBreaksSplitAcrossRecordsReadAsASCII() throws {
        #expect(try linesOverTLS(Self.records, Encoding.ASCII) == ["250-first", "250-second", "250-Jo?o", "250-??", Self.longLine, "tail"])
    }

    @Test func linesAndLineBreaksSplitAcrossRecordsReadAsUTF8() throws {
        #expect(try linesOverTLS(Self.records, Encoding.UTF8) == ["250-first", "250-second", "250-Jo\u{FFFD}o", "250-\u{E3}", Self.longLine, "tail"])
    }
}
