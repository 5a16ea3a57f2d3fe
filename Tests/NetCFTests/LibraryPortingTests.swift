import NetCF
import Testing

// MIGRATION.md section 7.2, row by row, as a port writes it: the VNC and MQTT shapes (a `TcpClient` with a
// `BinaryReader`/`BinaryWriter` pair, message ids that wrap at `ushort.MaxValue`, a timestamped log) against a
// `TcpListener` on loopback. This file imports NetCF alone, as a port does.

private let RFB_VERSION: string = "RFB 003.008\n"

/// A ported connection class: fields as MIGRATION 1.2 writes them, members as section 7.2 does.
final class RfbConnection {
    private var tcpClient: TcpClient! = nil
    private var stream: NetworkStream! = nil
    private var reader: BinaryReader! = nil
    private var writer: BinaryWriter! = nil
    private var messageID = ushort()
    var log: [string] = []

    func Log(_ message: string) {
        log.append(message)
    }

    func Connect(_ host: string, _ port: int) throws {
        tcpClient = try TcpClient(host, port)
        tcpClient.NoDelay = true
        tcpClient.ReceiveTimeout = 10000
        tcpClient.SendTimeout = 10000
        stream = try tcpClient.GetStream()
        reader = try BinaryReader(stream, Encoding.ASCII)
        writer = try BinaryWriter(stream, Encoding.ASCII)
    }

    func Handshake() throws -> string {
        let version: string = try string(reader.ReadChars(12))
        try writer.Write(RFB_VERSION.ToCharArray())
        try writer.Flush()
        var result = try reader.ReadInt32()
        result = IPAddress.NetworkToHostOrder(result)
        try Log("[" + DateTime.Now.ToString("HH:mm:ss") + "] " + version)
        return version + String(result)
    }

    func NextMessageID() -> ushort {
        if messageID == ushort.MaxValue {
            messageID = 1
        } else {
            messageID += 1
        }
        return messageID
    }

    func ReadName() throws -> string {
        do {
            return try reader.ReadString()
        } catch is EndOfStreamException {
            return "<closed>"
        }
    }

    func Close() {
        if Debugger.IsAttached { Debugger.Break() }
        tcpClient.Close()
    }
}

/// A program's own exception derived from `IOException`.
final class ProtocolException: IOException, @unchecked Sendable {
    override class var dotNetTypeName: String { "Rfb.ProtocolException" }
    init(_ m: String) { super.init(m) }
}

