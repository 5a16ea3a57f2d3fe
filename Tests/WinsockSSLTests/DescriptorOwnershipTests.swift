import Testing
import WinsockSSL
import WinsockSSLTesting

/// No TLS byte may reach a descriptor the socket no longer owns.
///
/// A closed socket's descriptor number is free for the next `socket()` or `accept()` in the process, so a
/// TLS session that still sends or receives on that number talks to a stranger's connection.
@Suite struct DescriptorOwnershipTests {
    let authority: TestCertificateAuthority

    init() throws {
        authority = try TestCertificateAuthority()
    }

    /// A secure socket whose TCP socket was closed underneath it (another thread's `close`, a finalizer)
    /// and is then shut down: the close_notify it would send has no connection of its own left, and must
    /// not appear on the connection that now holds the old descriptor number.
    @Test func closeNotifyAfterTheSocketIsClosedReachesNoOtherConnection() throws {
        let issued = try authority.issue(dnsNames: ["localhost"])
        let server = try TLSTestServer(configuration: TLSServerConfiguration(serving: issued), handler: TLSTestServer.echo)
        defer { server.stop() }
        let bystanders = try ListeningSocket()
        defer { bystanders.close() }

        var configuration = TLSConfiguration(peerName: "localhost")
        configuration.additionalTrustRoots = [authority.root]
        configuration.trustsProcessRoots = false
        let secure = try WinsockSocket(family: .ipv4)
        try secure.setSecurity(SO_SEC_SSL)
        secure.setTLSConfiguration(configuration)
        try secure.connect(to: server.endpoint, hostName: "localhost", timeout: hangBound)
        #expect(secure.phase.isSecure)

        // The descriptor is released; the next sockets the process opens get the lowest free numbers,
        // so one of these (normally the first) is given the secure socket's old number.
        secure.stream.close()
        var clients: [StreamSocket] = []
        var accepted: [StreamSocket] = []
        defer {
            for socket in clients + accepted { socket.close() }
        }
        for _ in 0..<8 {
            let client = try StreamSocket(family: .ipv4)
            try client.connect(to: bystanders.localEndpoint, timeout: hangBound)
            clients.append(client)
            accepted.append(try bystanders.accept(timeout: hangBound))
        }

        // Every path that could drive OpenSSL fails instead of reaching the reused number.
        #expect(throws: WinsockError.self) { try secure.shutdown(.send) }
        #expect(throws: WinsockError.self) { _ = try secure.bytesAvailable() }
        #expect(throws: WinsockError.self) { _ = try secure.poll(readable: true, timeout: .zero) }
        #expect(throws: WinsockError.self) { _ = try Array("x".utf8).withUnsafeBytes { try secure.send($0) } }
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(throws: WinsockError.self) { _ = try buffer.withUnsafeMutableBytes { try secure.receive(into: $0) } }
        secure.close()

        for (index, bystander) in accepted.enumerated() {
            let leaked = try bytesWaiting(on: bystander)
            #expect(leaked.isEmpty, "bystander connection \(index) received \(leaked.count) bytes of another socket's TLS session: \(leaked.prefix(8).map { String($0, radix: 16) })")
        }
    }

    /// What has arrived on `socket` within a short wait, without consuming it; empty when nothing came.
    func bytesWaiting(on socket: StreamSocket) throws -> [UInt8] {
        do {
            return try socket.peekBytes(upTo: 64, deadline: .now.advanced(by: .milliseconds(200)))
        } catch where error.code == .timedOut {
            return []
        }
    }
}
