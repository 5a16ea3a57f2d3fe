import NetCF
import Testing
import WinsockSSL

/// A CE program's own socket class: .NET's `Socket` is not sealed. Inside it, `AddressFamily` is the
/// inherited property, so the type is spelled `NetCF.AddressFamily` (MIGRATION.md, section 1). The class
/// line restates `@unchecked Sendable`, which Swift asks of every subclass of `Socket`.
private final class LineSocket: Socket, @unchecked Sendable {
    var linesSent = int()

    init() throws {
        try super.init(NetCF.AddressFamily.InterNetwork, NetCF.SocketType.Stream, NetCF.ProtocolType.Tcp)
    }

    func SendLine(_ text: string) throws {
        try Send(Encoding.ASCII.GetBytes(text + "\r\n"))
        linesSent += 1
    }

    var isIPv4: Bool { AddressFamily == NetCF.AddressFamily.InterNetwork }
}

/// The rest of the Compact Framework 3.5 `Socket` that CE programs use (items 14–16 of issue 13).
@Suite struct SocketSurfaceTests {
    /// A listening .NET socket on loopback, and its port.
    func listener() throws -> (Socket, int) {
        let server = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        try server.Bind(IPEndPoint(IPAddress.Loopback, 0))
        try server.Listen(5)
        let port = try #require(try server.LocalEndPoint as? IPEndPoint).Port
        return (server, port)
    }

    @Test func aSubclassOfSocketConnectsAndSends() throws {
        let (server, port) = try listener()
        defer { server.Close() }
        let client = try LineSocket()
        defer { client.Close() }
        try client.Connect(IPAddress.Loopback, port)
        try client.SendLine("HELLO")
        let accepted = try server.Accept()
        defer { accepted.Close() }
        accepted.ReceiveTimeout = 10_000
        var buffer = [UInt8](repeating: 0, count: 7)
        var total: int = 0
        while total < 7 { total += try accepted.Receive(&buffer, total, buffer.Length - total, SocketFlags.None) }
        #expect(Encoding.ASCII.GetString(buffer) == "HELLO\r\n")
        #expect(client.linesSent == 1 && client.isIPv4)
    }

    @Test func bindListenAcceptServePlainConnections() throws {
        let (server, port) = try listener()
        defer { server.Close() }
        #expect(port > 0)
        let client = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        defer { client.Close() }
        try client.Connect(IPEndPoint(IPAddress.Loopback, port))
        let accepted = try server.Accept()
        defer { accepted.Close() }
        #expect(accepted.Connected && accepted.AddressFamily == .InterNetwork && accepted.SocketType == .Stream && accepted.ProtocolType == .Tcp)
        #expect(try (accepted.RemoteEndPoint as? IPEndPoint)?.Port == (client.LocalEndPoint as? IPEndPoint)?.Port)
        try accepted.Send(Encoding.ASCII.GetBytes("220 ready\r\n"))
        client.ReceiveTimeout = 10_000
        var buffer = [UInt8](repeating: 0, count: 11)
        var total: int = 0
        while total < 11 { total += try client.Receive(&buffer, total, buffer.Length - total, SocketFlags.None) }
        #expect(Encoding.ASCII.GetString(buffer) == "220 ready\r\n")
    }

    @Test func aSecureSocketCannotListen() throws {
        let s = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        defer { s.Close() }
        try s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName(SO_SECURE), SO_SEC_SSL)
        let error = try #require(throws: SocketException.self) { try s.Bind(IPEndPoint(IPAddress.Loopback, 0)) }
        #expect(error.ErrorCode == 10045)

