import Testing
import WinsockSSL
import WinsockSSLTesting

// smtp-starttls against scripted submission servers: the whole submission over TLS, and every way it must
// refuse to go on (no STARTTLS, STARTTLS refused, a certificate for another name or from an unknown CA).
//
// The server name is `localhost`, which resolves to 127.0.0.1 in the example's own process (it has no
// hosts table of the test's), so the certificate is issued for `localhost`.

private let serverName = "localhost"
private let ehloName = "client.example.test"

/// The arguments of a submission to `server` from alice to `recipients`.
private func submissionArguments(_ server: ScriptedSTARTTLSServer, _ fixture: ScriptedServerFixture,
                                 recipients: [String] = ["bob@example.test"], body: String = "Hello Bob.",
                                 timeoutSeconds: Int = 10) -> [String] {
    ["--server", "\(serverName):\(server.port)", "--ca", fixture.rootPath, "--ehlo", ehloName,
     "--from", "alice@example.test", "--subject", "Lunch"]
        + recipients.flatMap { ["--to", $0] } + ["--body", body, "--timeout", String(timeoutSeconds)]
}

@Test func smtpStartTLSSubmitsTheMessageOverTLSWithDotStuffing() throws {
    let fixture = try ScriptedServerFixture(certificateFor: [serverName])
    defer { fixture.remove() }
    // A multi-line banner, as some servers send: the reply ends at "220 " only.
    let server = try fixture.server(.smtpSubmission(banner: "220-smtp.example.test ESMTP\r\n220 welcome", recipients: 2))
    defer { server.stop() }
    let body = "Hello Bob,\n.hidden line starting with a dot\n.\nCheers, Alice"

    let run = try ExampleProgram.smtpStartTLS.run(
        submissionArguments(server, fixture, recipients: ["bob@example.test", "carol@example.test"], body: body) + ["--verbose"])

    #expect(run.status == 0, "\(run)")
    #expect(run.output.contains("sent: 250 2.0.0 Ok: queued"), "\(run)")
    #expect(run.output.contains("C: (TLS) MAIL FROM:<alice@example.test>"), "\(run)")
    #expect(server.waitForClients(1, timeout: .seconds(10)))
    let recording = try #require(server.recordings.first)
    #expect(recording.divergences.isEmpty, "\(server.conversationLog)")
    #expect(recording.followedScript, "\(server.conversationLog)")
    #expect(recording.completedTLS)
    #expect(recording.plaintextLines == ["EHLO \(ehloName)", "STARTTLS"])
    let lines = recording.tlsLines
    #expect(lines.first == "EHLO \(ehloName)")
    #expect(lines.contains("MAIL FROM:<alice@example.test>"))
    #expect(lines.contains("RCPT TO:<bob@example.test>"))
    #expect(lines.contains("RCPT TO:<carol@example.test>"))
    #expect(lines.contains("DATA"))
    #expect(lines.contains("From: <alice@example.test>"))
    #expect(lines.contains("To: <bob@example.test>, <carol@example.test>"))
    #expect(lines.contains("Subject: Lunch"))
    #expect(lines.contains { $0.hasPrefix("Date: ") })
    #expect(lines.contains { $0.hasPrefix("Message-ID: <") && $0.hasSuffix("@\(ehloName)>") })
    #expect(lines.contains("Hello Bob,"))
    #expect(lines.contains("..hidden line starting with a dot"))
    #expect(lines.contains(".."), "a body line \".\" must be sent as \"..\"")
    #expect(lines.suffix(3) == ["Cheers, Alice", ".", "QUIT"])
    #expect(!recording.tlsText.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "every line ends in CRLF")
}

@Test func smtpStartTLSRefusesToContinueWhenSTARTTLSIsNotOffered() throws {
    let fixture = try ScriptedServerFixture(certificateFor: [serverName])
    defer { fixture.remove() }
    let server = try fixture.server(.smtpWithoutSTARTTLS())
    defer { server.stop() }

    let run = try ExampleProgram.smtpStartTLS.run(submissionArguments(server, fixture))

    #expect(run.status == 1, "\(run)")
    #expect(run.errorOutput.contains("does not offer STARTTLS"), "\(run)")
    #expect(server.waitForClients(1, timeout: .seconds(10)))
    let recording = try #require(server.recordings.first)
    #expect(recording.followedScript, "\(server.conversationLog)")
    // Only QUIT follows EHLO in plain text: no envelope, no message.
    #expect(recording.plaintextLines == ["EHLO \(ehloName)", "QUIT"])
    #expect(!recording.completedTLS)
}

