import Foundation
import TestSupport
import WinsockSSL
import WinsockSSLTesting

/// Generous bound for anything a test waits on, so a bug shows up as a failure instead of a hang.
let hangBound: Duration = .seconds(15)

/// The real TLS servers each port is run against.
enum PeerKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case opensslTLS12 = "openssl s_server -tls1_2"
    case opensslTLS13 = "openssl s_server -tls1_3"
    case pythonTLS12 = "Python ssl, TLS 1.2"
    case pythonTLS13 = "Python ssl, TLS 1.3"

    var description: String { rawValue }

    /// The `dwProtocol` of `SSLCONNECTIONINFO` a client reads after the handshake.
    var connectionInfoProtocol: Int32 {
        switch self {
        case .opensslTLS12, .pythonTLS12: 0x800    // SSL_PROT_TLS1_2_CLIENT
        case .opensslTLS13, .pythonTLS13: 0x2000   // SSL_PROT_TLS1_3_CLIENT
        }
    }

    /// Starts this kind of peer serving `issued` and holding `script`.
    func start(serving issued: IssuedCertificate, _ script: PeerScript) throws -> any ScriptedPeer {
        switch self {
        case .opensslTLS12: try OpenSSLServerPeer(serving: issued, versionOption: "-tls1_2", script)
        case .opensslTLS13: try OpenSSLServerPeer(serving: issued, versionOption: "-tls1_3", script)
        case .pythonTLS12: try PythonServerPeer(serving: issued, version: "1.2", script)
        case .pythonTLS13: try PythonServerPeer(serving: issued, version: "1.3", script)
        }
    }
}

/// A server on loopback holding one scripted conversation with the port under test.
protocol ScriptedPeer: AnyObject {
    /// The loopback port the port under test connects to.
    var port: Int { get }
    /// Waits (at most `bound`) until the peer has held its whole side of the script; throws with what went wrong.
    func finish(within bound: Duration) throws
    /// Stops the peer; safe to call more than once.
    func stop()
}

/// A certificate and key in a temporary directory, for a peer that reads files; removed by `remove()`.
struct CertificateFiles {
    let directory: String
    var certificate: String { directory + "/cert.pem" }
    var key: String { directory + "/key.pem" }

