import NetCF

/// One SMTP reply: a three-digit code and its lines without the code, e.g. `250-PIPELINING` … `250 OK`.
struct SmtpReply {
    /// The three-digit code (RFC 5321 section 4.2).
    let code: Int
    /// Every line exactly as the server sent it, code included.
    let lines: [String]

    /// The text after the code on each line: the EHLO capabilities, for instance.
    var texts: [String] { lines.map { $0.Length > 4 ? (try? $0.Substring(4)) ?? "" : "" } }

    /// The last line, for messages ("454 4.7.0 TLS not available").
    var lastLine: String { lines.last ?? "" }

    /// Reads one complete reply: lines whose fourth character is `-` continue it, and the first line whose
    /// fourth character is a space (or that is just the code) ends it.
    ///
    /// Blocks, each line bounded by the socket's `ReceiveTimeout`. Throws `SmtpFailure` when the server
    /// closes the connection or sends something that is not an SMTP reply, naming `step`.
    static func Read(_ sr: StreamReader, step: String) throws -> SmtpReply {
        var lines: [String] = []
        var line: String? = nil
        while true {
            guard try assign(&line, sr.ReadLine()) != nil, let line else {
                let after = lines.isEmpty ? "" : " in the middle of its reply (last line \"\(lines.last!)\")"
                throw SmtpFailure(step, "the server closed the connection\(after)")
            }
            lines.append(line)
            guard let code = Self.code(of: line), code == Self.code(of: lines[0]) else {
                throw SmtpFailure(step, "the server's reply is not SMTP: \"\(line)\"")
            }
            if line.Length == 3 || line.StartsWith("\(code) ") {
                return SmtpReply(code: code, lines: lines)
            }
            guard line.StartsWith("\(code)-") else {
                throw SmtpFailure(step, "the server's reply is not SMTP: \"\(line)\"")
            }
        }
    }

    /// The three-digit code that starts `line` (2xx to 5xx), or nil.
    private static func code(of line: String) -> Int? {
        let digits = line.utf8.prefix(3)
        guard digits.count == 3, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let code = Int(String(decoding: digits, as: UTF8.self)), (200...599).contains(code) else { return nil }
        return code
    }
}

/// Why the submission stopped: the step (`EHLO`, `STARTTLS`, `RCPT TO:<a@b>`) and what went wrong there,
/// with the server's reply when there was one. Prints as one line.
struct SmtpFailure: Error, CustomStringConvertible {
    let step: String
    let problem: String

    init(_ step: String, _ problem: String) {
        self.step = step
        self.problem = problem
    }

    /// A reply with an unexpected code.
    init(_ step: String, expected: String, got reply: SmtpReply) {
        self.init(step, "expected \(expected), the server replied \"\(reply.lastLine)\"")
    }

    var description: String { "\(step): \(problem)" }
}
