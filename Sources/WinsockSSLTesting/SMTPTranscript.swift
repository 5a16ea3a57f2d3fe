/// Ready-made SMTP conversations for testing a real SMTP client, plus the pieces they are built from, so a
/// variant (STARTTLS missing, refused, answered with nonsense) is one line of `+`.
///
/// Client-chosen text is matched with `.expectCommand` (SMTP verbs are case-insensitive) and the message with
/// `.expectMessageBody`, so any correct client follows these scripts; what it actually sent is in its
/// `ClientRecording`.
extension Transcript {
    /// The EHLO capabilities of a typical submission server (port 587) before TLS.
    public static let defaultSMTPCapabilities = ["PIPELINING", "SIZE 35882577", "8BITMIME", "ENHANCEDSTATUSCODES", "STARTTLS"]

    /// `banner`, then `EHLO <anything>` answered by a multi-line 250: `"<hostname> Hello"`, then `capabilities`.
    public static func smtpGreeting(banner: String = "220 smtp.example.test ESMTP ready",
                                    hostname: String = "smtp.example.test",
                                    capabilities: [String] = defaultSMTPCapabilities) -> Transcript {
        Transcript([
            .send(banner + "\r\n"),
            .expectCommand("EHLO "),
            .send(multilineReply(code: 250, ["\(hostname) Hello"] + capabilities)),
        ])
    }

    /// `STARTTLS` answered by `reply`, then the handshake when the reply is a 220 and nothing more otherwise.
    public static func smtpSTARTTLS(reply: String = "220 2.0.0 Ready to start TLS") -> Transcript {
        let handshake: [Step] = reply.hasPrefix("220") ? [.startTLS] : []
        return Transcript([.expectCommand("STARTTLS"), .send(reply + "\r\n")] + handshake)
    }

    /// One message: `MAIL FROM:`, `recipients` × `RCPT TO:`, `DATA`, the body up to ".", each answered with success.
    public static func smtpMessage(recipients: Int = 1) -> Transcript {
        Transcript([.expectCommand("MAIL FROM:"), .send("250 2.1.0 Ok\r\n")]
            + Array(repeating: [.expectCommand("RCPT TO:"), .send("250 2.1.5 Ok\r\n")], count: recipients).flatMap { $0 }
            + [.expectCommand("DATA"), .send("354 End data with <CR><LF>.<CR><LF>\r\n"),
               .expectMessageBody, .send("250 2.0.0 Ok: queued\r\n")])
    }

    /// `QUIT` answered by 221, then an orderly close.
    public static let smtpQuit = Transcript([.expectCommand("QUIT"), .send("221 2.0.0 Bye\r\n"), .close])

    /// A complete submission over STARTTLS: greeting and EHLO, STARTTLS, handshake, EHLO again (answered with
    /// `capabilitiesAfterTLS`), one message, QUIT. `startTLSReply` is meant to be a 220 variant; for a refusal use
    /// `smtpSTARTTLSNotAccepted`.
    public static func smtpSubmission(banner: String = "220 smtp.example.test ESMTP ready",
                                      hostname: String = "smtp.example.test",
                                      capabilities: [String] = defaultSMTPCapabilities,
                                      startTLSReply: String = "220 2.0.0 Ready to start TLS",
                                      capabilitiesAfterTLS: [String] = ["PIPELINING", "SIZE 35882577", "8BITMIME", "AUTH PLAIN LOGIN"],
                                      recipients: Int = 1) -> Transcript {
        smtpGreeting(banner: banner, hostname: hostname, capabilities: capabilities)
            + smtpSTARTTLS(reply: startTLSReply)
            + Transcript([.expectCommand("EHLO "), .send(multilineReply(code: 250, ["\(hostname) Hello"] + capabilitiesAfterTLS))])
            + smtpMessage(recipients: recipients)
            + smtpQuit
    }

    /// A server that does not advertise STARTTLS: a client that insists on TLS must give up with `QUIT`
    /// (sending `STARTTLS` anyway, or mail in clear text, is a divergence).
    public static func smtpWithoutSTARTTLS(banner: String = "220 smtp.example.test ESMTP ready",
                                           hostname: String = "smtp.example.test",
                                           capabilities: [String] = ["PIPELINING", "SIZE 35882577", "8BITMIME"]) -> Transcript {
        smtpGreeting(banner: banner, hostname: hostname, capabilities: capabilities) + smtpQuit
    }

    /// A server that advertises STARTTLS but answers it with `reply` instead of 220 — a `454` refusal or a
    /// nonsense `354` — after which a correct client must not start a handshake and quits.
    public static func smtpSTARTTLSNotAccepted(reply: String = "454 4.7.0 TLS not available due to local problem",
                                               banner: String = "220 smtp.example.test ESMTP ready",
                                               hostname: String = "smtp.example.test",
                                               capabilities: [String] = defaultSMTPCapabilities) -> Transcript {
        precondition(!reply.hasPrefix("220"), "a 220 reply accepts STARTTLS; use smtpSubmission")
        return smtpGreeting(banner: banner, hostname: hostname, capabilities: capabilities)
            + smtpSTARTTLS(reply: reply)
            + smtpQuit
    }
}
