// The example test of README.md ("Write a regression test for your port"), kept here so it always compiles
// and passes. Keep the two in step.
import NetCF
import Testing
import WinsockSSLTesting

/// Your port, unchanged: here the blog's STARTTLS start, talking to "mail.guide.example" on port 587.
func portedStartTLS() throws {
    let SmtpServer = "mail.guide.example"
    let port = 587
    let IPhst = try Dns.GetHostEntry(SmtpServer)
    let endPt = IPEndPoint(IPhst.AddressList[0], port)
    let s = try Socket(endPt.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
    s.ReceiveTimeout = 10_000
    try using(SslHelper(s, SmtpServer, true)) { helper in
        var line: String? = nil
        try s.Connect(endPt)
        let sr = try StreamReader(NetworkStream(s), Encoding.ASCII)
        try s.Send(Encoding.ASCII.GetBytes("EHLO\r\n"))
        while try assign(&line, sr.ReadLine()) != "250 OK" {}
        try s.Send(Encoding.ASCII.GetBytes("STARTTLS\r\n"))
        while try !assign(&line, sr.ReadLine()).StartsWith("220") {}
        try helper.DoHandshake()
    }
}

@Test func portedClientFollowsTheBlogTranscript() throws {
    // A throw-away CA and a certificate for the name the port uses.
    let authority = try TestCertificateAuthority()
    let certificate = try authority.issue(dnsNames: ["mail.guide.example"])
    TrustStore.process.add(authority.root)
    defer { TrustStore.process.remove(authority.root) }

    // A server on 127.0.0.1:<free port> that replays the 2009 conversation and records the client.
    let server = try ScriptedSTARTTLSServer(transcript: .blog2009,
                                            certificateChainPEM: certificate.certificateChainPEM,
                                            privateKeyPEM: certificate.privateKey.pemEncoded)
    defer { server.stop() }

    // Point the port's name and port at it without touching the port.
    let original = SocketEndpoint(address: .loopbackIPv4, port: 587)
    HostsTable.shared.set("mail.guide.example", to: [.loopbackIPv4])
    EndpointRedirects.shared.redirect(original, to: server.endpoint)
    defer {
        HostsTable.shared.remove("mail.guide.example")
        EndpointRedirects.shared.remove(original)
    }

    try portedStartTLS()

    #expect(server.waitForClients(1, timeout: .seconds(10)))
    let recording = try #require(server.recordings.first)
    #expect(recording.plaintextLines == ["EHLO", "STARTTLS"])
    #expect(recording.completedTLS)
    #expect(recording.divergences.isEmpty)
}
