import Foundation
import TestSupport
import WinsockSSL
import WinsockSSLTesting

/// A private Postfix instance for the whole test run: its own configuration, queue and log in a temporary
/// directory, listening on loopback ports picked at start, with a certificate from a throw-away CA.
///
/// Every message is put on hold (`check_client_access static:HOLD`), so it stays in the queue where `postcat`
/// shows it with the `Received:` header Postfix wrote, including the TLS details
/// (`smtpd_tls_received_header = yes`). Nothing is ever delivered or relayed.
///
/// Started once, on first use, by `PostfixFixture.shared` (a `static let`, whose initialisation Swift runs
/// exactly once under a lock); stopped when the test process exits, or by a watchdog if it dies.
final class PostfixFixture: Sendable {
    /// The listeners: which TLS versions each one allows.
    enum Listener: String, CaseIterable, Sendable {
        /// `smtpd_tls_security_level = may` with Postfix's default protocols (TLS 1.2 and 1.3 with OpenSSL 3).
        case standard
        /// TLS 1.2 only, opportunistic and mandatory protocols alike.
        case tls1_2Only
        /// TLS 1.3 only.
        case tls1_3Only
        /// Like `standard`, but serving a certificate for `otherServerName` (from the same CA), which a client
        /// that connects by `serverName` must refuse.
        case otherName
        /// Like `standard`, with a certificate whose subjectAltName holds `serverName` and 127.0.0.1, as the
        /// standard one does, but whose subject CN is `otherServerName`: valid for `serverName` by RFC 6125,
        /// refused by a CE-style hook that compares the CN.
        case otherCommonName

        /// The certificate and key files (in the configuration directory) when not the standard ones.
        var certificateFiles: (certificate: String, key: String)? {
            switch self {
            case .otherName: ("other-cert.pem", "other-key.pem")
            case .otherCommonName: ("other-cn-cert.pem", "other-cn-key.pem")
            case .standard, .tls1_2Only, .tls1_3Only: nil
            }
        }

        /// The `smtpd_tls_protocols` value, nil for Postfix's default.
        var protocols: String? {
            switch self {
            case .standard, .otherName, .otherCommonName: nil
            case .tls1_2Only: "!SSLv2, !SSLv3, !TLSv1, !TLSv1.1, !TLSv1.3"
            case .tls1_3Only: "!SSLv2, !SSLv3, !TLSv1, !TLSv1.1, !TLSv1.2"
            }
        }
    }

    /// The host name in the certificate (which also holds the IP address 127.0.0.1).
    static let serverName = "localhost"
    /// The only name in the certificate of the `otherName` listener, and the CN of `otherCommonName`'s.
    static let otherServerName = "elsewhere.winsockssl.test"
    /// Postfix's own name, in its banner and its `Received:` headers.
    static let myhostname = "postfix.winsockssl.test"

    let directory: String
    let authority: TestCertificateAuthority
    let ports: [Listener: Int]
    private let configDirectory: String
    private let postfix: String
    private let postcat: String

    /// The instance shared by all interop tests, started on first use; a failure to start is kept and
    /// rethrown to every test that asks.
    static let shared: Result<PostfixFixture, PostfixUnavailable> = {
        do {
            let fixture = try PostfixFixture()
            registerShutdown()
            return .success(fixture)
        } catch let error as PostfixUnavailable {
            return .failure(error)
        } catch let error as PeerMissing {
            return .failure(PostfixUnavailable(error.description))
        } catch {
            return .failure(PostfixUnavailable("could not start a private Postfix instance: \(error)"))
        }
    }()

    /// The shared instance, or a failure that tells the reader how to get Postfix.
    static func instance() throws -> PostfixFixture {
        try shared.get()
    }

