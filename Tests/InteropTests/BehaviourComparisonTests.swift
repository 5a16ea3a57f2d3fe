import Foundation
import NetCF
import TestSupport
import Testing
import WinsockSSL
import WinsockSSLTesting

/// The behaviour-comparison matrix (docs/COMPARISON.md): for every scenario, how this package — through the
/// ported `SslHelper` flow and through `SecureConnection.upgrade` — ends, next to two strict references,
/// `openssl s_client` and Python's `smtplib`, all against the same scripted server.
///
/// "accept" means one thing for every client: it ended up with a TLS session to the server whose
/// certificate it verified for the given name. The test requires the package to accept exactly what both
/// references accept and reject exactly what both reject; every row where a client differs is declared
/// in `differences`, with the reason, and appears in the document.
@Suite struct BehaviourComparisonTests {
    enum Client: String, CaseIterable, Sendable {
        case sslHelper = "SslHelper flow (NetCF)"
        case secureConnection = "`SecureConnection.upgrade`"
        case sClient = "`openssl s_client`"
        case smtplib = "Python `smtplib`"

        var isReference: Bool { self == .sClient || self == .smtplib }
    }

    struct Row: Sendable {
        var scenario: ComparisonScenario
        var outcomes: [Client: ClientOutcome]
        /// Raw output of the reference clients, for failure messages.
        var transcripts: [Client: String]
        var serverLog: String
        var recordings: [ClientRecording]
    }

    /// The scenarios every client must accept.
    static let acceptedByAll: Set<String> = [
        "valid chain (leaf + intermediate)",
        "wildcard `*.example.test` for `a.example.test`",
        "SAN only (no CN)",
        "IP address `127.0.0.1` (IP SAN)",
    ]
    /// The scenarios the references accept and the package rejects on purpose. Every other scenario must be
    /// rejected by every client.
    static let acceptedByReferencesOnly: Set<String> = [
        "server speaks TLS 1.0 only (RSA key, `AES128-SHA`)",
        "server speaks TLS 1.1 only (RSA key, `AES128-SHA`)",
    ]

    /// Whether `client` must accept the scenario called `title`.
    static func mustAccept(_ client: Client, _ title: String) -> Bool {
        acceptedByAll.contains(title) || (client.isReference && acceptedByReferencesOnly.contains(title))
    }

    /// Rows where a client's behaviour differs from the others in more than wording, and why: the verdict
    /// (the TLS 1.0/1.1 rows with an RSA key) or the way a client gets to its rejection.
    static let differences: [(scenario: String, note: String)] = [
        ("STARTTLS not advertised",
         "`s_client` sends `STARTTLS` anyway (\"Didn't find STARTTLS in server response, trying anyway\") and fails only "
            + "because this server hangs up on the unexpected command; a server that answered 220 would get a handshake. "
            + "`smtplib` raises `SMTPNotSupportedError` before sending anything. The package flows quit without sending "
            + "`STARTTLS` — but that check lives in the SMTP code of the port (here the tests' `SMTPSubmission`), not in "
            + "the package, which has no SMTP logic: a port that, like the blog, never looks at the capabilities behaves "
            + "like `s_client`, and then only the certificate check protects it."),
        ("STARTTLS refused (454)",
         "`s_client` does not look at the reply to `STARTTLS` and starts the handshake regardless; this server, expecting "
            + "`QUIT`, reads the ClientHello as a line and hangs up after its 3 s read timeout. `smtplib` raises "
            + "`SMTPResponseException` and the package flows quit (again the port's SMTP code: the blog's "
            + "`while (!(line = sr.ReadLine()).StartsWith(\"220\"))` would instead wait for a 220 that never comes, until its "
            + "receive timeout or, when the server hangs up, a `NullReferenceException`)."),
        ("STARTTLS refused (502)", "as for 454."),
        ("STARTTLS answered with nonsense (354)", "as for 454."),
        ("server closes right after its 220 banner",
         "all reject; `s_client` again carries on (\"trying anyway\") and fails on the closed connection."),
        ("server never answers (no banner)",
         "all reject within their bounds: the package with 10060 (WSAETIMEDOUT) after `ReceiveTimeout` = 2000 ms, "
            + "`smtplib` after `timeout=3` (it reports the read timeout as `SMTPServerDisconnected`), `s_client` only "
            + "when `timeout 5` kills it — it has no timeout of its own."),
        ("server speaks TLS 1.0 only (ECDSA key)",
         "all reject, the package and the references for different reasons. The package never offers anything "
            + "below TLS 1.2 (MIGRATION.md section 4), so the server answers its ClientHello with a protocol_version "
            + "alert. `s_client` and Debian's Python still offer TLS 1.0 and 1.1, take the server's TLS 1.0 ServerHello, "
            + "and only then refuse its SHA-1 signature over the key exchange (OpenSSL 3's default security level)."),
        ("server speaks TLS 1.1 only (ECDSA key)", "as for TLS 1.0 with an ECDSA key."),
        ("server speaks TLS 1.0 only (RSA key, `AES128-SHA`)",
         "**the verdicts differ, on purpose.** With RSA key transport there is no signature for OpenSSL's security "
            + "level to refuse, and `s_client` and `smtplib` (Python 3.11 from Debian 12, whose default context still "
            + "allows TLS 1.0) complete a verified TLS 1.0 session. The package refuses every version below TLS 1.2, "
            + "which RFC 8996 deprecates, whatever the certificate and cipher: the server gets a ClientHello offering "
            + "TLS 1.2 and 1.3 only. (A Python whose default context sets `minimum_version = TLSv1_2`, as some builds "
            + "do, rejects this row too.)"),
        ("server speaks TLS 1.1 only (RSA key, `AES128-SHA`)", "as for TLS 1.0 with an RSA key."),
    ]