@Suite struct LibraryPortingTests {
    @Test func ownAndLibraryIOExceptionsAreCaughtAsIOException() throws {
        var caught: [string] = []
        for error: any Error in [ProtocolException("bad version"), EndOfStreamException(), IOException("reset")] {
            do {
                throw error
            } catch let e as IOException {
                caught.append(e.ToString())
            }
        }
        #expect(caught == ["Rfb.ProtocolException: bad version",
                           "System.IO.EndOfStreamException: Unable to read beyond the end of the stream.",
                           "System.IO.IOException: reset"])
    }

    @Test func theConnectionClassPortsLineForLineAndTalksToAListener() throws {
        let listener = try TcpListener(IPAddress.Loopback, 0)
        try listener.Start()
        defer { try? listener.Stop() }
        let port = (listener.LocalEndpoint as! IPEndPoint).Port

        let connection = RfbConnection()
        try connection.Connect("127.0.0.1", port)
        let c = try listener.AcceptTcpClient()
        defer { c.Close() }
        c.ReceiveTimeout = 10000
        let serverWriter = try BinaryWriter(c.GetStream())
        try serverWriter.Write(RFB_VERSION.ToCharArray())
        try serverWriter.Write(IPAddress.HostToNetworkOrder(2))
        try serverWriter.Write("desktop")

        #expect(try connection.Handshake() == RFB_VERSION + "2")
        #expect(connection.log.count == 1 && connection.log[0].hasSuffix("] " + RFB_VERSION))
        let serverReader = try BinaryReader(c.GetStream(), Encoding.ASCII)
        #expect(try String(serverReader.ReadChars(12)) == RFB_VERSION)
        #expect(try connection.ReadName() == "desktop")
        c.Close()
        #expect(try connection.ReadName() == "<closed>")
        connection.Close()
    }

    @Test func messageIDsWrapAtUshortMaxValue() {
        let connection = RfbConnection()
        var last = ushort()
        for _ in 0..<65536 { last = connection.NextMessageID() }
        #expect(last == 1)
    }

    @Test func theListenerAndClientRowsRun() throws {
        let listener = try TcpListener(IPAddress.Loopback, 0)
        try listener.Start(5)
        defer { try? listener.Stop() }
        let ipEndPoint = listener.LocalEndpoint as! IPEndPoint
        let client = try TcpClient()
        try client.Connect(ipEndPoint)
        let s = try listener.AcceptSocket()
        defer { s.Close() }
        s.ReceiveTimeout = 10000
        let stream: Stream = try client.GetStream()
        try stream.Write([1, 2], 0, 2)
        var two = [byte](repeating: 0, count: 2)
        #expect(try s.Receive(&two) >= 1)
        if client.Connected {
            #expect(try client.Available == 0)
        }
        client.LingerState = LingerOption(true, 2)
        client.ReceiveBufferSize = 8192
        client.Close()
        #expect(listener.Server.Handle != IntPtr.Zero)
    }

    @Test func theReaderAndWriterRowsRun() throws {
        let memory = MemoryStream()
        let writer = try BinaryWriter(memory)
        let x: short = 7
        try writer.Write(x)
        try writer.Write(5)
        try writer.Write(1.5)
        var buffer: [byte] = [1, 2, 3, 4]
        let n: int = 2
        try writer.Write(buffer, 0, n)
        try writer.Flush()
        let reader = try BinaryReader(MemoryStream(memory.ToArray()))
        #expect(try reader.ReadInt16() == 7)
        #expect(try reader.ReadInt32() == 5)
        #expect(try reader.ReadDouble() == 1.5)
        let got = try reader.Read(&buffer, 0, buffer.Length)
        #expect(got == 2 && buffer == [1, 2, 3, 4])
        #expect(try reader.PeekChar() == -1)
        let b = try reader.ReadBytes(16)
        #expect(b.Length == 0)
        writer.Close()
    }

    @Test func theSmallMemberRowsRun() throws {
        let src: [byte] = [1, 2, 3, 4]
        var dst = [byte](repeating: 0, count: 8)
        let n: int = 4
        try Buffer.BlockCopy(src, 0, &dst, 4, n)
        #expect(dst == [0, 0, 0, 0, 1, 2, 3, 4])
        var encodings = [int](repeating: 0, count: 3)
        let stackArray: [int] = [16, 5]
        try stackArray.CopyTo(&encodings, 0)
        #expect(encodings == [16, 5, 0])
        let port: short = 5900
        #expect(IPAddress.HostToNetworkOrder(port) == short(bitPattern: 0x0C17))
        #expect(int.MinValue < 0 && Int32.MaxValue > 0 && byte.MaxValue == 255 && double.MaxValue > 1e308)
    }

    @Test func outputArraysWithoutAmpersandAreCompileTimeErrorsThatSaySo() throws {
        let outcome = try CompileCheck.typecheck("""
            import NetCF
            func Port(_ reader: BinaryReader, _ src: [byte], _ dst: [byte], _ a: [int], _ b: [int]) throws {
                _ = try reader.Read(dst, 0, 4)
                try Buffer.BlockCopy(src, 0, dst, 0, 4)
                try a.CopyTo(b, 0)
            }
            """)
        #expect(!outcome.compiled)
        #expect(outcome.diagnostics.contains("Read(&buffer, 0, n)"), "\(outcome.diagnostics)")
        #expect(outcome.diagnostics.contains("BlockCopy(src, 0, &dst, 0, n)"), "\(outcome.diagnostics)")
        #expect(outcome.diagnostics.contains("a.CopyTo(&b, 0)"), "\(outcome.diagnostics)")
    }
}
