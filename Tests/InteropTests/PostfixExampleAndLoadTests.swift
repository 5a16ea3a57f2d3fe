import Dispatch
import Foundation
import TestSupport
import Testing
import WinsockSSL
import WinsockSSLTesting

/// The `smtp-starttls` example program, run as a user runs it, against Postfix; and twenty submissions
/// at once through Postfix, to see that every one arrives, every socket is given back and resident memory
/// comes back to about where it was.
@Suite(.serialized, .requires(.postfix))
struct PostfixExampleAndLoadTests {
    /// A built example product (`smtp-starttls`, `ce-mail-example`): this test target depends on them, so
    /// `swift test` puts them next to the test bundle (an executable on Linux).
    static func builtProductPath(_ name: String) throws -> String {
        let directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let path = directory.appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw ExternalProcessError(description: "\(name) is not built next to the tests (\(path)); run `swift build`")
        }
        return path
    }

    static func smtpStartTLSPath() throws -> String { try builtProductPath("smtp-starttls") }

    @Test func smtpStartTLSExampleSubmitsThroughPostfix() throws {
        let postfix = try PostfixFixture.instance()
        let subject = "smtp-starttls through Postfix \(UUID().uuidString.lowercased())"
        let run = try runProcess(try Self.smtpStartTLSPath(), [
            "--server", "\(PostfixFixture.serverName):\(postfix.port())", "--ca", postfix.rootPEMPath,
            "--ehlo", "client.winsockssl.test", "--from", "sender@client.winsockssl.test",
            "--to", "recipient@example.test", "--subject", subject, "--body", "Sent by the example program.",
            "--timeout", "20", "--verbose",
        ], bound: .seconds(60))
        #expect(run.status == 0 && !run.timedOut, "\(run.combinedOutput)")

        // "   TLS handshake complete: TLS 1.3, TLS_AES_256_GCM_SHA384, server certificate CN=localhost"
        let handshake = try #require(run.standardOutput.split(separator: "\n").first { $0.contains("TLS handshake complete: ") },
                                     "\(run.combinedOutput)")
        let sent = try #require(run.standardOutput.split(separator: "\n").first { $0.hasPrefix("sent: 250") }, "\(run.combinedOutput)")
        let queueID = try #require(sent.range(of: "queued as ").map { String(sent[$0.upperBound...].prefix { $0.isLetter || $0.isNumber }) },
                                   "no queue ID in \(sent)")

        let queued = try postfix.queuedMessage(queueID)
        #expect(queued.contains("Subject: \(subject)"), "\(queued)")
        let received = try #require(PostfixSubmissionTests.receivedHeader(in: queued), "no Received header:\n\(queued)")
        let using = try #require(received.range(of: #"\(using TLSv1\.3 with cipher [A-Z0-9_-]+"#, options: .regularExpression),
                                 "Postfix recorded no TLS 1.3 in: \(received)")
        let cipher = String(received[using].split(separator: " ").last!)
        #expect(handshake.contains("TLS 1.3, \(cipher),"), "the example said \(handshake); Postfix recorded \(received[using])")
    }

    @Test func twentyConcurrentSubmissionsAllArriveAndGiveTheirSocketsBack() throws {
        let postfix = try PostfixFixture.instance()
        let port = postfix.port()
        let messages = (0..<20).map { PostfixSubmissionTests.uniqueMessage("concurrent \($0)") }
        let residentBefore = ProcessResources.residentBytes
        let outcomes = Locked<[Int: Result<SubmissionReceipt, any Error>]>([:])
        let group = DispatchGroup()
        for (index, message) in messages.enumerated() {
            group.enter()
            Thread {
                defer { group.leave() }
                let outcome = Result {
                    try SMTPSubmission(serverName: PostfixFixture.serverName, port: port, trustRoot: postfix.authority.root)
                        .send(message.message)
                }
                outcomes.withLock { $0[index] = outcome }
            }.start()
        }
        #expect(group.wait(timeout: .now() + 120) == .success, "submissions still running after 120 s")

        let results = outcomes.withLock { $0 }
        for (index, message) in messages.enumerated() {
            switch results[index] {
            case .success(let receipt)?:
                let queueID = try #require(receipt.queueID, "submission \(index): no queue ID in \(receipt.finalReply)")
                #expect(try postfix.queuedMessage(queueID).contains("Message-ID: \(message.messageID)"), "submission \(index)")
                #expect(receipt.session?.version == .tls1_3, "submission \(index)")
            case .failure(let error)?:
                Issue.record("submission \(index) failed: \(error)")
            case nil:
                Issue.record("submission \(index) did not finish")
            }
        }
        #expect(ProcessResources.settle { ProcessResources.socketDescriptors(port: UInt16(port)) == 0 },
                "sockets to Postfix left open: \(ProcessResources.socketDescriptors(port: UInt16(port)))")
        // Generous, because other test targets allocate in this process meanwhile: it catches gross growth,
        // not a few kilobytes per session; the 10,000-handshake soak (scripts/handshake-soak) is the fine check.
        let growth = ProcessResources.residentBytes - residentBefore
        #expect(ProcessResources.underSanitizer || growth < 32 * 1024 * 1024,
                "resident memory grew by \(ProcessResources.mebibytes(growth)) over twenty submissions")
    }
}
