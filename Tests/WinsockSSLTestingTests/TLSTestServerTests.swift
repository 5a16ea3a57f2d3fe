import Foundation
import Testing
import WinsockSSL
import WinsockSSLTesting

// Real clients (`openssl s_client`, Python's `ssl`) talk to the server, with a certificate made at run time.

@Test func echoRoundTripWithPythonClient() throws {
    let certificate = try TestCertificate()
    defer { certificate.remove() }
    let server = try TLSTestServer(configuration: certificate.configuration(), handler: TLSTestServer.echo)
    defer { server.stop() }

    let result = try runCommand(["python3", "-c", pythonEchoClient, String(server.port), certificate.certificatePath, "127.0.0.1"])

    #expect(result.output == "TLSv1.3 40000 True\n", "\(result.errorOutput)")
    server.stop()
    #expect(server.handshakesCompleted == 1)
    #expect(server.errors.isEmpty)
}

@Test func echoWorksOnIPv6Loopback() throws {
    let certificate = try TestCertificate()
    defer { certificate.remove() }
    let server = try TLSTestServer(configuration: certificate.configuration(), address: "::1", handler: TLSTestServer.echo)
    defer { server.stop() }

    let result = try runCommand(["python3", "-c", pythonEchoClient, String(server.port), certificate.certificatePath, "::1"])

    #expect(result.output == "TLSv1.3 40000 True\n", "\(result.errorOutput)")
    #expect(server.endpoint.address == .loopbackIPv6)
}

@Test func tls12OnlyServerNegotiatesTLS12() throws {
    let certificate = try TestCertificate()
    defer { certificate.remove() }
    let seen = Recorder()
    var configuration = certificate.configuration()
    configuration.minimumVersion = .tls1_2
    configuration.maximumVersion = .tls1_2
    let server = try TLSTestServer(configuration: configuration, handler: TLSTestServer.immediateTLS { connection in
        seen.append(connection.negotiatedVersion ?? "none")
        try echoAfterHandshake(connection)
    })
    defer { server.stop() }

    let result = try runCommand(["openssl", "s_client", "-connect", "127.0.0.1:\(server.port)", "-servername", "localhost",
                                "-CAfile", certificate.certificatePath], input: "hello\n")

    // s_client prints "Protocol" even for a failed handshake; "New, <version>" only for a completed one.
    #expect(result.output.contains("New, TLSv1.2, Cipher is"), "\(result.output)")
    #expect(result.output.contains("Protocol  : TLSv1.2"))
    #expect(result.output.contains("Verify return code: 0 (ok)"))
    server.stop()
    #expect(seen.values == ["TLSv1.2"])
}

@Test func tls13OnlyServerNegotiatesTLS13() throws {
    let certificate = try TestCertificate()
    defer { certificate.remove() }
    var configuration = certificate.configuration()
    configuration.minimumVersion = .tls1_3
    configuration.maximumVersion = .tls1_3
    configuration.cipherSuites = "TLS_CHACHA20_POLY1305_SHA256"
    let server = try TLSTestServer(configuration: configuration, handler: TLSTestServer.echo)
    defer { server.stop() }

    let result = try runCommand(["openssl", "s_client", "-connect", "127.0.0.1:\(server.port)", "-servername", "localhost",
                                "-CAfile", certificate.certificatePath], input: "hello\n")

    #expect(result.output.contains("New, TLSv1.3, Cipher is TLS_CHACHA20_POLY1305_SHA256"), "\(result.output)")
}

@Test func tls13OnlyServerRefusesATLS12Client() throws {
    let certificate = try TestCertificate()
    defer { certificate.remove() }
    var configuration = certificate.configuration()
    configuration.minimumVersion = .tls1_3
    let server = try TLSTestServer(configuration: configuration, handler: TLSTestServer.echo)
    defer { server.stop() }

    let result = try runCommand(["openssl", "s_client", "-connect", "127.0.0.1:\(server.port)", "-servername", "localhost",
                                "-CAfile", certificate.certificatePath, "-tls1_2"], input: "")

    #expect(result.output.contains("New, (NONE), Cipher is (NONE)"), "\(result.output)")
    #expect(waitUntil { server.errors.contains { $0.contains("handshake failed") && $0.contains("protocol") } }, "\(server.errors)")
    #expect(server.handshakesCompleted == 0)
}

