import NetCF
import Testing

/// `Socket.Poll` and `Socket.Select` on a socket that was created but never connected, nor listening: .NET
/// (Winsock's `select`) reports it neither readable nor writable, though Linux `poll` answers `POLLHUP` for
/// it. A connected socket whose peer closed stays readable, and `Receive` then returns 0.
@Suite struct NeverConnectedSelectTests {
    @Test func pollOnANeverConnectedSocketIsFalseForReadWriteAndError() throws {
        let s = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        defer { s.Close() }

        #expect(try !s.Poll(100_000, SelectMode.SelectRead))
        #expect(try !s.Poll(100_000, SelectMode.SelectWrite))
        #expect(try !s.Poll(0, SelectMode.SelectError))
    }

    @Test func selectLeavesANeverConnectedSocketOutOfEveryList() throws {
        let s = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        defer { s.Close() }

        var checkRead: [Socket] = [s]
        var checkWrite: [Socket] = [s]
        var checkError: [Socket] = [s]
        try Socket.Select(&checkRead, &checkWrite, &checkError, 100_000)
        #expect(checkRead.isEmpty && checkWrite.isEmpty && checkError.isEmpty)
    }

    @Test func aConnectedSocketWhosePeerClosedIsReadableAndReceiveReturnsZero() throws {
        let server = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        defer { server.Close() }
        try server.Bind(IPEndPoint(IPAddress.Loopback, 0))
        try server.Listen(1)
        let port = try #require(try server.LocalEndPoint as? IPEndPoint).Port
        let client = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        defer { client.Close() }
        try client.Connect(IPAddress.Loopback, port)
        let peer = try server.Accept()
        peer.Close()

        var checkRead: [Socket] = [client]
        try Socket.Select(&checkRead, nil, nil, 10_000_000)
        #expect(checkRead.count == 1 && checkRead.first === client)
        #expect(try client.Poll(10_000_000, SelectMode.SelectRead))
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(try client.Receive(&buffer) == 0)
    }
}
