import Foundation
import Testing
import WinsockSSL
import WinsockSSLTesting

// Real clients (a blog-style Python client, Python's smtplib, `openssl s_client -starttls smtp`, raw sockets)
// against scripted servers, with a certificate for smtp.live.com made at run time.

/// The plain text the 2009 blog post prints, copied from the post; "at" is followed by two spaces.
private let blogServerText = """
    220 BLU0-SMTP8.blu0.hotmail.com Microsoft ESMTP MAIL Service, Version: 6.0.3790.3959 ready at  Mon, 14 Sep 2009 16:44:33 -0700\r
    250-BLU0-SMTP8.blu0.hotmail.com Hello [131.107.0.75]\r
    250-TURN\r
    250-SIZE 35840000\r
    250-ETRN\r
    250-PIPELINING\r
    250-DSN\r
    250-ENHANCEDSTATUSCODES\r
    250-8bitmime\r
    250-BINARYMIME\r
    250-CHUNKING\r
    250-VRFY\r
    250-TLS\r
    250-STARTTLS\r
    250 OK\r
    220 2.0.0 SMTP server ready\r

    """

@Test func blog2009SendsThePostsRepliesByteForByteToABlogStyleClient() throws {
    let certificate = try SMTPCertificate()
    defer { certificate.remove() }
    let server = try ScriptedSTARTTLSServer(transcript: .blog2009, configuration: certificate.configuration())
    defer { server.stop() }

    let result = try runCommand(["python3", "-c", pythonBlogClient, String(server.port), certificate.certificatePath])

    #expect(result.status == 0, "\(result.errorOutput)")
    let lines = result.output.split(separator: "\n").map(String.init)
    #expect(lines.count == 2, "\(result.output)")
    let received = lines.first.flatMap(bytes(fromHex:)) ?? []
    #expect(String(decoding: received, as: UTF8.self) == blogServerText)
    #expect(lines.last == "success TLSv1.3")
    #expect(server.waitForClients(1, timeout: .seconds(10)))
    let recording = try #require(server.recordings.first)
    #expect(recording.followedScript, "\(server.conversationLog)")
    #expect(recording.plaintextLines == ["EHLO", "STARTTLS"])
    #expect(recording.completedTLS)
    #expect(recording.negotiatedVersion == "TLSv1.3")
    #expect(recording.negotiatedCipher?.hasPrefix("TLS_") == true)
    #expect(recording.tlsBytes.isEmpty)
    #expect(server.conversationLog.hasPrefix("--- client 1 (127.0.0.1:"))
    #expect(recording.log.hasPrefix("""
        S: 220 BLU0-SMTP8.blu0.hotmail.com Microsoft ESMTP MAIL Service, Version: 6.0.3790.3959 ready at  Mon, 14 Sep 2009 16:44:33 -0700
        C: EHLO
        S: 250-BLU0-SMTP8.blu0.hotmail.com Hello [131.107.0.75]
        """), "\(recording.log)")
    #expect(recording.log.contains("""
        S: 250 OK
        C: STARTTLS
        S: 220 2.0.0 SMTP server ready
        -- TLS handshake completed: TLSv1.3, \(recording.negotiatedCipher ?? "")

        """), "\(recording.log)")
    // Closing without reading the session tickets ends in a FIN or a reset, depending on timing.
    #expect(recording.log.hasSuffix("-- the client closed the connection\n-- server sent close_notify and closed\n")
        || recording.log.hasSuffix("-- the client reset the connection\n-- server sent close_notify and closed\n"), "\(recording.log)")
}

@Test func smtplibsEhloWithAHostnameIsAReadableDivergenceFromBlog2009() throws {
    let certificate = try SMTPCertificate()
    defer { certificate.remove() }
    let server = try ScriptedSTARTTLSServer(transcript: .blog2009, configuration: certificate.configuration())
    defer { server.stop() }

    let result = try runCommand(["python3", "-c", pythonSMTPLibClient, String(server.port), certificate.certificatePath, "blog"])

    // The server hangs up at the divergence, which smtplib reports as a disconnect.
    #expect(result.output == "SMTPServerDisconnected\n", "\(result.errorOutput)")
    #expect(server.waitForClients(1, timeout: .seconds(10)))
    let recording = try #require(server.recordings.first)
    #expect(recording.divergences == [#"step 2: expected "EHLO", client sent "ehlo client.example""#])
    #expect(recording.plaintextLines == ["ehlo client.example"])
    #expect(!recording.completedTLS)
    #expect(!recording.completedScript)
    #expect(recording.isFinished)
    #expect(recording.log.hasSuffix("""
        C: ehlo client.example
        !! step 2: expected "EHLO", client sent "ehlo client.example"
        -- server closed

        """), "\(recording.log)")
}

@Test func openSSLStarttlsClientCompletesBlog2009WhenTheScriptContinuesAfterDivergences() throws {
    let certificate = try SMTPCertificate()
    defer { certificate.remove() }
    let server = try ScriptedSTARTTLSServer(transcript: .blog2009, configuration: certificate.configuration(),
                                            divergencePolicy: .continueScript)
    defer { server.stop() }

    let result = try runCommand(["openssl", "s_client", "-starttls", "smtp", "-name", "client.example",
                                 "-connect", "127.0.0.1:\(server.port)", "-servername", "smtp.live.com",
                                 "-verify_hostname", "smtp.live.com", "-CAfile", certificate.certificatePath, "-crlf"],
                                input: "hello over tls\n")

    #expect(result.output.contains("Verify return code: 0 (ok)"), "\(result.output)\(result.errorOutput)")
    #expect(server.waitForClients(1, timeout: .seconds(10)))
    let recording = try #require(server.recordings.first)
    #expect(recording.divergences == [#"step 2: expected "EHLO", client sent "EHLO client.example""#])
    #expect(recording.plaintextLines == ["EHLO client.example", "STARTTLS"])
    #expect(recording.completedTLS)
    #expect(recording.completedScript)
    #expect(!recording.followedScript)
    #expect(recording.tlsText == "hello over tls\r\n")
    #expect(recording.tlsLines == ["hello over tls"])
}

@Test func smtplibSubmissionOverSTARTTLSIsRecordedExactly() throws {
    let certificate = try SMTPCertificate()
    defer { certificate.remove() }
    let transcript = Transcript.smtpSubmission(capabilitiesAfterTLS: ["PIPELINING", "8BITMIME"])
    let server = try ScriptedSTARTTLSServer(transcript: transcript, configuration: certificate.configuration())
    defer { server.stop() }

    let result = try runCommand(["python3", "-c", pythonSMTPLibClient, String(server.port), certificate.certificatePath, "submit"])

    #expect(result.output == "sent\n", "\(result.errorOutput)")
    #expect(server.waitForClients(1, timeout: .seconds(10)))
    let recording = try #require(server.recordings.first)
    #expect(recording.followedScript, "\(server.conversationLog)")
    #expect(recording.plaintextLines == ["ehlo client.example", "STARTTLS"])
    #expect(recording.negotiatedVersion == "TLSv1.3")
    // smtplib dot-stuffs ".hidden" and ends the body with a lone ".".
    #expect(recording.tlsText == """
        ehlo client.example\r
        mail FROM:<sender@example.com>\r
        rcpt TO:<recipient@example.com>\r
        data\r
        Subject: test\r
        \r
        hello\r
        ..hidden\r
        .\r
        QUIT\r

        """)
    #expect(recording.log.contains("S (TLS): 354 End data with <CR><LF>.<CR><LF>\nC (TLS): Subject: test\n"))
}

@Test func severalClientsInARowAreEachRecorded() throws {
    let certificate = try SMTPCertificate()
    defer { certificate.remove() }
    let server = try ScriptedSTARTTLSServer(transcript: .smtpSubmission(), configuration: certificate.configuration())
    defer { server.stop() }

    let result = try runCommand(["python3", "-c", pythonSMTPLibClient, String(server.port), certificate.certificatePath, "submit", "3"])

    #expect(result.output == "sent\nsent\nsent\n", "\(result.errorOutput)")
    #expect(server.waitForClients(3, timeout: .seconds(10)))
    let recordings = server.recordings
    #expect(recordings.count == 3)
    #expect(recordings.allSatisfy { $0.followedScript }, "\(server.conversationLog)")
    #expect(Set(recordings.compactMap { $0.remoteEndpoint?.port }).count == 3)
    #expect(recordings.allSatisfy { $0.tlsLines.contains("mail FROM:<sender@example.com> size=33") })
    #expect(server.conversationLog.components(separatedBy: "--- client ").count == 4)
}

@Test(arguments: ["454 4.7.0 TLS not available due to local problem", "354 go ahead"])
func clientQuitsWhenSTARTTLSIsNotAccepted(reply: String) throws {
    let certificate = try SMTPCertificate()
    defer { certificate.remove() }
    let server = try ScriptedSTARTTLSServer(transcript: .smtpSTARTTLSNotAccepted(reply: reply), configuration: certificate.configuration())
    defer { server.stop() }

    let result = try runCommand(["python3", "-c", pythonSMTPLibClient, String(server.port), certificate.certificatePath, "starttls-only"])

    #expect(result.output == "starttls reply \(reply.prefix(3))\n", "\(result.errorOutput)")
    #expect(server.waitForClients(1, timeout: .seconds(10)))
    let recording = try #require(server.recordings.first)
    #expect(recording.followedScript, "\(server.conversationLog)")
    #expect(recording.plaintextLines == ["ehlo client.example", "STARTTLS", "QUIT"])
    #expect(!recording.completedTLS)
}

@Test func clientDoesNotSendSTARTTLSWhenItIsNotAdvertised() throws {
    let certificate = try SMTPCertificate()
    defer { certificate.remove() }
    let server = try ScriptedSTARTTLSServer(transcript: .smtpWithoutSTARTTLS(), configuration: certificate.configuration())
    defer { server.stop() }

    let result = try runCommand(["python3", "-c", pythonSMTPLibClient, String(server.port), certificate.certificatePath, "starttls-only"])

    #expect(result.output == "SMTPNotSupportedError\n", "\(result.errorOutput)")
    #expect(server.waitForClients(1, timeout: .seconds(10)))
    let recording = try #require(server.recordings.first)
    #expect(recording.followedScript, "\(server.conversationLog)")
    #expect(recording.plaintextLines == ["ehlo client.example", "QUIT"])
}

@Test func sendRawPutsItsBytesOnTheWireInPlainTextBeforeTheHandshake() throws {
    let certificate = try SMTPCertificate()
    defer { certificate.remove() }
    let transcript = Transcript([
        .send("220 ready\r\n"), .expect("STARTTLS"), .send("220 go ahead\r\n"),
        .sendRaw(Array("250 injected\r\n".utf8)), .startTLS,
    ])
    let server = try ScriptedSTARTTLSServer(transcript: transcript, configuration: certificate.configuration())
    defer { server.stop() }
    let client = try StreamSocket(family: .ipv4)
    defer { client.close() }
    try client.connect(to: server.endpoint, timeout: .seconds(5))

    try send("STARTTLS\r\n", on: client)
    let expected = Array("220 ready\r\n220 go ahead\r\n250 injected\r\n".utf8)
    let received = try receive(atLeast: expected.count, from: client)
    client.close() // instead of a ClientHello

    #expect(received == expected, "\(String(decoding: received, as: UTF8.self))")
    #expect(server.waitForClients(1, timeout: .seconds(10)))
    let recording = try #require(server.recordings.first)
    #expect(recording.log.contains(#"S (raw): "250 injected\r\n""#), "\(recording.log)")
    #expect(recording.divergences.count == 1)
    #expect(recording.divergences.first?.hasPrefix("step 5: TLS handshake failed: ") == true, "\(recording.divergences)")
    #expect(!recording.completedTLS)
}

@Test func clientThatHangsUpEarlyIsADivergence() throws {
    let certificate = try SMTPCertificate()
    defer { certificate.remove() }
    let server = try ScriptedSTARTTLSServer(transcript: .blog2009, configuration: certificate.configuration())
    defer { server.stop() }
    let client = try StreamSocket(family: .ipv4)
    try client.connect(to: server.endpoint, timeout: .seconds(5))

    _ = try receive(atLeast: 1, from: client)
    client.close()

    #expect(server.waitForClients(1, timeout: .seconds(10)))
    #expect(server.recordings.first?.divergences == [#"step 2: expected "EHLO", the client closed the connection"#])
}

@Test func resetAbortsTheConnection() throws {
    let certificate = try SMTPCertificate()
    defer { certificate.remove() }
    let server = try ScriptedSTARTTLSServer(transcript: Transcript([.expect("HELLO"), .reset]), configuration: certificate.configuration())
    defer { server.stop() }
    let client = try StreamSocket(family: .ipv4)
    defer { client.close() }
    try client.connect(to: server.endpoint, timeout: .seconds(5))

    try send("HELLO\r\n", on: client)

    #expect(throws: WinsockError.self) { _ = try receive(atLeast: 1, from: client) }
    #expect(server.waitForClients(1, timeout: .seconds(10)))
    #expect(server.recordings.first?.followedScript == true)
}

@Test func pauseDelaysTheNextStep() throws {
    let certificate = try SMTPCertificate()
    defer { certificate.remove() }
    let server = try ScriptedSTARTTLSServer(transcript: Transcript([.pause(.milliseconds(300)), .send("220 late\r\n")]),
                                            configuration: certificate.configuration())
    defer { server.stop() }
    let client = try StreamSocket(family: .ipv4)
    defer { client.close() }
    let clock = ContinuousClock()
    let start = clock.now
    try client.connect(to: server.endpoint, timeout: .seconds(5))

    let received = try receive(atLeast: 10, from: client)

    #expect(clock.now - start >= .milliseconds(300))
    #expect(received == Array("220 late\r\n".utf8))
}

@Test func waitForClientsTimesOutCleanlyWhenNobodyConnects() throws {
    let certificate = try SMTPCertificate()
    defer { certificate.remove() }
    let server = try ScriptedSTARTTLSServer(transcript: .blog2009, configuration: certificate.configuration())
    defer { server.stop() }

    let clock = ContinuousClock()
    var finished = true
    let elapsed = clock.measure { finished = server.waitForClients(1, timeout: .milliseconds(300)) }

    #expect(!finished)
    #expect(elapsed >= .milliseconds(300))
    #expect(elapsed < .seconds(2), "waited \(elapsed)")
    #expect(server.recordings.isEmpty)
    #expect(server.waitForClients(0, timeout: .zero))
}

@Test func stopIsPromptWhileAConversationWaitsForTheClient() throws {
    let certificate = try SMTPCertificate()
    defer { certificate.remove() }
    let server = try ScriptedSTARTTLSServer(transcript: .blog2009, configuration: certificate.configuration())
    defer { server.stop() }
    let client = try StreamSocket(family: .ipv4)
    defer { client.close() }
    try client.connect(to: server.endpoint, timeout: .seconds(5))
    _ = try receive(atLeast: 1, from: client) // the banner: the script now waits for EHLO

    let clock = ContinuousClock()
    let elapsed = clock.measure { server.stop() }

    #expect(elapsed < .seconds(2), "stop() took \(elapsed)")
    let recording = try #require(server.recordings.first)
    #expect(recording.isFinished)
    #expect(recording.divergences.isEmpty, "stopping is not the client's fault")
    #expect(recording.log.hasSuffix("-- server stopped during step 2\n"), "\(recording.log)")
}

@Test func stopIsPromptDuringALongPause() throws {
    let certificate = try SMTPCertificate()
    defer { certificate.remove() }
    let server = try ScriptedSTARTTLSServer(transcript: Transcript([.pause(.seconds(60))]), configuration: certificate.configuration())
    defer { server.stop() }
    let client = try StreamSocket(family: .ipv4)
    defer { client.close() }
    try client.connect(to: server.endpoint, timeout: .seconds(5))
    #expect(waitUntil { server.recordings.count == 1 })

    let clock = ContinuousClock()
    let elapsed = clock.measure { server.stop() }

    #expect(elapsed < .seconds(2), "stop() took \(elapsed)")
}

@Test func multilineReplyUsesDashesUntilTheLastLine() {
    #expect(Transcript.multilineReply(code: 250, ["a.example Hello", "STARTTLS", "OK"]) == "250-a.example Hello\r\n250-STARTTLS\r\n250 OK\r\n")
    #expect(Transcript.multilineReply(code: 250, ["OK"]) == "250 OK\r\n")
}

@Test func smtpVariantsDifferOnlyWhereTheyShould() {
    let notAdvertised = Transcript.smtpWithoutSTARTTLS()
    #expect(!notAdvertised.steps.contains(.startTLS))
    #expect(!notAdvertised.steps.contains { if case .send(let text) = $0 { text.contains("STARTTLS") } else { false } })
    let refused = Transcript.smtpSTARTTLSNotAccepted(reply: "454 4.7.0 TLS not available")
    #expect(!refused.steps.contains(.startTLS))
    #expect(refused.steps.contains(.send("454 4.7.0 TLS not available\r\n")))
    let submission = Transcript.smtpSubmission(recipients: 2)
    #expect(submission.steps.filter { $0 == .startTLS }.count == 1)
    #expect(submission.steps.filter { $0 == .expectCommand("RCPT TO:") }.count == 2)
    #expect(submission.steps.last == .close)
}

// MARK: - Helpers

/// A self-signed P-256 certificate for smtp.live.com (and 127.0.0.1, which smtplib verifies against), made by
/// the `openssl` command in a temporary directory.
private struct SMTPCertificate {
    let directory: URL
    let certificatePath: String
    let certificatePEM: String
    let privateKeyPEM: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("scripted-starttls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let keyPath = directory.appendingPathComponent("key.pem").path
        certificatePath = directory.appendingPathComponent("certificate.pem").path
        let result = try runCommand(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                     "-subj", "/CN=smtp.live.com", "-addext", "subjectAltName=DNS:smtp.live.com,IP:127.0.0.1",
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

private func send(_ text: String, on socket: StreamSocket) throws {
    try Array(text.utf8).withUnsafeBytes { try socket.sendAll($0) }
}

/// Receives until at least `count` bytes arrived or the peer closed, within 10 s.
private func receive(atLeast count: Int, from socket: StreamSocket) throws -> [UInt8] {
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    let deadline = ContinuousClock.now.advanced(by: .seconds(10))
    while received.count < count {
        let chunk = try buffer.withUnsafeMutableBytes { try socket.receive(into: $0, deadline: deadline) }
        if chunk == 0 { break }
        received += buffer.prefix(chunk)
    }
    return received
}

private func bytes(fromHex hex: String) -> [UInt8]? {
    let digits = Array(hex.utf8)
    guard digits.count.isMultiple(of: 2) else { return nil }
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16) }
        .reduce(into: [UInt8]?([])) { result, byte in
            guard let byte else { result = nil; return }
            result?.append(byte)
        }
}

/// Arguments: port, CA file. The blog's client in Python: bare EHLO, read to "250 OK", STARTTLS, read the 220,
/// handshake for smtp.live.com, close. Prints every plain byte received as hex, then "success <version>".
/// Reads one byte at a time so no handshake byte is taken for plain text.
private let pythonBlogClient = """
import socket, ssl, sys
port, cafile = int(sys.argv[1]), sys.argv[2]
received = b""
def read_line(raw):
    global received
    line = b""
    while not line.endswith(b"\\n"):
        byte = raw.recv(1)
        if not byte:
            sys.exit("server closed: " + repr(received))
        line += byte
    received += line
    return line.rstrip(b"\\r\\n").decode()
with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
    read_line(raw)
    raw.sendall(b"EHLO\\r\\n")
    while read_line(raw) != "250 OK":
        pass
    raw.sendall(b"STARTTLS\\r\\n")
    while not read_line(raw).startswith("220"):
        pass
    context = ssl.create_default_context(cafile=cafile)
    tls = context.wrap_socket(raw, server_hostname="smtp.live.com")
    print(received.hex())
    print("success", tls.version())
    tls.close()
"""

/// Arguments: port, CA file, mode, repeat count (default 1). Mode "blog" only says EHLO (with a hostname) and
/// STARTTLS; "submit" sends one message over STARTTLS; "starttls-only" tries STARTTLS and quits. Prints the
/// outcome or the smtplib exception's name.
private let pythonSMTPLibClient = """
import smtplib, ssl, sys
port, cafile, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3]
count = int(sys.argv[4]) if len(sys.argv) > 4 else 1
context = ssl.create_default_context(cafile=cafile)
for _ in range(count):
    try:
        with smtplib.SMTP("127.0.0.1", port, local_hostname="client.example", timeout=10) as smtp:
            smtp.ehlo()
            if mode == "starttls-only":
                try:
                    smtp.starttls(context=context)
                    print("starttls accepted")
                except smtplib.SMTPResponseException as error:
                    print("starttls reply", error.smtp_code)
                continue
            smtp.starttls(context=context)
            smtp.ehlo()
            smtp.sendmail("sender@example.com", ["recipient@example.com"], "Subject: test\\r\\n\\r\\nhello\\r\\n.hidden\\r\\n")
            print("sent")
    except smtplib.SMTPException as error:
        print(type(error).__name__)
"""
