import Foundation
import TestSupport
import Testing

/// `Examples/CEMailClient/cemail.c`, the Windows CE style C mail client compiled unchanged against the WinsockCE
/// headers, run by the `ce-mail-example` product as a user runs it (`ce-mail-example HOST PORT ...`) against the
/// private Postfix: the real server the blog's transcript stands in for.
///
/// The program connects by `localhost`, the name in the fixture's certificate, and greets with
/// `--ehlo NAME` (Postfix answers the blog's bare `EHLO` with "501 Syntax: EHLO hostname"). On its own it
/// trusts the system's roots; `SSL_CERT_FILE`, which OpenSSL honours, points them at the fixture's CA. Its
/// certificate hook cracks the leaf with `SslCrackCertificate` and checks the issuer flag, the CN and the dates.
@Suite(.serialized, .requires(.postfix))
struct PostfixCEMailExampleTests {
    static let ehloName = "cemail.winsockssl.test"

    /// Runs `ce-mail-example localhost PORT --ehlo NAME --quit` with the fixture's CA as the trusted roots.
    static func runCEMail(_ postfix: PostfixFixture, _ listener: PostfixFixture.Listener) throws -> ProcessResult {
        var environment = ProcessInfo.processInfo.environment
        environment["SSL_CERT_FILE"] = postfix.rootPEMPath
        return try runProcess(try PostfixExampleAndLoadTests.builtProductPath("ce-mail-example"),
                              [PostfixFixture.serverName, "\(postfix.port(listener))", "--ehlo", ehloName, "--quit"],
                              environment: environment, bound: .seconds(60))
    }

    /// Waits (at most 10 s: postlogd writes asynchronously) for a line written after `offset` bytes of
    /// Postfix's log that contains every one of `parts`; returns the log lines after `offset` and that line's index.
    static func awaitLogLine(_ postfix: PostfixFixture, after offset: Int, containing parts: [String]) -> (lines: [String], index: Int)? {
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        repeat {
            let lines = String(decoding: Array(postfix.log.utf8.dropFirst(offset)), as: UTF8.self)
                .split(separator: "\n").map(String.init)
            if let index = lines.firstIndex(where: { line in parts.allSatisfy { line.contains($0) } }) { return (lines, index) }
            Thread.sleep(forTimeInterval: 0.1)
        } while ContinuousClock.now < deadline
        return nil
    }

    /// "postfix/standard/smtpd[4242]: ..." → "smtpd[4242]:", which names one smtpd process (it serves its
    /// sessions one after another).
    static func smtpdProcess(in line: String) -> String? {
        guard let start = line.range(of: "smtpd["), let end = line[start.upperBound...].firstIndex(of: "]") else { return nil }
        return String(line[start.lowerBound...end]) + ":"
    }

    @Test func ceMailExampleGreetsPostfixByNameUpgradesWithSTARTTLSAndQuits() throws {
        let postfix = try PostfixFixture.instance()
        let logOffset = postfix.log.utf8.count
        let run = try Self.runCEMail(postfix, .standard)

        #expect(run.status == 0 && !run.timedOut, "\(run.combinedOutput)")
        let output = run.standardOutput
        #expect(output.contains("S: 220 \(PostfixFixture.myhostname) ESMTP"), "\(output)")
        #expect(output.contains("C: EHLO \(Self.ehloName)\nS: 250-\(PostfixFixture.myhostname)\n"), "\(output)")
        #expect(output.contains("S: 250-STARTTLS\n"), "\(output)")
        #expect(output.contains("C: STARTTLS\nS: 220 2.0.0 Ready to start TLS\n"), "\(output)")
        #expect(output.contains("hook: subject \"O=WinsockSSL Testing, CN=\(PostfixFixture.serverName)\"\n"), "\(output)")
        #expect(output.contains("CN=WinsockSSL Postfix Test Root CA\"\n"), "the hook printed another issuer:\n\(output)")
        #expect(!output.contains("hook: the"), "the hook refused the certificate:\n\(output)")
        #expect(output.contains("\nsuccess\nC: QUIT\nS: 221 2.0.0 Bye\n"), "\(output)")
        // "secure: protocol 0x..., cipher 0x6610 (256 bits)"
        let secure = try #require(output.split(separator: "\n").first { $0.hasPrefix("secure: ") }, "\(output)")
        let bits = try #require(secure.range(of: #"\(([0-9]+) bits\)"#, options: .regularExpression).map { secure[$0].dropFirst().prefix { $0.isNumber } },
                                "no cipher strength in \(secure)")

