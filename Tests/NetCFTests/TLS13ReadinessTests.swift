import Foundation
import NetCF
import Testing
import WinsockSSL
import WinsockSSLTesting

/// On a secure socket, readiness means application data, end of stream or an error — nothing else.
///
/// A TLS 1.3 server sends session tickets (OpenSSL: two) right after the handshake. They are TLS records
/// but carry no data for the program, so `Poll(SelectRead)`, `Available` and `DataAvailable` must not see
/// them; otherwise the common CE reader — `if (s.Poll(…, SelectRead)) lock (this) { n = s.Receive(buf); }`
/// — blocks in `Receive` holding the lock its writer needs, and the two deadlock.
@Suite struct TLS13ReadinessTests {
    let authority: TestCertificateAuthority
    let issued: IssuedCertificate

    init() throws {
        authority = try TestCertificateAuthority()
        issued = try authority.issue(dnsNames: ["localhost"])
    }

    /// A non-deferred secure socket connected to `port` for "localhost"; the handshake is done when this returns.
    func connect(to port: UInt16) throws -> Socket {
        let s = try SecureSockets.make(trusting: authority.root, deferred: false)
        try s.IOControl(SO_SSL_SET_PEERNAME, SecureSockets.nulTerminated("localhost"), nil)
        try s.Connect(SecureSockets.loopback(port))
        return s
    }

    /// Waits (bounded) until the server's post-handshake records are in the kernel's buffer, as they are when a
    /// program first polls.
    func awaitTickets(on s: Socket) throws {
        #expect(try s.core.stream.poll(readable: true, timeout: hangBound), "the server sent nothing after the handshake")
    }

    @Test func sessionTicketsAloneDoNotMakeTheSocketReadable() throws {
        let server = try lineEchoServer(TLSServerConfiguration(serving: issued))
        defer { server.stop() }
        let s = try connect(to: server.port)
        defer { s.Close() }
        #expect(s.core.sessionInfo?.version == .tls1_3)
        try awaitTickets(on: s)

        #expect(try s.Poll(200_000, SelectMode.SelectRead) == false)
        #expect(try s.Available == 0)
        #expect(try NetworkStream(s).DataAvailable == false)
        // The tickets were consumed on the way, not left for a later poll to trip over.
        #expect(try s.core.stream.bytesAvailable() == 0)

        // Real data still makes it readable, and is all there.
        _ = try s.Send(Encoding.ASCII.GetBytes("ping\r\n"))
        #expect(try s.Poll(Int(SecureSockets.timeoutMilliseconds) * 1000, SelectMode.SelectRead))
        #expect(try s.Available > 0)
        #expect(try SecureSockets.receiveLine(s) == "echo: ping\r\n")
    }

    @Test func endOfStreamMakesTheSocketReadable() throws {
        let server = try TLSTestServer(configuration: TLSServerConfiguration(serving: issued)) { connection in
            try connection.startTLS()
            _ = try connection.readTLSLine()
            connection.closeNotify()
            connection.close()
        }
        defer { server.stop() }
        let s = try connect(to: server.port)
        defer { s.Close() }
        try awaitTickets(on: s)
        #expect(try s.Poll(200_000, SelectMode.SelectRead) == false)
        _ = try s.Send(Encoding.ASCII.GetBytes("bye\r\n"))
        #expect(try s.Poll(Int(SecureSockets.timeoutMilliseconds) * 1000, SelectMode.SelectRead))
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(try s.Receive(&buffer) == 0)
    }

    @Test func pollThenReceiveUnderALockDoesNotDeadlockTheWriterAgainstTestTLSServer() throws {
        let server = try lineEchoServer(TLSServerConfiguration(serving: issued))
        defer { server.stop() }
        let s = try connect(to: server.port)
        defer { s.Close() }
        #expect(s.core.sessionInfo?.version == .tls1_3)
        try awaitTickets(on: s)
        try expectReaderAndWriterProgress(s, lines: 5) { "echo: \($0)" }
    }

