import NetCF
import WinsockSSL

/// One SMTP reply: its code and every line of text after the code and separator.
struct SMTPReply: Sendable, CustomStringConvertible {
    var code: Int
    var lines: [String]

    var description: String { lines.map { "\(code) \($0)" }.joined(separator: " / ") }

    /// Reads one reply line by line: `ddd-text` continues it, `ddd text` (or a bare `ddd`) ends it.
    static func read(_ nextLine: () throws -> String?) throws -> SMTPReply {
        var lines: [String] = []
        while true {
            guard let line = try nextLine() else {
                throw SMTPProtocolError(kind: .malformedReply(lines.isEmpty ? "the server closed the connection" : "the server closed the connection inside a reply"))
            }
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)),
                  bytes.count == 3 || bytes[3] == UInt8(ascii: " ") || bytes[3] == UInt8(ascii: "-") else {
                throw SMTPProtocolError(kind: .malformedReply(line))
            }
            lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
            if bytes.count == 3 || bytes[3] == UInt8(ascii: " ") { return SMTPReply(code: code, lines: lines) }
        }
    }
}

/// The server answered with something the submission cannot go on from.
struct SMTPProtocolError: Error, CustomStringConvertible {
    enum Kind: Sendable, Equatable {
        /// `STARTTLS` was not among the EHLO capabilities; the client quit without sending it.
        case startTLSNotAdvertised
        /// A reply with an unexpected code, after `command`.
        case unexpectedReply(command: String, reply: Int)
        /// A line that is not an SMTP reply, or the connection ended inside one.
        case malformedReply(String)
    }

    var kind: Kind
    var description: String {
        switch kind {
        case .startTLSNotAdvertised: "the server does not advertise STARTTLS"
        case .unexpectedReply(let command, let reply): "\(command) was answered with \(reply)"
        case .malformedReply(let text): "malformed reply: \(text)"
        }
    }
}

/// What the server said about an accepted message.
struct SubmissionReceipt: Sendable {
    /// The reply to the final ".".
    var finalReply: SMTPReply
    /// What the handshake negotiated, as this package saw it.
    var session: TLSSessionInfo?

    /// From `250 2.0.0 Ok: queued as 4XyZ…` (Postfix); nil when the reply does not name one.
    var queueID: String? {
        guard let text = finalReply.lines.first, let marker = text.range(of: "queued as ") else { return nil }
        let id = text[marker.upperBound...].prefix { $0.isLetter || $0.isNumber }
        return id.isEmpty ? nil : String(id)
    }
}

/// Submits one message over STARTTLS the way a ported .NET Compact Framework program would: a `Socket`,
/// `SslHelper` with a deferred handshake, a `StreamReader` over a `NetworkStream` for replies, `Send` for
/// commands. Unlike the blog's loop it reads whole multi-line replies, checks every code, sends a proper
/// `EHLO name`, insists on `STARTTLS` being offered and accepted, and quits politely otherwise.
///
/// Written for these tests; `PostfixExampleAndLoadTests` runs the `smtp-starttls` example program itself.
struct SMTPSubmission {
    /// The certificate name to check (also what `SslHelper` gets).
    var serverName: String
    var port: Int
    /// Trusted for this socket only, like a CA added to a CE device for one program.
    var trustRoot: Certificate
    var clientName = "client.winsockssl.test"
    var sender = "sender@client.winsockssl.test"
    var recipient = "recipient@example.test"
    /// `Socket.ReceiveTimeout` in milliseconds; also bounds the handshake.
    var receiveTimeout = 10_000

    /// Called when the server has said 220 to STARTTLS, just before the handshake.
    var beforeHandshake: () -> Void = {}
    /// Called once the handshake succeeded, before anything is sent over TLS.
    var afterHandshake: (Socket) -> Void = { _ in }

