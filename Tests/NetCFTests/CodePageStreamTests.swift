import NetCF
import Testing

/// A stream that hands out the given byte segments one `Read` at a time, as a network delivers them.
private final class ByteSegmentStream: NetCF.Stream {
    private var segments: [[UInt8]]

    init(_ segments: [[UInt8]]) {
        self.segments = segments.filter { !$0.isEmpty }
    }

    override var CanRead: Bool { true }

    override func Read(_ buffer: inout [UInt8], _ offset: int, _ count: int) throws -> int {
        guard !segments.isEmpty else { return 0 }
        let offset = Int(offset)
        let n = min(Int(count), segments[0].count)
        buffer.replaceSubrange(offset..<(offset + n), with: segments[0][0..<n])
        if n == segments[0].count { segments.removeFirst() } else { segments[0].removeFirst(n) }
        return int(n)
    }
}

/// `bytes` cut into pieces of `size` bytes.
private func pieces(_ bytes: [UInt8], _ size: Int) -> [[UInt8]] {
    stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min($0 + size, bytes.count)]) }
}

private func readAllLines(_ reader: StreamReader) throws -> [String] {
    var lines: [String] = []
    while let line = try reader.ReadLine() { lines.append(line) }
    return lines
}

@Suite struct CodePageStreamTests {
    // "Café €5\r\nStück\n" and "Ø\r" in Windows-1252.
    private static let cp1252Lines: [UInt8] = [
        0x43, 0x61, 0x66, 0xE9, 0x20, 0x80, 0x35, 0x0D, 0x0A, 0x53, 0x74, 0xFC, 0x63, 0x6B, 0x0A, 0xD8, 0x0D,
    ]

    @Test func streamReaderReadsWindows1252Lines() throws {
        let reader = StreamReader(MemoryStream(Self.cp1252Lines), try Encoding.GetEncoding(1252))
        #expect(try readAllLines(reader) == ["Caf\u{E9} \u{20AC}5", "St\u{FC}ck", "\u{D8}"])
        #expect(reader.CurrentEncoding.CodePage == 1252)
    }

    @Test func streamReaderReadsWindows1252LinesSplitAcrossReads() throws {
        let reader = StreamReader(ByteSegmentStream(pieces(Self.cp1252Lines, 3)), Encoding.Default)
        #expect(try readAllLines(reader) == ["Caf\u{E9} \u{20AC}5", "St\u{FC}ck", "\u{D8}"])
    }

    @Test func streamReaderReadAndReadToEndUseTheCodePage() throws {
        let reader = StreamReader(MemoryStream([0x80, 0xE9, 0x41, 0x9C]), try Encoding.GetEncoding(1252))
        #expect(try reader.Peek() == 0x20AC)
        #expect(try reader.Read() == 0x20AC)
        #expect(try reader.Read() == 0xE9)
        #expect(try reader.ReadToEnd() == "A\u{153}")
    }

    // "Scan 1\r\n", "Ü€ 2\n", "\r\n", "😀" in UTF-16, little-endian, after its byte order mark.
    private static let utf16Text = "Scan 1\r\n\u{DC}\u{20AC} 2\n\r\n\u{1F600}"

    @Test func streamReaderReadsUTF16LinesSplitAtOddBytes() throws {
        let bytes = Encoding.Unicode.GetPreamble() + Encoding.Unicode.GetBytes(Self.utf16Text)
        for size in [1, 3, 7, 1000] {
            let reader = StreamReader(ByteSegmentStream(pieces(bytes, size)), Encoding.Unicode)
            #expect(try readAllLines(reader) == ["Scan 1", "\u{DC}\u{20AC} 2", "", "\u{1F600}"], "pieces of \(size)")
        }
    }

    @Test func streamReaderTakesTheUTF16ByteOrderFromTheByteOrderMark() throws {
        let bytes = Encoding.BigEndianUnicode.GetPreamble() + Encoding.BigEndianUnicode.GetBytes("Z\u{FC}rich\r\nOK")
        let reader = StreamReader(MemoryStream(bytes), Encoding.Unicode)
        #expect(try readAllLines(reader) == ["Z\u{FC}rich", "OK"])
        #expect(reader.CurrentEncoding === Encoding.BigEndianUnicode)
    }

