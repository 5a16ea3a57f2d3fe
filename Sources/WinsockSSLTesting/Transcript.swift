/// What a `ScriptedSTARTTLSServer` says and expects, step by step, on each connection.
///
/// Every connection starts in plain text; `.startTLS` switches it to TLS, after which `.send` encrypts and the
/// `expect` steps read decrypted lines. Steps run in order; the conversation ends after the last step, at
/// `.close` or `.reset`, or at the first divergence (see `ScriptedSTARTTLSServer.DivergencePolicy`). Ending
/// without `.close` or `.reset` closes the connection as `.close` does.
public struct Transcript: Sendable, Equatable {
    public enum Step: Sendable, Equatable {
        /// Sends the text exactly as given (write the `"\r\n"` yourself): plain before `.startTLS`, encrypted after.
        case send(String)
        /// Sends the bytes exactly as given: plain before `.startTLS`, encrypted after (`.send` for bytes that
        /// need not be text, as a replayed recording has them).
        case sendBytes([UInt8])
        /// Writes the bytes straight to TCP, never encrypted, even after `.startTLS`: for attack tests such as
        /// plain text injected right after the `220` to STARTTLS, or garbage in the middle of the TLS stream.
        case sendRaw([UInt8])
        /// One line the client must send, compared exactly without its `\r\n` or `\n`.
        case expect(String)
        /// One line that must start with the given text (case-sensitive).
        case expectPrefix(String)
        /// One line that must start with the given command, ignoring ASCII case, because SMTP verbs are
        /// case-insensitive (Python's `smtplib` sends `ehlo host`, `mail FROM:<…>`). `"MAIL FROM:"` matches
        /// `mail from:<a@b>`.
        case expectCommand(String)
        /// Any one line.
        case expectAny
        /// Lines up to and including a lone `"."`: an SMTP `DATA` body. The client's lines are recorded as sent
        /// (dot-stuffing is left in).
        case expectMessageBody
        /// Reads and records everything until the client closes the connection. Not a divergence when it closes;
        /// one when it stays silent longer than the server's `ioTimeout`.
        case awaitClose
        /// The client must send nothing more and close the connection (FIN, close_notify, or a reset). A divergence
        /// when it sends anything instead (the divergence shows what, escaped, or describes the ClientHello of
        /// a client that starts a handshake anyway), or stays connected longer than the server's `ioTimeout`.
        case expectClose
        /// Performs the server side of the TLS handshake on the same connection.
        case startTLS
        /// Orderly close: a TLS close_notify (after `.startTLS`), then a TCP FIN. Ends the conversation.
        case close
        /// Aborts the connection with a TCP RST. Ends the conversation.
        case reset
        /// Sleeps, for timeout tests.
        case pause(Duration)
    }

    public var steps: [Step]

    public init(_ steps: [Step]) {
        self.steps = steps
    }

    /// A script that plays the server's side of a recorded conversation: what the server sent, as it sent it;
    /// each line the client sent as an `.expect`; `.startTLS` where TLS started; `.expectClose` where the client
    /// closed first and `.close` where the server did.
    ///
    /// Lines are compared exactly, so a port that words a command differently from the original diverges;
    /// edit the steps (for example to `.expectCommand("EHLO ")`) where the original's text is not the point.
    public init(replaying conversation: RecordedConversation) {
        var steps: [Step] = []
        var pending: [UInt8] = []
        func expectLines(final: Bool) {
            var lines = splitKeepingTerminators(pending)
            pending = []
            if !final, let last = lines.last, last.last != UInt8(ascii: "\n") { pending = last; lines.removeLast() }
            steps += lines.map { .expect(String(decoding: stripTerminator($0), as: UTF8.self)) }
        }
        for event in conversation.events {
            switch event {
            case .clientSent(let bytes):
                pending += bytes
                expectLines(final: false)
            case .serverSent(let bytes):
                expectLines(final: true)
                if case .sendBytes(let earlier)? = steps.last {
                    steps[steps.count - 1] = .sendBytes(earlier + bytes)
                } else {
                    steps.append(.sendBytes(bytes))
                }
            case .tlsStarted:
                expectLines(final: true)
                steps.append(.startTLS)
            case .clientClosed:
                expectLines(final: true)
                steps.append(.expectClose)
            case .serverClosed:
                expectLines(final: true)
                steps.append(.close)
            }
        }
        expectLines(final: true)
        self.init(steps)
    }

    /// `init(replaying:)` for the transcript file at `path` (see `RecordedConversation` for the format).
    public init(replayingFile path: String) throws {
        self.init(replaying: try RecordedConversation(contentsOfFile: path))
    }