@Test func legacyTLS10ServerWorksWithSecurityLevelZero() throws {
    let certificate = try TestCertificate()
    defer { certificate.remove() }
    var configuration = certificate.configuration()
    configuration.minimumVersion = .tls1
    configuration.maximumVersion = .tls1
    let server = try TLSTestServer(configuration: configuration, handler: TLSTestServer.echo)
    defer { server.stop() }

    let result = try runCommand(["openssl", "s_client", "-connect", "127.0.0.1:\(server.port)", "-servername", "localhost",
                                "-CAfile", certificate.certificatePath, "-tls1", "-cipher", "DEFAULT@SECLEVEL=0"], input: "hello\n")

    #expect(result.output.contains("New, TLSv1.0, Cipher is"), "\(result.output)\(result.errorOutput)")
    #expect(result.output.contains("Protocol  : TLSv1\n"))
}

@Test func starttlsPreludeIsScriptedInPlainTextThenEncrypted() throws {
    let certificate = try TestCertificate()
    defer { certificate.remove() }
    let seen = Recorder()
    let server = try TLSTestServer(configuration: certificate.configuration()) { connection in
        try connection.writePlain("220 hi\r\n")
        seen.append(try connection.readLine() ?? "<eof>")
        try connection.writePlain("250-x\r\n250 STARTTLS\r\n")
        seen.append(try connection.readLine() ?? "<eof>")
        try connection.writePlain("220 go\r\n")
        try connection.startTLS()
        seen.append(try connection.readTLSLine() ?? "<eof>")
        try connection.write(Array("echo: \(seen.values.last ?? "")\r\n".utf8))
        connection.closeNotify()
    }
    defer { server.stop() }

    let result = try runCommand(["openssl", "s_client", "-connect", "127.0.0.1:\(server.port)", "-servername", "localhost",
                                "-CAfile", certificate.certificatePath, "-starttls", "smtp", "-ign_eof"], input: "ping\n")

    #expect(result.output.contains("echo: ping"), "\(result.output)\(result.errorOutput)")
    #expect(result.output.contains("Verify return code: 0 (ok)"))
    let lines = seen.values
    #expect(lines.count == 3)
    #expect(lines.first?.hasPrefix("EHLO ") == true)
    #expect(lines.dropFirst().first == "STARTTLS")
    #expect(lines.last == "ping")
}

@Test func clientHelloSentWithTheLastPlainLineIsNotLost() throws {
    let certificate = try TestCertificate()
    defer { certificate.remove() }
    let seen = Recorder()
    let server = try TLSTestServer(configuration: certificate.configuration()) { connection in
        seen.append(try connection.readLine() ?? "<eof>")
        try connection.startTLS()
        try connection.write(try connection.readExactly(4))
        connection.closeNotify()
    }
    defer { server.stop() }

    // The client puts "STARTTLS\r\n" and its ClientHello into one write, so both arrive in one segment.
    let result = try runCommand(["python3", "-c", pythonEagerStartTLSClient, String(server.port), certificate.certificatePath])

    #expect(result.output == "ping\n", "\(result.errorOutput)")
    #expect(seen.values == ["STARTTLS"])
    #expect(server.handshakesCompleted == 1)
}

@Test func stopReturnsPromptlyWithAnIdleClientConnected() throws {
    let certificate = try TestCertificate()
    defer { certificate.remove() }
    let accepted = Recorder()
    let server = try TLSTestServer(configuration: certificate.configuration()) { connection in
        accepted.append("accepted")
        try connection.startTLS() // blocks: the client never sends a ClientHello
    }
    defer { server.stop() }
    let client = try StreamSocket(family: .ipv4)
    defer { client.close() }
    try client.connect(to: server.endpoint, timeout: .seconds(5))
    #expect(waitUntil { accepted.values.count == 1 })

    let clock = ContinuousClock()
    let elapsed = clock.measure { server.stop() }

    #expect(elapsed < .seconds(2), "stop() took \(elapsed)")
    #expect(server.errors.isEmpty, "errors caused by stop() itself are not recorded: \(server.errors)")
}