    @Test func streamReaderReadsUTF16WithoutAByteOrderMark() throws {
        let reader = StreamReader(MemoryStream(Encoding.BigEndianUnicode.GetBytes("a\u{E9}\n\u{1F600}b")), Encoding.BigEndianUnicode)
        #expect(try reader.ReadLine() == "a\u{E9}")
        #expect(try reader.Peek() == 0xD83D)
        #expect(try reader.Read() == 0xD83D)
        #expect(try reader.Read() == 0xDE00)
        #expect(try reader.ReadToEnd() == "b")
        #expect(try reader.Read() == -1)
        #expect(try reader.ReadLine() == nil)
    }

    @Test func streamReaderEndsAUTF16StreamWithAnOddByteInAReplacementCharacter() throws {
        let reader = StreamReader(MemoryStream([0x41, 0x00, 0x0A, 0x00, 0x42]), Encoding.Unicode)
        #expect(try readAllLines(reader) == ["A", "\u{FFFD}"])
    }

    @Test func streamReaderGivenASingleByteEncodingDoesNotSwitchToUTF16() throws {
        // FF FE opens a Telnet negotiation too; only a reader given UTF-16 treats it as a byte order mark.
        let reader = StreamReader(MemoryStream([0xFF, 0xFE, 0x41, 0x0A]), Encoding.Default)
        #expect(try reader.ReadLine() == "\u{FF}\u{FE}A")
    }

    @Test func streamWriterWritesTheCodePageWithoutAPreamble() throws {
        let memory = MemoryStream()
        let writer = StreamWriter(memory, try Encoding.GetEncoding(1252))
        try writer.WriteLine("\u{E9}\u{20AC}\u{65E5}")
        try writer.Flush()
        #expect(memory.ToArray() == [0xE9, 0x80, 0x3F, 0x0D, 0x0A])

        let unicode = MemoryStream()
        let unicodeWriter = StreamWriter(unicode, Encoding.Unicode)
        try unicodeWriter.Write("A\u{E9}")
        try unicodeWriter.Flush()
        #expect(unicode.ToArray() == [0x41, 0x00, 0xE9, 0x00])
    }

    @Test func binaryWriterAndReaderRoundTripWindows1252() throws {
        let cp1252 = try Encoding.GetEncoding(1252)
        let memory = MemoryStream()
        let writer = try BinaryWriter(memory, cp1252)
        try writer.Write("Caf\u{E9} \u{20AC}")
        try writer.Write(Character("\u{FC}"))
        #expect(memory.ToArray() == [6, 0x43, 0x61, 0x66, 0xE9, 0x20, 0x80, 0xFC])

        let reader = try BinaryReader(MemoryStream(memory.ToArray()), cp1252)
        #expect(try reader.ReadString() == "Caf\u{E9} \u{20AC}")
        #expect(try reader.ReadChar() == "\u{FC}")
        #expect(try reader.Read() == -1)
    }

    @Test func binaryWriterAndReaderRoundTripUTF16() throws {
        let memory = MemoryStream()
        let writer = try BinaryWriter(memory, Encoding.Unicode)
        try writer.Write(Character("\u{E9}"))
        try writer.Write(Character("\u{1F600}"))
        try writer.Write("A\u{20AC}")
        #expect(memory.ToArray() == [0xE9, 0x00, 0x3D, 0xD8, 0x00, 0xDE, 4, 0x41, 0x00, 0xAC, 0x20])

        let reader = try BinaryReader(MemoryStream(memory.ToArray()), Encoding.Unicode)
        #expect(try reader.ReadChar() == "\u{E9}")
        #expect(try reader.ReadChar() == "\u{1F600}")
        #expect(try reader.ReadString() == "A\u{20AC}")
    }

    @Test func binaryReaderThrowsWhenAUTF16CharacterIsCutShort() throws {
        let reader = try BinaryReader(MemoryStream([0x41]), Encoding.Unicode)
        #expect(throws: EndOfStreamException.self) { try reader.ReadChar() }
    }
}
