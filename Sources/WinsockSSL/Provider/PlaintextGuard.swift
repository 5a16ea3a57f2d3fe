/// Something that holds bytes it read from a socket but has not yet handed to the program, such as a
/// `StreamReader`'s buffer.
///
/// Before a deferred handshake the socket asks every registered holder how much it holds: plain text
/// still waiting when TLS starts is exactly what a STARTTLS response-injection attack leaves behind
/// (see "NO STARTTLS", USENIX Security 2021), and it must never be read afterwards as if it had arrived
/// encrypted.
public protocol BufferedPlaintextHolder: AnyObject, Sendable {
    /// Bytes held that have not been handed out; nil when the holder is in use by another thread and
    /// cannot answer (the handshake then fails rather than guess).
    func bufferedPlaintextByteCount() -> Int?
    /// Throws away what is held, and makes later reads fail instead of returning it.
    func discardBufferedPlaintext()
}

/// The plain-text checks made before a deferred handshake.
enum PlaintextGuard {
    struct WeakHolder: Sendable {
        weak var holder: (any BufferedPlaintextHolder)?
    }

    /// The error for plain text found where TLS was due. `count` is how many bytes were found (defaults to
    /// the preview's length) and `preview` the first of them, when they can be shown.
    static func injectionError(preview: [UInt8], count: Int? = nil, whereFound: String) -> WinsockError {
        let total = count ?? preview.count
        let shown = preview.isEmpty ? "" : " (\(quote(preview))\(total > preview.count ? "…" : ""))"
        return WinsockError(.connectionAborted,
                            "refusing the TLS handshake: \(total)\(count == nil && preview.count >= 64 ? "+" : "") bytes of plain text arrived \(whereFound)\(shown); "
                            + "a STARTTLS server must send nothing after its go-ahead reply, so this is either a broken server or an injection attack")
    }

    /// Printable ASCII as is, everything else escaped, cut at 64 bytes.
    static func quote(_ bytes: [UInt8]) -> String {
        var text = "\""
        for byte in bytes.prefix(64) {
            switch byte {
            case 0x0d: text += "\\r"
            case 0x0a: text += "\\n"
            case 0x22: text += "\\\""
            case 0x5c: text += "\\\\"
            case 0x20...0x7e: text.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = String(byte, radix: 16)
                text += "\\x" + (digits.count == 1 ? "0" : "") + digits
            }
        }
        return text + "\""
    }
}