    init(_ issued: IssuedCertificate) throws {
        directory = NSTemporaryDirectory() + "portcorpus-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try issued.write(certificateTo: directory + "/cert.pem", keyTo: directory + "/key.pem")
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

/// `openssl s_server -quiet` on loopback: what the client sends appears on its standard output, and what
/// its standard input receives goes to the client, so the script runs over the server's stdio. Plain-text
/// steps before TLS (STARTTLS) are held by a `PlainPreludeRelay` in front of it, which then relays the bytes.
final class OpenSSLServerPeer: ScriptedPeer {
    let port: Int
    private let files: CertificateFiles
    private let server: BackgroundProcess
    private let relay: PlainPreludeRelay?
    private let runner: BackgroundThread

    init(serving issued: IssuedCertificate, versionOption: String, _ script: PeerScript) throws {
        guard let openssl = findExecutable(["/usr/bin/openssl", "/usr/local/bin/openssl"]) else {
            throw PeerScriptFailure(description: "the openssl command is not installed")
        }
        files = try CertificateFiles(issued)
        let serverPort = try Self.freeLoopbackPort()
        server = try BackgroundProcess(openssl, ["s_server", "-quiet", "-accept", "127.0.0.1:\(serverPort)",
                                                 "-cert", files.certificate, "-key", files.key, versionOption])
        try Self.waitUntilListening(serverPort, server)
        if script.plainSteps.isEmpty {
            relay = nil
            port = serverPort
        } else {
            let relay = try PlainPreludeRelay(script.plainSteps, upstreamPort: serverPort)
            self.relay = relay
            port = relay.port
        }
        let steps = script.tlsSteps
        runner = BackgroundThread { [server] in try Self.run(steps, over: server) }
    }

    deinit { stop() }

    func finish(within bound: Duration) throws {
        do {
            try relay?.finishPrelude(within: bound)
            try runner.finish(within: bound)
        } catch {
            throw PeerScriptFailure(description: "openssl s_server: \(error)\n[stderr]\n\(server.standardError)")
        }
    }

    func stop() {
        relay?.stop()
        server.stop()
        files.remove()
    }

    private static func run(_ steps: [PeerStep], over server: BackgroundProcess) throws {
        var offset = 0
        for step in steps {
            switch step {
            case .tls: throw PeerScriptFailure(description: "a second .tls step")
            case .send(let bytes): try server.write(bytes)
            case .expect(let bytes):
                var end: Int?
                _ = server.wait(within: hangBound) { output, closed in
                    end = endOfMatch(bytes, in: output, from: offset)
                    return end != nil || closed
                }
                guard let end else {
                    let received = String(decoding: server.standardOutput[offset...], as: UTF8.self)
                    throw PeerScriptFailure(description: "waited for \(String(decoding: bytes, as: UTF8.self).debugDescription), received \(received.debugDescription)")
                }
                offset = end
            }
        }
    }

    /// A loopback port nothing listens on (a listener's, released again).
    static func freeLoopbackPort() throws -> Int {
        let listener = try ListeningSocket()
        defer { listener.close() }
        return Int(listener.localEndpoint.port)
    }

    /// Connects (and closes at once) until the server accepts; s_server goes back to accepting after it.
    private static func waitUntilListening(_ port: Int, _ server: BackgroundProcess) throws {
        let deadline = ContinuousClock.now.advanced(by: hangBound)
        while ContinuousClock.now < deadline {
            let probe = try StreamSocket(family: .ipv4)
            defer { probe.close() }
            if (try? probe.connect(to: SocketEndpoint(address: .loopbackIPv4, port: UInt16(port)), timeout: .seconds(1))) != nil {
                return
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw PeerScriptFailure(description: "openssl s_server did not listen on \(port)\n\(server.standardError)")
    }
}

/// `script_peer.py` (Python's `ssl`): runs the whole script, plain-text steps included, itself.
final class PythonServerPeer: ScriptedPeer {
    let port: Int
    private let files: CertificateFiles
    private let server: BackgroundProcess

    init(serving issued: IssuedCertificate, version: String, _ script: PeerScript) throws {
        guard let python = findExecutable(["/usr/bin/python3", "/usr/local/bin/python3"]) else {
            throw PeerScriptFailure(description: "python3 is not installed")
        }
        files = try CertificateFiles(issued)
        let scriptFile = files.directory + "/script.json"
        try script.json(certificatePath: files.certificate, keyPath: files.key, version: version)
            .write(toFile: scriptFile, atomically: true, encoding: .utf8)
        let peerProgram = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Peers/script_peer.py").path
        server = try BackgroundProcess(python, [peerProgram, scriptFile])
        var announced: Int?
        _ = server.wait(within: hangBound) { output, closed in
            let text = String(decoding: output, as: UTF8.self)
            if let line = text.split(separator: "\n").first, line.hasPrefix("PORT "), text.contains("\n") {
                announced = Int(line.dropFirst(5))
            }
            return announced != nil || closed
        }
        guard let announced else {
            server.stop()
            throw PeerScriptFailure(description: "script_peer.py did not start:\n\(server.standardError)")
        }
        port = announced
    }

    deinit { stop() }

    func finish(within bound: Duration) throws {
        var done = false
        _ = server.wait(within: bound) { output, closed in
            done = String(decoding: output, as: UTF8.self).contains("\nDONE\n")
            return done || closed
        }
        if !done {
            throw PeerScriptFailure(description: "script_peer.py did not finish its script:\n\(server.standardError)")
        }
    }

    func stop() {
        server.stop()
        files.remove()
    }
}

/// Holds the plain-text part of a STARTTLS conversation for a TLS server that cannot (openssl s_server),
/// then relays bytes both ways between the client and that server.
final class PlainPreludeRelay: Sendable {
    let port: Int
    private let listener: ListeningSocket
    private let sockets = Locked<[StreamSocket]>([])
    private let prelude: BackgroundThread

    init(_ steps: [PeerStep], upstreamPort: Int) throws {
        listener = try ListeningSocket()
        port = Int(listener.localEndpoint.port)
        prelude = BackgroundThread { [listener, sockets] in
            let client = try listener.accept(timeout: hangBound)
            sockets.withLock { $0.append(client) }
            var received: [UInt8] = []
            let deadline = ContinuousClock.now.advanced(by: hangBound)
            for step in steps {
                switch step {
                case .tls: break
                case .send(let bytes): try bytes.withUnsafeBytes { try client.sendAll($0, deadline: deadline) }
                case .expect(let bytes):
                    while endOfMatch(bytes, in: received, from: 0) == nil {
                        var chunk = [UInt8](repeating: 0, count: 4096)
                        let n = try chunk.withUnsafeMutableBytes { try client.receive(into: $0, deadline: deadline) }
                        if n == 0 { throw PeerScriptFailure(description: "the client closed during the plain-text prelude") }
                        received += chunk[0..<n]
                    }
                    received.removeFirst(endOfMatch(bytes, in: received, from: 0)!)
                }
            }
            let upstream = try StreamSocket(family: .ipv4)
            sockets.withLock { $0.append(upstream) }
            try upstream.connect(to: SocketEndpoint(address: .loopbackIPv4, port: UInt16(upstreamPort)), timeout: .seconds(5))
            if !received.isEmpty { try received.withUnsafeBytes { try upstream.sendAll($0, deadline: deadline) } }
            Self.pump(from: client, to: upstream)
            Self.pump(from: upstream, to: client)
        }
    }

    /// Copies bytes until either side closes or fails, then closes the writing side of the other.
    private static func pump(from source: StreamSocket, to destination: StreamSocket) {
        Thread {
            var chunk = [UInt8](repeating: 0, count: 16 * 1024)
            while true {
                let deadline = ContinuousClock.now.advanced(by: .seconds(60))
                guard let n = try? chunk.withUnsafeMutableBytes({ try source.receive(into: $0, deadline: deadline) }), n > 0 else { break }
                guard (try? chunk[0..<n].withUnsafeBytes({ try destination.sendAll($0, deadline: deadline) })) != nil else { break }
            }
            try? destination.shutdown(.send)
        }.start()
    }

    /// Waits until the plain-text part is done and the relay runs.
    func finishPrelude(within bound: Duration) throws {
        try prelude.finish(within: bound)
    }

    func stop() {
        listener.close()
        for socket in sockets.withLock({ $0 }) { socket.abort() }
    }
}
