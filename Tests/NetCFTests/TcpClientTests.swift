import Foundation
import NetCF
import Testing
import WinsockSSL
import WinsockSSLTesting

/// `TcpClient` as ported code drives it, against NetCF's own `TcpListener` on loopback.
@Suite struct TcpClientTests {
    /// A started listener on 127.0.0.1 and its port.
    static func listener() throws -> (TcpListener, int) {
        let listener = try TcpListener(IPAddress.Loopback, 0)
        try listener.Start()
        return (listener, (listener.LocalEndpoint as! IPEndPoint).Port)
    }

    /// Reads exactly `count` bytes, each read bounded by the stream's socket's ReceiveTimeout.
    static func read(_ stream: NetworkStream, _ count: Int) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var total = 0
        while total < count {
            let n = Int(try stream.Read(&buffer, total, count - total))
            if n == 0 { break }
            total += n
        }
        return Array(buffer[0..<total])
    }

    @Test func hostAndPortConstructorConnectsAndTheStreamsCarryBytesBothWays() throws {
        let (listener, port) = try Self.listener()
        defer { try? listener.Stop() }
        let client = try TcpClient("127.0.0.1", port)
        defer { client.Close() }
        let server = try listener.AcceptTcpClient()
        defer { server.Close() }
        client.ReceiveTimeout = 10_000
        server.ReceiveTimeout = 10_000
        #expect(client.Connected && server.Connected)

        try client.GetStream().Write(Array("HELO\r\n".utf8), 0, 6)
        #expect(try Self.read(server.GetStream(), 6) == Array("HELO\r\n".utf8))
        try server.GetStream().Write([1, 2, 3], 0, 3)
        #expect(try Self.read(client.GetStream(), 3) == [1, 2, 3])
    }

    @Test func eachConnectOverloadConnects() throws {
        let (listener, port) = try Self.listener()
        defer { try? listener.Stop() }
        let byName = try TcpClient()
        try byName.Connect("localhost", port)
        let byAddress = try TcpClient()
        try byAddress.Connect(IPAddress.Loopback, port)
        let byEndPoint = try TcpClient(AddressFamily.InterNetwork)
        try byEndPoint.Connect(IPEndPoint(IPAddress.Loopback, port))
        for client in [byName, byAddress, byEndPoint] {
            #expect(client.Connected)
            let accepted = try listener.AcceptSocket()
            #expect(try (accepted.RemoteEndPoint as! IPEndPoint).Port == (client.Client.LocalEndPoint as! IPEndPoint).Port)
            accepted.Close()
            client.Close()
        }
    }

    @Test func anIPv6ClientConnectsToAnIPv6Listener() throws {
        let listener = try TcpListener(IPAddress.IPv6Loopback, 0)
        try listener.Start()
        defer { try? listener.Stop() }
        let client = try TcpClient(AddressFamily.InterNetworkV6)
        defer { client.Close() }
        try client.Connect(IPAddress.IPv6Loopback, (listener.LocalEndpoint as! IPEndPoint).Port)
        #expect(client.Connected)
        #expect(client.Client.AddressFamily == .InterNetworkV6)
    }

    @Test func getStreamIsOneStreamAndNeedsAConnection() throws {
        let unconnected = try TcpClient()
        let error = #expect(throws: InvalidOperationException.self) { try unconnected.GetStream() }
        #expect(error?.Message == "The operation is not allowed on non-connected sockets.")
        unconnected.Close()
        #expect(throws: ObjectDisposedException.self) { try unconnected.GetStream() }

        let (listener, port) = try Self.listener()
        defer { try? listener.Stop() }
        let client = try TcpClient("127.0.0.1", port)
        defer { client.Close() }
        #expect(try client.GetStream() === client.GetStream())
    }

    @Test func availableCountsWaitingBytes() throws {
        let (listener, port) = try Self.listener()
        defer { try? listener.Stop() }
        let client = try TcpClient("127.0.0.1", port)
        defer { client.Close() }
        let server = try listener.AcceptSocket()
        defer { server.Close() }
        #expect(try client.Available == 0)
        try server.Send([9, 9, 9, 9])
        var waited = 0
        while try client.Available < 4 && waited < 1000 {
            try Thread.Sleep(10)
            waited += 1
        }
        #expect(try client.Available == 4)
    }

    @Test func closeEndsTheConnectionAndDisposesTheClient() throws {
        let (listener, port) = try Self.listener()
        defer { try? listener.Stop() }
        let client = try TcpClient("127.0.0.1", port)
        let server = try listener.AcceptSocket()
        defer { server.Close() }
        server.ReceiveTimeout = 10_000
        let stream = try client.GetStream()
        client.Close()
        client.Close()
        #expect(!client.Connected)
        #expect(client.Client == nil)
        var buffer = [UInt8](repeating: 0, count: 4)
        #expect(try server.Receive(&buffer) == 0)
        #expect(throws: (any Error).self) { try stream.Write([1], 0, 1) }
        #expect(throws: ObjectDisposedException.self) { try client.Available }
        #expect(throws: ObjectDisposedException.self) { try client.Connect("127.0.0.1", port) }
    }

    @Test func connectingAConnectedClientAgainThrowsSocketException() throws {
        let (listener, port) = try Self.listener()
        defer { try? listener.Stop() }
        let client = try TcpClient("127.0.0.1", port)
        defer { client.Close() }
        let error = #expect(throws: SocketException.self) { try client.Connect(IPAddress.Loopback, port) }
        #expect(error?.ErrorCode == 10056)
        #expect(client.Connected)
    }

    @Test func connectingWhereNobodyListensThrowsConnectionRefused() throws {
        let port = try closedLoopbackPort()
        let error = #expect(throws: SocketException.self) { try TcpClient("127.0.0.1", port) }
        #expect(error?.ErrorCode == 10061)
        let client = try TcpClient()
        defer { client.Close() }
        #expect(throws: SocketException.self) { try client.Connect(IPAddress.Loopback, port) }
        #expect(!client.Connected)
    }

    @Test func badArgumentsThrowDotNetExceptions() throws {
        #expect(throws: ArgumentOutOfRangeException.self) { try TcpClient("127.0.0.1", 65536) }
        #expect(throws: ArgumentOutOfRangeException.self) { try TcpClient().Connect(IPAddress.Loopback, -1) }
        let error = #expect(throws: ArgumentException.self) { try TcpClient(AddressFamily.Unspecified) }
        #expect(error?.ParamName == "family")
        #expect(throws: SocketException.self) { try TcpClient("no-such-host.invalid", 25) }
    }

    @Test func optionsReachTheSocket() throws {
        let (listener, port) = try Self.listener()
        defer { try? listener.Stop() }
        let client = try TcpClient("127.0.0.1", port)
        defer { client.Close() }
        #expect(!client.NoDelay)
        client.NoDelay = true
        #expect(client.NoDelay && client.Client.NoDelay)
        client.ReceiveTimeout = 1234
        client.SendTimeout = 4321
        #expect(client.ReceiveTimeout == 1234 && client.Client.ReceiveTimeout == 1234)
        #expect(client.SendTimeout == 4321 && client.Client.SendTimeout == 4321)
        client.ReceiveBufferSize = 32_768
        client.SendBufferSize = 32_768
        // Linux doubles the size it is given (socket(7)); it never reports less.
        #expect(client.ReceiveBufferSize >= 32_768)
        #expect(client.SendBufferSize >= 32_768)
        client.LingerState = LingerOption(true, 3)
        #expect(client.LingerState.Enabled && client.LingerState.LingerTime == 3)
    }

    @Test func aReadThatTimesOutThrowsIOException() throws {
        let (listener, port) = try Self.listener()
        defer { try? listener.Stop() }
        let client = try TcpClient("127.0.0.1", port)
        defer { client.Close() }
        let server = try listener.AcceptSocket()
        defer { server.Close() }
        client.ReceiveTimeout = 100
        var buffer = [UInt8](repeating: 0, count: 4)
        let error = #expect(throws: IOException.self) { try client.GetStream().Read(&buffer, 0, 4) }
        #expect((error?.InnerException as? SocketException)?.ErrorCode == 10060)
    }

    @Test func clientCanBeReplacedWithAConnectedSocket() throws {
        let (listener, port) = try Self.listener()
        defer { try? listener.Stop() }
        let s = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        try s.Connect(IPAddress.Loopback, port)
        let client = try TcpClient()
        let original = client.Client!
        client.Client = s
        defer { client.Close(); original.Close() }
        #expect(client.Connected)
        #expect(client.Client === s)
        let server = try listener.AcceptSocket()
        defer { server.Close() }
        server.ReceiveTimeout = 10_000
        try client.GetStream().Write([7], 0, 1)
        var one = [UInt8](repeating: 0, count: 1)
        #expect(try server.Receive(&one) == 1 && one == [7])
    }

    /// A client whose `Client` socket the program made secure (`SO_SECURE` before `Connect`), trusting `authority`.
    static func secureClient(trusting authority: TestCertificateAuthority) throws -> TcpClient {
        let client = try TcpClient()
        client.Client.core.addTrustRoot(authority.root)
        try client.Client.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName(SO_SECURE), SO_SEC_SSL)
        return client
    }

    /// The secure path: the program makes `Client` secure before `Connect(host, port)`, as it would a `Socket`;
    /// the handshake checks the host name, and the stream reads and writes TLS.
    @Test func aClientMadeSecureThroughClientSpeaksTLS() throws {
        let authority = try TestCertificateAuthority()
        let server = try lineEchoServer(TLSServerConfiguration(serving: authority.issue(dnsNames: ["tcpclient.example.test"])))
        defer { server.stop() }
        HostsTable.shared.set("tcpclient.example.test", to: [.loopbackIPv4])
        defer { HostsTable.shared.remove("tcpclient.example.test") }

        let client = try Self.secureClient(trusting: authority)
        defer { client.Close() }
        client.ReceiveTimeout = 10_000
        try client.Connect("tcpclient.example.test", Int(server.port))
        #expect(client.Client.core.phase.isSecure)

        let stream = try client.GetStream()
        try stream.Write(Array("hello\r\n".utf8), 0, 7)
        let reader = StreamReader(stream, Encoding.ASCII)
        #expect(try reader.ReadLine() == "echo: hello")
    }

    @Test func aClientConnectedByItsConstructorCannotBeMadeSecureAfterwards() throws {
        let (listener, port) = try Self.listener()
        defer { try? listener.Stop() }
        let client = try TcpClient("127.0.0.1", port)
        defer { client.Close() }
        let error = #expect(throws: SocketException.self) {
            try client.Client.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName(SO_SECURE), SO_SEC_SSL)
        }
        #expect(error?.ErrorCode == 10022)
    }

    @Test func aSecureClientRefusesACertificateForAnotherName() throws {
        let authority = try TestCertificateAuthority()
        let server = try lineEchoServer(TLSServerConfiguration(serving: authority.issue(dnsNames: ["other.example.test"])))
        defer { server.stop() }
        HostsTable.shared.set("wanted.example.test", to: [.loopbackIPv4])
        defer { HostsTable.shared.remove("wanted.example.test") }

        let client = try Self.secureClient(trusting: authority)
        defer { client.Close() }
        let rejection = #expect(throws: SocketException.self) { try client.Connect("wanted.example.test", Int(server.port)) }
        #expect(rejection?.ErrorCode == 10053)
        let error = #expect(throws: SocketException.self) { try client.Client.Send([1]) }
        #expect(error != nil)
        // Nothing crosses the connection in plain text, and the client counts as not connected (as .NET marks a
        // socket after a failed call), so there is no stream to get.
        #expect(!client.Connected)
        #expect(throws: InvalidOperationException.self) { try client.GetStream() }
    }
}
