import Glibc
import Testing
import WinsockSSL
import WinsockSSLTesting

@Suite struct StreamSocketTests {
    @Test func bytesSentByOneEndArriveAtTheOther() throws {
        try withConnectedPair { client, server in
            try send(Array("EHLO\r\n".utf8), to: client)
            #expect(try receive(6, from: server) == Array("EHLO\r\n".utf8))
            try send(Array("250 OK\r\n".utf8), to: server)
            #expect(try receive(8, from: client) == Array("250 OK\r\n".utf8))
        }
    }

    @Test func receiveReturnsWhatHasArrivedWithoutFillingTheBuffer() throws {
        try withConnectedPair { client, server in
            try send([1, 2, 3], to: server)
            var buffer = [UInt8](repeating: 0, count: 100)
            let count = try buffer.withUnsafeMutableBytes { try client.receive(into: $0, deadline: .now.advanced(by: hangBound)) }
            #expect(count == 3)
            #expect(buffer[0..<3] == [1, 2, 3])
        }
    }

    @Test func receiveIntoASmallBufferLeavesTheRestForTheNextReceive() throws {
        try withConnectedPair { client, server in
            try send(Array(0..<10), to: server)
            var small = [UInt8](repeating: 0, count: 4)
            let first = try small.withUnsafeMutableBytes { try client.receive(into: $0, deadline: .now.advanced(by: hangBound)) }
            #expect(first == 4)
            #expect(small == [0, 1, 2, 3])
            #expect(try receive(6, from: client) == Array(4..<10))
        }
    }