    /// Sends `message` (headers, blank line, body; `\r\n` line ends) and returns the server's receipt.
    /// Throws `SocketException` (or `IOException` wrapping one) for transport and TLS failures and
    /// `SMTPProtocolError` for replies it cannot continue from.
    func send(_ message: String) throws -> SubmissionReceipt {
        let s = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        defer { s.Close() }
        s.ReceiveTimeout = int(receiveTimeout)
        s.SendTimeout = int(receiveTimeout)
        s.core.addTrustRoot(trustRoot)
        return try using(SslHelper(s, serverName, true)) { helper in
            try s.Connect(IPEndPoint(IPAddress.Loopback, port))
            let sr = StreamReader(try NetworkStream(s), Encoding.ASCII)
            let session = SMTPSession(s, sr)

            try session.expect(220, after: nil)
            let capabilities = try session.command("EHLO \(clientName)", expecting: 250)
            guard capabilities.lines.dropFirst().contains(where: { $0.uppercased() == "STARTTLS" }) else {
                try? session.quit()
                throw SMTPProtocolError(kind: .startTLSNotAdvertised)
            }
            let goAhead = try session.command("STARTTLS")
            guard goAhead.code == 220 else {
                try? session.quit()
                throw SMTPProtocolError(kind: .unexpectedReply(command: "STARTTLS", reply: goAhead.code))
            }
            beforeHandshake()
            try helper.DoHandshake()
            afterHandshake(s)

            // RFC 3207: forget what was learnt before TLS and ask again.
            _ = try session.command("EHLO \(clientName)", expecting: 250)
            _ = try session.command("MAIL FROM:<\(sender)>", expecting: 250)
            _ = try session.command("RCPT TO:<\(recipient)>", expecting: 250)
            _ = try session.command("DATA", expecting: 354)
            try session.sendData(message)
            let accepted = try session.expect(250, after: "end of data")
            try? session.quit()
            return SubmissionReceipt(finalReply: accepted, session: s.core.sessionInfo)
        }
    }
}

/// The command/reply half of SMTP over any transport: a .NET `Socket` read through a `StreamReader`, or
/// the native `StreamSocket` and then the `SecureConnection` (see `NativeSMTPSubmission`).
struct SMTPSession {
    let readLine: () throws -> String?
    let write: ([UInt8]) throws -> Void

    init(readLine: @escaping () throws -> String?, write: @escaping ([UInt8]) throws -> Void) {
        self.readLine = readLine
        self.write = write
    }

    /// Over a .NET `Socket`, replies read with `sr`, commands sent with `Send`.
    init(_ s: Socket, _ sr: StreamReader) {
        self.init(readLine: { try sr.ReadLine() }, write: { _ = try s.Send($0) })
    }

    func readReply() throws -> SMTPReply {
        try SMTPReply.read { try readLine() }
    }

    /// Sends `text` and CRLF, then reads the reply.
    func command(_ text: String) throws -> SMTPReply {
        try write(Encoding.ASCII.GetBytes(text + "\r\n"))
        return try readReply()
    }

    /// Sends `text` and requires the reply to carry `code`.
    @discardableResult
    func command(_ text: String, expecting code: Int) throws -> SMTPReply {
        try write(Encoding.ASCII.GetBytes(text + "\r\n"))
        return try expect(code, after: String(text.prefix { $0 != ":" && $0 != " " }))
    }

    @discardableResult
    func expect(_ code: Int, after command: String?) throws -> SMTPReply {
        let reply = try readReply()
        guard reply.code == code else {
            throw SMTPProtocolError(kind: .unexpectedReply(command: command ?? "the greeting", reply: reply.code))
        }
        return reply
    }

    /// The message with dot-stuffing (RFC 5321 section 4.5.2), then the lone ".".
    func sendData(_ message: String) throws {
        var text = message.hasSuffix("\r\n") ? message : message + "\r\n"
        text = text.split(separator: "\r\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(".") ? "." + $0 : String($0) }
            .joined(separator: "\r\n")
        try write(Encoding.ASCII.GetBytes(text + ".\r\n"))
    }

    func quit() throws {
        _ = try command("QUIT")
    }
}
