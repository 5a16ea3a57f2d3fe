import Foundation
import NetCF
import Testing

/// `BinaryWriter` writes .NET's bytes, `BinaryReader` reads them back: little-endian numbers, one-byte
/// booleans, 7-bit length-prefixed strings, and `EndOfStreamException` inside a value.
@Suite struct BinaryReaderWriterTests {
    func written(_ encoding: Encoding = Encoding.UTF8, _ body: (BinaryWriter) throws -> Void) throws -> [UInt8] {
        let stream = MemoryStream()
        let writer = try BinaryWriter(stream, encoding)
        try body(writer)
        try writer.Flush()
        return stream.ToArray()
    }

    // MARK: Writing

    @Test func eachIntegerIsWrittenWithTheWidthOfItsStaticTypeLittleEndian() throws {
        let s: short = -2
        let us: ushort = 0x0102
        let i: int = 0x0102_0304
        let ui: uint = 0xFFFF_FFFE
        let l: long = 0x0102_0304_0506_0708
        let ul: UInt64 = 1
        let b: byte = 0xAB
        let sb: sbyte = -1
        #expect(try written { try $0.Write(s) } == [0xFE, 0xFF])
        #expect(try written { try $0.Write(us) } == [0x02, 0x01])
        #expect(try written { try $0.Write(i) } == [0x04, 0x03, 0x02, 0x01])
        #expect(try written { try $0.Write(ui) } == [0xFE, 0xFF, 0xFF, 0xFF])
        #expect(try written { try $0.Write(l) } == [8, 7, 6, 5, 4, 3, 2, 1])
        #expect(try written { try $0.Write(ul) } == [1, 0, 0, 0, 0, 0, 0, 0])
        #expect(try written { try $0.Write(b) } == [0xAB])
        #expect(try written { try $0.Write(sb) } == [0xFF])
        // An untyped literal is a C# int: four bytes.
        #expect(try written { try $0.Write(5) } == [5, 0, 0, 0])
    }

    @Test func seekMovesTheStreamSoALengthCanBeFilledInAfterTheBody() throws {
        let bytes = try written { writer in
            try writer.Write(int(0))            // a length written before the body is known
            try writer.Write("hello")
            let end = try writer.Seek(0, SeekOrigin.Current)
            try writer.Seek(0, SeekOrigin.Begin)
            try writer.Write(int(end))
            try writer.Seek(0, SeekOrigin.End)
            try writer.Write(byte(9))
        }
        #expect(bytes == [10, 0, 0, 0, 5] + Array("hello".utf8) + [9])
        final class Sink: NetCF.Stream {  // writable, cannot seek (as a NetworkStream)
            override var CanWrite: Bool { true }
            override func Write(_ buffer: [byte], _ offset: int, _ count: int) throws {}
        }
        let overNetwork = try BinaryWriter(Sink())
        #expect(throws: NotSupportedException.self) { try overNetwork.Seek(0, SeekOrigin.Begin) }
    }

    @Test func booleansAndFloatingPointAreDotNetsBytes() throws {
        #expect(try written { try $0.Write(true); try $0.Write(false) } == [1, 0])
        let f: float = 1
        #expect(try written { try $0.Write(f) } == [0x00, 0x00, 0x80, 0x3F])
        #expect(try written { try $0.Write(1.0) } == [0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
    }

    @Test func stringsArePrefixedWithTheirByteCountInSevenBitGroups() throws {
        #expect(try written { try $0.Write("abc") } == [3, 0x61, 0x62, 0x63])
        #expect(try written { try $0.Write("") } == [0])
        #expect(try written { try $0.Write("é") } == [2, 0xC3, 0xA9])
        #expect(try written(Encoding.ASCII) { try $0.Write("é") } == [1, 0x3F])
        let long = String(repeating: "x", count: 200)
        #expect(try Array(written { try $0.Write(long) }.prefix(3)) == [0xC8, 0x01, 0x78])
        #expect(try written { try $0.Write7BitEncodedInt(-1) } == [0xFF, 0xFF, 0xFF, 0xFF, 0x0F])
    }

