import WinsockSSL

/// The same submission as `SMTPSubmission`, through the Swift-native API: a `StreamSocket` for the plain
/// STARTTLS exchange, then `SecureConnection.upgrade` with a `TLSConfiguration` naming the peer.
struct NativeSMTPSubmission {
    var serverName: String
    var port: Int
    var trustRoot: Certificate
    var clientName = "client.winsockssl.test"
    var sender = "sender@client.winsockssl.test"
    var recipient = "recipient@example.test"
    /// Bounds every read and the handshake.
    var timeout: Duration = .seconds(10)

    /// Called when the server has said 220 to STARTTLS, just before the handshake.
    var beforeHandshake: () -> Void = {}
    /// Called once the handshake succeeded.
    var afterHandshake: (SecureConnection) -> Void = { _ in }

    func send(_ message: String) throws -> SubmissionReceipt {
        let socket = try StreamSocket(family: .ipv4)
        defer { socket.close() }
        socket.receiveTimeout = timeout
        socket.sendTimeout = timeout
        try socket.connect(to: SocketEndpoint(address: .loopbackIPv4, port: UInt16(port)), timeout: timeout)
        let plain = SMTPSession(
            readLine: lineReader { () throws -> UInt8? in
                // One byte at a time, so nothing that follows the STARTTLS reply is taken from the socket.
                var byte: UInt8 = 0
                let count = try withUnsafeMutableBytes(of: &byte) { try socket.receive(into: $0) }
                return count == 0 ? nil : byte
            },
            write: { bytes in try bytes.withUnsafeBytes { try socket.sendAll($0) } })

        try plain.expect(220, after: nil)
        let capabilities = try plain.command("EHLO \(clientName)", expecting: 250)
        guard capabilities.lines.dropFirst().contains(where: { $0.uppercased() == "STARTTLS" }) else {
            try? plain.quit()
            throw SMTPProtocolError(kind: .startTLSNotAdvertised)
        }
        let goAhead = try plain.command("STARTTLS")
        guard goAhead.code == 220 else {
            try? plain.quit()
            throw SMTPProtocolError(kind: .unexpectedReply(command: "STARTTLS", reply: goAhead.code))
        }

        var configuration = TLSConfiguration(peerName: serverName)
        configuration.additionalTrustRoots = [trustRoot]
        beforeHandshake()
        let connection = try SecureConnection.upgrade(socket, configuration: configuration)
        defer { connection.close() }
        afterHandshake(connection)

        var pending: [UInt8] = []
        let secure = SMTPSession(
            readLine: lineReader { () throws -> UInt8? in
                if pending.isEmpty { pending = try connection.read(upTo: 4096) }
                return pending.isEmpty ? nil : pending.removeFirst()
            },
            write: { bytes in try connection.write(bytes) })
        try secure.command("EHLO \(clientName)", expecting: 250)
        try secure.command("MAIL FROM:<\(sender)>", expecting: 250)
        try secure.command("RCPT TO:<\(recipient)>", expecting: 250)
        try secure.command("DATA", expecting: 354)
        try secure.sendData(message)
        let accepted = try secure.expect(250, after: "end of data")
        try? secure.quit()
        return SubmissionReceipt(finalReply: accepted, session: connection.info)
    }
}

/// Lines (without CRLF or LF) from a byte source; the last line may lack its terminator.
private func lineReader(_ readByte: @escaping () throws -> UInt8?) -> () throws -> String? {
    {
        var line: [UInt8] = []
        while let byte = try readByte() {
            if byte == UInt8(ascii: "\n") {
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            line.append(byte)
        }
        return line.isEmpty ? nil : String(decoding: line, as: UTF8.self)
    }
}
