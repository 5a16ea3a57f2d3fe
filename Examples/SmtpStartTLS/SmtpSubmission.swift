import NetCF

/// A mail submission over STARTTLS (RFC 6409 on port 587, RFC 3207 for STARTTLS), written with the same
/// .NET names as the 2009 blog's example — `Socket`, `SslHelper` with a deferred handshake, `NetworkStream`,
/// `StreamReader` — but finished: every reply is read whole and its code checked, and nothing but
/// `EHLO`, `STARTTLS` and `QUIT` ever goes out before the handshake.
///
/// ```swift
/// let submission = SmtpSubmission(server: "mail.example.com", port: 587, ehloName: "laptop.example.com",
///                                 timeoutSeconds: 30)
/// let queued = try submission.Send(message)   // "250 2.0.0 Ok: queued as 4F1C2"
/// ```
final class SmtpSubmission {
    /// The name to connect to, and the name the server's certificate must carry.
    let server: String
    let port: Int
    /// What follows `EHLO`: this machine's name.
    let ehloName: String
    /// Bounds every send, every reply line and the handshake (`SendTimeout`/`ReceiveTimeout`).
    let timeoutSeconds: Int
    /// Told when a step that no socket timeout bounds starts (resolving, connecting), and `nil` once the
    /// socket's own timeouts take over, so a watchdog can bound the rest.
    var onUnboundedStep: (String?) -> Void = { _ in }

    private var s: Socket! = nil
    private var sr: StreamReader! = nil

    init(server: String, port: Int, ehloName: String, timeoutSeconds: Int) {
        self.server = server
        self.port = port
        self.ehloName = ehloName
        self.timeoutSeconds = timeoutSeconds
    }

    /// Connects, secures the connection with STARTTLS and submits `message`; returns the server's reply to
    /// the end of the data ("250 2.0.0 Ok: queued as …"). Throws `SmtpFailure` naming the step that failed.
    func Send(_ message: MailMessage) throws -> String {
        let helper = try Connect()
        defer { s.Close() }
        return try using(helper) { helper in
            sr = StreamReader(try NetworkStream(s), Encoding.ASCII)
            try Expect(220, step: "banner")
            try StartTLS(helper)
            // RFC 3207 section 4.2: what the server said before TLS may have been forged, so ask again.
            let capabilities = try Ehlo(step: "EHLO over TLS")
            let queued = try Transfer(message, eightBitMIME: capabilities.contains("8BITMIME"))
            Quit()
            return queued
        }
    }

    // MARK: Steps

    /// Resolves the server and connects to its addresses in turn, each on a new socket made secure with a
    /// deferred handshake before `Connect` (the provider accepts `SO_SECURE` and its flags only then).
    private func Connect() throws -> SslHelper {
        onUnboundedStep("resolving \(server)")
        let IPhst: IPHostEntry
        do {
            IPhst = try Dns.GetHostEntry(server)
        } catch {
            throw SmtpFailure("resolving \(server)", describe(error))
        }
        var failures: [String] = []
        for address in IPhst.AddressList {
            let endPt = IPEndPoint(address, port)
            onUnboundedStep("connecting to \(endPt)")
            do {
                let (socket, helper) = try Open(endPt)
                onUnboundedStep(nil)
                s = socket
                return helper
            } catch {
                failures.append("\(endPt): \(describe(error))")
            }
        }
        throw SmtpFailure("connecting to \(server) port \(port)", failures.isEmpty ? "the name has no address" : failures.joined(separator: "; "))
    }

