import Foundation
import WinsockSSL
import WinsockSSLTesting

/// `openssl s_server` for one connection, on `address` at a port the system picks. Lines written to its
/// standard input are sent to the client (one-letter lines are commands: `K` sends a KeyUpdate that asks for
/// one back); what it prints (what the client sent, the server name it asked for) is collected.
final class OpenSSLServer: Sendable {
    let address: String
    let port: UInt16
    private let process: Process
    private let directory: String
    private let input: Pipe
    private let output = Locked("")
    private let outputReader: BackgroundThread
    /// Whether `outputReader` was waited for (it can be only once).
    private let outputRead = Locked(false)

    /// TLS 1.3 only, serving `issued` on 127.0.0.1.
    convenience init(_ issued: IssuedCertificate) throws {
        try self.init(certificates: ["server": issued]) { files in
            ["-tls1_3", "-cert", files + "/server.pem", "-key", files + "/server.key"]
        }
    }

    /// `certificates` are written as `<name>.pem` and `<name>.key` into a directory of their own, whose path
    /// `options` receives to build the rest of the command line.
    init(address: String = "127.0.0.1", certificates: [String: IssuedCertificate], options: (_ files: String) -> [String]) throws {
        self.address = address
        directory = NSTemporaryDirectory() + "s_server-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, issued) in certificates {
            try issued.write(certificateTo: "\(directory)/\(name).pem", keyTo: "\(directory)/\(name).key")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["s_server", "-naccept", "1", "-accept", "\(address):0"] + options(directory)
        let stdout = Pipe()
        input = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        // s_server ends at the end of its standard input: the pipe stays open until `stop`.
        process.standardInput = input
        try process.run()
        self.process = process
        let output = self.output
        outputReader = BackgroundThread {
            while true {
                let data = stdout.fileHandleForReading.availableData
                if data.isEmpty { return }
                output.withLock { $0 += String(decoding: data, as: UTF8.self) }
            }
        }
        // It prints "ACCEPT <address>:<port>" once it listens.
        let listening = Self.await { output.withLock { $0.contains("ACCEPT") && $0.hasSuffix("\n") } }
        let text = output.withLock { $0 }
        guard listening, let line = text.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT") }),
            let port = line.split(separator: ":").last.flatMap({ UInt16($0.trimmingCharacters(in: .whitespaces)) })
        else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try? FileManager.default.removeItem(atPath: directory)
            throw ExternalServerError(description: "openssl s_server did not say where it listens: \(text)")
        }
        self.port = port
    }

    /// Where the server listens.
    var endpoint: SocketEndpoint { SocketEndpoint(address: InternetAddress(parsing: address)!, port: port) }

    /// Writes `line` to the server's standard input.
    func command(_ line: String) throws {
        try input.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
    }

    /// Waits (bounded) until the server has printed `text`.
    func awaitOutput(_ text: String) -> Bool {
        Self.await { output.withLock { $0.contains(text) } }
    }

    /// Everything the server printed, once it has ended after its one connection (waited for, bounded).
    func outputAfterExit() throws -> String {
        guard Self.await({ !process.isRunning }) else {
            throw ExternalServerError(description: "openssl s_server did not end after its connection: \(output.withLock { $0 })")
        }
        try finishReadingOutput()
        return output.withLock { $0 }
    }

    /// Ends the server. SIGKILL, because a child of a test thread inherits its blocked signals, SIGTERM
    /// among them, and s_server waiting for a connection that never comes would not end otherwise.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
        try? finishReadingOutput()
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func finishReadingOutput() throws {
        guard !outputRead.withLock({ $0 }) else { return }
        try outputReader.finish(within: hangBound)
        outputRead.withLock { $0 = true }
    }

    private static func await(_ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now.advanced(by: hangBound)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            usleep(5_000)
        }
        return false
    }

    struct ExternalServerError: Error, CustomStringConvertible {
        var description: String
    }
}