    static var documentURL: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/COMPARISON.md")
    }

    static let beginMarker = "<!-- BEGIN GENERATED: Tests/InteropTests/BehaviourComparisonTests.swift -->"
    static let endMarker = "<!-- END GENERATED -->"

    @Test(.timeLimit(.minutes(2)), .requires(.openssl, .python3))
    func packageAcceptsAndRejectsWhatTheStrictReferencesDo() throws {
        let authority = try TestCertificateAuthority()
        let work = try TemporaryDirectory()
        let caFile = work.path + "/root.pem"
        try authority.rootPEM.write(toFile: caFile, atomically: true, encoding: .utf8)
        let scriptPath = work.path + "/smtplib_client.py"
        try PythonSMTPClient.script.write(toFile: scriptPath, atomically: true, encoding: .utf8)

        let scenarios = try ComparisonScenario.all(trusting: authority)
        let rows = try Self.runConcurrently(scenarios) { scenario in
            try Self.run(scenario, root: authority.root, caFile: caFile, scriptPath: scriptPath)
        }

        let table = Self.markdown(rows)
        print(table)

        for row in rows {
            let title = row.scenario.title
            for client in Client.allCases {
                let outcome = row.outcomes[client]!
                let expected = Self.mustAccept(client, title)
                #expect(outcome.isAccept == expected,
                        "\(title): \(client.rawValue) gave \(outcome), expected \(expected ? "accept" : "reject")\n\(Self.details(row))")
            }
            // The package flows never send a byte of the conversation over TLS unless they accepted, and
            // when they quit (STARTTLS missing or refused) they do so the way the script expects.
            for (index, client) in [Client.sslHelper, .secureConnection].enumerated() where index < row.recordings.count {
                let recording = row.recordings[index]
                if row.outcomes[client] != .accept {
                    #expect(recording.tlsBytes.isEmpty, "\(title): \(client.rawValue) sent over TLS after rejecting\n\(recording.log)")
                }
                if title.hasPrefix("STARTTLS") || Self.acceptedByAll.contains(title) {
                    #expect(recording.followedScript, "\(title): \(client.rawValue) strayed from the script\n\(recording.log)")
                }
            }
        }
        let titles = Set(rows.map(\.scenario.title))
        for title in Set(Self.differences.map(\.scenario)).union(Self.acceptedByAll).union(Self.acceptedByReferencesOnly) {
            #expect(titles.contains(title), "a declaration names no scenario: \(title)")
        }
        // Every verdict that differs between the package and a reference is declared with its reason.
        for title in Self.acceptedByReferencesOnly {
            #expect(Self.differences.contains { $0.scenario == title }, "no reason given for \(title)")
        }

        try Self.checkDocument(generated: table)
    }

    // MARK: Running

    static func run(_ scenario: ComparisonScenario, root: Certificate, caFile: String, scriptPath: String) throws -> Row {
        let server = try scenario.startServer()
        defer { server.stop() }
        let port = server.port
        var outcomes: [Client: ClientOutcome] = [:]
        var transcripts: [Client: String] = [:]
        let message = "Subject: comparison matrix\r\n\r\n\(scenario.title)\r\n"

        outcomes[.sslHelper] = packageOutcome { progress in
            var submission = SMTPSubmission(serverName: scenario.serverName, port: Int(port), trustRoot: root, receiveTimeout: 2000)
            submission.beforeHandshake = { progress.stage = .handshaking }
            submission.afterHandshake = { _ in progress.stage = .secure }
            _ = try submission.send(message)
        }
        outcomes[.secureConnection] = packageOutcome { progress in
            var submission = NativeSMTPSubmission(serverName: scenario.serverName, port: Int(port), trustRoot: root, timeout: .seconds(2))
            submission.beforeHandshake = { progress.stage = .handshaking }
            submission.afterHandshake = { _ in progress.stage = .secure }
            _ = try submission.send(message)
        }
        // The package clients' conversations are over before the references start, so the recordings'
        // order is the clients' order.
        _ = server.waitForClients(2, timeout: .seconds(15))
        (outcomes[.sClient], transcripts[.sClient]) = try OpenSSLClient.run(name: scenario.serverName, port: port, caFile: caFile)
        (outcomes[.smtplib], transcripts[.smtplib]) = try PythonSMTPClient.run(name: scenario.serverName, port: port, caFile: caFile,
                                                                              scriptPath: scriptPath)
        _ = server.waitForClients(4, timeout: .seconds(15))
        return Row(scenario: scenario, outcomes: outcomes, transcripts: transcripts, serverLog: server.conversationLog,
                   recordings: server.recordings)
    }

    /// How far a package flow got; set by the flow's callbacks on the same thread.
    final class Progress {
        enum Stage { case plain, handshaking, secure }
        var stage = Stage.plain
    }

    /// Runs one package flow: "accept" once its handshake completed (a later failure is reported by the
    /// script checks, not here), else "reject" with the error reduced to a stable phrase.
    static func packageOutcome(_ body: (_ progress: Progress) throws -> Void) -> ClientOutcome {
        let progress = Progress()
        do {
            try body(progress)
            return .accept
        } catch {
            switch progress.stage {
            case .secure: return .accept
            case .handshaking: return .reject(reason(error))
            case .plain:
                // Before TLS, whether a hang-up reads as end of stream or as a reset is a matter of timing.
                if let code = winsockError(in: error)?.code, code == .connectionReset || code == .connectionAborted {
                    return .reject(closedOrReset)
                }
                if let failure = error as? SMTPProtocolError, case .malformedReply(let text) = failure.kind, text.contains("closed") {
                    return .reject(closedOrReset)
                }
                return .reject(reason(error))
            }
        }
    }

    /// The phrase for a peer that hung up (FIN or RST), for every client.
    static let closedOrReset = "connection closed or reset by the server"

    static func winsockError(in error: any Error) -> WinsockError? {
        switch error {
        case let error as IOException: (error.InnerException as? SocketException)?.winsockError
        case let error as SocketException: error.winsockError
        case let error as WinsockError: error
        default: nil
        }
    }

    static func reason(_ error: any Error) -> String {
        if let winsock = winsockError(in: error) { return reason(winsock) }
        switch error {
        case let error as SMTPProtocolError:
            switch error.kind {
            case .startTLSNotAdvertised: return "STARTTLS not advertised; quit"
            case .unexpectedReply(let command, let code): return "\(command) answered \(code); quit"
            case .malformedReply(let text): return text
            }
        case let error as IOException:
            return "IOException: \(error.Message)"
        default:
            return "\(error)"
        }
    }

    static func reason(_ error: WinsockError) -> String {
        var text = "\(error.code.rawValue) \(error.code.name)"
        if let failure = error.verificationFailure { text += ", certificate: \(failure)" }
        if let hook = error.certificateHookResult { text += ", hook returned \(hookResultName(hook))" }
        if error.verificationFailure == nil && error.certificateHookResult == nil,
           let library = error.detail.range(of: #"(unsupported protocol|no protocols available|tlsv1 alert protocol version|wrong version number)"#,
                                            options: .regularExpression) {
            text += ", TLS: \(error.detail[library])"
        }
        return text
    }

    static func hookResultName(_ value: Int32) -> String {
        let names: [Int32: String] = [
            SSL_ERR_FAILED: "SSL_ERR_FAILED", SSL_ERR_BAD_DATA: "SSL_ERR_BAD_DATA", SSL_ERR_BAD_TYPE: "SSL_ERR_BAD_TYPE",
            SSL_ERR_CERT_EXPIRED: "SSL_ERR_CERT_EXPIRED", SSL_ERR_CERT_UNKNOWN: "SSL_ERR_CERT_UNKNOWN",
        ]
        return names[value] ?? "\(value)"
    }

    /// Each scenario on its own thread: most of the time goes to waiting for timeouts and child processes.
    static func runConcurrently(_ scenarios: [ComparisonScenario],
                                _ body: @escaping @Sendable (ComparisonScenario) throws -> Row) throws -> [Row] {
        let results = Locked<[Int: Result<Row, any Error>]>([:])
        let group = DispatchGroup()
        for (index, scenario) in scenarios.enumerated() {
            group.enter()
            Thread {
                let result = Result { try body(scenario) }
                results.withLock { $0[index] = result }
                group.leave()
            }.start()
        }
        group.wait()
        return try results.withLock { results in try scenarios.indices.map { try results[$0]!.get() } }
    }

    // MARK: The document

    static func markdown(_ rows: [Row]) -> String {
        var lines = ["| scenario | " + Client.allCases.map(\.rawValue).joined(separator: " | ") + " |",
                     "|---|" + String(repeating: "---|", count: Client.allCases.count)]
        for row in rows {
            let cells = Client.allCases.map { row.outcomes[$0]!.description.replacingOccurrences(of: "|", with: "\\|") }
            lines.append("| \(row.scenario.title) | " + cells.joined(separator: " | ") + " |")
        }
        lines += ["", "Differences, on purpose or by the references' design:", ""]
        lines += differences.map { "- **\($0.scenario)**: \($0.note)" }
        return lines.joined(separator: "\n") + "\n"
    }

    static func details(_ row: Row) -> String {
        Client.allCases.compactMap { client in row.transcripts[client].map { "--- \(client.rawValue) ---\n\($0)" } }.joined(separator: "\n")
            + "\n--- server ---\n" + row.serverLog
    }

    /// Compares the generated section of docs/COMPARISON.md with `generated`; rewrites it instead when
    /// WINSOCKSSL_UPDATE_COMPARISON=1.
    static func checkDocument(generated: String) throws {
        let url = documentURL
        let document = try String(contentsOf: url, encoding: .utf8)
        guard let begin = document.range(of: beginMarker), let end = document.range(of: endMarker, range: begin.upperBound..<document.endIndex) else {
            Issue.record("\(url.path) has no section between \(beginMarker) and \(endMarker)")
            return
        }
        let committed = String(document[begin.upperBound..<end.lowerBound])
        let wanted = "\n" + generated
        guard committed != wanted else { return }
        if ProcessInfo.processInfo.environment["WINSOCKSSL_UPDATE_COMPARISON"] == "1" {
            let updated = document.replacingCharacters(in: begin.upperBound..<end.lowerBound, with: wanted)
            try updated.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        Issue.record("""
            docs/COMPARISON.md differs from the matrix this run produced; if the change is intended, rerun with \
            WINSOCKSSL_UPDATE_COMPARISON=1 and commit the document.
            \(lineDiff(committed, wanted))
            """)
    }

    /// The lines only in `old` (prefixed `-`) and only in `new` (`+`), in order.
    static func lineDiff(_ old: String, _ new: String) -> String {
        let oldLines = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let newLines = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let removed = oldLines.filter { !newLines.contains($0) }.map { "- " + $0 }
        let added = newLines.filter { !oldLines.contains($0) }.map { "+ " + $0 }
        return (removed + added).joined(separator: "\n")
    }
}

/// A directory under the system's temporary directory, removed when released.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/winsockssl-interop.XXXXXX").utf8CString)
        guard let created = mkdtemp(&template) else { throw ExternalProcessError(description: "mkdtemp failed: errno \(errno)") }
        path = String(cString: created)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
