import Foundation
import NetCF
import Testing
import WinsockSSL

/// `TcpListener` on loopback: starting, pending connections, accepting, stopping, and CE's refusal of a
/// secure listener.
@Suite struct TcpListenerTests {
    @Test func localEndpointIsTheRequestedOneUntilStartThenTheBoundOne() throws {
        let listener = try TcpListener(IPEndPoint(IPAddress.Loopback, 0))
        #expect((listener.LocalEndpoint as! IPEndPoint).Port == 0)
        try listener.Start()
        defer { try? listener.Stop() }
        let bound = listener.LocalEndpoint as! IPEndPoint
        #expect(bound.Port != 0)
        #expect(bound.Address == IPAddress.Loopback)
        try listener.Start()   // a second Start while listening does nothing
        #expect((listener.LocalEndpoint as! IPEndPoint).Port == bound.Port)
    }

    @Test func pendingTurnsTrueWhenAClientConnectsAndAcceptSocketTakesIt() throws {
        let listener = try TcpListener(IPAddress.Loopback, 0)
        try listener.Start(5)
        defer { try? listener.Stop() }
        #expect(try !listener.Pending())
        let client = try TcpClient("127.0.0.1", (listener.LocalEndpoint as! IPEndPoint).Port)
        defer { client.Close() }
        var polls = 0
        while try !listener.Pending() && polls < 1000 {
            try Thread.Sleep(10)
            polls += 1
        }
        #expect(try listener.Pending())
        let accepted = try listener.AcceptSocket()
        defer { accepted.Close() }
        #expect(accepted.Connected)
        #expect(try !listener.Pending())
    }

    @Test func anEchoServerOnABackgroundThreadServesAClient() throws {
        let listener = try TcpListener(IPAddress.Loopback, 0)
        try listener.Start()
        defer { try? listener.Stop() }
        let served = DispatchSemaphore(value: 0)
        let server = Foundation.Thread {
            defer { served.signal() }
            guard let connection = try? listener.AcceptTcpClient() else { return }
            defer { connection.Close() }
            connection.ReceiveTimeout = 10_000
            guard let stream = try? connection.GetStream() else { return }
            var buffer = [UInt8](repeating: 0, count: 256)
            while let n = try? stream.Read(&buffer, 0, 256), n > 0 {
                try? stream.Write(buffer, 0, n)
            }
        }
        server.start()

        let client = try TcpClient("127.0.0.1", (listener.LocalEndpoint as! IPEndPoint).Port)
        client.ReceiveTimeout = 10_000
        let stream = try client.GetStream()
        try stream.Write(Array("ping".utf8), 0, 4)
        var echoed = [UInt8](repeating: 0, count: 4)
        var total: int = 0
        while total < 4 {
            let n = try stream.Read(&echoed, total, 4 - total)
            if n == 0 { break }
            total += n
        }
        #expect(echoed == Array("ping".utf8))
        client.Close()
        #expect(served.wait(timeout: .now() + 10) == .success)
    }

    @Test func callsBeforeStartThrowInvalidOperationException() throws {
        let listener = try TcpListener(IPAddress.Loopback, 0)
        let error = #expect(throws: InvalidOperationException.self) { try listener.AcceptSocket() }
        #expect(error?.Message == "Not listening. You must call the Start() method before calling this method.")
        #expect(throws: InvalidOperationException.self) { try listener.AcceptTcpClient() }
        #expect(throws: InvalidOperationException.self) { try listener.Pending() }
    }

    @Test func stopRefusesNewConnectionsAndStartListensAgain() throws {
        let listener = try TcpListener(IPAddress.Loopback, 0)
        try listener.Start()
        let port = (listener.LocalEndpoint as! IPEndPoint).Port
        try listener.Stop()
        #expect(throws: InvalidOperationException.self) { try listener.Pending() }
        let refused = #expect(throws: SocketException.self) { try TcpClient("127.0.0.1", port) }
        #expect(refused?.ErrorCode == 10061)

        try listener.Start()
        defer { try? listener.Stop() }
        let client = try TcpClient("127.0.0.1", (listener.LocalEndpoint as! IPEndPoint).Port)
        defer { client.Close() }
        let accepted = try listener.AcceptTcpClient()
        defer { accepted.Close() }
        #expect(accepted.Connected)
    }

    @Test func stopWakesAnAcceptBlockedInAnotherThread() throws {
        let listener = try TcpListener(IPAddress.Loopback, 0)
        try listener.Start()
        let outcome = Locked<String?>(nil)
        let finished = DispatchSemaphore(value: 0)
        let acceptor = Foundation.Thread {
            defer { finished.signal() }
            do {
                _ = try listener.AcceptSocket()
                outcome.withLock { $0 = "accepted" }
            } catch let error as SocketException {
                outcome.withLock { $0 = "SocketException \(error.ErrorCode)" }
            } catch {
                outcome.withLock { $0 = "\(error)" }
            }
        }
        acceptor.start()
        try Thread.Sleep(100)
        try listener.Stop()
        #expect(finished.wait(timeout: .now() + 10) == .success)
        #expect(outcome.withLock { $0 } == "SocketException 10004")
    }

    @Test func aListenerWhoseServerSocketIsSecureIsRefusedAsOnCE() throws {
        let listener = try TcpListener(IPAddress.Loopback, 0)
        try listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName(SO_SECURE), SO_SEC_SSL)
        let error = #expect(throws: SocketException.self) { try listener.Start() }
        #expect(error?.ErrorCode == 10045)
        // The failed Start left a fresh, plain socket: starting again listens.
        try listener.Start()
        defer { try? listener.Stop() }
        #expect(try !listener.Pending())
    }

    @Test func onlyAListenerStartedAndNeverStoppedIsReportedUnclosed() throws {
        let tidy = UnclosedSocketCheck()
        try tidy.watch {
            let listener = try TcpListener(IPAddress.Loopback, 0)
            try listener.Start()
            let client = try TcpClient("127.0.0.1", (listener.LocalEndpoint as! IPEndPoint).Port)
            let accepted = try listener.AcceptTcpClient()
            accepted.Close()
            client.Close()
            try listener.Stop()
            _ = try TcpListener(IPAddress.Loopback, 0)
        }
        #expect(tidy.unclosedSockets.isEmpty, "\(tidy.unclosedSockets)")

        let forgetful = UnclosedSocketCheck()
        try forgetful.watch {
            let listener = try TcpListener(IPAddress.Loopback, 0)
            try listener.Start()
        }
        #expect(forgetful.releasedWithoutClose.count == 1, "\(forgetful.unclosedSockets)")
    }

    @Test func badArgumentsThrowArgumentOutOfRangeException() throws {
        #expect(throws: ArgumentOutOfRangeException.self) { try TcpListener(IPAddress.Loopback, 70_000) }
        let listener = try TcpListener(IPAddress.Loopback, 0)
        #expect(throws: ArgumentOutOfRangeException.self) { try listener.Start(-1) }
    }
}