        // Postfix's record of the same session: its TLS line, then the disconnect line with the command counts
        // (one EHLO, one STARTTLS, one QUIT: the client did not greet again after the upgrade).
        let found = try #require(Self.awaitLogLine(postfix, after: logOffset, containing: [
            "postfix/standard/smtpd[", "disconnect from localhost[127.0.0.1] ehlo=1 starttls=1 quit=1 commands=3",
        ]), "Postfix logged no such session:\n\(postfix.diagnostics())")
        let process = try #require(Self.smtpdProcess(in: found.lines[found.index]))
        let established = try #require(found.lines[..<found.index].last { $0.contains(process) && $0.contains("TLS connection established from localhost[127.0.0.1]: ") },
                                       "no TLS line from \(process):\n\(found.lines.joined(separator: "\n"))")
        #expect(established.contains(": TLSv1.3 with cipher "), "\(established)")
        #expect(established.contains("(\(bits)/\(bits) bits)"), "the example said \(secure); Postfix logged \(established)")
    }

    /// The `otherName` listener serves a certificate for elsewhere.winsockssl.test from the same trusted CA. The
    /// provider flags a certificate that does not match the name the program connected by as
    /// SSL_CERT_FLAG_ISSUER_UNKNOWN, the hook refuses it, and the deferred handshake fails with WSAECONNABORTED
    /// before anything is sent over TLS.
    @Test func ceMailExampleRefusesPostfixWithACertificateForAnotherName() throws {
        let postfix = try PostfixFixture.instance()
        let logOffset = postfix.log.utf8.count
        let run = try Self.runCEMail(postfix, .otherName)

        #expect(run.status == 1 && !run.timedOut, "\(run.combinedOutput)")
        let output = run.standardOutput
        #expect(output.contains("C: STARTTLS\nS: 220 2.0.0 Ready to start TLS\n"), "\(output)")
        #expect(output.contains("hook: the issuer is not trusted\nhandshake failed: 10053\n"), "\(output)")
        #expect(!output.contains("success"), "\(output)")
        #expect(!output.contains("C: QUIT"), "\(output)")

        // Postfix saw the STARTTLS but no TLS session and no command after it.
        let found = try #require(Self.awaitLogLine(postfix, after: logOffset, containing: [
            "postfix/otherName/smtpd[", "disconnect from localhost[127.0.0.1]",
        ]), "Postfix logged no such session:\n\(postfix.diagnostics())")
        let disconnect = found.lines[found.index]
        #expect(disconnect.contains("ehlo=1 starttls=0/1 commands=1/2"), "\(disconnect)")
        #expect(!found.lines.contains { $0.contains("postfix/otherName/") && $0.contains("TLS connection established") },
                "\(found.lines.joined(separator: "\n"))")
    }

    /// The `otherCommonName` listener's certificate is valid for localhost by its subjectAltName (the provider
    /// accepts it: no SSL_CERT_FLAG_ISSUER_UNKNOWN), but its CN names another host. The example's hook compares
    /// the CN, as the CE programs that cracked the certificate did, and refuses it: SSL_ERR_CERT_UNKNOWN, so the
    /// handshake fails. A CE-era hook's limit (CN only, no subjectAltName), kept in the example as CE programs had it.
    @Test func ceMailExampleHookRefusesACertificateWhoseCNNamesAnotherHost() throws {
        let postfix = try PostfixFixture.instance()
        let logOffset = postfix.log.utf8.count
        let run = try Self.runCEMail(postfix, .otherCommonName)

        #expect(run.status == 1 && !run.timedOut, "\(run.combinedOutput)")
        let output = run.standardOutput
        #expect(output.contains("hook: subject \"O=WinsockSSL Testing, CN=\(PostfixFixture.otherServerName)\"\n"), "\(output)")
        #expect(output.contains("hook: the certificate is not for \(PostfixFixture.serverName)\n"), "\(output)")
        #expect(!output.contains("hook: the issuer is not trusted"), "\(output)")
        #expect(output.contains("handshake failed: 10053\n"), "\(output)")
        #expect(!output.contains("success"), "\(output)")

        let found = try #require(Self.awaitLogLine(postfix, after: logOffset, containing: [
            "postfix/otherCommonName/smtpd[", "disconnect from localhost[127.0.0.1]",
        ]), "Postfix logged no such session:\n\(postfix.diagnostics())")
        #expect(found.lines[found.index].contains("ehlo=1 starttls=0/1 commands=1/2"), "\(found.lines[found.index])")
    }
}
