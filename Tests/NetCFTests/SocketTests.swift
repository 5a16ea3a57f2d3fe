import Glibc
import NetCF
import Testing
import WinsockSSL
import WinsockSSLTesting

// The .NET behaviours of `Socket` that ported code relies on, over real loopback connections.

@Suite struct SocketConnectTests {
    @Test func connectToAnIPEndPointConnects() throws {
        let listener = try ListeningSocket()
        defer { listener.close() }
        let s = try Socket(.InterNetwork, .Stream, .Tcp)
        defer { s.Close() }
        #expect(!s.Connected)
        try s.Connect(IPEndPoint(IPAddress.Loopback, Int(listener.localEndpoint.port)))
        let server = try listener.accept(timeout: hangBound)
        defer { server.close() }
        #expect(s.Connected)
    }

    @Test func connectToAnAddressAndPortConnects() throws {
        let listener = try ListeningSocket()
        defer { listener.close() }
        let s = try Socket(.InterNetwork, .Stream, .Tcp)
        defer { s.Close() }
        try s.Connect(IPAddress.Parse("127.0.0.1"), Int(listener.localEndpoint.port))
        let server = try listener.accept(timeout: hangBound)
        defer { server.close() }
        #expect(s.Connected)
    }

    @Test func connectToAHostNameUsesTheHostsTable() throws {
        let listener = try ListeningSocket()
        defer { listener.close() }
        let name = "socket-connect-by-name.example.test"
        HostsTable.shared.set(name, to: [.loopbackIPv4])
        defer { HostsTable.shared.remove(name) }
        let s = try Socket(.InterNetwork, .Stream, .Tcp)
        defer { s.Close() }
        try s.Connect(name, Int(listener.localEndpoint.port))
        let server = try listener.accept(timeout: hangBound)
        defer { server.close() }
        #expect(s.Connected)
        #expect((try s.RemoteEndPoint as? IPEndPoint)?.Address == IPAddress.Loopback)
    }

    @Test func connectToAHostNameSkipsAddressesOfTheOtherFamily() throws {
        let listener = try ListeningSocket()
        defer { listener.close() }
        let name = "socket-connect-mixed-families.example.test"
        HostsTable.shared.set(name, to: [.loopbackIPv6, .loopbackIPv4])
        defer { HostsTable.shared.remove(name) }
        let s = try Socket(.InterNetwork, .Stream, .Tcp)
        defer { s.Close() }
        try s.Connect(name, Int(listener.localEndpoint.port))
        let server = try listener.accept(timeout: hangBound)
        defer { server.close() }
        #expect((try s.RemoteEndPoint as? IPEndPoint)?.AddressFamily == .InterNetwork)
    }

    @Test func connectToAClosedPortThrowsConnectionRefused() throws {
        let port = try closedLoopbackPort()
        let s = try Socket(.InterNetwork, .Stream, .Tcp)
        defer { s.Close() }
        let error = #expect(throws: SocketException.self) { try s.Connect(IPAddress.Loopback, port) }
        #expect(error?.ErrorCode == 10061)
        #expect(error?.NativeErrorCode == 10061)
        #expect(error?.SocketErrorCode == .ConnectionRefused)
        #expect(error?.Message.contains("WSAECONNREFUSED 10061") == true)
        #expect(!s.Connected)
    }

    @Test func connectToAnUnresolvableNameThrowsHostNotFound() throws {
        let s = try Socket(.InterNetwork, .Stream, .Tcp)
        defer { s.Close() }
        let error = #expect(throws: SocketException.self) { try s.Connect("no-such-host.invalid", 25) }
        #expect(error?.ErrorCode == 11001)
        #expect(error?.SocketErrorCode == .HostNotFound)
    }

    @Test func connectWithAPortOutOfRangeThrowsArgumentOutOfRange() throws {
        let s = try Socket(.InterNetwork, .Stream, .Tcp)
        defer { s.Close() }
        #expect(throws: ArgumentOutOfRangeException.self) { try s.Connect(IPAddress.Loopback, 65536) }
        #expect(throws: ArgumentOutOfRangeException.self) { try s.Connect("localhost", -1) }
    }

    @Test func ipv6LoopbackConnectsWithInterNetworkV6() throws {
        try withConnectedSocket(.InterNetworkV6) { s, server throws in
            #expect(s.AddressFamily == .InterNetworkV6)
            let remote = try #require(try s.RemoteEndPoint as? IPEndPoint)
            #expect(remote.AddressFamily == .InterNetworkV6)
            #expect(remote.Address == IPAddress.IPv6Loopback)
            #expect(try s.Send(Array("v6".utf8)) == 2)
            #expect(try server.receive(2) == Array("v6".utf8))
        }
    }