@Test(arguments: ["454 4.7.0 TLS not available due to local problem", "502 5.5.1 Unrecognized command", "354 go ahead"])
func smtpStartTLSRefusesToContinueWhenSTARTTLSIsNotAnsweredWith220(_ reply: String) throws {
    let fixture = try ScriptedServerFixture(certificateFor: [serverName])
    defer { fixture.remove() }
    let server = try fixture.server(.smtpSTARTTLSNotAccepted(reply: reply))
    defer { server.stop() }

    let run = try ExampleProgram.smtpStartTLS.run(submissionArguments(server, fixture))

    #expect(run.status == 1, "\(run)")
    #expect(run.errorOutput.contains("STARTTLS: "), "\(run)")
    #expect(run.errorOutput.contains(reply), "\(run)")
    #expect(server.waitForClients(1, timeout: .seconds(10)))
    let recording = try #require(server.recordings.first)
    #expect(recording.followedScript, "\(server.conversationLog)")
    #expect(recording.plaintextLines == ["EHLO \(ehloName)", "STARTTLS", "QUIT"])
    #expect(!recording.completedTLS)
}

@Test func smtpStartTLSRefusesTheHandshakeWhenPlainTextFollowsThe220() throws {
    let fixture = try ScriptedServerFixture(certificateFor: [serverName])
    defer { fixture.remove() }
    // A man in the middle appends a forged reply to the go-ahead (the "NO STARTTLS" response injection).
    let transcript = Transcript.smtpGreeting()
        + Transcript([.expectCommand("STARTTLS"), .send("220 2.0.0 Ready to start TLS\r\n"), .sendRaw(Array("250 2.1.0 forged\r\n".utf8)), .startTLS])
        + .smtpMessage() + .smtpQuit
    let server = try fixture.server(transcript)
    defer { server.stop() }

    let run = try ExampleProgram.smtpStartTLS.run(submissionArguments(server, fixture))

    #expect(run.status == 1, "\(run)")
    // The provider names the plain text when it sees it before OpenSSL does ("refusing the TLS handshake: …"),
    // and otherwise reports OpenSSL's "wrong version number"; which one depends on when the bytes arrive.
    // Either way the handshake fails with 10053 and nothing is sent.
    #expect(run.errorOutput.hasPrefix("smtp-starttls: TLS handshake: "), "\(run)")
    #expect(run.errorOutput.contains("WSAECONNABORTED 10053"), "\(run)")
    #expect(server.waitForClients(1, timeout: .seconds(10)))
    let recording = try #require(server.recordings.first)
    #expect(recording.plaintextLines == ["EHLO \(ehloName)", "STARTTLS"])
    #expect(recording.tlsBytes.isEmpty)
}

@Test func smtpStartTLSGivesUpWhenTheServerStopsAnswering() throws {
    let fixture = try ScriptedServerFixture(certificateFor: [serverName])
    defer { fixture.remove() }
    let server = try fixture.server(Transcript([.send("220 smtp.example.test ESMTP ready\r\n"), .expectCommand("EHLO "), .awaitClose]))
    defer { server.stop() }
    let run = try ExampleProgram.smtpStartTLS.run(submissionArguments(server, fixture, timeoutSeconds: 2), bound: .seconds(30))

    #expect(run.finished, "\(run)")
    #expect(run.status == 1, "\(run)")
    #expect(run.errorOutput.hasPrefix("smtp-starttls: EHLO: no answer within 2 s"), "\(run)")
}

