import Foundation

/// The message sent after `DATA`: a minimal RFC 5322 header and a plain-text body, ready for the wire.
struct MailMessage {
    var from: String
    var to: [String]
    var subject: String
    var body: String
    /// Where the Message-ID's right-hand side comes from (the EHLO name).
    var domain: String
    var date = Date()

    /// Whether the body needs 8-bit transport (RFC 6152 `BODY=8BITMIME`); headers are always ASCII.
    var needs8Bit: Bool { !body.utf8.allSatisfy { $0 < 0x80 } }

    /// The header lines, without line endings.
    var headerLines: [String] {
        var lines = [
            "From: <\(from)>",
            "To: " + to.map { "<\($0)>" }.joined(separator: ", "),
            "Subject: " + Self.encodedWord(subject),
            "Date: " + Self.rfc5322Date(date),
            "Message-ID: <\(UInt64.random(in: .min ... .max).hex).\(UInt32(Int(date.timeIntervalSince1970) & 0xffff_ffff).hex)@\(domain)>",
            "MIME-Version: 1.0",
        ]
        if needs8Bit {
            lines += ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit"]
        } else {
            lines += ["Content-Type: text/plain; charset=us-ascii", "Content-Transfer-Encoding: 7bit"]
        }
        return lines
    }

    /// The body split into lines at CRLF, LF or CR, so the wire gets CRLF whatever the input used.
    var bodyLines: [String] {
        var text = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        if text.hasSuffix("\n") { text.removeLast() }
        return text.isEmpty ? [] : text.components(separatedBy: "\n")
    }

    /// Everything between `DATA`'s 354 and the terminating `.`: header, blank line, body; every line
    /// dot-stuffed (RFC 5321 section 4.5.2), so a body line "." cannot end the message early.
    var dataLines: [String] {
        (headerLines + [""] + bodyLines).map { $0.hasPrefix(".") ? "." + $0 : $0 }
    }

    /// The subject as is when it is printable ASCII, otherwise as an RFC 2047 encoded word; either way CR
    /// and LF cannot reach the header, where they would start a header of the user's choosing.
    static func encodedWord(_ text: String) -> String {
        if text.utf8.allSatisfy({ (0x20..<0x7f).contains($0) }) { return text }
        return "=?utf-8?B?" + Data(text.utf8).base64EncodedString() + "?="
    }

    /// `Mon, 14 Sep 2009 16:44:33 -0700`, in the local time zone, as RFC 5322 section 3.3 writes dates.
    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}

private extension FixedWidthInteger {
    var hex: String { String(self, radix: 16) }
}