    @Test func onlyTcpStreamSocketsCanBeCreated() {
        #expect(throws: SocketException.self) { try Socket(.InterNetwork, .Dgram, .Udp) }
        #expect(throws: SocketException.self) { try Socket(.Unspecified, .Stream, .Tcp) }
    }
}

@Suite struct SocketDataTests {
    @Test func sendAndReceiveCarryBytesBothWays() throws {
        try withConnectedSocket { s, server throws in
            #expect(try s.Send(Array("EHLO\r\n".utf8)) == 6)
            #expect(try server.receive(6) == Array("EHLO\r\n".utf8))
            try server.send("250 OK\r\n")
            var buffer = [UInt8](repeating: 0, count: 64)
            var total: int = 0
            while total < 8 { total += try s.Receive(&buffer, total, buffer.Length - total, .None) }
            #expect(Array(buffer[0..<8]) == Array("250 OK\r\n".utf8))
        }
    }

    @Test func sendWithOffsetAndSizeSendsOnlyThatRange() throws {
        try withConnectedSocket { s, server throws in
            #expect(try s.Send(Array("xxHELLOxx".utf8), 2, 5, .None) == 5)
            try s.Shutdown(.Send)
            #expect(try server.receive(100) == Array("HELLO".utf8))
        }
    }

    @Test func receiveWithOffsetFillsFromThatIndex() throws {
        try withConnectedSocket { s, server throws in
            try server.send([9, 8, 7])
            var buffer = [UInt8](repeating: 0, count: 8)
            let count = try s.Receive(&buffer, 5, 3, .None)
            #expect(count >= 1)
            #expect(Array(buffer[5..<(5 + count)]) == Array([9, 8, 7][0..<count]))
            #expect(buffer[0..<5] == [0, 0, 0, 0, 0])
        }
    }

    @Test func receiveReturnsZeroWhenThePeerCloses() throws {
        try withConnectedSocket { s, server throws in
            server.close()
            var buffer = [UInt8](repeating: 0, count: 8)
            #expect(try s.Receive(&buffer) == 0)
        }
    }

    @Test func sendAndReceiveRangeErrorsNameTheParameter() throws {
        try withConnectedSocket { s, _ throws in
            let ten = [UInt8](repeating: 0, count: 10)
            var buffer = ten
            let negativeOffset = #expect(throws: ArgumentOutOfRangeException.self) { try s.Send(ten, -1, 1, .None) }
            #expect(negativeOffset?.ParamName == "offset")
            let offsetPastEnd = #expect(throws: ArgumentOutOfRangeException.self) { try s.Send(ten, 11, 0, .None) }
            #expect(offsetPastEnd?.ParamName == "offset")
            let sizeTooLarge = #expect(throws: ArgumentOutOfRangeException.self) { try s.Send(ten, 5, 6, .None) }
            #expect(sizeTooLarge?.ParamName == "size")
            let negativeSize = #expect(throws: ArgumentOutOfRangeException.self) { try s.Send(ten, 0, -1, .None) }
            #expect(negativeSize?.ParamName == "size")

            let receiveOffset = #expect(throws: ArgumentOutOfRangeException.self) { try s.Receive(&buffer, -1, 1, .None) }
            #expect(receiveOffset?.ParamName == "offset")
            let receiveSize = #expect(throws: ArgumentOutOfRangeException.self) { try s.Receive(&buffer, 0, 11, .None) }
            #expect(receiveSize?.ParamName == "size")
            let receiveSizeOnly = #expect(throws: ArgumentOutOfRangeException.self) { try s.Receive(&buffer, 11, .None) }
            #expect(receiveSizeOnly?.ParamName == "size")
        }
    }

    @Test func availableCountsBytesWaitingToBeRead() throws {
        try withConnectedSocket { s, server throws in
            #expect(try s.Available == 0)
            try server.send([1, 2, 3, 4, 5])
            #expect(try s.Poll(Int(hangBound.components.seconds) * 1_000_000, .SelectRead))
            #expect(try s.Available == 5)
            var two = [UInt8](repeating: 0, count: 2)
            #expect(try s.Receive(&two) == 2)
            #expect(try s.Available == 3)
        }
    }

