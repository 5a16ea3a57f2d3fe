import WinsockSSL
import WinsockSSLTesting

/// One row of the behaviour comparison: a scripted STARTTLS server and the name every client is told to
/// verify. All servers listen on 127.0.0.1; only the name differs.
struct ComparisonScenario: Sendable {
    var title: String
    /// The name each client checks the certificate against (and sends as SNI, when it is a DNS name).
    var serverName: String
    var transcript: Transcript
    var certificateChainPEM: String
    var privateKeyPEM: String
    var minimumVersion: TLSServerVersion = .tls1_2
    var maximumVersion: TLSServerVersion = .tls1_3
    /// TLS 1.2-and-older cipher list for the server, OpenSSL syntax; nil for OpenSSL's default.
    var ciphers: String?

    static let mailName = "mail.example.test"
    /// "Server never answers" sleeps this long: longer than every client's timeout.
    static let silence: Duration = .seconds(8)

    func startServer() throws -> ScriptedSTARTTLSServer {
        // A server that stops hearing from a client gives up after 3 s, so a client waiting for a reply the
        // script will never send (s_client after a refused STARTTLS) sees the connection close, not a stall.
        let configuration = TLSServerConfiguration(certificateChainPEM: certificateChainPEM, privateKeyPEM: privateKeyPEM,
                                                   minimumVersion: minimumVersion, maximumVersion: maximumVersion,
                                                   ciphers: ciphers, ioTimeout: .seconds(3))
        return try ScriptedSTARTTLSServer(transcript: transcript, configuration: configuration)
    }

    /// Every scenario of the matrix, certificates made fresh from `authority` (the root the clients trust).
    static func all(trusting authority: TestCertificateAuthority) throws -> [ComparisonScenario] {
        let intermediate = try authority.intermediate(commonName: "WinsockSSL Test Intermediate CA")
        let valid = try intermediate.issue(dnsNames: [mailName], commonName: mailName)
        let stranger = try TestCertificateAuthority(commonName: "Unknown Test Root CA")

        func row(_ title: String, name: String = mailName, _ issued: IssuedCertificate, chainPEM: String? = nil,
                 transcript: Transcript = .smtpSubmission(),
                 versions: ClosedRange<TLSServerVersion> = .tls1_2 ... .tls1_3, ciphers: String? = nil) -> ComparisonScenario {
            ComparisonScenario(title: title, serverName: name, transcript: transcript,
                               certificateChainPEM: chainPEM ?? issued.certificateChainPEM,
                               privateKeyPEM: issued.privateKey.pemEncoded,
                               minimumVersion: versions.lowerBound, maximumVersion: versions.upperBound, ciphers: ciphers)
        }
        let validRSA = try intermediate.issue(dnsNames: [mailName], commonName: mailName, keyType: .rsa2048)
        let greeting = Transcript.smtpGreeting()
        let goAhead = Transcript([.expectCommand("STARTTLS"), .send("220 2.0.0 Ready to start TLS\r\n")])

        return [
            // Certificates.
            row("valid chain (leaf + intermediate)", valid),
            row("wrong host name", try authority.issue(dnsNames: ["other.example.test"], commonName: "other.example.test")),
            row("expired", try authority.issue(dnsNames: [mailName], commonName: mailName, validity: .expired)),
            row("not yet valid", try authority.issue(dnsNames: [mailName], commonName: mailName, validity: .notYetValid)),
            row("self-signed", try TestCertificateAuthority.selfSigned(dnsNames: [mailName], commonName: mailName)),
            row("unknown CA", try stranger.issue(dnsNames: [mailName], commonName: mailName)),
            row("missing intermediate (server sends the leaf only)", valid, chainPEM: valid.certificate.pemEncoded),
            row("wildcard `*.example.test` for `a.example.test`", name: "a.example.test",
                try authority.issue(dnsNames: ["*.example.test"])),
            row("wildcard `*.example.test` for `a.b.example.test`", name: "a.b.example.test",
                try authority.issue(dnsNames: ["*.example.test"])),
            row("SAN only (no CN)", try authority.issue(dnsNames: [mailName])),
            row("IP address `127.0.0.1` (IP SAN)", name: "127.0.0.1", try authority.issue(ipAddresses: ["127.0.0.1"])),
            // The STARTTLS exchange.
            row("STARTTLS not advertised", valid, transcript: .smtpWithoutSTARTTLS()),
            row("STARTTLS refused (454)", valid, transcript: .smtpSTARTTLSNotAccepted()),
            row("STARTTLS refused (502)", valid, transcript: .smtpSTARTTLSNotAccepted(reply: "502 5.5.1 Command not implemented")),
            row("STARTTLS answered with nonsense (354)", valid, transcript: .smtpSTARTTLSNotAccepted(reply: "354 Start mail input")),
            row("server closes right after its 220 banner", valid,
                transcript: Transcript([.send("220 smtp.example.test ESMTP ready\r\n"), .close])),
            row("server closes right after its 220 to STARTTLS", valid, transcript: greeting + goAhead + Transcript([.close])),
            row("server resets during the handshake", valid,
                transcript: greeting + goAhead + Transcript([.pause(.milliseconds(300)), .reset])),
            row("server never answers (no banner)", valid, transcript: Transcript([.pause(silence)])),
            // Protocol versions.
            // With an ECDSA key the old versions sign the key exchange with SHA-1, which OpenSSL 3 refuses at its
            // default security level; with RSA key transport (TLS_RSA_*) there is no such signature.
            row("server speaks TLS 1.0 only (ECDSA key)", valid, versions: .tls1 ... .tls1),
            row("server speaks TLS 1.1 only (ECDSA key)", valid, versions: .tls1_1 ... .tls1_1),
            row("server speaks TLS 1.0 only (RSA key, `AES128-SHA`)", validRSA, versions: .tls1 ... .tls1, ciphers: "AES128-SHA"),
            row("server speaks TLS 1.1 only (RSA key, `AES128-SHA`)", validRSA, versions: .tls1_1 ... .tls1_1, ciphers: "AES128-SHA"),
        ]
    }
}
