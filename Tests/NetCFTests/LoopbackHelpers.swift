import Foundation
import NetCF
import WinsockSSL

/// Generous bound for anything a test waits on, so a bug shows up as a failure instead of a hang.
let hangBound: Duration = .seconds(10)

/// Runs `body` with a connected .NET `Socket` and the server's accepted core socket, on loopback;
/// the listener, the `Socket` and the server end are closed when `body` returns or throws.
func withConnectedSocket<Result>(_ family: NetCF.AddressFamily = .InterNetwork,
                                 _ body: (_ s: Socket, _ server: StreamSocket) throws -> Result) throws -> Result {
    let loopback: InternetAddress = family == .InterNetwork ? .loopbackIPv4 : .loopbackIPv6
    let listener = try ListeningSocket(on: SocketEndpoint(address: loopback, port: 0))
    defer { listener.close() }
    let s = try Socket(family, .Stream, .Tcp)
    defer { s.Close() }
    try s.Connect(IPEndPoint(IPAddress(loopback), Int(listener.localEndpoint.port)))
    let server = try listener.accept(timeout: hangBound)
    defer { server.close() }
    return try body(s, server)
}

/// A loopback port on which nothing listens: a listener's port, released again.
func closedLoopbackPort() throws -> Int {
    let listener = try ListeningSocket()
    let port = Int(listener.localEndpoint.port)
    listener.close()
    return port
}

extension StreamSocket {
    /// Sends `text` as UTF-8, all of it.
    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try sendAll($0, deadline: .now.advanced(by: hangBound)) }
    }

    /// Receives until `count` bytes have arrived or the peer closes.
    func receive(_ count: Int) throws -> [UInt8] {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: max(1, min(count, 64 * 1024)))
        let deadline = ContinuousClock.now.advanced(by: hangBound)
        while received.count < count {
            let wanted = min(chunk.count, count - received.count)
            let n = try chunk.withUnsafeMutableBytes { try receive(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<wanted]), deadline: deadline) }
            if n == 0 { break }
            received += chunk[0..<n]
        }
        return received
    }

    /// Receives one line ending in "\n" (returned without "\r\n"), or nil when the peer closes first.
    func receiveLine() throws -> String? {
        var line: [UInt8] = []
        while true {
            let byte = try receive(1)
            guard let first = byte.first else { return nil }
            if first == 0x0a { break }
            line.append(first)
        }
        if line.last == 0x0d { line.removeLast() }
        return String(decoding: line, as: UTF8.self)
    }
}