    @Test func endPointsReportBothEndsOfTheConnection() throws {
        let listener = try ListeningSocket()
        defer { listener.close() }
        let s = try Socket(.InterNetwork, .Stream, .Tcp)
        defer { s.Close() }
        #expect(try s.RemoteEndPoint == nil)
        try s.Connect(IPAddress.Loopback, Int(listener.localEndpoint.port))
        let server = try listener.accept(timeout: hangBound)
        defer { server.close() }

        let remote = try #require(try s.RemoteEndPoint as? IPEndPoint)
        #expect(remote.Address == IPAddress.Loopback)
        #expect(remote.Port == Int(listener.localEndpoint.port))
        #expect(remote.ToString() == "127.0.0.1:\(listener.localEndpoint.port)")
        let local = try #require(try s.LocalEndPoint as? IPEndPoint)
        #expect(local.Address == IPAddress.Loopback)
        #expect(local.Port == Int(server.remoteEndpoint!.port))
    }
}

@Suite struct SocketTimeoutTests {
    @Test func receiveTimeoutInMillisecondsThrowsTimedOut() throws {
        try withConnectedSocket { s, _ throws in
            s.ReceiveTimeout = 200
            #expect(s.ReceiveTimeout == 200)
            var buffer = [UInt8](repeating: 0, count: 8)
            let clock = ContinuousClock()
            let started = clock.now
            let error = #expect(throws: SocketException.self) { try s.Receive(&buffer) }
            #expect(clock.now - started < hangBound)
            #expect(error?.ErrorCode == 10060)
            #expect(error?.SocketErrorCode == .TimedOut)
            // A timeout does not break the connection.
            #expect(s.Connected)
        }
    }

    @Test func receiveTimeoutOfZeroMeansNoTimeout() throws {
        let s = try Socket(.InterNetwork, .Stream, .Tcp)
        defer { s.Close() }
        #expect(s.ReceiveTimeout == 0)
        s.ReceiveTimeout = 500
        #expect(s.core.stream.receiveTimeout == .milliseconds(500))
        s.ReceiveTimeout = 0
        #expect(s.core.stream.receiveTimeout == nil)
        s.ReceiveTimeout = -1
        #expect(s.core.stream.receiveTimeout == nil)
        #expect(s.ReceiveTimeout == 0)
    }

    @Test func receiveTimeoutSetThroughSetSocketOptionReadsBack() throws {
        let s = try Socket(.InterNetwork, .Stream, .Tcp)
        defer { s.Close() }
        try s.SetSocketOption(.Socket, .ReceiveTimeout, 1500)
        #expect(s.ReceiveTimeout == 1500)
        #expect(try s.GetSocketOption(.Socket, .ReceiveTimeout) == 1500)
        #expect(throws: ArgumentOutOfRangeException.self) { try s.SetSocketOption(.Socket, .ReceiveTimeout, -2) }
    }
}

@Suite struct SocketOptionTests {
    @Test func reuseAddressReadsBackWhatWasSet() throws {
        let s = try Socket(.InterNetwork, .Stream, .Tcp)
        defer { s.Close() }
        try s.SetSocketOption(.Socket, .ReuseAddress, true)
        #expect(try s.GetSocketOption(.Socket, .ReuseAddress) != 0)
        try s.SetSocketOption(.Socket, .ReuseAddress, false)
        #expect(try s.GetSocketOption(.Socket, .ReuseAddress) == 0)
    }

    @Test func noDelayAtTheTcpLevelReadsBackWhatWasSet() throws {
        try withConnectedSocket { s, _ throws in
            try s.SetSocketOption(.Tcp, .NoDelay, true)
            #expect(try s.GetSocketOption(.Tcp, .NoDelay) != 0)
            try s.SetSocketOption(.Tcp, .NoDelay, 0)
            #expect(try s.GetSocketOption(.Tcp, .NoDelay) == 0)
        }
    }

    @Test func unknownOptionThrowsSocketException() throws {
        let s = try Socket(.InterNetwork, .Stream, .Tcp)
        defer { s.Close() }
        let unknown = #expect(throws: SocketException.self) {
            try s.SetSocketOption(.Socket, SocketOptionName(rawValue: 0x7777), 1)
        }
        #expect(unknown?.SocketErrorCode == .ProtocolOption)
        // NoDelay is a TCP-level option; at the socket level it is unknown.
        #expect(throws: SocketException.self) { try s.GetSocketOption(.Socket, .NoDelay) }
    }

    @Test func soSecureReadsBackSslAfterBeingSet() throws {
        let s = try Socket(.InterNetwork, .Stream, .Tcp)
        defer { s.Close() }
        #expect(try s.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName(SO_SECURE)) == SO_SEC_NONE)
        try s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName(SO_SECURE), SO_SEC_SSL)
        #expect(try s.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName(SO_SECURE)) == SO_SEC_SSL)
    }

    @Test func soSecureWithAnUnknownValueThrowsInvalidArgument() throws {
        let s = try Socket(.InterNetwork, .Stream, .Tcp)
        defer { s.Close() }
        let error = #expect(throws: SocketException.self) {
            try s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName(SO_SECURE), 1)
        }
        #expect(error?.ErrorCode == 10022)
    }

    @Test func soSecureAfterConnectThrowsInvalidArgument() throws {
        try withConnectedSocket { s, _ throws in
            let error = #expect(throws: SocketException.self) {
                try s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName(SO_SECURE), SO_SEC_SSL)
            }
            #expect(error?.ErrorCode == 10022)
            #expect(try s.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName(SO_SECURE)) == SO_SEC_NONE)
        }
    }
}

