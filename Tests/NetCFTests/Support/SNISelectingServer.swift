import Foundation
import WinsockSSL
import WinsockSSLTesting

/// `openssl s_server` for one connection, on a loopback address of its own, choosing its certificate by the
/// server name the client sends (SNI): `named` for `name`, `fallback` for any other name or none — what a host
/// that serves several names on one address does.
///
/// Each server gets an address no other server in this process uses (127.213.x.y), so the name a test
/// resolves to it (`ResolvedNames`) is that test's alone, however many tests run at once.
final class SNISelectingServer: Sendable {
    let address: String
    let port: UInt16
    let name: String
    private let process: Process
    private let directory: String
    private let input: Pipe
    private let output = Locked("")
    private let outputReader: BackgroundThread
    /// Whether `outputReader` was waited for (it can be only once).
    private let outputRead = Locked(false)

    private static let nextAddress = Locked(0)

    /// A loopback address no earlier call in this process returned.
    static func uniqueLoopbackAddress() -> String {
        let index = nextAddress.withLock { value in
            value += 1
            return value
        }
        return "127.213.\(index / 250).\(index % 250 + 2)"
    }

    /// Starts the server on `address` (from `uniqueLoopbackAddress`).
    init(name: String, address: String, named: IssuedCertificate, fallback: IssuedCertificate) throws {
        self.name = name
        self.address = address
        directory = NSTemporaryDirectory() + "sni-server-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try fallback.write(certificateTo: directory + "/fallback.pem", keyTo: directory + "/fallback.key")
        try named.write(certificateTo: directory + "/named.pem", keyTo: directory + "/named.key")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["s_server", "-naccept", "1", "-accept", "\(address):0",
                             "-cert", directory + "/fallback.pem", "-key", directory + "/fallback.key",
                             "-servername", name,
                             "-cert2", directory + "/named.pem", "-key2", directory + "/named.key"]
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
              let port = line.split(separator: ":").last.flatMap({ UInt16($0.trimmingCharacters(in: .whitespaces)) }) else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try? FileManager.default.removeItem(atPath: directory)
            throw SNIServerError(description: "openssl s_server did not say where it listens: \(text)")
        }
        self.port = port
    }

    /// Where the server listens.
    var endpoint: SocketEndpoint { SocketEndpoint(address: InternetAddress(parsing: address)!, port: port) }

    /// The server names the client sent, as s_server printed them ("Hostname in TLS extension: "…""), once
    /// the connection is over: waits (bounded) for the server to end after its one connection.
    func sentServerNames() throws -> [String] {
        guard Self.await({ !process.isRunning }) else {
            throw SNIServerError(description: "openssl s_server did not end after its connection: \(output.withLock { $0 })")
        }
        try finishReadingOutput()
        let prefix = "Hostname in TLS extension: \""
        return output.withLock { $0 }.split(separator: "\n").compactMap { line in
            guard line.hasPrefix(prefix), line.hasSuffix("\"") else { return nil }
            return String(line.dropFirst(prefix.count).dropLast())
        }
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

    struct SNIServerError: Error, CustomStringConvertible {
        var description: String
    }
}