    @Test func bytesAndCharactersAreWrittenWithoutALength() throws {
        #expect(try written { try $0.Write([1, 2, 3] as [byte]) } == [1, 2, 3])
        #expect(try written { try $0.Write([1, 2, 3, 4] as [byte], 1, 2) } == [2, 3])
        #expect(try written { try $0.Write(Character("A")) } == [0x41])
        #expect(try written { try $0.Write("RFB".ToCharArray()) } == [0x52, 0x46, 0x42])
        #expect(try written { try $0.Write("RFB".ToCharArray(), 1, 2) } == [0x46, 0x42])
        #expect(throws: ArgumentException.self) { try written { try $0.Write([1, 2] as [byte], 1, 5) } }
        #expect(throws: ArgumentOutOfRangeException.self) { try written { try $0.Write("ab".ToCharArray(), -1, 1) } }
    }

    // MARK: Reading

    @Test func everyValueWrittenReadsBack() throws {
        let bytes = try written { w in
            try w.Write(short(-12345)); try w.Write(ushort(54321)); try w.Write(int.MinValue); try w.Write(uint.MaxValue)
            try w.Write(long.MinValue); try w.Write(UInt64.MaxValue); try w.Write(float(-2.5)); try w.Write(3.25)
            try w.Write(true); try w.Write(byte(7)); try w.Write(sbyte(-7)); try w.Write("héllo, wörld")
            try w.Write(String(repeating: "z", count: 300)); try w.Write(Character("€"))
        }
        let r = try BinaryReader(MemoryStream(bytes))
        #expect(try r.ReadInt16() == -12345)
        #expect(try r.ReadUInt16() == 54321)
        #expect(try r.ReadInt32() == int.MinValue)
        #expect(try r.ReadUInt32() == uint.MaxValue)
        #expect(try r.ReadInt64() == long.MinValue)
        #expect(try r.ReadUInt64() == UInt64.MaxValue)
        #expect(try r.ReadSingle() == -2.5)
        #expect(try r.ReadDouble() == 3.25)
        #expect(try r.ReadBoolean())
        #expect(try r.ReadByte() == 7)
        #expect(try r.ReadSByte() == -7)
        #expect(try r.ReadString() == "héllo, wörld")
        #expect(try r.ReadString() == String(repeating: "z", count: 300))
        #expect(try r.ReadChar() == "€")
        #expect(try r.Read() == -1)
    }

    @Test func readInt32IsLittleEndian() throws {
        let r = try BinaryReader(MemoryStream([0x78, 0x56, 0x34, 0x12]))
        #expect(try r.ReadInt32() == 0x1234_5678)
    }

    @Test func readBytesAndReadCharsReturnWhatIsLeftAtTheEnd() throws {
        let r = try BinaryReader(MemoryStream(Array("RFB 003.008\n".utf8)), Encoding.ASCII)
        #expect(try r.ReadChars(3) == ["R", "F", "B"])
        #expect(try r.ReadBytes(4) == Array(" 003".utf8))
        #expect(try r.ReadBytes(100) == Array(".008\n".utf8))
        #expect(try r.ReadBytes(4) == [])
        #expect(try r.ReadChars(2) == [])
        #expect(throws: ArgumentOutOfRangeException.self) { try r.ReadBytes(-1) }
    }

    @Test func aValueCutShortByTheEndThrowsEndOfStreamException() throws {
        let r = try BinaryReader(MemoryStream([1, 2, 3]))
        let error = #expect(throws: EndOfStreamException.self) { try r.ReadInt32() }
        #expect(error?.Message == "Unable to read beyond the end of the stream.")
        #expect(error?.ToString() == "System.IO.EndOfStreamException: Unable to read beyond the end of the stream.")
        #expect(throws: EndOfStreamException.self) { try BinaryReader(MemoryStream([])).ReadByte() }
        #expect(throws: EndOfStreamException.self) { try BinaryReader(MemoryStream([])).ReadChar() }
        #expect(throws: EndOfStreamException.self) { try BinaryReader(MemoryStream([5, 0x61])).ReadString() }
        #expect(throws: EndOfStreamException.self) { try BinaryReader(MemoryStream([0xE2, 0x82])).ReadChar() }
    }

    @Test func endOfStreamIsAnIOExceptionAsInDotNet() throws {
        let r = try BinaryReader(MemoryStream([0]))
        var caught: IOException?
        do {
            _ = try r.ReadInt64()
        } catch let e as IOException {
            caught = e
        }
        #expect(caught is EndOfStreamException)
        #expect(caught?.Message == "Unable to read beyond the end of the stream.")
        #expect(caught?.ToString() == "System.IO.EndOfStreamException: Unable to read beyond the end of the stream.")
        #expect(throws: IOException.self) { try BinaryReader(MemoryStream([])).ReadByte() }
        let plain: any Error = IOException("x")
        #expect(!(plain is EndOfStreamException))
        #expect((plain as? IOException)?.ToString() == "System.IO.IOException: x")
        var asException = ""
        do { throw EndOfStreamException() } catch let e as Exception { asException = e.Message }
        #expect(asException == "Unable to read beyond the end of the stream.")
    }