@Test func smtpStartTLSRejectsACertificateForAnotherName() throws {
    let fixture = try ScriptedServerFixture(certificateFor: ["wrong.example.test"])
    defer { fixture.remove() }
    let server = try fixture.server(.smtpSubmission())
    defer { server.stop() }

    let run = try ExampleProgram.smtpStartTLS.run(submissionArguments(server, fixture))

    #expect(run.status == 1, "\(run)")
    #expect(run.errorOutput.hasPrefix("smtp-starttls: TLS handshake: the server's certificate for \"\(serverName)\" was rejected (host name mismatch)"), "\(run)")
    #expect(run.errorOutput.contains("10053"), "\(run)")
    #expect(server.waitForClients(1, timeout: .seconds(10)))
    let recording = try #require(server.recordings.first)
    #expect(recording.plaintextLines == ["EHLO \(ehloName)", "STARTTLS"])
    #expect(recording.tlsBytes.isEmpty, "nothing may be sent over a connection whose certificate was rejected")
}

@Test func smtpStartTLSRejectsACertificateFromAnUntrustedAuthority() throws {
    let fixture = try ScriptedServerFixture(certificateFor: [serverName])
    defer { fixture.remove() }
    let server = try fixture.server(.smtpSubmission())
    defer { server.stop() }
    let withoutCA = submissionArguments(server, fixture).filter { $0 != "--ca" && $0 != fixture.rootPath }

    let run = try ExampleProgram.smtpStartTLS.run(withoutCA)

    #expect(run.status == 1, "\(run)")
    #expect(run.errorOutput.contains("certificate for \"\(serverName)\" was rejected (unable to get local issuer certificate)"), "\(run)")
    #expect(server.waitForClients(1, timeout: .seconds(10)))
    #expect(try #require(server.recordings.first).tlsBytes.isEmpty)
}

@Test func smtpStartTLSNamesTheStepAndReplyWhenARecipientIsRefused() throws {
    let fixture = try ScriptedServerFixture(certificateFor: [serverName])
    defer { fixture.remove() }
    let transcript = Transcript.smtpGreeting() + .smtpSTARTTLS()
        + Transcript([.expectCommand("EHLO "), .send(Transcript.multilineReply(code: 250, ["smtp.example.test Hello", "8BITMIME"])),
                      .expectCommand("MAIL FROM:"), .send("250 2.1.0 Ok\r\n"),
                      .expectCommand("RCPT TO:"), .send("550 5.1.1 <nobody@example.test>: Recipient address rejected\r\n")])
        + .smtpQuit
    let server = try fixture.server(transcript)
    defer { server.stop() }

    let run = try ExampleProgram.smtpStartTLS.run(submissionArguments(server, fixture, recipients: ["nobody@example.test"]))

    #expect(run.status == 1, "\(run)")
    #expect(run.errorOutput == "smtp-starttls: RCPT TO:<nobody@example.test>: expected 250, the server replied \"550 5.1.1 <nobody@example.test>: Recipient address rejected\"\n", "\(run)")
    #expect(server.waitForClients(1, timeout: .seconds(10)))
    #expect(try #require(server.recordings.first).followedScript, "\(server.conversationLog)")
}

@Test(arguments: [
    [String](),
    ["--server", "localhost"],
    ["--server", "localhost", "--from", "alice@example.test"],
    ["--server", "localhost:99999", "--from", "a@example.test", "--to", "b@example.test"],
    ["--server", "localhost", "--from", "a@example.test>\r\nRCPT TO:<evil@example.test", "--to", "b@example.test"],
    ["--server", "localhost", "--from", "a@example.test", "--to", "b@example.test", "--timeout", "0"],
    ["--server", "localhost", "--from", "a@example.test", "--to", "b@example.test", "--body", "x", "--body-file", "/dev/null"],
    ["--frobnicate"],
])
func smtpStartTLSRejectsBadUsageWithExitStatus64(_ arguments: [String]) throws {
    let run = try ExampleProgram.smtpStartTLS.run(arguments)

    #expect(run.status == 64, "\(run)")
    #expect(run.errorOutput.contains("usage: smtp-starttls --server HOST[:PORT]"), "\(run)")
    #expect(run.errorOutput.split(separator: "\n").count == 2, "one line for the problem, one for the usage: \(run)")
}

@Test func smtpStartTLSHelpExplainsTheOptions() throws {
    let run = try ExampleProgram.smtpStartTLS.run(["--help"])

    #expect(run.status == 0, "\(run)")
    for option in ["--server", "--ca", "--from", "--to", "--subject", "--body", "--body-file", "--ehlo", "--timeout", "--verbose"] {
        #expect(run.output.contains(option), "\(option) missing from --help")
    }
}