    @Test func pollThenReceiveUnderALockDoesNotDeadlockTheWriterAgainstOpenSSLServer() throws {
        let server = try OpenSSLServer(issued)
        defer { server.stop() }
        let s = try connect(to: server.port)
        defer { s.Close() }
        #expect(s.core.sessionInfo?.version == .tls1_3)
        try awaitTickets(on: s)
        // `s_server -rev` answers each line with the line reversed.
        try expectReaderAndWriterProgress(s, lines: 5) { String($0.reversed()) }
    }

    /// The item-17 pattern: a reader thread that polls and then receives under a lock, and a writer that
    /// sends under the same lock; each line the writer sends must come back, and the writer must never wait
    /// long for the lock. Bounded: a regression fails (the lock is not had within the bound) instead of hanging.
    func expectReaderAndWriterProgress(_ s: Socket, lines: Int, reply: @escaping @Sendable (String) -> String) throws {
        let lock = NSLock()
        let received = Recorder<UInt8>()
        let stop = Locked(false)
        let reader = BackgroundThread {
            var buffer = [UInt8](repeating: 0, count: 256)
            while !stop.withLock({ $0 }) {
                if try s.Poll(50_000, SelectMode.SelectRead) {
                    lock.lock()
                    defer { lock.unlock() }
                    let n = try s.Receive(&buffer)
                    if n == 0 { return }
                    for byte in buffer[0..<n] { received.append(byte) }
                }
            }
        }
        defer {
            stop.withLock { $0 = true }
            try? reader.finish(within: hangBound)
        }

        var expected = ""
        for index in 0..<lines {
            let line = "line \(index)"
            guard lock.lock(before: Date(timeIntervalSinceNow: 5)) else {
                Issue.record("the writer could not get the lock: the reader is blocked in Receive holding it (line \(index))")
                s.Close()
                return
            }
            _ = try s.Send(Encoding.ASCII.GetBytes(line + "\n"))
            lock.unlock()
            expected += reply(line) + "\n"
            let deadline = ContinuousClock.now.advanced(by: hangBound)
            while String(decoding: received.values, as: UTF8.self).replacingOccurrences(of: "\r", with: "") != expected,
                  ContinuousClock.now < deadline {
                usleep(2_000)
            }
        }
        #expect(String(decoding: received.values, as: UTF8.self).replacingOccurrences(of: "\r", with: "") == expected)
    }
}

/// `openssl s_server -tls1_3 -rev` on a free loopback port, serving `issued`, for one connection.
final class OpenSSLServer: Sendable {
    let port: UInt16
    private let process: Process
    private let directory: String

    init(_ issued: IssuedCertificate) throws {
        directory = NSTemporaryDirectory() + "s_server-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try issued.write(certificateTo: directory + "/cert.pem", keyTo: directory + "/key.pem")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["s_server", "-tls1_3", "-rev", "-naccept", "1", "-accept", "127.0.0.1:0",
                             "-cert", directory + "/cert.pem", "-key", directory + "/key.pem"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = Pipe()
        try process.run()
        self.process = process
        // It prints "ACCEPT 127.0.0.1:<port>" once it listens; read that line, bounded.
        let portLine = Locked<String?>(nil)
        let lineReader = BackgroundThread {
            var text = ""
            while !text.contains("ACCEPT") || !text.hasSuffix("\n") {
                let data = output.fileHandleForReading.availableData
                if data.isEmpty { break }
                text += String(decoding: data, as: UTF8.self)
            }
            portLine.withLock { $0 = text }
        }
        do {
            try lineReader.finish(within: hangBound)
        } catch {
            process.terminate()
            throw error
        }
        let text = portLine.withLock { $0 } ?? ""
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT") }),
              let port = line.split(separator: ":").last.flatMap({ UInt16($0.trimmingCharacters(in: .whitespaces)) }) else {
            process.terminate()
            throw ExternalServerError(description: "openssl s_server did not say where it listens: \(text)")
        }
        self.port = port
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: directory)
    }

    struct ExternalServerError: Error, CustomStringConvertible {
        var description: String
    }
}
