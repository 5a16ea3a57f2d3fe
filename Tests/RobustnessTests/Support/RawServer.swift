import Foundation
import Glibc
import WinsockSSL
import WinsockSSLTesting

/// A TCP server on 127.0.0.1:0 whose handler works on the raw socket of each connection, for peers that
/// break the protocol on purpose (garbage instead of a ServerHello, plain text after the ClientHello).
///
/// Each connection gets its own thread. `stop()` closes the listener and every connection and waits for
/// the handlers; what they throw is kept in `errors`.
final class RawServer: Sendable {
    let port: UInt16
    private let listener: ListeningSocket
    private let connections = Recorder<StreamSocket>()
    private let failures = Recorder<String>()
    private let running = DispatchGroup()
    private let stopped = Flag()

    init(handler: @escaping @Sendable (StreamSocket) throws -> Void) throws {
        listener = try ListeningSocket()
        port = listener.localEndpoint.port
        let listener = self.listener, connections = self.connections, failures = self.failures
        let running = self.running, stopped = self.stopped
        running.enter()
        Thread {
            defer { running.leave() }
            while !stopped.isSet {
                let socket: StreamSocket
                do throws(WinsockError) {
                    socket = try listener.accept(timeout: .milliseconds(250))
                } catch {
                    if error.code == .timedOut { continue }
                    return
                }
                socket.receiveTimeout = hangBound
                socket.sendTimeout = hangBound
                connections.append(socket)
                running.enter()
                Thread {
                    defer {
                        socket.close()
                        running.leave()
                    }
                    do {
                        try handler(socket)
                    } catch {
                        if !stopped.isSet { failures.append("\(error)") }
                    }
                }.start()
            }
        }.start()
    }

    deinit { stop() }

    /// Closes everything and waits (bounded) for the handlers; a blocked handler wakes when its socket closes.
    func stop() {
        stopped.set()
        listener.close()
        connections.values.forEach { $0.close() }
        _ = running.wait(timeout: .now() + hangBound.timeInterval)
    }

    var errors: [String] { failures.values }
}

/// A TCP proxy between the client and a real server that tampers with what the server sends, one TLS
/// record at a time: it can cut a record in half and hang up, or pass it on a byte at a time.
///
/// Records are told apart only by their content type, so the "first application data record" decisions
/// need a TLS 1.2 server (TLS 1.3 wraps its handshake messages in application-data records too).
final class TamperingProxy: Sendable {
    enum Action: Sendable {
        case forward
        /// Sends the first half of this record, then closes both sides (FIN, no close_notify).
        case truncateAndClose
        /// Sends this record and all that follows one byte per `interval`.
        case drip(Duration)
    }

    /// Decides what to do with the server's record number `index` (from 0) of content type `contentType`.
    typealias Decision = @Sendable (_ index: Int, _ contentType: UInt8) -> Action

    let port: UInt16
    private let server: RawServer

    init(upstreamPort: UInt16, decide: @escaping Decision) throws {
        server = try RawServer { client in
            let upstream = try StreamSocket(family: .ipv4)
            defer { upstream.close() }
            try upstream.connect(to: SocketEndpoint(address: .loopbackIPv4, port: upstreamPort))
            upstream.receiveTimeout = hangBound
            upstream.sendTimeout = hangBound
            // Client to server: copied as is, on its own thread.
            let forward = BackgroundThread {
                var chunk = [UInt8](repeating: 0, count: 16 * 1024)
                while true {
                    let count = try chunk.withUnsafeMutableBytes { try client.receive(into: $0) }
                    if count == 0 { break }
                    try upstream.send(Array(chunk[0..<count]))
                }
                try? upstream.shutdown(.send)
            }
            defer { try? forward.finish(within: .seconds(1)) }
            // Server to client: record by record.
            var index = 0
            var dripping: Duration?
            while let record = try upstream.receiveTLSRecord() {
                let action: Action = dripping.map { .drip($0) } ?? decide(index, record[0])
                index += 1
                switch action {
                case .forward:
                    try client.send(record)
                case .truncateAndClose:
                    try client.send(Array(record[0..<(record.count / 2)]))
                    client.close()
                    upstream.close()
                    return
                case .drip(let interval):
                    dripping = interval
                    for byte in record {
                        try client.send([byte])
                        sleep(interval)
                    }
                }
            }
            try? client.shutdown(.send)
        }
        port = server.port
    }

    func stop() { server.stop() }
    var errors: [String] { server.errors }
}
