import NetCF
import Testing
import WinsockSSL

@Suite struct NetworkStreamTests {
    @Test func closingAStreamThatDoesNotOwnItsSocketLeavesTheSocketUsable() throws {
        try withConnectedSocket { s, server throws in
            let stream = try NetworkStream(s)
            stream.Close()
            #expect(s.Connected)
            #expect(try s.Send(Array("still open".utf8)) == 10)
            #expect(try server.receive(10) == Array("still open".utf8))
        }
    }

    @Test func closingAStreamThatOwnsItsSocketClosesTheSocket() throws {
        try withConnectedSocket { s, server throws in
            let stream = try NetworkStream(s, true)
            stream.Close()
            #expect(!s.Connected)
            #expect(throws: ObjectDisposedException.self) { try s.Send([1]) }
            #expect(try server.receive(1) == [])
        }
    }

    @Test func ownsSocketCanBeGivenByLabel() throws {
        try withConnectedSocket { s, _ throws in
            let stream = try NetworkStream(s, ownsSocket: true)
            stream.Dispose()
            #expect(throws: ObjectDisposedException.self) { try s.Send([1]) }
        }
    }

    @Test func anUnconnectedSocketIsRefusedWithIOException() throws {
        let s = try Socket(.InterNetwork, .Stream, .Tcp)
        defer { s.Close() }
        let error = #expect(throws: IOException.self) { try NetworkStream(s) }
        #expect(error?.Message.contains("non-connected") == true)
    }

    @Test func writeSendsAndReadReceives() throws {
        try withConnectedSocket { s, server throws in
            let stream = try NetworkStream(s)
            #expect(stream.CanRead && stream.CanWrite)
            try stream.Write(Array("xxEHLO\r\n".utf8), 2, 6)
            #expect(try server.receive(6) == Array("EHLO\r\n".utf8))

            try server.send("250 OK")
            var buffer = [UInt8](repeating: 0, count: 16)
            var total: int = 0
            while total < 6 { total += try stream.Read(&buffer, 4 + total, 6 - total) }
            #expect(Array(buffer[4..<10]) == Array("250 OK".utf8))
        }
    }

    @Test func readReturnsZeroAtEndOfStream() throws {
        try withConnectedSocket { s, server throws in
            let stream = try NetworkStream(s)
            server.close()
            var buffer = [UInt8](repeating: 0, count: 4)
            #expect(try stream.Read(&buffer, 0, 4) == 0)
            #expect(try stream.ReadByte() == -1)
        }
    }

    @Test func dataAvailableIsTrueOnlyWhenBytesAreWaiting() throws {
        try withConnectedSocket { s, server throws in
            let stream = try NetworkStream(s)
            #expect(try !stream.DataAvailable)
            try server.send([1, 2])
            #expect(try s.Poll(Int(hangBound.components.seconds) * 1_000_000, .SelectRead))
            #expect(try stream.DataAvailable)
            #expect(try stream.ReadByte() == 1)
            #expect(try stream.ReadByte() == 2)
            #expect(try !stream.DataAvailable)
        }
    }

    @Test func readFailureIsAnIOExceptionWrappingTheSocketException() throws {
        try withConnectedSocket { s, _ throws in
            s.ReceiveTimeout = 200
            let stream = try NetworkStream(s)
            var buffer = [UInt8](repeating: 0, count: 4)
            let error = #expect(throws: IOException.self) { try stream.Read(&buffer, 0, 4) }
            let inner = error?.InnerException as? SocketException
            #expect(inner?.ErrorCode == 10060)
            #expect(inner?.SocketErrorCode == .TimedOut)
        }
    }

    @Test func writeFailureIsAnIOExceptionWrappingTheSocketException() throws {
        try withConnectedSocket { s, _ throws in
            let stream = try NetworkStream(s)
            try s.Shutdown(.Send)
            let error = #expect(throws: IOException.self) { try stream.Write([1, 2, 3], 0, 3) }
            #expect(error?.InnerException is SocketException)
        }
    }

    @Test func rangeErrorsAreArgumentExceptionsNotIOExceptions() throws {
        try withConnectedSocket { s, _ throws in
            let stream = try NetworkStream(s)
            var buffer = [UInt8](repeating: 0, count: 4)
            #expect(throws: ArgumentOutOfRangeException.self) { try stream.Read(&buffer, -1, 1) }
            #expect(throws: ArgumentException.self) { try stream.Read(&buffer, 2, 3) }
            #expect(throws: ArgumentOutOfRangeException.self) { try stream.Write(buffer, 0, -1) }
        }
    }

    @Test func useAfterCloseThrowsObjectDisposed() throws {
        try withConnectedSocket { s, _ throws in
            let stream = try NetworkStream(s)
            stream.Close()
            stream.Close()
            #expect(!stream.CanRead)
            var buffer = [UInt8](repeating: 0, count: 4)
            let error = #expect(throws: ObjectDisposedException.self) { try stream.Read(&buffer, 0, 4) }
            #expect(error?.ObjectName == "System.Net.Sockets.NetworkStream")
            #expect(throws: ObjectDisposedException.self) { try stream.Write([1], 0, 1) }
            #expect(throws: ObjectDisposedException.self) { try stream.DataAvailable }
        }
    }
}
