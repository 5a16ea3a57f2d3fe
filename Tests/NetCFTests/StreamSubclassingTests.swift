import NetCF
import Testing
import WinsockSSL
import WinsockSSLTesting

/// What a ported `Stream` subclass and a relay over a loopback pair need (a validation port of a real CF
/// `SslStream` wrapper found them missing): seeking members with .NET's defaults, `BeginRead`/`EndRead` and
/// `BeginWrite`/`EndWrite` over any stream, `Socket.BeginAccept`/`EndAccept`, an array as the `state`, and
/// `Connected` staying false until a secure `Connect` (handshake included) has returned.
@Suite struct StreamSubclassingTests {
    /// A stream as ported C# declares one: only reading overridden, from a fixed text.
    final class TextStream: Stream {
        private var remaining: [byte]
        init(_ text: String) {
            remaining = Encoding.ASCII.GetBytes(text)
            super.init()
        }
        override var CanRead: Bool { true }
        override var Length: long { get throws { throw NotSupportedException("TextStream has no length.") } }  // MIGRATION section 7's form
        override func Read(_ buffer: inout [byte], _ offset: int, _ count: int) throws -> int {
            let n = min(Int(count), remaining.count)
            buffer.replaceSubrange(Int(offset)..<(Int(offset) + n), with: remaining.prefix(n))
            remaining.removeFirst(n)
            return int(n)
        }
    }

    @Test func aStreamThatCannotSeekThrowsNotSupportedFromEverySeekingMember() throws {
        let s = TextStream("abc")
        #expect(!s.CanSeek && s.CanRead && !s.CanWrite)
        #expect(throws: NotSupportedException("TextStream has no length.")) { _ = try s.Length }
        #expect(throws: NotSupportedException.self) { _ = try s.Position }
        #expect(throws: NotSupportedException.self) { _ = try s.Seek(0, SeekOrigin.Begin) }
        #expect(throws: NotSupportedException.self) { try s.SetLength(1) }
        #expect(throws: NotSupportedException.self) { try s.Write([1], 0, 1) }
    }

    @Test func memoryStreamSeeksAndResizesAsDotNetDoes() throws {
        let m = MemoryStream()
        try m.Write([1, 2, 3, 4], 0, 4)
        #expect(m.CanSeek && m.Length == 4 && m.Position == 4)
        #expect(try m.Seek(-3, SeekOrigin.End) == 1)
        #expect(try m.ReadByte() == 2)
        #expect(try m.Seek(1, SeekOrigin.Current) == 3)
        #expect(throws: IOException.self) { _ = try m.Seek(-1, SeekOrigin.Begin) }
        #expect(m.Position == 3, "a failed seek leaves the position")
        _ = try m.Seek(6, SeekOrigin.Begin)
        try m.WriteByte(9)
        #expect(m.ToArray() == [1, 2, 3, 4, 0, 0, 9], "a write past the end fills the gap with zeros")
        try m.SetLength(2)
        #expect(m.ToArray() == [1, 2] && m.Position == 2)
        try m.SetLength(3)
        #expect(m.ToArray() == [1, 2, 0])
        #expect(throws: ArgumentOutOfRangeException.self) { try m.SetLength(-1) }
        m.Position = 0
        #expect(try m.ReadByte() == 1)
    }

    @Test func beginReadRunsTheSubclassesReadAndEndReadFillsTheArrayGivenAsState() throws {
        let s = TextStream("hello")
        let done = ManualResetEvent(false)
        let buffer = [byte](repeating: 0, count: 8)
        let ar = try s.BeginRead(buffer, 2, 5, { _ in try done.Set() }, buffer)
        #expect(try done.WaitOne(10_000))
        var output = ar.AsyncState as! [byte]  // C#: byte[] output = ar.AsyncState as byte[];
        #expect(try s.EndRead(ar, &output) == 5)
        #expect(output == [0, 0] + Encoding.ASCII.GetBytes("hello") + [0])
        #expect(throws: InvalidOperationException.self) { _ = try s.EndRead(ar, &output) }
        #expect(throws: ArgumentException.self) { _ = try s.BeginRead(buffer, 6, 5, nil, nil) }
    }

    @Test func beginWriteCopiesTheBytesAndEndWriteRethrowsWhatWriteThrew() throws {
        let m = MemoryStream()
        var bytes: [byte] = [1, 2, 3]
        let ar = try m.BeginWrite(bytes, 1, 2, nil, nil)
        bytes[1] = 99
        try m.EndWrite(ar)
        #expect(m.ToArray() == [2, 3])
        let readOnly = TextStream("x")
        let failed = try readOnly.BeginWrite([1], 0, 1, nil, nil)
        #expect(throws: NotSupportedException.self) { try readOnly.EndWrite(failed) }
        #expect(throws: ArgumentException.self) { try readOnly.EndWrite(ar) }  // another stream's operation
        #expect(throws: InvalidOperationException.self) { try m.EndWrite(ar) }  // ended twice
    }