    /// One connection attempt: a socket with SslHelper's hook and deferred handshake, the timeouts, `Connect`.
    /// The socket is closed again when any of it fails.
    private func Open(_ endPt: IPEndPoint) throws -> (Socket, SslHelper) {
        let socket = try Socket(endPt.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
        do {
            let helper = try SslHelper(socket, server, true)
            socket.ReceiveTimeout = int(clamping: timeoutSeconds * 1000)
            socket.SendTimeout = int(clamping: timeoutSeconds * 1000)
            try socket.Connect(endPt)
            return (socket, helper)
        } catch {
            socket.Close()
            throw error
        }
    }

    /// `EHLO`, then `STARTTLS` if the server offers it, then the handshake. Fails closed: without an
    /// offer, or with any reply but 220, the client quits instead of sending anything in plain text.
    private func StartTLS(_ helper: SslHelper) throws {
        let capabilities = try Ehlo(step: "EHLO")
        guard capabilities.contains("STARTTLS") else {
            Quit()
            throw SmtpFailure("EHLO", "the server does not offer STARTTLS, so the mail would travel unencrypted; giving up")
        }
        let reply = try Command("STARTTLS")
        guard reply.code == 220 else {
            Quit()
            throw SmtpFailure("STARTTLS", "the server did not agree to start TLS (expected 220), it replied \"\(reply.lastLine)\"")
        }
        do {
            // The provider refuses to start while plain text is waiting (an injected reply, CVE-2011-0411
            // style), and checks the certificate against `server` through SslHelper's hook.
            try helper.DoHandshake()
        } catch {
            throw SmtpFailure("TLS handshake", describeHandshakeFailure(error))
        }
    }

    /// Sends `EHLO` and returns the capability keywords in upper case ("STARTTLS", "SIZE", "8BITMIME").
    private func Ehlo(step: String) throws -> Set<String> {
        let reply = try Command("EHLO \(ehloName)", step: step)
        guard reply.code == 250 else {
            Quit()
            throw SmtpFailure(step, expected: "250", got: reply)
        }
        // The first line greets; the rest are keywords with optional parameters ("SIZE 35882577").
        return Set(reply.texts.dropFirst().compactMap { $0.Split(" ").first?.ToUpper() })
    }

    /// `MAIL FROM`, one `RCPT TO` per recipient, `DATA`, the message, `.`; returns the final reply line.
    private func Transfer(_ message: MailMessage, eightBitMIME: Bool) throws -> String {
        var mailFrom = "MAIL FROM:<\(message.from)>"
        if message.needs8Bit {
            guard eightBitMIME else {
                Quit()
                throw SmtpFailure("MAIL FROM", "the body is not ASCII and the server does not offer 8BITMIME")
            }
            mailFrom += " BODY=8BITMIME"
        }
        try Expect(250, command: mailFrom, step: "MAIL FROM:<\(message.from)>")
        for recipient in message.to {
            // 251: "user not local; will forward", still an acceptance (RFC 5321 section 3.4).
            let reply = try Command("RCPT TO:<\(recipient)>", step: "RCPT TO:<\(recipient)>")
            guard reply.code == 250 || reply.code == 251 else {
                Quit()
                throw SmtpFailure("RCPT TO:<\(recipient)>", expected: "250", got: reply)
            }
        }
        try Expect(354, command: "DATA", step: "DATA")
        // One Send for the whole message: the server reads lines, not packets.
        let data = message.dataLines.map { $0 + "\r\n" }.joined() + ".\r\n"
        try Write(data, step: "sending the message", encoding: message.needs8Bit ? Encoding.UTF8 : Encoding.ASCII)
        let reply = try ReadReply(step: "end of data")
        guard reply.code == 250 else {
            Quit()
            throw SmtpFailure("end of data", expected: "250 (message accepted)", got: reply)
        }
        return reply.lastLine
    }

    /// `QUIT`, reading the 221 if it comes. The mail is already accepted or abandoned, so a failure here
    /// changes nothing and is not reported.
    private func Quit() {
        _ = try? Command("QUIT")
    }

    // MARK: Lines

    /// Sends `line` with CRLF and reads the whole reply. `step` names it in failures (default: the verb).
    private func Command(_ line: String, step: String? = nil) throws -> SmtpReply {
        let step = step ?? line.Split(" ").first ?? line
        try Write(line + "\r\n", step: step)
        return try ReadReply(step: step)
    }

    /// Sends `command` (if any) and requires a reply with `code`; any other reply quits and fails.
    private func Expect(_ code: Int, command: String? = nil, step: String) throws {
        if let command { try Write(command + "\r\n", step: step) }
        let reply = try ReadReply(step: step)
        guard reply.code == code else {
            Quit()
            throw SmtpFailure(step, expected: "\(code)", got: reply)
        }
    }

    /// One whole reply; a timeout or a broken connection becomes a failure of `step`.
    private func ReadReply(step: String) throws -> SmtpReply {
        do {
            return try SmtpReply.Read(sr, step: step)
        } catch let failure as SmtpFailure {
            throw failure
        } catch {
            throw SmtpFailure(step, describe(error))
        }
    }

    /// Sends all of `text`, bounded by `SendTimeout`.
    private func Write(_ text: String, step: String, encoding: Encoding = Encoding.ASCII) throws {
        do {
            try s.Send(encoding.GetBytes(text))
        } catch {
            throw SmtpFailure(step, describe(error))
        }
    }

    // MARK: Errors in words

    /// A socket or stream failure as one readable phrase; a timeout says how long it waited.
    private func describe(_ error: any Error) -> String {
        switch error {
        case let failure as SmtpFailure:
            return failure.problem
        case let e as SocketException where e.SocketErrorCode == SocketError.TimedOut:
            return "no answer within \(timeoutSeconds) s (\(e.Message))"
        case let e as SocketException:
            return e.Message
        case let e as IOException:
            return e.InnerException.map(describe) ?? e.Message
        case let e as any DotNetException:
            return e.description
        default:
            return "\(error)"
        }
    }

    /// Handshake failures, with the certificate problem first: SslHelper's hook returns an `SSL_ERR_*`
    /// value, which the provider reports as 10053 (WSAECONNABORTED) with OpenSSL's reason.
    private func describeHandshakeFailure(_ error: any Error) -> String {
        guard let e = error as? SocketException, e.CertificateHookResult != nil else { return describe(error) }
        let reason = e.VerificationFailure.map { " (\($0))" } ?? ""
        return "the server's certificate for \"\(server)\" was rejected\(reason): \(e.Message)"
    }
}
