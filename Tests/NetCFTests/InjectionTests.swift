import Foundation
import NetCF
import Testing
import WinsockSSLTesting

/// STARTTLS response injection ("NO STARTTLS", USENIX Security 2021): plain text that arrives after the
/// server's go-ahead must fail the handshake, and must never be handed to the program afterwards as if it
/// had come through TLS — not by `Receive`, `NetworkStream.Read` or `StreamReader.ReadLine`.
@Suite struct InjectionTests {
    let authority: TestCertificateAuthority

    init() throws {
        authority = try TestCertificateAuthority()
    }

    /// The blog's conversation up to the go-ahead; `goAhead` is sent as one write, then `rest` runs.
    func starttlsServer(goAhead: String, then rest: @escaping @Sendable (TLSServerConnection) throws -> Void) throws -> TLSTestServer {
        try TLSTestServer(configuration: TLSServerConfiguration(serving: authority.issue(dnsNames: ["mail.example.test"]))) { connection in
            try connection.writePlain("220 ready\r\n")
            _ = try connection.readLine()
            try connection.writePlain(goAhead)
            try rest(connection)
        }
    }

    /// Runs the blog's client (SslHelper, deferred, StreamReader over NetworkStream) against `port` and checks
    /// that the handshake fails and that nothing can be read afterwards.
    func expectInjectionRefused(port: UInt16, beforeHandshake: (Socket) throws -> Void = { _ in }) throws {
        let s = try SecureSockets.plain()
        defer { s.Close() }
        s.core.addTrustRoot(authority.root)
        let helper = try SslHelper(s, "mail.example.test", true)
        defer { helper.Dispose() }
        try s.Connect(SecureSockets.loopback(port))
        let ns = try NetworkStream(s)
        let sr = StreamReader(ns, Encoding.ASCII)
        #expect(try sr.ReadLine() == "220 ready")
        try s.Send(Encoding.ASCII.GetBytes("STARTTLS\r\n"))
        #expect(try sr.ReadLine() == "220 go ahead")
        try beforeHandshake(s)

        let error = try #require(throws: SocketException.self) { try helper.DoHandshake() }
        #expect(error.ErrorCode == 10053)
        #expect(error.Message.contains("plain text"), "\(error.Message)")
        #expect(!s.core.phase.isSecure)

        #expect(throws: IOException.self) { try sr.ReadLine() }
        var buffer = [UInt8](repeating: 0, count: 64)
        let receive = try #require(throws: SocketException.self) { _ = try s.Receive(&buffer) }
        #expect(receive.ErrorCode == 10053)
        #expect(throws: IOException.self) { _ = try ns.Read(&buffer, 0, buffer.count) }
        #expect(throws: IOException.self) { try sr.ReadLine() }
        #expect(buffer == [UInt8](repeating: 0, count: 64))
    }

    /// The injected line comes in the same TCP write as the go-ahead, so the StreamReader buffers it.
    @Test func plainTextInTheSameWriteAsTheGoAheadFailsTheHandshake() throws {
        let server = try starttlsServer(goAhead: "220 go ahead\r\n250 injected\r\n") { connection in
            while try connection.readLine() != nil {}
        }
        defer { server.stop() }
        try expectInjectionRefused(port: server.port)
        server.stop()
        #expect(server.handshakesCompleted == 0)
    }

    /// The injected line is a later write: it waits in the kernel buffer when the handshake starts.
    @Test func plainTextArrivingAfterTheGoAheadFailsTheHandshake() throws {
        let server = try starttlsServer(goAhead: "220 go ahead\r\n") { connection in
            Thread.sleep(forTimeInterval: 0.1)
            try connection.writePlain("250 injected\r\n")
            while try connection.readLine() != nil {}
        }
        defer { server.stop() }
        try expectInjectionRefused(port: server.port) { s in
            // Wait (bounded) until the injected bytes are there, so the handshake starts with them waiting.
            let arrived = try s.Poll(10_000_000, SelectMode.SelectRead)
            #expect(arrived)
        }
    }

    /// The downgrade case: the server (or a man in the middle) reads the ClientHello and answers in plain
    /// text instead of with a ServerHello.
    @Test func plainTextInsteadOfTheServerHelloFailsTheHandshake() throws {
        let clientHello = Recorder<[UInt8]>()
        let server = try RawTestServer { connection in
            try connection.writePlain("220 ready\r\n")
            _ = try connection.readPlainLine()
            try connection.writePlain("220 go ahead\r\n")
            clientHello.append(try connection.readTLSRecord())
            try connection.writePlain("250 fake\r\n")
            connection.drainUntilClosed()
        }
        defer { server.stop() }
        try expectInjectionRefused(port: server.port)
        server.stop()
        #expect(server.errors.isEmpty, "\(server.errors)")
        #expect(clientHello.values.first?.first == 22, "the client sent its ClientHello before the fake reply")
    }
}