@Suite struct SocketIOControlTests {
    @Test func unknownControlCodeThrowsInvalidArgument() throws {
        try withConnectedSocket { s, _ throws in
            let error = #expect(throws: SocketException.self) { try s.IOControl(0x1234_5678, nil, nil) }
            #expect(error?.ErrorCode == 10022)
            #expect(error?.SocketErrorCode == .InvalidArgument)
        }
    }

    @Test func fionreadWritesTheCountLittleEndianIntoTheOutBuffer() throws {
        try withConnectedSocket { s, server throws in
            try server.send([UInt8](repeating: 0x41, count: 300))
            #expect(try s.Poll(Int(hangBound.components.seconds) * 1_000_000, .SelectRead))
            // Loopback delivers a small send at once, but wait until all of it is counted.
            while try s.Available < 300 { _ = try s.Poll(1000, .SelectRead) }
            var out = [UInt8](repeating: 0xEE, count: 4)
            let written = try s.IOControl(SSLControlRequest.FIONREAD, nil, &out)
            #expect(written == 4)
            #expect(out == [0x2C, 0x01, 0x00, 0x00])
            #expect(try BitConverter.ToInt32(out, 0) == 300)
        }
    }

    @Test func fionreadWithAnOutBufferTooSmallThrowsInvalidArgument() throws {
        try withConnectedSocket { s, _ throws in
            var out = [UInt8](repeating: 0, count: 2)
            let error = #expect(throws: SocketException.self) { try s.IOControl(SSLControlRequest.FIONREAD, nil, &out) }
            #expect(error?.ErrorCode == 10022)
        }
    }
}

@Suite struct SocketCloseTests {
    @Test func everyCallAfterCloseThrowsObjectDisposed() throws {
        try withConnectedSocket { s, _ throws in
            s.Close()
            var buffer = [UInt8](repeating: 0, count: 4)
            #expect(throws: ObjectDisposedException.self) { try s.Send([1]) }
            #expect(throws: ObjectDisposedException.self) { try s.Receive(&buffer) }
            #expect(throws: ObjectDisposedException.self) { try s.Available }
            #expect(throws: ObjectDisposedException.self) { try s.Connect(IPAddress.Loopback, 1) }
            #expect(throws: ObjectDisposedException.self) { try s.Connect("localhost", 1) }
            #expect(throws: ObjectDisposedException.self) { try s.SetSocketOption(.Tcp, .NoDelay, true) }
            #expect(throws: ObjectDisposedException.self) { try s.GetSocketOption(.Socket, .ReuseAddress) }
            #expect(throws: ObjectDisposedException.self) { try s.IOControl(SSLControlRequest.FIONREAD, nil, nil) }
            #expect(throws: ObjectDisposedException.self) { try s.Shutdown(.Both) }
            #expect(throws: ObjectDisposedException.self) { try s.Poll(0, .SelectRead) }
            let disposed = #expect(throws: ObjectDisposedException.self) { try s.Send([1]) }
            #expect(disposed?.ObjectName == "System.Net.Sockets.Socket")
            #expect(!s.Connected)
            #expect(throws: ObjectDisposedException.self) { try s.LocalEndPoint }
            #expect(throws: ObjectDisposedException.self) { try s.RemoteEndPoint }
        }
    }

    @Test func closingTwiceIsHarmless() throws {
        try withConnectedSocket { s, server throws in
            s.Close()
            s.Close()
            s.Dispose()
            #expect(try server.receive(1) == [])
        }
    }

    @Test func closeWakesAThreadBlockedInReceiveWithObjectDisposed() throws {
        try withConnectedSocket { s, _ throws in
            let reader = BackgroundThread {
                var buffer = [UInt8](repeating: 0, count: 4)
                _ = try s.Receive(&buffer)
            }
            // If the reader has not blocked yet, it finds the socket closed, which is also correct.
            usleep(100_000)
            s.Close()
            #expect(throws: ObjectDisposedException.self) { try reader.finish(within: hangBound) }
        }
    }
}
