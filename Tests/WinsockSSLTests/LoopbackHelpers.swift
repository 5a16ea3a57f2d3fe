import Foundation
import WinsockSSL

/// Generous bound for anything a test waits on, so a bug shows up as a failure instead of a hang.
let hangBound: Duration = .seconds(10)

/// Runs `body` with a connected client and the server's accepted end, on loopback; everything
/// (listener, client, server end) is closed when `body` returns or throws.
func withConnectedPair<Result>(on address: InternetAddress = .loopbackIPv4,
                               _ body: (_ client: StreamSocket, _ server: StreamSocket) throws -> Result) throws -> Result {
    let listener = try ListeningSocket(on: SocketEndpoint(address: address, port: 0))
    defer { listener.close() }
    let client = try StreamSocket(family: address.family)
    defer { client.close() }
    try client.connect(to: listener.localEndpoint, timeout: hangBound)
    let server = try listener.accept(timeout: hangBound)
    defer { server.close() }
    return try body(client, server)
}

/// A loopback endpoint on which nothing listens: a listener's port, released again.
func closedLoopbackEndpoint(_ address: InternetAddress = .loopbackIPv4) throws -> SocketEndpoint {
    let listener = try ListeningSocket(on: SocketEndpoint(address: address, port: 0))
    let endpoint = listener.localEndpoint
    listener.close()
    return endpoint
}

/// Receives until `count` bytes have arrived or the peer closes; the bytes received.
func receive(_ count: Int, from socket: StreamSocket) throws -> [UInt8] {
    var received: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: max(1, min(count, 64 * 1024)))
    let deadline = ContinuousClock.now.advanced(by: hangBound)
    while received.count < count {
        let wanted = min(chunk.count, count - received.count)
        let n = try chunk.withUnsafeMutableBytes { try socket.receive(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<wanted]), deadline: deadline) }
        if n == 0 { break }
        received += chunk[0..<n]
    }
    return received
}

func send(_ bytes: [UInt8], to socket: StreamSocket) throws {
    try bytes.withUnsafeBytes { try socket.sendAll($0) }
}
