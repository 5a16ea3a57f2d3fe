import Foundation
import NetCF
import Testing
import WinsockSSL
import WinsockSSLTesting

// The transcript file format, replaying a recorded conversation, comparing clients, and the recorder in-process.

private let sampleFile = """
    # WinsockSSL transcript 1
    # a hand-written sample
    S: +OK ready\\r\\n
    C: STLS\\r\\n
    S: +OK go\\r\\n
    -- tls sni="pop.file.example" protocol=TLSv1.2 cipher=ECDHE-ECDSA-AES128-GCM-SHA256
    C: USER a\\x20b\\tc\\\\d\\xFF\\r\\n
    S: +OK\\r\\n
    -- client closed

    """

@Test func aTranscriptFileReadsIntoEventsAndWritesBackTheSame() throws {
    let conversation = try RecordedConversation(parsing: sampleFile)
    #expect(conversation.comments == ["a hand-written sample"])
    #expect(conversation.events == [
        .serverSent(Array("+OK ready\r\n".utf8)),
        .clientSent(Array("STLS\r\n".utf8)),
        .serverSent(Array("+OK go\r\n".utf8)),
        .tlsStarted(.init(serverName: "pop.file.example", protocolVersion: "TLSv1.2", cipher: "ECDHE-ECDSA-AES128-GCM-SHA256")),
        .clientSent(Array("USER a b\tc\\d".utf8) + [0xFF, 0x0D, 0x0A]),
        .serverSent(Array("+OK\r\n".utf8)),
        .clientClosed,
    ])
    #expect(try RecordedConversation(parsing: conversation.fileText) == conversation)
    #expect(conversation.fileText.contains("C: USER a b\\tc\\\\d\\xFF\\r\\n\n"))
}