    private init() throws {
        // The suites ask for `.requires(.postfix)`, which skips them where this would fail; this check stays
        // for a caller without the trait, and reads the same lookup (WINSOCKSSL_POSTFIX_PATH included).
        let postfix = try Peer.postfix.path()
        let postcat = URL(fileURLWithPath: postfix).deletingLastPathComponent().appendingPathComponent("postcat").path
        guard let owner = getpwnam("postfix") else {
            throw PostfixUnavailable("the 'postfix' user does not exist; reinstall the postfix package (run .ci/run)")
        }
        self.postfix = postfix
        self.postcat = postcat

        var template = Array((NSTemporaryDirectory() + "/winsockssl-postfix.XXXXXX").utf8CString)
        guard let created = mkdtemp(&template) else { throw PostfixUnavailable("mkdtemp failed: errno \(errno)") }
        directory = String(cString: created)
        configDirectory = directory + "/etc"
        // The Postfix daemons run as 'postfix' and must reach their directories below this one.
        chmod(directory, 0o755)
        for sub in ["etc", "queue", "data"] {
            try FileManager.default.createDirectory(atPath: directory + "/" + sub, withIntermediateDirectories: true)
        }
        // master.lock lives in data_directory, which must belong to the mail owner.
        chown(directory + "/data", owner.pointee.pw_uid, owner.pointee.pw_gid)

        authority = try TestCertificateAuthority(commonName: "WinsockSSL Postfix Test Root CA")
        let issued = try authority.issue(dnsNames: [Self.serverName], ipAddresses: ["127.0.0.1"], commonName: Self.serverName)
        try issued.write(certificateTo: configDirectory + "/cert.pem", keyTo: configDirectory + "/key.pem")
        let other = try authority.issue(dnsNames: [Self.otherServerName], commonName: Self.otherServerName)
        try other.write(certificateTo: configDirectory + "/other-cert.pem", keyTo: configDirectory + "/other-key.pem")
        let otherCN = try authority.issue(dnsNames: [Self.serverName], ipAddresses: ["127.0.0.1"], commonName: Self.otherServerName)
        try otherCN.write(certificateTo: configDirectory + "/other-cn-cert.pem", keyTo: configDirectory + "/other-cn-key.pem")
        try authority.rootPEM.write(toFile: directory + "/root.pem", atomically: true, encoding: .utf8)

        var ports: [Listener: Int] = [:]
        for listener in Listener.allCases { ports[listener] = try Self.freeLoopbackPort() }
        self.ports = ports
        try mainCF.write(toFile: configDirectory + "/main.cf", atomically: true, encoding: .utf8)
        try masterCF.write(toFile: configDirectory + "/master.cf", atomically: true, encoding: .utf8)

        startWatchdog()
        let start = try runProcess(postfix, ["-c", configDirectory, "start"], bound: .seconds(60),
                                   outputFile: directory + "/postfix-start.out")
        guard start.status == 0, !start.timedOut else {
            throw PostfixUnavailable("postfix start failed (status \(start.status)):\n\(diagnostics())")
        }
        for listener in Listener.allCases {
            guard waitForBanner(port: ports[listener]!, within: .seconds(20)) else {
                stop()
                throw PostfixUnavailable("Postfix did not answer on port \(ports[listener]!) (\(listener)):\n\(diagnostics())")
            }
        }
    }

    /// Where the CA certificate is, for clients that read files.
    var rootPEMPath: String { directory + "/root.pem" }

    func port(_ listener: Listener = .standard) -> Int { ports[listener]! }

    // MARK: Configuration

    private var mainCF: String {
        """
        # Generated by PostfixFixture for one test run.
        compatibility_level = 3.6
        queue_directory = \(directory)/queue
        data_directory = \(directory)/data
        mail_owner = postfix
        setgid_group = postdrop
        myhostname = \(Self.myhostname)
        mydomain = winsockssl.test
        myorigin = $myhostname
        mydestination =
        relay_domains =
        inet_interfaces = 127.0.0.1
        inet_protocols = ipv4
        mynetworks = 127.0.0.0/8
        alias_maps =
        alias_database =
        biff = no
        # Every message is held in the queue, so a test can read it with postcat; nothing is delivered.
        smtpd_recipient_restrictions = check_client_access static:HOLD, permit_mynetworks, reject
        smtpd_tls_cert_file = \(configDirectory)/cert.pem
        smtpd_tls_key_file = \(configDirectory)/key.pem
        smtpd_tls_security_level = may
        smtpd_tls_loglevel = 1
        smtpd_tls_received_header = yes
        # No syslog daemon is needed: postlogd writes here (Postfix 3.4 and later).
        maillog_file = \(directory)/maillog
        maillog_file_prefixes = \(directory)

        """
    }

