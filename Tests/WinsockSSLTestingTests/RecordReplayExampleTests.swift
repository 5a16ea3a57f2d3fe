import Foundation
import NetCF
import TestSupport
import Testing
import WinsockSSL
import WinsockSSLTesting

// README's worked example ("Record the original, replay to the port"): record what an original client
// says through `winsockssl-record`, replay the recording to the port, compare. Python clients stand in for
// the original programs (in real use: the CE device or the Windows Mobile emulator), scripted servers for the
// real ones.

/// The blog's client as it ran on CE, in Python: EHLO, STARTTLS, handshake, close.
private let originalBlogClient = """
    import socket, ssl, sys
    port, cafile, name = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    f = s.makefile("rb")
    f.readline()
    s.sendall(b"EHLO\\r\\n")
    while f.readline().rstrip(b"\\r\\n") != b"250 OK": pass
    s.sendall(b"STARTTLS\\r\\n")
    while not f.readline().startswith(b"220"): pass
    t = ssl.create_default_context(cafile=cafile).wrap_socket(s, server_hostname=name)
    print("success", t.version())
    t.close()
    """

/// A POP3 client's STLS login, in Python: STLS, handshake, USER, QUIT.
private let originalPOP3Client = """
    import socket, ssl, sys
    port, cafile, name = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    f = s.makefile("rb")
    f.readline()
    s.sendall(b"STLS\\r\\n")
    f.readline()
    t = ssl.create_default_context(cafile=cafile).wrap_socket(s, server_hostname=name)
    g = t.makefile("rb")
    t.sendall(b"USER user1\\r\\n")
    g.readline()
    t.sendall(b"QUIT\\r\\n")
    g.readline()
    t.close()
    """

/// The POP3 server the original talked to (a stand-in for the real one).
private let pop3Server = Transcript([
    .send("+OK POP3 server ready\r\n"), .expect("STLS"), .send("+OK Begin TLS negotiation\r\n"), .startTLS,
    .expectPrefix("USER "), .send("+OK send PASS\r\n"), .expect("QUIT"), .send("+OK bye\r\n"), .awaitClose,
])

/// The blog's code, ported: `ehlo` is what it sends first (the port must send what the original sent). Its
/// read loops stop at end of stream, where the blog's (`while ReadLine() != "250 OK"`) would spin forever
/// once a server hangs up on a port that strays.
private func portedBlogClient(ehlo: String = "EHLO") throws {
    let SmtpServer = "smtp.live.com"
    let IPhst = try Dns.GetHostEntry(SmtpServer)
    let endPt = IPEndPoint(IPhst.AddressList[0], 587)
    let s = try Socket(endPt.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
    s.ReceiveTimeout = 10_000
    defer { s.Close() }
    try using(SslHelper(s, SmtpServer, true)) { helper in
        try s.Connect(endPt)
        let sr = try StreamReader(NetworkStream(s), Encoding.ASCII)
        try s.Send(Encoding.ASCII.GetBytes(ehlo + "\r\n"))
        while let line = try sr.ReadLine(), line != "250 OK" {}
        try s.Send(Encoding.ASCII.GetBytes("STARTTLS\r\n"))
        while let line = try sr.ReadLine(), !line.StartsWith("220") {}
        try helper.DoHandshake()
    }
}

/// The POP3 client, ported.
private func portedPOP3Client(host: String) throws {
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
        _ = try sr.ReadLine()
        try helper.DoHandshake()
        try s.Send(Encoding.ASCII.GetBytes("USER user1\r\n"))
        _ = try sr.ReadLine()
        try s.Send(Encoding.ASCII.GetBytes("QUIT\r\n"))
        _ = try sr.ReadLine()
    }
}

