import Foundation
import NetCF
import Testing
import WinsockSSL
import WinsockSSLTesting

// `.expectClose`, ClientHellos where plain text was expected, the SNI in recordings, and escaped logs.

/// A POP3 STLS start ported from CE. A correct port gives up when STLS is refused; the mutant
/// (`ignoringRefusal`) starts its handshake anyway.
private func portedPOP3StartTLS(host: String, ignoringRefusal: Bool) throws {
    let IPhst = try Dns.GetHostEntry(host)
    let endPt = IPEndPoint(IPhst.AddressList[0], 110)
    let s = try Socket(endPt.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
    s.ReceiveTimeout = 10_000
    defer { s.Close() }
    try using(SslHelper(s, host, true)) { helper in
        try s.Connect(endPt)
        let sr = try StreamReader(NetworkStream(s), Encoding.ASCII)
        _ = try sr.ReadLine()
        try s.Send(Encoding.ASCII.GetBytes("STLS\r\n"))
        let reply = try sr.ReadLine() ?? ""
        if reply.StartsWith("+OK") || ignoringRefusal {
            try helper.DoHandshake()
        }
    }
}

/// STLS refused: the client must stop there.
private let refusedSTLS = Transcript([
    .send("+OK POP3 ready\r\n"),
    .expect("STLS"),
    .send("-ERR TLS not available\r\n"),
    .expectClose,
])

private func routedServer(_ transcript: Transcript, host: String) throws -> ScriptedSTARTTLSServer {
    let authority = try TestCertificateAuthority()
    let server = try ScriptedSTARTTLSServer(transcript: transcript,
                                            configuration: TLSServerConfiguration(serving: try authority.issue(dnsNames: [host])))
    try server.route(host: host, port: 110)
    return server
}

@Test func expectClosePassesAPortThatStopsAfterARefusal() throws {
    let server = try routedServer(refusedSTLS, host: "pop.refusal.example")
    defer { server.stop() }
    try portedPOP3StartTLS(host: "pop.refusal.example", ignoringRefusal: false)

    #expect(server.waitForClients(1, timeout: .seconds(10)))
    let recording = try #require(server.recordings.first)
    #expect(recording.followedScript, "\(server.conversationLog)")
    #expect(recording.log.contains("-- the client closed the connection"), "\(recording.log)")
}

@Test func aPortThatHandshakesAfterARefusalIsCaughtWithItsClientHello() throws {
    let server = try routedServer(refusedSTLS, host: "pop.mutant.example")
    defer { server.stop() }
    // The handshake fails (the server hangs up on it); what matters is what the server saw.
    _ = try? portedPOP3StartTLS(host: "pop.mutant.example", ignoringRefusal: true)

    #expect(server.waitForClients(1, timeout: .seconds(10)))
    let recording = try #require(server.recordings.first)
    #expect(!recording.followedScript)
    #expect(recording.plaintextLines == ["STLS"], "the ClientHello is not a line")
    #expect(recording.unexpectedClientHello != nil)
    #expect(recording.divergences.count == 1)
    #expect(recording.divergences.first?.hasPrefix(
        "step 4: expected the client to send nothing more and close the connection, client sent a TLS ClientHello") == true,
        "\(recording.divergences)")
    #expect(recording.log.contains("C: <a TLS ClientHello"), "\(recording.log)")
    #expect(!recording.log.contains("\u{16}"), "the log holds no raw control bytes")
}

@Test func expectCloseReportsWhatTheClientSentInstead() throws {
    let server = try ScriptedSTARTTLSServer(transcript: refusedSTLS, configuration: try anyConfiguration())
    defer { server.stop() }
    let client = try StreamSocket(family: .ipv4)
    defer { client.close() }
    try client.connect(to: server.endpoint, timeout: .seconds(5))
    try sendText("STLS\r\n", on: client)
    _ = try receiveUntilClosed(client, atLeast: Array("+OK POP3 ready\r\n-ERR TLS not available\r\n".utf8).count)
    try sendText("QUIT\r\n", on: client)

    #expect(server.waitForClients(1, timeout: .seconds(10)))
    let recording = try #require(server.recordings.first)
    #expect(recording.divergences == [#"step 4: expected the client to send nothing more and close the connection, client sent "QUIT\r\n""#])
}