    @Test func beginAcceptHandsTheCallbackTheAcceptedSocket() throws {
        let server = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        defer { server.Close() }
        #expect(throws: InvalidOperationException.self) { _ = try server.BeginAccept(nil, nil) }
        try server.Bind(IPEndPoint(IPAddress.Loopback, 0))
        try server.Listen(1)
        server.Blocking = false  // BeginAccept waits whatever Blocking says, as in .NET
        let port = try #require(try server.LocalEndPoint as? IPEndPoint).Port
        let accepted = Recorder<Bool>()
        let done = ManualResetEvent(false)
        _ = try server.BeginAccept({ ar in
            defer { _ = try? done.Set() }
            let listener = ar.AsyncState as! Socket
            let connection = try listener.EndAccept(ar)
            accepted.append(connection.Connected)
            connection.Close()
        }, server)
        let client = try SecureSockets.plain()
        defer { client.Close() }
        try client.Connect(IPEndPoint(IPAddress.Loopback, port))
        #expect(try done.WaitOne(10_000))
        #expect(accepted.values == [true])
    }

    @Test func closingTheListenerEndsAPendingBeginAccept() throws {
        let server = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        try server.Bind(IPEndPoint(IPAddress.Loopback, 0))
        try server.Listen(1)
        let ar = try server.BeginAccept(nil, nil)
        server.Close()
        #expect(try ar.AsyncWaitHandle.WaitOne(10_000))
        #expect(throws: (any Error).self) { _ = try server.EndAccept(ar) }
    }

    @Test func connectedIsFalseUntilTheSecureConnectHasReturned() throws {
        let authority = try TestCertificateAuthority()
        let server = try lineEchoServer(TLSServerConfiguration(serving: authority.issue(dnsNames: ["mail.example.test"])))
        defer { server.stop() }
        let s = try SecureSockets.make(trusting: authority.root, deferred: false)
        defer { s.Close() }
        let seenInHook = Recorder<Bool>()
        let hook = try Marshal.GetFunctionPointerForDelegate({ _, _, _, _, _ in
            seenInHook.append(s.Connected)
            return SSL_ERR_OKAY
        } as SSLVALIDATECERTFUNC)
        try s.IOControl(SO_SSL_SET_VALIDATE_CERT_HOOK, SecureSockets.hookStructure(hook, IntPtr.Zero), nil)
        try s.IOControl(SO_SSL_SET_PEERNAME, SecureSockets.nulTerminated("mail.example.test"), nil)
        #expect(!s.Connected)
        try s.Connect(SecureSockets.loopback(server.port))
        #expect(seenInHook.values == [false], "the handshake runs inside Connect, as on CE")
        #expect(s.Connected)
    }

    @Test func aRejectedHandshakeLeavesTheSocketDisconnected() throws {
        let authority = try TestCertificateAuthority()
        let server = try lineEchoServer(TLSServerConfiguration(serving: authority.issue(dnsNames: ["other.example.test"])))
        defer { server.stop() }
        let direct = try SecureSockets.make(trusting: authority.root, deferred: false)
        defer { direct.Close() }
        try direct.IOControl(SO_SSL_SET_PEERNAME, SecureSockets.nulTerminated("mail.example.test"), nil)
        #expect(throws: SocketException.self) { try direct.Connect(SecureSockets.loopback(server.port)) }
        #expect(!direct.Connected, "a failed Connect leaves Connected false, as in .NET")
        let deferred = try SecureSockets.make(trusting: authority.root, deferred: true)
        defer { deferred.Close() }
        try deferred.Connect(SecureSockets.loopback(server.port))
        #expect(deferred.Connected)
        #expect(throws: SocketException.self) {
            try deferred.IOControl(SO_SSL_PERFORM_HANDSHAKE, SecureSockets.nulTerminated("mail.example.test"), nil)
        }
        #expect(!deferred.Connected, "a failed handshake marks the socket disconnected, as .NET does after a failed call")
        #expect(throws: IOException.self) { _ = try NetworkStream(deferred) }
    }
}

/// C#'s `object` is Swift's `Any`: a field declared `object` holds a lock token or any boxed value.
@Suite struct ObjectTypeTests {
    final class Counter {
        private let sync: object = Object()  // private object sync = new object();
        var count = 0
        func Add() throws { try lock(sync) { count += 1 } }
    }

    @Test func aLockTokenDeclaredAsObjectLocksAndAValueIsRefused() throws {
        let counter = Counter()
        try counter.Add()
        try counter.Add()
        #expect(counter.count == 2)
        let number: object = 5
        #expect(throws: ArgumentException.self) { try lock(number) {} }
        #expect(throws: ArgumentException.self) { try Monitor.Enter(number) }
    }

    @Test func aCollectionValueReadsIntoAnObjectVariable() throws {
        let table = Hashtable()
        table["port"] = 21
        let value = table["port"]  // object value = table["port"]; (MIGRATION 7.1: untyped, as it may be null)
        #expect(value as? Int == 21)
        let missing = table["user"]
        #expect(missing == nil)
    }
}