@Test func writingSplitsAfterEachNewlineAndEscapesATrailingSpace() throws {
    let conversation = RecordedConversation(events: [.serverSent(Array("250-a\r\n334 ".utf8)), .tlsStarted(.init(serverName: nil)), .serverClosed])
    #expect(conversation.fileText == """
        # WinsockSSL transcript 1
        S: 250-a\\r\\n
        S: 334\\x20
        -- tls sni=none protocol=? cipher=?
        -- server closed

        """)
    #expect(try RecordedConversation(parsing: conversation.fileText) == conversation)
}

@Test func badTranscriptFilesAreRefusedWithTheLine() throws {
    let missingHeader = #expect(throws: TranscriptFileError.self) { try RecordedConversation(parsing: "S: hi\\r\\n\n") }
    #expect(missingHeader?.line == 1)
    let badEscape = #expect(throws: TranscriptFileError.self) {
        try RecordedConversation(parsing: "# WinsockSSL transcript 1\nS: ok\\r\\n\nC: bad \\q\n", path: "x.transcript")
    }
    #expect(badEscape?.description.hasPrefix("x.transcript, line 3: bad escape") == true, "\(String(describing: badEscape))")
    let unknown = #expect(throws: TranscriptFileError.self) { try RecordedConversation(parsing: "# WinsockSSL transcript 1\nX: what\n") }
    #expect(unknown?.line == 2)
    #expect(throws: TranscriptFileError.self) { try RecordedConversation(parsing: "# WinsockSSL transcript 1\n-- tls protocol=TLSv1.3\n") }
    #expect(throws: TranscriptFileError.self) { try RecordedConversation(contentsOfFile: "/nonexistent/file.transcript") }
}

@Test func replayingTurnsServerBytesIntoSendsAndClientLinesIntoExpectations() throws {
    let conversation = try RecordedConversation(parsing: sampleFile)
    #expect(Transcript(replaying: conversation).steps == [
        .sendBytes(Array("+OK ready\r\n".utf8)), .expect("STLS"), .sendBytes(Array("+OK go\r\n".utf8)), .startTLS,
        .expect("USER a b\tc\\d\u{FFFD}"), .sendBytes(Array("+OK\r\n".utf8)), .expectClose,
    ])
    // A line the client sent in pieces is one expectation.
    let pieces = RecordedConversation(events: [.clientSent(Array("EH".utf8)), .clientSent(Array("LO\r\nQUIT\r\n".utf8)), .serverClosed])
    #expect(Transcript(replaying: pieces).steps == [.expect("EHLO"), .expect("QUIT"), .close])
}

@Test func differencesNameTheStepAndShowBothSidesEscaped() throws {
    let original = try RecordedConversation(parsing: sampleFile)
    let server = try ScriptedSTARTTLSServer(transcript: Transcript(replaying: original), configuration: try localConfiguration(),
                                            divergencePolicy: .continueScript)
    defer { server.stop() }
    let client = try StreamSocket(family: .ipv4)
    defer { client.close() }
    try client.connect(to: server.endpoint, timeout: .seconds(5))
    try Array("STLS \r\n".utf8).withUnsafeBytes { try client.sendAll($0) }
    #expect(ProcessResources.settle { server.recordings.first?.plaintextLines.count == 1 })
    client.close()
    #expect(server.waitForClients(1, timeout: .seconds(10)))
    let recording = try #require(server.recordings.first)

    #expect(recording.differences(from: original).map(\.description) == [
        #"client step 1: expected "STLS", got "STLS ""#,
        #"client step 2: expected TLS handshake, SNI "pop.file.example", got (nothing)"#,
        #"client step 3: expected (TLS) "USER a b\tc\\d\xEF\xBF\xBD", got (nothing)"#,
    ])
    #expect(recording.differences(from: recording).isEmpty)
}

@Test func differencesCanLeaveTheServerNameOut() throws {
    func pop3(serverName: String?) -> RecordedConversation {
        RecordedConversation(events: [.serverSent(Array("+OK ready\r\n".utf8)), .clientSent(Array("STLS\r\n".utf8)),
                                      .serverSent(Array("+OK go\r\n".utf8)), .tlsStarted(.init(serverName: serverName))])
    }
    let withName = pop3(serverName: "a.example"), withoutName = pop3(serverName: nil)
    // A port that completed the handshake without SNI, as CE did, replayed against the named original:
    let server = try ScriptedSTARTTLSServer(transcript: Transcript(replaying: withoutName) + Transcript([.awaitClose]),
                                            configuration: try localConfiguration())
    defer { server.stop() }
    _ = try runCommand(["openssl", "s_client", "-connect", "127.0.0.1:\(server.port)", "-starttls", "pop3", "-noservername"],
                       input: "", timeout: .seconds(20))
    #expect(server.waitForClients(1, timeout: .seconds(10)))
    let recording = try #require(server.recordings.first)
    #expect(recording.completedTLS, "\(recording.log)")
    #expect(recording.serverName == nil)
    #expect(recording.differences(from: withName).map(\.description) == [#"client step 2: expected TLS handshake, SNI "a.example", got TLS handshake, no SNI"#])
    #expect(recording.differences(from: withName, ignoringServerName: true).isEmpty)
    #expect(recording.differences(from: withoutName).isEmpty)
}

@Test func theRecorderForwardsBothWaysAndRecordsWhereTLSStarted() throws {
    // The "real" server: a scripted one behind the recorder, with its own CA that the recorder trusts.
    let upstreamAuthority = try TestCertificateAuthority()
    let upstream = try ScriptedSTARTTLSServer(
        transcript: Transcript([.send("* OK IMAP4rev1\r\n"), .expect("a STARTTLS"), .send("a OK go\r\n"), .startTLS,
                                .expect("b LOGOUT"), .send("* BYE\r\nb OK\r\n"), .close]),
        configuration: TLSServerConfiguration(serving: try upstreamAuthority.issue(dnsNames: ["imap.record.example"])))
    defer { upstream.stop() }
    var upstreamTLS = TLSConfiguration()
    upstreamTLS.additionalTrustRoots = [upstreamAuthority.root]
    upstreamTLS.trustsSystemRoots = false

    let recorderAuthority = try TestCertificateAuthority()
    TrustStore.process.add(recorderAuthority.root)
    defer { TrustStore.process.remove(recorderAuthority.root) }
    HostsTable.shared.set("upstream.record.example", to: [.loopbackIPv4])
    defer { HostsTable.shared.remove("upstream.record.example") }
    let recorder = try ConversationRecorder(upstreamHost: "127.0.0.1", upstreamPort: upstream.port,
                                            certificate: try recorderAuthority.issue(dnsNames: ["imap.record.example"]),
                                            upstreamTLS: upstreamTLS)
    defer { recorder.stop() }
    try recorder.route(host: "imap.record.example", port: 143)

    // A ported IMAP client talks to "imap.record.example:143" and reaches the recorder.
    let sockets = UnclosedSocketCheck()
    try sockets.watch {
        let IPhst = try Dns.GetHostEntry("imap.record.example")
        let endPt = IPEndPoint(IPhst.AddressList[0], 143)
        let s = try Socket(endPt.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
        s.ReceiveTimeout = 10_000
        defer { s.Close() }
        try using(SslHelper(s, "imap.record.example", true)) { helper in
            try s.Connect(endPt)
            let sr = try StreamReader(NetworkStream(s), Encoding.ASCII)
            _ = try sr.ReadLine()
            try s.Send(Encoding.ASCII.GetBytes("a STARTTLS\r\n"))
            _ = try sr.ReadLine()
            try helper.DoHandshake()
            try s.Send(Encoding.ASCII.GetBytes("b LOGOUT\r\n"))
            while let line = try sr.ReadLine(), !line.StartsWith("b ") {}
        }
    }

    #expect(recorder.waitForConversations(1, timeout: .seconds(10)))
    #expect(recorder.errors.isEmpty, "\(recorder.errors)")
    let conversation = try #require(recorder.conversations.first)
    let text = conversation.fileText
    #expect(text.contains("""
        S: * OK IMAP4rev1\\r\\n
        C: a STARTTLS\\r\\n
        S: a OK go\\r\\n
        -- tls sni="imap.record.example" protocol=TLSv1.3 cipher=
        """), "\(text)")
    #expect(text.contains("C: b LOGOUT\\r\\n\nS: * BYE\\r\\n\nS: b OK\\r\\n\n"), "\(text)")
    #expect(upstream.waitForClients(1, timeout: .seconds(10)))
    #expect(upstream.recordings.first?.followedScript == true, "\(upstream.conversationLog)")
    #expect(upstream.recordings.first?.serverName == "imap.record.example", "the recorder passes the client's SNI on")
    #expect(sockets.unclosedSockets.isEmpty)
}

@Test func theRecorderRecordsAnUnreachableUpstreamAsAnError() throws {
    let authority = try TestCertificateAuthority()
    let closed = try ListeningSocket()
    let deadPort = closed.localEndpoint.port
    closed.close()
    let recorder = try ConversationRecorder(upstreamHost: "127.0.0.1", upstreamPort: deadPort,
                                            certificate: try authority.issue(dnsNames: ["dead.example"]))
    defer { recorder.stop() }
    let client = try StreamSocket(family: .ipv4)
    defer { client.close() }
    try client.connect(to: recorder.endpoint, timeout: .seconds(5))
    #expect(recorder.waitForConversations(1, timeout: .seconds(10)))
    #expect(recorder.errors.first?.hasPrefix("cannot connect to 127.0.0.1:\(deadPort): ") == true, "\(recorder.errors)")
    #expect(recorder.conversations.first?.comments.last?.hasPrefix("error: cannot connect") == true)
}

private func localConfiguration() throws -> TLSServerConfiguration {
    let authority = try TestCertificateAuthority()
    return TLSServerConfiguration(serving: try authority.issue(dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"]))
}

@Test func theRecorderHandlesImplicitTLSWhereTheClientHelloComesFirst() throws {
    let upstreamAuthority = try TestCertificateAuthority()
    let upstream = try TLSTestServer(configuration: TLSServerConfiguration(serving: try upstreamAuthority.issue(dnsNames: ["echo.record.example"])),
                                     handler: TLSTestServer.echo)
    defer { upstream.stop() }
    var upstreamTLS = TLSConfiguration()
    upstreamTLS.additionalTrustRoots = [upstreamAuthority.root]
    let recorderAuthority = try TestCertificateAuthority()
    let recorder = try ConversationRecorder(upstreamHost: "127.0.0.1", upstreamPort: upstream.port,
                                            certificate: try recorderAuthority.issue(dnsNames: ["echo.record.example"]),
                                            upstreamTLS: upstreamTLS)
    defer { recorder.stop() }

    _ = try runCommand(["openssl", "s_client", "-connect", "127.0.0.1:\(recorder.port)", "-servername", "echo.record.example"],
                       input: "hello\n", timeout: .seconds(20))

    #expect(recorder.waitForConversations(1, timeout: .seconds(10)))
    let conversation = try #require(recorder.conversations.first)
    guard case .tlsStarted(let start)? = conversation.events.first else {
        Issue.record("TLS should start the conversation: \(conversation.fileText)")
        return
    }
    #expect(start.serverName == "echo.record.example")
    #expect(conversation.events.contains(.clientSent(Array("hello\n".utf8))), "\(conversation.fileText)")
    #expect(upstream.handshakesCompleted == 1, "\(upstream.errors)")
}