@Test func stopIsIdempotent() throws {
    let certificate = try TestCertificate()
    defer { certificate.remove() }
    let server = try TLSTestServer(configuration: certificate.configuration(), handler: TLSTestServer.echo)
    server.stop()
    server.stop()
    let client = try StreamSocket(family: .ipv4)
    defer { client.close() }
    #expect(throws: WinsockError.self) { try client.connect(to: server.endpoint, timeout: .seconds(5)) }
}

@Test func handlerThatThrowsIsRecordedInErrors() throws {
    struct ScriptFailure: Error, CustomStringConvertible {
        var description: String { "the script went wrong" }
    }
    let certificate = try TestCertificate()
    defer { certificate.remove() }
    let server = try TLSTestServer(configuration: certificate.configuration()) { connection in
        try connection.writePlain("bye\r\n")
        throw ScriptFailure()
    }
    defer { server.stop() }
    let client = try StreamSocket(family: .ipv4)
    defer { client.close() }
    try client.connect(to: server.endpoint, timeout: .seconds(5))

    _ = try receiveUntilEndOfStream(client) // the server closes only after recording the error

    #expect(server.errors == ["handler threw: the script went wrong"])
}

@Test func handshakeFailureIsRecordedInErrors() throws {
    let certificate = try TestCertificate()
    defer { certificate.remove() }
    let server = try TLSTestServer(configuration: certificate.configuration(), handler: TLSTestServer.echo)
    defer { server.stop() }
    let client = try StreamSocket(family: .ipv4)
    defer { client.close() }
    try client.connect(to: server.endpoint, timeout: .seconds(5))

    try Array("GET / HTTP/1.0\r\n\r\n".utf8).withUnsafeBytes { try client.sendAll($0) }
    _ = try receiveUntilEndOfStream(client)

    #expect(waitUntil { !server.errors.isEmpty })
    #expect(server.errors.count == 1)
    #expect(server.errors.first?.hasPrefix("handshake failed: SSL_accept failed") == true, "\(server.errors)")
    #expect(server.handshakesCompleted == 0)
}

@Test func readLineReturnsNilAtEndOfStream() throws {
    let certificate = try TestCertificate()
    defer { certificate.remove() }
    let seen = Recorder()
    let server = try TLSTestServer(configuration: certificate.configuration()) { connection in
        while let line = try connection.readLine() { seen.append(line) }
        seen.append("<eof>")
    }
    defer { server.stop() }
    let client = try StreamSocket(family: .ipv4)
    try client.connect(to: server.endpoint, timeout: .seconds(5))

    try Array("one\r\ntwo\nlast".utf8).withUnsafeBytes { try client.sendAll($0) }
    client.close()

    #expect(waitUntil { seen.values.last == "<eof>" })
    #expect(seen.values == ["one", "two", "last", "<eof>"])
}

@Test func keyThatDoesNotMatchTheCertificateIsRejected() throws {
    let certificate = try TestCertificate()
    defer { certificate.remove() }
    let other = try TestCertificate()
    defer { other.remove() }
    var configuration = certificate.configuration()
    configuration.privateKeyPEM = other.privateKeyPEM

    #expect {
        _ = try TLSTestServer(configuration: configuration, handler: TLSTestServer.echo)
    } throws: { error in
        (error as? TLSTestServerError)?.kind == .configuration
            && "\(error)".contains("key values mismatch")
    }
}