/// A scratch directory for one test's files.
private struct Scratch {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("record-replay-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Runs `winsockssl-record` for one connection between `originalClient` (Python) and `upstream`, and returns
/// the transcript file's text.
private func record(originalClient: String, name: String, upstream: ScriptedSTARTTLSServer, upstreamCA: TestCertificateAuthority,
                    in scratch: Scratch) throws -> String {
    try Data(upstreamCA.rootPEM.utf8).write(to: URL(fileURLWithPath: scratch.file("upstream-ca.pem")))
    let recorderPath = try ExampleProgramLocator.path(of: "winsockssl-record")
    let arguments = ["--upstream", "127.0.0.1:\(upstream.port)", "--upstream-name", name,
                     "--upstream-ca", scratch.file("upstream-ca.pem"), "--name", name,
                     "--ca-out", scratch.file("recorder-ca.pem"), "--port-file", scratch.file("port"),
                     "--out", scratch.file("conversation.transcript"), "--timeout", "60"]
    let recorderResult = LockedValue<ProcessResult?>(nil)
    let recorder = BackgroundThread { recorderResult.value = try runProcess(recorderPath, arguments, bound: .seconds(90)) }

    let listening = waitUntil(.seconds(30)) {
        ((try? String(contentsOfFile: scratch.file("port"), encoding: .utf8)).flatMap { UInt16($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) != nil
    }
    guard listening else {
        try? recorder.finish(within: .seconds(90))
        throw ExternalProcessError(description: "winsockssl-record did not start listening: \(recorderResult.value.map(\.combinedOutput) ?? "")")
    }
    let port = try String(contentsOfFile: scratch.file("port"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    let client = try runCommand(["python3", "-c", originalClient, port, scratch.file("recorder-ca.pem"), name])
    try recorder.finish(within: .seconds(90))
    let result = try #require(recorderResult.value)
    #expect(client.status == 0, "\(client.errorOutput)")
    #expect(result.status == 0, "\(result.combinedOutput)")
    return try String(contentsOfFile: scratch.file("conversation.transcript"), encoding: .utf8)
}

/// Replays `original` on a routed server and runs `port` against it; returns the port's recording.
private func replay(_ original: RecordedConversation, name: String, port: UInt16, running ported: () throws -> Void) throws -> ClientRecording {
    let authority = try TestCertificateAuthority()
    TrustStore.process.add(authority.root)
    defer { TrustStore.process.remove(authority.root) }
    let server = try ScriptedSTARTTLSServer(transcript: Transcript(replaying: original),
                                            configuration: TLSServerConfiguration(serving: try authority.issue(dnsNames: [name])))
    defer { server.stop() }
    try server.route(host: name, port: port)
    try ported()
    #expect(server.waitForClients(1, timeout: .seconds(10)))
    return try #require(server.recordings.first)
}

@Test func recordTheBlogsOriginalReplayToThePortAndCompare() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let upstreamCA = try TestCertificateAuthority()
    let upstream = try ScriptedSTARTTLSServer(transcript: .blog2009,
                                              configuration: TLSServerConfiguration(serving: try upstreamCA.issue(dnsNames: ["smtp.live.com"])))
    defer { upstream.stop() }

    // 1. Record the original through winsockssl-record.
    let text = try record(originalClient: originalBlogClient, name: "smtp.live.com", upstream: upstream, upstreamCA: upstreamCA, in: scratch)
    #expect(text.hasPrefix("# WinsockSSL transcript 1\n"))
    #expect(text.contains("\nS: 220 BLU0-SMTP8.blu0.hotmail.com Microsoft ESMTP MAIL Service, Version: 6.0.3790.3959 ready at  Mon, 14 Sep 2009 16:44:33 -0700\\r\\n\n"), "\(text)")
    #expect(text.contains("\nC: EHLO\\r\\n\nS: 250-BLU0-SMTP8.blu0.hotmail.com Hello [131.107.0.75]\\r\\n\n"), "\(text)")
    #expect(text.contains("\nC: STARTTLS\\r\\n\nS: 220 2.0.0 SMTP server ready\\r\\n\n-- tls sni=\"smtp.live.com\" protocol=TLSv1.3 cipher="), "\(text)")
    #expect(text.hasSuffix("-- client closed\n"), "\(text)")
    #expect(upstream.recordings.first?.followedScript == true, "\(upstream.conversationLog)")

    // 2. Replay it to the port and 3. compare.
    let original = try RecordedConversation(contentsOfFile: scratch.file("conversation.transcript"))
    let recording = try replay(original, name: "smtp.live.com", port: 587) { try portedBlogClient() }
    #expect(recording.followedScript, "\(recording.log)")
    #expect(recording.differences(from: original).isEmpty, "\(recording.differences(from: original))")

    // A port that strays is told where and how.
    let stray = try replay(original, name: "smtp.live.com", port: 587) { _ = try? portedBlogClient(ehlo: "EHLO localhost") }
    #expect(stray.differences(from: original).map(\.description).first
            == #"client step 1: expected "EHLO", got "EHLO localhost""#, "\(stray.differences(from: original))")
}

@Test func recordAPOP3STLSLoginReplayToThePortAndCompare() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let upstreamCA = try TestCertificateAuthority()
    let upstream = try ScriptedSTARTTLSServer(transcript: pop3Server,
                                              configuration: TLSServerConfiguration(serving: try upstreamCA.issue(dnsNames: ["pop.record.example"])))
    defer { upstream.stop() }

    let text = try record(originalClient: originalPOP3Client, name: "pop.record.example", upstream: upstream, upstreamCA: upstreamCA, in: scratch)
    #expect(text.contains("""
        S: +OK POP3 server ready\\r\\n
        C: STLS\\r\\n
        S: +OK Begin TLS negotiation\\r\\n
        -- tls sni="pop.record.example" protocol=TLSv1.3
        """), "\(text)")
    #expect(text.contains("""
        C: USER user1\\r\\n
        S: +OK send PASS\\r\\n
        C: QUIT\\r\\n
        S: +OK bye\\r\\n
        """), "\(text)")

    let original = try RecordedConversation(contentsOfFile: scratch.file("conversation.transcript"))
    let recording = try replay(original, name: "pop.record.example", port: 110) { try portedPOP3Client(host: "pop.record.example") }
    #expect(recording.followedScript, "\(recording.log)")
    #expect(recording.differences(from: original).isEmpty, "\(recording.differences(from: original))")
}

@Test func replayModePlaysATranscriptToAClientAndReportsHowItDiffered() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let original = RecordedConversation(events: [
        .serverSent(Array("+OK POP3 server ready\r\n".utf8)), .clientSent(Array("STLS\r\n".utf8)),
        .serverSent(Array("+OK Begin TLS negotiation\r\n".utf8)), .tlsStarted(.init(serverName: "pop.replay.example")),
        .clientSent(Array("USER user1\r\n".utf8)), .serverSent(Array("+OK send PASS\r\n".utf8)),
        .clientSent(Array("QUIT\r\n".utf8)), .serverSent(Array("+OK bye\r\n".utf8)), .clientClosed,
    ])
    try original.write(toFile: scratch.file("pop3.transcript"))
    #expect(try Transcript(replayingFile: scratch.file("pop3.transcript")) == Transcript(replaying: original))

    let recorderPath = try ExampleProgramLocator.path(of: "winsockssl-record")
    let result = LockedValue<ProcessResult?>(nil)
    let recorder = BackgroundThread {
        result.value = try runProcess(recorderPath, ["--replay", scratch.file("pop3.transcript"), "--name", "pop.replay.example",
                                                     "--ca-out", scratch.file("ca.pem"), "--port-file", scratch.file("port"),
                                                     "--out", scratch.file("report.txt"), "--timeout", "60"], bound: .seconds(90))
    }
    #expect(waitUntil(.seconds(30)) { (try? String(contentsOfFile: scratch.file("port"), encoding: .utf8)).flatMap { UInt16($0.trimmingCharacters(in: .whitespacesAndNewlines)) } != nil })
    let port = try String(contentsOfFile: scratch.file("port"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    let client = try runCommand(["python3", "-c", originalPOP3Client, port, scratch.file("ca.pem"), "pop.replay.example"])
    try recorder.finish(within: .seconds(90))

    #expect(client.status == 0, "\(client.errorOutput)")
    #expect(result.value?.status == 0, "\(result.value?.combinedOutput ?? "")")
    let report = try String(contentsOfFile: scratch.file("report.txt"), encoding: .utf8)
    #expect(report.contains("C: STLS\n"), "\(report)")
    #expect(report.contains("C (TLS): USER user1\n"), "\(report)")
    #expect(report.hasSuffix("== the client did what the transcript's client did\n"), "\(report)")
}

@Test func theRecorderExplainsItsArguments() throws {
    let recorderPath = try ExampleProgramLocator.path(of: "winsockssl-record")
    let missing = try runProcess(recorderPath, ["--upstream", "example.com:25"], bound: .seconds(30))
    #expect(missing.status == 2)
    #expect(missing.standardError.hasPrefix("winsockssl-record: --name is required"), "\(missing.standardError)")
    #expect(missing.standardError.contains("usage: winsockssl-record"))
    let both = try runProcess(recorderPath, ["--upstream", "example.com:25", "--replay", "x", "--name", "n"], bound: .seconds(30))
    #expect(both.standardError.hasPrefix("winsockssl-record: give either --upstream or --replay"), "\(both.standardError)")
    let badFile = try runProcess(recorderPath, ["--replay", "/nonexistent.transcript", "--name", "n"], bound: .seconds(30))
    #expect(badFile.status == 1)
    #expect(badFile.standardError.contains("/nonexistent.transcript: cannot read the file"), "\(badFile.standardError)")
}