@Test func aClientHelloWherePlainTextWasExpectedIsReportedWithItsServerName() throws {
    let server = try ScriptedSTARTTLSServer(transcript: .blog2009, configuration: try anyConfiguration())
    defer { server.stop() }
    // An implicit-TLS client (no STARTTLS) against a STARTTLS port: its ClientHello arrives where "EHLO" should.
    let result = try runCommand(["openssl", "s_client", "-connect", "127.0.0.1:\(server.port)",
                                 "-servername", "smtp.sni.example", "-tls1_3"], timeout: .seconds(20))
    _ = result

    #expect(server.waitForClients(1, timeout: .seconds(10)))
    let recording = try #require(server.recordings.first)
    #expect(recording.plaintextLines.isEmpty, "\(recording.plaintextLines)")
    #expect(recording.serverName == "smtp.sni.example")
    let hello = try #require(recording.unexpectedClientHello)
    #expect(hello.serverName == "smtp.sni.example")
    #expect(hello.highestOfferedVersion == "TLSv1.3")
    #expect(recording.divergences == [#"step 2: expected "EHLO", client sent a TLS ClientHello, offering up to TLSv1.3, SNI "smtp.sni.example" instead"#])
}

@Test func readLineRefusesAClientHelloAndKeepsItForTheHandshake() throws {
    let authority = try TestCertificateAuthority()
    let issued = try authority.issue(dnsNames: ["direct.sni.example"])
    let outcome = LockedValue<String>("")
    let server = try TLSTestServer(configuration: TLSServerConfiguration(serving: issued)) { connection in
        do {
            _ = try connection.readLine()
            outcome.value = "readLine returned"
        } catch let error as TLSTestServerError where error.kind == .unexpectedTLS {
            try connection.startTLS()
            outcome.value = "\(error.message) | handshake done, SNI \(connection.requestedServerName ?? "none")"
        }
    }
    defer { server.stop() }
    _ = try runCommand(["openssl", "s_client", "-connect", "127.0.0.1:\(server.port)", "-servername", "direct.sni.example"],
                       timeout: .seconds(20))
    server.stop()
    #expect(outcome.value.hasPrefix("the client sent a TLS ClientHello, offering up to TLSv1.3, SNI \"direct.sni.example\" where a plain-text line was expected"), "\(outcome.value)")
    #expect(outcome.value.hasSuffix("| handshake done, SNI direct.sni.example"), "\(outcome.value)")
}

@Test func recordingsCarryTheServerNameTheClientSent() throws {
    let transcript = Transcript([
        .send("+OK POP3 ready\r\n"), .expect("STLS"), .send("+OK Begin TLS\r\n"), .startTLS, .awaitClose,
    ])
    let server = try ScriptedSTARTTLSServer(transcript: transcript, configuration: try anyConfiguration())
    defer { server.stop() }
    _ = try runCommand(["openssl", "s_client", "-connect", "127.0.0.1:\(server.port)", "-starttls", "pop3",
                        "-servername", "pop.sni.example"], timeout: .seconds(20))

    #expect(server.waitForClients(1, timeout: .seconds(10)))
    let recording = try #require(server.recordings.first)
    #expect(recording.completedTLS, "\(server.conversationLog)")
    #expect(recording.serverName == "pop.sni.example")
    #expect(recording.unexpectedClientHello == nil)
}

@Test func logsEscapeBytesOutsidePrintableASCII() throws {
    let transcript = Transcript([.send("220 ready\u{1}\r\n"), .expectAny, .expectClose])
    let server = try ScriptedSTARTTLSServer(transcript: transcript, configuration: try anyConfiguration())
    defer { server.stop() }
    let client = try StreamSocket(family: .ipv4)
    try client.connect(to: server.endpoint, timeout: .seconds(5))
    let line: [UInt8] = Array("EHLO a\\b\tc".utf8) + [0x01, 0xFF, 0x0D, 0x0A]
    try line.withUnsafeBytes { try client.sendAll($0) }
    client.close()

    #expect(server.waitForClients(1, timeout: .seconds(10)))
    let recording = try #require(server.recordings.first)
    #expect(recording.followedScript, "\(recording.log)")
    #expect(recording.log.contains(#"S: 220 ready\x01"#), "\(recording.log)")
    #expect(recording.log.contains(#"C: EHLO a\\b\tc\x01\xFF"#), "\(recording.log)")
}

private func anyConfiguration() throws -> TLSServerConfiguration {
    let authority = try TestCertificateAuthority()
    return TLSServerConfiguration(serving: try authority.issue(dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"]))
}

private func sendText(_ text: String, on socket: StreamSocket) throws {
    try Array(text.utf8).withUnsafeBytes { try socket.sendAll($0) }
}

/// Receives until `count` bytes arrived or the peer closed, within 10 s.
private func receiveUntilClosed(_ socket: StreamSocket, atLeast count: Int) throws -> [UInt8] {
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
