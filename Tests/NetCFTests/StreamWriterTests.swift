import NetCF
import Testing
import WinsockSSL

@Suite struct StreamWriterTests {
    @Test func newLineIsCarriageReturnLineFeed() throws {
        let memory = MemoryStream()
        let writer = StreamWriter(memory)
        #expect(writer.NewLine == "\r\n")
        try writer.WriteLine("EHLO")
        try writer.WriteLine()
        try writer.Flush()
        #expect(memory.ToArray() == Array("EHLO\r\n\r\n".utf8))
    }

    @Test func textIsBufferedUntilFlush() throws {
        let memory = MemoryStream()
        let writer = StreamWriter(memory)
        try writer.Write("STARTTLS")
        try writer.Write(Character("\r"))
        try writer.Write(Character("\n"))
        #expect(memory.Length == 0)
        try writer.Flush()
        #expect(memory.ToArray() == Array("STARTTLS\r\n".utf8))
        try writer.Flush()
        #expect(memory.Length == 10)
    }

    @Test func aFullBufferIsWrittenWithoutFlush() throws {
        let memory = MemoryStream()
        let writer = StreamWriter(memory)
        try writer.Write(String(repeating: "a", count: 5000))
        #expect(memory.Length == 5000)
    }

    @Test func autoFlushWritesEachCallAtOnce() throws {
        let memory = MemoryStream()
        let writer = StreamWriter(memory)
        writer.AutoFlush = true
        try writer.Write("EHLO")
        #expect(memory.ToArray() == Array("EHLO".utf8))
        try writer.WriteLine("")
        #expect(memory.ToArray() == Array("EHLO\r\n".utf8))
    }

    @Test func turningAutoFlushOnFlushesWhatIsPending() throws {
        let memory = MemoryStream()
        let writer = StreamWriter(memory)
        try writer.Write("pending")
        #expect(memory.Length == 0)
        writer.AutoFlush = true
        #expect(memory.ToArray() == Array("pending".utf8))
    }

    @Test func closeFlushesThenClosesTheStream() throws {
        let memory = MemoryStream()
        let writer = StreamWriter(memory)
        try writer.Write("QUIT\r\n")
        writer.Close()
        #expect(memory.ToArray() == Array("QUIT\r\n".utf8))
        #expect(!memory.CanWrite)
        #expect(throws: ObjectDisposedException.self) { try memory.Write([1], 0, 1) }
        #expect(throws: ObjectDisposedException.self) { try writer.Write("more") }
        #expect(throws: ObjectDisposedException.self) { try writer.Flush() }
        writer.Close()
    }

    @Test func asciiWriterTurnsNonAsciiIntoQuestionMarks() throws {
        let memory = MemoryStream()
        let writer = StreamWriter(memory, Encoding.ASCII)
        try writer.Write("Jo\u{E3}o")
        try writer.Flush()
        #expect(memory.ToArray() == Array("Jo?o".utf8))
    }

    @Test func defaultEncodingIsUTF8WithoutAByteOrderMark() throws {
        let memory = MemoryStream()
        let writer = StreamWriter(memory)
        try writer.Write("Jo\u{E3}o")
        try writer.Flush()
        #expect(memory.ToArray() == [0x4A, 0x6F, 0xC3, 0xA3, 0x6F])
    }

    @Test func autoFlushWriterOverANetworkStreamReachesThePeerAtOnce() throws {
        try withConnectedSocket { s, server throws in
            let writer = StreamWriter(try NetworkStream(s), Encoding.ASCII)
            writer.AutoFlush = true
            try writer.WriteLine("EHLO")
            #expect(try server.receiveLine() == "EHLO")
            writer.Close()
            // The stream does not own the socket, so closing the writer leaves the socket open.
            #expect(s.Connected)
        }
    }
}
