import Foundation
import Testing
import WinsockSSL

/// Winsock's `select` puts a socket in the read set for a pending connection (listening), data, or a
/// connection closed, reset or terminated, and in the write set once a connect has succeeded or data can be
/// sent. A socket that was created but never connected has none of these, though Linux `poll` answers
/// `POLLHUP` (and `POLLOUT`) for it at once. `WinsockSocket.poll` is the readiness `Socket.Poll` and
/// `Socket.Select` use.
@Suite struct SelectReadinessTests {
    @Test func aSocketThatWasNeverConnectedIsNeitherReadableNorWritable() throws {
        let socket = try WinsockSocket(family: .ipv4)
        defer { socket.close() }

        #expect(try socket.poll(readable: true, timeout: .milliseconds(100)) == false)
        #expect(try socket.poll(readable: false, timeout: .milliseconds(100)) == false)
        #expect(try socket.poll(readable: true, timeout: .zero) == false)
    }

    @Test func closingANeverConnectedSocketWakesAPollWithoutTimeout() throws {
        let socket = try WinsockSocket(family: .ipv4)
        let outcome = Locked<Result<Bool, WinsockError>?>(nil)
        let poller = Thread {
            let result = Result { () throws(WinsockError) in try socket.poll(readable: true, timeout: hangBound) }
            outcome.withLock { $0 = result }
        }
        poller.start()
        Thread.sleep(forTimeInterval: 0.1)
        socket.close()
        let deadline = ContinuousClock.now.advanced(by: hangBound)
        while outcome.withLock({ $0 == nil }), ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.01) }

        let result = try #require(outcome.withLock { $0 })
        #expect(throws: WinsockError.self) { try result.get() }
    }

    @Test func aConnectedSocketWhosePeerClosedIsReadableAndReceiveReturnsZero() throws {
        try withConnectedPair { client, server in
            let socket = WinsockSocket(adopting: client)
            server.close()

            let readable = try socket.poll(readable: true, timeout: hangBound)
            #expect(readable)
            var buffer = [UInt8](repeating: 0, count: 16)
            let received = try buffer.withUnsafeMutableBytes { try socket.receive(into: $0) }
            #expect(received == 0)
        }
    }

    @Test func aConnectedSocketIsWritable() throws {
        try withConnectedPair { client, _ in
            let socket = WinsockSocket(adopting: client)
            let writable = try socket.poll(readable: false, timeout: hangBound)
            #expect(writable)
        }
    }
}