        let (bound, _) = try listener()
        defer { bound.Close() }
        let late = try #require(throws: SocketException.self) {
            try bound.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName(SO_SECURE), SO_SEC_SSL)
        }
        #expect(late.ErrorCode == 10045)
    }

    @Test func misuseOfListeningSocketsIsRefusedClearly() throws {
        let s = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        defer { s.Close() }
        #expect(throws: SocketException.self) { try s.Listen(5) }                  // Listen before Bind
        #expect(throws: InvalidOperationException.self) { _ = try s.Accept() }     // Accept before Listen
        try s.Bind(IPEndPoint(IPAddress.Loopback, 0))
        #expect(throws: InvalidOperationException.self) { _ = try s.Accept() }
        #expect(throws: SocketException.self) { try s.Bind(IPEndPoint(IPAddress.Loopback, 0)) }
        let connect = try #require(throws: SocketException.self) { try s.Connect(IPEndPoint(IPAddress.Loopback, 9)) }
        #expect(connect.ErrorCode == 10022)
    }

    @Test func nonBlockingAcceptAndReceiveSayWouldBlock() throws {
        let (server, port) = try listener()
        defer { server.Close() }
        server.Blocking = false
        #expect(!server.Blocking)
        let none = try #require(throws: SocketException.self) { _ = try server.Accept() }
        #expect(none.ErrorCode == 10035)

        let client = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        defer { client.Close() }
        try client.Connect(IPAddress.Loopback, port)
        #expect(try server.Poll(10_000_000, SelectMode.SelectRead))
        let accepted = try server.Accept()
        defer { accepted.Close() }
        client.Blocking = false
        var buffer = [UInt8](repeating: 0, count: 4)
        let empty = try #require(throws: SocketException.self) { _ = try client.Receive(&buffer) }
        #expect(empty.ErrorCode == 10035)
        try accepted.Send([1, 2, 3])
        #expect(try client.Poll(10_000_000, SelectMode.SelectRead))
        #expect(try client.Receive(&buffer) == 3)
    }

    @Test func selectKeepsOnlyTheReadySockets() throws {
        let (server, port) = try listener()
        defer { server.Close() }
        let quiet = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        let talking = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        defer { quiet.Close(); talking.Close() }
        try quiet.Connect(IPAddress.Loopback, port)
        let quietPeer = try server.Accept()
        try talking.Connect(IPAddress.Loopback, port)
        let talkingPeer = try server.Accept()
        defer { quietPeer.Close(); talkingPeer.Close() }

        var checkRead: [Socket] = [quiet, talking]
        try Socket.Select(&checkRead, nil, nil, 100_000)
        #expect(checkRead.isEmpty)

        try talkingPeer.Send([0x42])
        checkRead = [quiet, talking]
        try Socket.Select(&checkRead, nil, nil, 10_000_000)
        #expect(checkRead.count == 1 && checkRead.first === talking)

        var checkWrite: [Socket] = [quiet]
        checkRead = [quiet]
        try Socket.Select(&checkRead, &checkWrite, nil, 10_000_000)
        #expect(checkRead.isEmpty && checkWrite.count == 1)

        var none: [Socket] = []
        #expect(throws: ArgumentNullException.self) { try Socket.Select(&none, nil, nil, 0) }
    }

    @Test func optionsNoDelayLingerAndByteArrays() throws {
        let s = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        defer { s.Close() }
        s.NoDelay = true
        #expect(s.NoDelay)
        #expect(try s.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.NoDelay) != 0)
        s.NoDelay = false
        #expect(!s.NoDelay)

        s.LingerState = LingerOption(true, 7)
        #expect(s.LingerState.Enabled && s.LingerState.LingerTime == 7)
        var linger = [UInt8](repeating: 0xff, count: 4)
        try s.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Linger, &linger)
        #expect(linger == [1, 0, 7, 0])
        try s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Linger, [0, 0, 0, 0] as [UInt8])
        #expect(!s.LingerState.Enabled)

        try s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, BitConverter.GetBytes(1))
        #expect(try s.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, 4) == [1, 0, 0, 0])
        let short = try #require(throws: SocketException.self) {
            try s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, [1] as [UInt8])
        }
        #expect(short.ErrorCode == 10014)
    }

    /// Inside a `Socket` subclass the bare type name means the inherited property; the module-qualified
    /// spelling is the one that compiles (MIGRATION.md, section 1.4).
    @Test func typeNamedLikeAMemberIsSpelledWithTheModule() throws {
        let source = { (spelling: String) in """
            import NetCF
            final class MySocket: Socket, @unchecked Sendable {
                init() throws { try super.init(NetCF.AddressFamily.InterNetwork, NetCF.SocketType.Stream, NetCF.ProtocolType.Tcp) }
                var isIPv4: Bool { AddressFamily == \(spelling).InterNetwork }
            }
            """ }
        let qualified = try CompileCheck.typecheck(source("NetCF.AddressFamily"))
        #expect(qualified.compiled, "\(qualified.diagnostics)")
        let bare = try CompileCheck.typecheck(source("AddressFamily"))
        #expect(!bare.compiled && bare.diagnostics.contains("static member 'InterNetwork' cannot be used on instance"), "\(bare.diagnostics)")
    }

    @Test func handleIsStableAndUnique() throws {
        let a = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        let b = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        defer { a.Close(); b.Close() }
        #expect(a.Handle != IntPtr.Zero && a.Handle == a.Handle && a.Handle != b.Handle)
    }
}
