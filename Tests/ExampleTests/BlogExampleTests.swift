import Testing
import WinsockSSL
import WinsockSSLTesting

// blog-example runs the 2009 blog's code unchanged: against its embedded replay of the blog's conversation,
// against a scripted copy of it, and against servers that behave as modern ones do.

private let modernBanner = "220 mail.example.test ESMTP Postfix"

@Test func blogExampleWithoutArgumentsReplaysTheBlogConversationAndSucceeds() throws {
    let run = try ExampleProgram.blogExample.run([])

    #expect(run.status == 0, "\(run)")
    #expect(run.output.contains("success"), "\(run)")
    #expect(run.output.contains("S: 220 BLU0-SMTP8.blu0.hotmail.com Microsoft ESMTP MAIL Service, Version: 6.0.3790.3959 ready at  Mon, 14 Sep 2009 16:44:33 -0700\n"), "\(run)")
    #expect(run.output.contains("C: EHLO\n"), "\(run)")
    #expect(run.output.contains("S: 250 OK\n"), "\(run)")
    #expect(run.output.contains("C: STARTTLS\n"), "\(run)")
    #expect(run.output.contains("S: 220 2.0.0 SMTP server ready\n"), "\(run)")
    #expect(run.output.contains("TLS handshake complete: TLS 1.3"), "\(run)")
}

@Test func blogExampleSucceedsAgainstAServerThatRepliesAsIn2009() throws {
    let fixture = try ScriptedServerFixture(certificateFor: ["smtp.live.com"])
    defer { fixture.remove() }
    let server = try fixture.server(.blog2009)
    defer { server.stop() }

    let run = try ExampleProgram.blogExample.run(["--server", "127.0.0.1:\(server.port)", "--ca", fixture.rootPath])

    #expect(run.status == 0, "\(run)")
    #expect(run.output.contains("success"), "\(run)")
    #expect(server.waitForClients(1, timeout: .seconds(10)))
    let recording = try #require(server.recordings.first)
    #expect(recording.followedScript, "\(server.conversationLog)")
    #expect(recording.completedTLS)
}

/// OpenSSL's `SSL_CERT_FILE` replaces the system roots, so a private CA named there is trusted without `--ca`.
@Test func sslCertFileEnvironmentVariableIsHonoured() throws {
    let fixture = try ScriptedServerFixture(certificateFor: ["smtp.live.com"])
    defer { fixture.remove() }
    let server = try fixture.server(.blog2009)
    defer { server.stop() }

    let trusted = try ExampleProgram.blogExample.run(["--server", "127.0.0.1:\(server.port)"], environment: ["SSL_CERT_FILE": fixture.rootPath])
    #expect(trusted.status == 0, "\(trusted)")
    #expect(trusted.output.contains("success"), "\(trusted)")

    // Without it (and without --ca) the same certificate comes from an unknown CA.
    let untrusted = try ExampleProgram.blogExample.run(["--server", "127.0.0.1:\(server.port)"], environment: ["SSL_CERT_FILE": "/nonexistent/roots.pem"])
    #expect(untrusted.status == 1, "\(untrusted)")
    #expect(untrusted.errorOutput.contains("10053"), "\(untrusted)")
}

/// Postfix answers a bare EHLO with 501 and keeps the connection open: the blog's loop waits for "250 OK"
/// that never comes, and the runner's watchdog has to end it.
@Test func blogExampleGivesUpWithAnExplanationWhenAModernServerRefusesBareEhlo() throws {
    let issued = try TestCertificateAuthority.selfSigned(dnsNames: ["smtp.live.com"])
    let server = try ScriptedSTARTTLSServer(
        transcript: Transcript([.send(modernBanner + "\r\n"), .expect("EHLO"), .send("501 5.5.2 Syntax: EHLO hostname\r\n"), .awaitClose]),
        certificateChainPEM: issued.certificateChainPEM, privateKeyPEM: issued.privateKey.pemEncoded)
    defer { server.stop() }

    let run = try ExampleProgram.blogExample.run(["--server", "127.0.0.1:\(server.port)", "--timeout", "3"], bound: .seconds(30))

    #expect(run.finished, "\(run)")
    #expect(run.status != 0, "\(run)")
    #expect(run.errorOutput.contains("\"250 OK\""), "\(run)")
    #expect(run.errorOutput.contains("501 5.5.2 Syntax: EHLO hostname"), "\(run)")
    #expect(!run.output.contains("success"), "\(run)")
}

@Test func blogExampleStopsQuicklyWhenTheServerHangsUpAfterRefusingBareEhlo() throws {
    let issued = try TestCertificateAuthority.selfSigned(dnsNames: ["smtp.live.com"])
    let server = try ScriptedSTARTTLSServer(
        transcript: Transcript([.send(modernBanner + "\r\n"), .expect("EHLO"), .send("501 5.5.2 Syntax: EHLO hostname\r\n"), .close]),
        certificateChainPEM: issued.certificateChainPEM, privateKeyPEM: issued.privateKey.pemEncoded)
    defer { server.stop() }

    // The default --timeout is 20 s; a closed connection must be noticed long before that.
    let run = try ExampleProgram.blogExample.run(["--server", "127.0.0.1:\(server.port)"], bound: .seconds(30))

    #expect(run.finished, "\(run)")
    #expect(run.status != 0, "\(run)")
    #expect(run.elapsed < .seconds(15), "\(run)")
    #expect(run.errorOutput.contains("the server closed the connection"), "\(run)")
    // The blog's loop sees the end of the stream again on every ReadLine(); the close is reported once.
    #expect(run.output.components(separatedBy: "the server closed the connection").count == 2, "\(run)")
}

@Test(arguments: [["--timeout"], ["--timeout", "soon"], ["--server", "no-port"], ["--frobnicate", "1"]])
func blogExampleRejectsBadUsageWithExitStatus64(_ arguments: [String]) throws {
    let run = try ExampleProgram.blogExample.run(arguments)

    #expect(run.status == 64, "\(run)")
    #expect(run.errorOutput.contains("usage: blog-example"), "\(run)")
}