    @Test func badStringPrefixesThrow() throws {
        #expect(throws: FormatException.self) { try BinaryReader(MemoryStream([0x80, 0x80, 0x80, 0x80, 0x80, 0x01])).ReadString() }
        let error = #expect(throws: IOException.self) { try BinaryReader(MemoryStream([0xFF, 0xFF, 0xFF, 0xFF, 0x0F])).ReadString() }
        #expect(error?.Message == "BinaryReader encountered an invalid string length of -1 characters.")
    }

    @Test func charactersDecodeInTheReadersEncoding() throws {
        let utf8 = try BinaryReader(MemoryStream([0x41, 0xC3, 0xA9, 0xFF]))
        #expect(try utf8.ReadChars(3) == ["A", "é", "\u{FFFD}"])
        let ascii = try BinaryReader(MemoryStream([0x41, 0xC3]), Encoding.ASCII)
        #expect(try ascii.ReadChar() == "A")
        #expect(try ascii.ReadChar() == "?")
    }

    @Test func readFillsTheArrayWithOneReadAndPeekCharLooksAhead() throws {
        let r = try BinaryReader(MemoryStream([1, 2, 3, 0x41]))
        var buffer = [byte](repeating: 0, count: 5)
        #expect(try r.Read(&buffer, 1, 3) == 3)
        #expect(buffer == [0, 1, 2, 3, 0])
        #expect(try r.PeekChar() == 0x41)
        #expect(try r.ReadChar() == "A")
        #expect(try r.PeekChar() == -1)
        #expect(try r.Read(&buffer, 0, 5) == 0)
        #expect(throws: ArgumentException.self) { try r.Read(&buffer, 3, 3) }
        #expect(throws: ArgumentOutOfRangeException.self) { try r.Read(&buffer, -1, 1) }
    }

    // MARK: Closing and the stream

    @Test func closeClosesTheStreamAndLaterCallsThrowObjectDisposedException() throws {
        let stream = MemoryStream([1, 2])
        let r = try BinaryReader(stream)
        #expect(try r.BaseStream === stream)
        r.Close()
        #expect(!stream.CanRead)
        #expect(throws: ObjectDisposedException.self) { try r.ReadByte() }
        #expect(throws: ObjectDisposedException.self) { try r.BaseStream }

        let out = MemoryStream()
        let w = try BinaryWriter(out)
        try w.Write(1)
        w.Dispose()
        w.Close()
        #expect(!out.CanWrite)
        #expect(out.ToArray() == [1, 0, 0, 0])
        #expect(throws: ObjectDisposedException.self) { try w.Write(2) }
    }

    @Test func aClosedStreamIsRefusedByBothConstructors() throws {
        let stream = MemoryStream()
        stream.Close()
        #expect(throws: ArgumentException.self) { try BinaryReader(stream) }
        #expect(throws: ArgumentException.self) { try BinaryWriter(stream, Encoding.ASCII) }
    }

    /// The VNC handshake's shape over a real connection: a writer and a reader on one `NetworkStream`.
    @Test func aReaderAndAWriterShareANetworkStream() throws {
        let listener = try TcpListener(IPAddress.Loopback, 0)
        try listener.Start()
        defer { try? listener.Stop() }
        let client = try TcpClient("127.0.0.1", (listener.LocalEndpoint as! IPEndPoint).Port)
        defer { client.Close() }
        let server = try listener.AcceptTcpClient()
        defer { server.Close() }
        client.ReceiveTimeout = 10_000
        server.ReceiveTimeout = 10_000

        let serverWriter = try BinaryWriter(server.GetStream(), Encoding.ASCII)
        try serverWriter.Write("RFB 003.008\n".ToCharArray())
        try serverWriter.Write(IPAddress.HostToNetworkOrder(int(1024)))
        try serverWriter.Write("desktop")

        let reader = try BinaryReader(client.GetStream(), Encoding.ASCII)
        #expect(String(try reader.ReadChars(12)) == "RFB 003.008\n")
        #expect(IPAddress.NetworkToHostOrder(try reader.ReadInt32()) == 1024)
        #expect(try reader.ReadString() == "desktop")

        server.Close()
        #expect(throws: EndOfStreamException.self) { try reader.ReadByte() }
    }
}