    @Test func receiveTimeoutThrowsTimedOutAfterWaitingForIt() throws {
        try withConnectedPair { client, _ in
            client.receiveTimeout = .milliseconds(200)
            var buffer = [UInt8](repeating: 0, count: 16)
            let clock = ContinuousClock()
            let started = clock.now
            let error = #expect(throws: WinsockError.self) {
                try buffer.withUnsafeMutableBytes { try client.receive(into: $0) }
            }
            let elapsed = clock.now - started
            #expect(error?.code == .timedOut)
            #expect(error?.code.rawValue == 10060)
            #expect(elapsed >= .milliseconds(200))
            #expect(elapsed < hangBound)
        }
    }

    @Test func connectingToAPortNobodyListensOnIsRefused() throws {
        let endpoint = try closedLoopbackEndpoint()
        let socket = try StreamSocket(family: .ipv4)
        defer { socket.close() }
        let error = #expect(throws: WinsockError.self) { try socket.connect(to: endpoint, timeout: hangBound) }
        #expect(error?.code == .connectionRefused)
        #expect(error?.code.rawValue == 10061)
        #expect(error?.detail.contains(endpoint.description) == true)
        #expect(!socket.isConnected)
    }

    @Test func connectingAConnectedSocketAgainFailsWithIsConnected() throws {
        try withConnectedPair { client, _ in
            let error = #expect(throws: WinsockError.self) { try client.connect(to: client.remoteEndpoint!, timeout: hangBound) }
            #expect(error?.code == .isConnected)
        }
    }

    @Test func closeWakesAThreadBlockedInReceive() throws {
        try withConnectedPair { client, _ in
            let outcome = Locked<Result<Int, WinsockError>?>(nil)
            let reader = BackgroundThread {
                var buffer = [UInt8](repeating: 0, count: 16)
                let result = buffer.withUnsafeMutableBytes { bytes in
                    Result { () throws(WinsockError) in try client.receive(into: bytes) }
                }
                outcome.withLock { $0 = result }
            }
            // Give the reader time to block; if it has not yet, it finds the socket closed, which is also correct.
            usleep(100_000)
            client.close()
            try reader.finish(within: hangBound)
            let result = outcome.withLock { $0 }
            guard case .failure(let error) = result else {
                Issue.record("receive on a closed socket returned \(String(describing: result))")
                return
            }
            #expect(error.code == .notSocket)
        }
    }

    @Test func closingTwiceIsHarmless() throws {
        let socket = try StreamSocket(family: .ipv4)
        socket.close()
        socket.close()
        #expect(socket.isClosed)
        #expect(!socket.isConnected)
    }

    @Test func useAfterCloseThrowsSayingTheSocketIsClosed() throws {
        try withConnectedPair { client, _ in
            client.close()
            let error = #expect(throws: WinsockError.self) { try send([1], to: client) }
            #expect(error?.code == .notSocket)
            #expect(error?.detail.contains("closed") == true)
            #expect(throws: WinsockError.self) { try client.bytesAvailable() }
            #expect(throws: WinsockError.self) { try client.setOption(.noDelay, 1) }
            #expect(client.localEndpoint == nil)
        }
    }

    @Test func bytesAvailableCountsUnreadBytes() throws {
        try withConnectedPair { client, server in
            #expect(try client.bytesAvailable() == 0)
            try send(Array(repeating: 7, count: 5), to: server)
            #expect(try client.poll(readable: true, timeout: hangBound))
            #expect(try client.bytesAvailable() == 5)
            _ = try receive(2, from: client)
            #expect(try client.bytesAvailable() == 3)
        }
    }

    @Test func shutdownSendGivesThePeerEndOfStreamButKeepsReceiving() throws {
        try withConnectedPair { client, server in
            try send([42], to: client)
            try client.shutdown(.send)
            #expect(try receive(10, from: server) == [42])
            try send([43], to: server)
            #expect(try receive(1, from: client) == [43])
        }
    }

    @Test func endpointsOfAConnectionMirrorEachOther() throws {
        try withConnectedPair { client, server in
            #expect(client.isConnected)
            #expect(server.isConnected)
            #expect(client.remoteEndpoint?.address == .loopbackIPv4)
            #expect(server.remoteEndpoint == client.localEndpoint)
            #expect(client.remoteEndpoint == server.localEndpoint)
        }
    }

    @Test func ipv6LoopbackCarriesData() throws {
        try withConnectedPair(on: .loopbackIPv6) { client, server in
            #expect(client.family == .ipv6)
            #expect(client.remoteEndpoint?.address == .loopbackIPv6)
            #expect(client.remoteEndpoint?.description.hasPrefix("[::1]:") == true)
            try send(Array("over v6".utf8), to: client)
            #expect(try receive(7, from: server) == Array("over v6".utf8))
        }
    }

    @Test func connectingAnIPv4SocketToAnIPv6AddressFails() throws {
        let socket = try StreamSocket(family: .ipv4)
        defer { socket.close() }
        let error = #expect(throws: WinsockError.self) {
            try socket.connect(to: SocketEndpoint(address: .loopbackIPv6, port: 9), timeout: hangBound)
        }
        #expect(error?.code == .addressFamilyNotSupported)
    }

    @Test func optionsReadBackWhatWasSet() throws {
        try withConnectedPair { client, _ in
            try client.setOption(.noDelay, 1)
            #expect(try client.option(.noDelay) != 0)
            try client.setOption(.noDelay, 0)
            #expect(try client.option(.noDelay) == 0)
            try client.setOption(.lingerSeconds, 3)
            #expect(try client.option(.lingerSeconds) == 3)
            try client.setOption(.lingerSeconds, -1)
            #expect(try client.option(.lingerSeconds) == -1)
        }
    }

    @Test func sixtyFourMebibytesTravelBothWaysIntact() throws {
        let size = 64 * 1024 * 1024
        let chunkSize = 256 * 1024
        // A prime period, so a chunk delivered twice, dropped or out of place changes what is read.
        let period = 251
        let wholePeriods = period * 4096
        let pattern = (0..<(wholePeriods + chunkSize)).map { UInt8($0 % period) }

        try withConnectedPair { client, server in
            // The server echoes everything back on its own thread until the client stops sending.
            let echo = BackgroundThread {
                var chunk = [UInt8](repeating: 0, count: chunkSize)
                let deadline = ContinuousClock.now.advanced(by: .seconds(120))
                while true {
                    let n = try chunk.withUnsafeMutableBytes { try server.receive(into: $0, deadline: deadline) }
                    if n == 0 { break }
                    try chunk.withUnsafeBytes { try server.sendAll(UnsafeRawBufferPointer(rebasing: $0[0..<n]), deadline: deadline) }
                }
                try server.shutdown(.send)
            }
            let sender = BackgroundThread {
                var sent = 0
                while sent < size {
                    let count = min(wholePeriods, size - sent)
                    try pattern.withUnsafeBytes {
                        try client.sendAll(UnsafeRawBufferPointer(rebasing: $0[0..<count]), deadline: .now.advanced(by: .seconds(120)))
                    }
                    sent += count
                }
                try client.shutdown(.send)
            }

            var received = 0
            var firstMismatchNear: Int?
            var chunk = [UInt8](repeating: 0, count: chunkSize)
            let deadline = ContinuousClock.now.advanced(by: .seconds(120))
            while true {
                let n = try chunk.withUnsafeMutableBytes { try client.receive(into: $0, deadline: deadline) }
                if n == 0 { break }
                let matches = chunk.withUnsafeBytes { got in
                    pattern.withUnsafeBytes { want in memcmp(got.baseAddress!, want.baseAddress! + received % period, n) == 0 }
                }
                if !matches && firstMismatchNear == nil { firstMismatchNear = received }
                received += n
            }
            try sender.finish(within: .seconds(120))
            try echo.finish(within: .seconds(120))
            #expect(received == size)
            #expect(firstMismatchNear == nil)
        }
    }
}