    /// The steps of `lhs`, then those of `rhs`.
    public static func + (lhs: Transcript, rhs: Transcript) -> Transcript {
        Transcript(lhs.steps + rhs.steps)
    }

    /// The SMTP conversation printed in the 2009 blog post ("SSL with deferred handshake and STARTTLS"), byte for
    /// byte as far as the client can see: the hotmail banner, a bare `EHLO` (anything else is a divergence), the
    /// multi-line reply ending in `250 OK`, `STARTTLS`, `220 2.0.0 SMTP server ready`, the handshake; then the
    /// server waits for the client to close, as the blog's client only prints "success" and disposes.
    ///
    /// The banner has two ASCII spaces after "at", as IIS SMTP sends it; the web page shows the first as a
    /// non-breaking space, an artefact of HTML rendering that never was on the wire.
    public static let blog2009 = Transcript([
        .send("220 BLU0-SMTP8.blu0.hotmail.com Microsoft ESMTP MAIL Service, Version: 6.0.3790.3959 ready at  Mon, 14 Sep 2009 16:44:33 -0700\r\n"),
        .expect("EHLO"),
        .send(multilineReply(code: 250, [
            "BLU0-SMTP8.blu0.hotmail.com Hello [131.107.0.75]",
            "TURN",
            "SIZE 35840000",
            "ETRN",
            "PIPELINING",
            "DSN",
            "ENHANCEDSTATUSCODES",
            "8bitmime",
            "BINARYMIME",
            "CHUNKING",
            "VRFY",
            "TLS",
            "STARTTLS",
            "OK",
        ])),
        .expect("STARTTLS"),
        .send("220 2.0.0 SMTP server ready\r\n"),
        .startTLS,
        .awaitClose,
    ])

    /// A multi-line reply in SMTP form: `"250-first\r\n250-second\r\n250 last\r\n"`. An empty `lines` gives
    /// `"250 \r\n"`.
    public static func multilineReply(code: Int, _ lines: [String]) -> String {
        guard let last = lines.last else { return "\(code) \r\n" }
        return lines.dropLast().map { "\(code)-\($0)\r\n" }.joined() + "\(code) \(last)\r\n"
    }
}

extension Transcript.Step {
    /// How an expectation reads in a divergence ("expected \"EHLO\""); nil for steps that read nothing.
    var expectation: String? {
        switch self {
        case .expect(let line): "expected \(quoted(line))"
        case .expectPrefix(let prefix): "expected a line starting with \(quoted(prefix))"
        case .expectCommand(let command): "expected the command \(quoted(command)) (any case)"
        case .expectAny: "expected a line"
        case .expectMessageBody: "expected a message body ending with a lone \".\""
        case .awaitClose: "expected the client to close the connection"
        case .expectClose: "expected the client to send nothing more and close the connection"
        default: nil
        }
    }

    /// Whether `line` satisfies this step; only meaningful for the single-line expectations.
    func matches(_ line: String) -> Bool {
        switch self {
        case .expect(let expected): line == expected
        case .expectPrefix(let prefix): line.hasPrefix(prefix)
        case .expectCommand(let command): line.utf8.count >= command.utf8.count
            && zip(line.utf8, command.utf8).allSatisfy { asciiLowercase($0) == asciiLowercase($1) }
        case .expectAny: true
        default: false
        }
    }
}

/// Quotes text for a readable message, escaping control characters so a stray `\r` shows.
func quoted(_ text: String) -> String {
    quoted(Array(text.utf8))
}

/// Quotes bytes for a readable message: `escaped`, between double quotes.
func quoted(_ bytes: [UInt8]) -> String {
    "\"" + escaped(bytes) + "\""
}

/// Printable ASCII as is; `\r`, `\n`, `\t`, `\\` and (unless `quotes` is false) `\"` escaped; every other
/// byte as `\xNN`. Escaped text is ASCII and reads back with `unescaped`.
func escaped(_ bytes: some Sequence<UInt8>, quotes: Bool = true) -> String {
    var text = ""
    for byte in bytes {
        switch byte {
        case UInt8(ascii: "\r"): text += "\\r"
        case UInt8(ascii: "\n"): text += "\\n"
        case UInt8(ascii: "\t"): text += "\\t"
        case UInt8(ascii: "\\"): text += "\\\\"
        case UInt8(ascii: "\"") where quotes: text += "\\\""
        case 0x20..<0x7F: text.unicodeScalars.append(Unicode.Scalar(byte))
        default:
            let hex = String(byte, radix: 16, uppercase: true)
            text += "\\x" + (hex.count == 1 ? "0" + hex : hex)
        }
    }
    return text
}

private func asciiLowercase(_ byte: UInt8) -> UInt8 {
    (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
}