    private var masterCF: String {
        var lines = ["# Generated by PostfixFixture: one smtpd listener per Listener case (TLS versions, certificate), no chroot."]
        for listener in Listener.allCases {
            lines.append("127.0.0.1:\(ports[listener]!) inet n - n - - smtpd")
            lines.append("  -o syslog_name=postfix/\(listener.rawValue)")
            if let protocols = listener.protocols {
                lines.append("  -o {smtpd_tls_protocols = \(protocols)}")
                lines.append("  -o {smtpd_tls_mandatory_protocols = \(protocols)}")
            }
            if let files = listener.certificateFiles {
                lines.append("  -o smtpd_tls_cert_file=\(configDirectory)/\(files.certificate)")
                lines.append("  -o smtpd_tls_key_file=\(configDirectory)/\(files.key)")
            }
        }
        lines += [
            "pickup    unix  n       -       n       60      1       pickup",
            "cleanup   unix  n       -       n       -       0       cleanup",
            "qmgr      unix  n       -       n       300     1       qmgr",
            "tlsmgr    unix  -       -       n       1000?   1       tlsmgr",
            "rewrite   unix  -       -       n       -       -       trivial-rewrite",
            "bounce    unix  -       -       n       -       0       bounce",
            "defer     unix  -       -       n       -       0       bounce",
            "trace     unix  -       -       n       -       0       bounce",
            "verify    unix  -       -       n       -       1       verify",
            "flush     unix  n       -       n       1000?   0       flush",
            "proxymap  unix  -       -       n       -       -       proxymap",
            "showq     unix  n       -       n       -       -       showq",
            "error     unix  -       -       n       -       -       error",
            "retry     unix  -       -       n       -       -       error",
            "discard   unix  -       -       n       -       -       discard",
            "anvil     unix  -       -       n       -       1       anvil",
            "scache    unix  -       -       n       -       1       scache",
            "postlog   unix-dgram n  -       n       -       1       postlogd",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Looking at what Postfix did

    /// The queue file of `queueID` as `postcat` prints it (envelope, headers, body).
    func queuedMessage(_ queueID: String) throws -> String {
        let result = try runProcess(postcat, ["-c", configDirectory, "-q", queueID], bound: .seconds(20))
        guard result.status == 0 else {
            throw ExternalProcessError(description: "postcat -q \(queueID) failed: \(result.combinedOutput)\n\(diagnostics())")
        }
        return result.standardOutput
    }

    /// Postfix's log so far.
    var log: String { (try? String(contentsOfFile: directory + "/maillog", encoding: .utf8)) ?? "" }

    /// The end of the log and of the start command's output, for failure messages.
    func diagnostics() -> String {
        let start = (try? String(contentsOfFile: directory + "/postfix-start.out", encoding: .utf8)) ?? ""
        let tail = log.split(separator: "\n", omittingEmptySubsequences: false).suffix(30).joined(separator: "\n")
        return "--- postfix start output ---\n\(start)\n--- \(directory)/maillog (last lines) ---\n\(tail)"
    }

    // MARK: Life cycle

    /// `postfix stop`, then the directory goes. Safe to call twice.
    func stop() {
        guard FileManager.default.fileExists(atPath: directory) else { return }
        _ = try? runProcess(postfix, ["-c", configDirectory, "stop"], bound: .seconds(30),
                            outputFile: directory + "/postfix-stop.out")
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A shell that outlives a crashed test process: once its parent is gone it stops Postfix and removes
    /// the directory, so no master process is left listening after an abnormal exit.
    private func startWatchdog() {
        let script = """
            while kill -0 "$1" 2>/dev/null; do sleep 1; done
            if [ -d "$2" ]; then "$3" -c "$2/etc" stop >/dev/null 2>&1; rm -rf "$2"; fi
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, "watchdog", String(getpid()), directory, postfix]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try? process.run()
    }

    /// Stops the shared instance when the test process exits normally (a C function pointer cannot
    /// capture, so the handler finds the instance through `shared`, which is set by then).
    private static func registerShutdown() {
        atexit {
            if case .success(let fixture) = PostfixFixture.shared { fixture.stop() }
        }
    }

    /// A loopback port nothing listens on right now. Another process could take it before Postfix binds
    /// it; the banner check then fails loudly rather than talking to the wrong server.
    private static func freeLoopbackPort() throws -> Int {
        let listener = try ListeningSocket(on: SocketEndpoint(address: .loopbackIPv4, port: 0))
        defer { listener.close() }
        return Int(listener.localEndpoint.port)
    }

    /// Connects until Postfix's own banner arrives, or `bound` passes.
    private func waitForBanner(port: Int, within bound: Duration) -> Bool {
        let deadline = ContinuousClock.now.advanced(by: bound)
        while ContinuousClock.now < deadline {
            if let banner = try? Self.readBanner(port: port), banner.hasPrefix("220 \(Self.myhostname)") { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }

    private static func readBanner(port: Int) throws -> String {
        let socket = try StreamSocket(family: .ipv4)
        defer { socket.close() }
        try socket.connect(to: SocketEndpoint(address: .loopbackIPv4, port: UInt16(port)), timeout: .seconds(2))
        socket.receiveTimeout = .seconds(5)
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = try buffer.withUnsafeMutableBytes { try socket.receive(into: $0, deadline: .now.advanced(by: .seconds(5))) }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }
}

/// Postfix cannot be used: not installed, or the instance would not start. The message says what to do.
struct PostfixUnavailable: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