@Test func certificateTextWithoutACertificateIsRejected() throws {
    let certificate = try TestCertificate()
    defer { certificate.remove() }
    var configuration = certificate.configuration()
    configuration.certificateChainPEM = "not a certificate"

    #expect {
        _ = try TLSTestServer(configuration: configuration, handler: TLSTestServer.echo)
    } throws: { error in
        (error as? TLSTestServerError)?.kind == .configuration
    }
}

// MARK: - Helpers

/// `TLSTestServer.echo` without its handshake, for handlers wrapped in `immediateTLS`.
private func echoAfterHandshake(_ connection: TLSServerConnection) throws {
    while case let bytes = try connection.read(max: 4096), !bytes.isEmpty {
        try connection.write(bytes)
    }
    connection.closeNotify()
}

/// Collects strings from handler threads.
private final class Recorder: Sendable {
    private let storage = Locked<[String]>([])
    func append(_ value: String) { storage.withLock { $0.append(value) } }
    var values: [String] { storage.withLock { $0 } }
}

/// A self-signed P-256 certificate for `localhost` and 127.0.0.1, made by the `openssl` command in a temporary directory.
private struct TestCertificate {
    let directory: URL
    let certificatePath: String
    let certificatePEM: String
    let privateKeyPEM: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-test-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let keyPath = directory.appendingPathComponent("key.pem").path
        certificatePath = directory.appendingPathComponent("certificate.pem").path
        let result = try runCommand(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1",
                                    "-days", "2", "-keyout", keyPath, "-out", certificatePath])
        guard result.status == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "openssl req failed: \(result.errorOutput)"])
        }
        certificatePEM = try String(contentsOfFile: certificatePath, encoding: .utf8)
        privateKeyPEM = try String(contentsOfFile: keyPath, encoding: .utf8)
    }

    func configuration() -> TLSServerConfiguration {
        TLSServerConfiguration(certificateChainPEM: certificatePEM, privateKeyPEM: privateKeyPEM)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

private func receiveUntilEndOfStream(_ socket: StreamSocket) throws -> [UInt8] {
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    let deadline = ContinuousClock.now.advanced(by: .seconds(10))
    while true {
        let count = try buffer.withUnsafeMutableBytes { try socket.receive(into: $0, deadline: deadline) }
        if count == 0 { return received }
        received += buffer.prefix(count)
    }
}

/// Arguments: port, CA file, address. Sends 40 000 bytes, reads the echo, prints "<version> <count> <equal>".
private let pythonEchoClient = """
import socket, ssl, sys
port, cafile, host = int(sys.argv[1]), sys.argv[2], sys.argv[3]
context = ssl.create_default_context(cafile=cafile)
with socket.create_connection((host, port), timeout=10) as raw:
    with context.wrap_socket(raw, server_hostname="localhost") as tls:
        message = bytes(range(200)) * 200
        tls.sendall(message)
        received = b""
        while len(received) < len(message):
            chunk = tls.recv(65536)
            if not chunk:
                break
            received += chunk
        print(tls.version(), len(received), received == message)
"""

/// Arguments: port, CA file. Sends "STARTTLS\\r\\n" and the ClientHello in one write, then sends "ping" over TLS
/// and prints the echo.
private let pythonEagerStartTLSClient = """
import socket, ssl, sys
port, cafile = int(sys.argv[1]), sys.argv[2]
context = ssl.create_default_context(cafile=cafile)
incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
tls = context.wrap_bio(incoming, outgoing, server_hostname="localhost")
with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
    raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        pass
    raw.sendall(b"STARTTLS\\r\\n" + outgoing.read())
    while True:
        try:
            tls.do_handshake()
            break
        except ssl.SSLWantReadError:
            raw.sendall(outgoing.read())
            data = raw.recv(65536)
            if not data:
                sys.exit("server closed during handshake")
            incoming.write(data)
    tls.write(b"ping")
    raw.sendall(outgoing.read())
    received = b""
    while len(received) < 4:
        try:
            received += tls.read(4 - len(received))
        except ssl.SSLWantReadError:
            data = raw.recv(65536)
            if not data:
                break
            incoming.write(data)
    print(received.decode())
"""
