import Testing
import WinsockSSL
import WinsockSSLTesting

// ce-mail-example runs Examples/CEMailClient/cemail.c, a CE-style C program compiled unchanged against the
// WinsockCE headers: in-process against the embedded replay of the blog's conversation, and on its own
// against scripted servers (the way the Makefile build runs).

extension ExampleProgram {
    static let ceMailExample = ExampleProgram(name: "ce-mail-example")
}

/// The blog's conversation with a QUIT over TLS after it.
private let blogThenQuit = Transcript(Array(Transcript.blog2009.steps.dropLast()) + [.expect("QUIT"), .send("221 2.0.0 Bye\r\n"), .awaitClose])

@Test func ceMailExampleWithoutArgumentsReplaysTheBlogConversationAndSucceeds() throws {
    let run = try ExampleProgram.ceMailExample.run([])

    #expect(run.status == 0, "\(run)")
    #expect(run.output.contains("S: 220 BLU0-SMTP8.blu0.hotmail.com Microsoft ESMTP MAIL Service, Version: 6.0.3790.3959 ready at  Mon, 14 Sep 2009 16:44:33 -0700\n"), "\(run)")
    #expect(run.output.contains("C: EHLO\nS: 250-BLU0-SMTP8.blu0.hotmail.com Hello [131.107.0.75]\n"), "\(run)")
    #expect(run.output.contains("S: 250 OK\nC: STARTTLS\nS: 220 2.0.0 SMTP server ready\n"), "\(run)")
    #expect(run.output.contains("hook: subject \"O=WinsockSSL Testing, CN=smtp.live.com\"\n"), "\(run)")
    #expect(run.output.contains("\nsuccess\n"), "\(run)")
}

@Test func ceMailExampleQuitsOverTLSOnTheEmbeddedServer() throws {
    let run = try ExampleProgram.ceMailExample.run(["--quit"])

    #expect(run.status == 0, "\(run)")
    #expect(run.output.contains("success\nC: QUIT\nS: 221 2.0.0 Bye\n"), "\(run)")
}

/// On its own the program trusts the system's roots (here replaced by `SSL_CERT_FILE`, which OpenSSL honours),
/// resolves the name with the system resolver, and its hook checks the CN against the name it connected to.
@Test func ceMailExampleTalksToAServerOfItsOwnWhenTheCertificateMatches() throws {
    let fixture = try ScriptedServerFixture(certificateFor: ["localhost"])
    defer { fixture.remove() }
    let server = try fixture.server(blogThenQuit)
    defer { server.stop() }

    let run = try ExampleProgram.ceMailExample.run(["localhost", "\(server.port)", "--quit"], environment: ["SSL_CERT_FILE": fixture.rootPath])

    #expect(run.status == 0, "\(run)")
    #expect(run.output.contains("hook: subject \"O=WinsockSSL Testing, CN=localhost\"\n"), "\(run)")
    #expect(run.output.contains("S: 221 2.0.0 Bye\n"), "\(run)")
    #expect(server.waitForClients(1, timeout: .seconds(10)))
    let recording = try #require(server.recordings.first)
    #expect(recording.followedScript, "\(server.conversationLog)")
    #expect(recording.completedTLS)
}

/// The provider sets SSL_CERT_FLAG_ISSUER_UNKNOWN for a certificate that does not match the name the program
/// connected by, so the hook's first check already refuses it.
@Test func ceMailExampleHookRejectsACertificateForAnotherName() throws {
    let fixture = try ScriptedServerFixture(certificateFor: ["smtp.live.com"])
    defer { fixture.remove() }
    let server = try fixture.server(.blog2009)
    defer { server.stop() }

    let run = try ExampleProgram.ceMailExample.run(["localhost", "\(server.port)"], environment: ["SSL_CERT_FILE": fixture.rootPath])

    #expect(run.status == 1, "\(run)")
    #expect(run.output.contains("hook: the issuer is not trusted\n"), "\(run)")
    #expect(run.output.contains("handshake failed: 10053\n"), "\(run)")
    #expect(!run.output.contains("success"), "\(run)")
}

@Test func ceMailExampleHookRejectsAnUntrustedIssuer() throws {
    let fixture = try ScriptedServerFixture(certificateFor: ["localhost"])
    defer { fixture.remove() }
    let server = try fixture.server(.blog2009)
    defer { server.stop() }

    let run = try ExampleProgram.ceMailExample.run(["localhost", "\(server.port)"], environment: ["SSL_CERT_FILE": "/nonexistent/roots.pem"])

    #expect(run.status == 1, "\(run)")
    #expect(run.output.contains("hook: the issuer is not trusted\n"), "\(run)")
    #expect(run.output.contains("handshake failed: 10053\n"), "\(run)")
}

/// `--ehlo NAME` greets with a name, as real servers require; the embedded replay then expects that line
/// instead of the blog's bare EHLO (which stays the default, above).
@Test func ceMailExampleGreetsWithTheNameGivenByEhlo() throws {
    let run = try ExampleProgram.ceMailExample.run(["--ehlo", "device.example.test", "--quit"])

    #expect(run.status == 0, "\(run)")
    #expect(run.output.contains("C: EHLO device.example.test\nS: 250-BLU0-SMTP8.blu0.hotmail.com Hello [131.107.0.75]\n"), "\(run)")
    #expect(run.output.contains("success\nC: QUIT\nS: 221 2.0.0 Bye\n"), "\(run)")
}

@Test(arguments: [["--ehlo"], ["localhost", "25", "--ehlo", ""], ["localhost", "--ehlo", "two words"]])
func ceMailExampleRefusesEhloWithoutAUsableName(arguments: [String]) throws {
    let run = try ExampleProgram.ceMailExample.run(arguments)

    #expect(run.status == 2, "\(run)")
    #expect(run.output.contains("--ehlo needs a host name (up to 255 characters, no spaces)\n"), "\(run)")
    #expect(!run.output.contains("connecting to"), "\(run)")
}
