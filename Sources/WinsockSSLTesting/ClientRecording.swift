import WinsockSSL

/// What one client did during a `ScriptedSTARTTLSServer` conversation: a snapshot, taken when read.
public struct ClientRecording: Sendable {
    /// The client's address and port.
    public let remoteEndpoint: SocketEndpoint?
    /// Every line the client sent before the handshake, without its `\r\n` or `\n`.
    public let plaintextLines: [String]
    /// Every decrypted byte the client sent after the handshake, exactly as received (terminators included),
    /// even bytes the script had not asked for yet when the conversation ended.
    public let tlsBytes: [UInt8]
    /// Where the client strayed from the script, in order: `step 2: expected "EHLO", client sent "ehlo host"`.
    /// Steps are numbered from 1. Failures caused by `stop()` are not divergences.
    public let divergences: [String]
    /// Whether the TLS handshake completed.
    public let completedTLS: Bool
    /// The negotiated protocol, as OpenSSL names it ("TLSv1.3").
    public let negotiatedVersion: String?
    /// The negotiated cipher, as OpenSSL names it.
    public let negotiatedCipher: String?
    /// The server name the client asked for in its ClientHello (SNI), nil when it sent none, as CE never did.
    public let serverName: String?
    /// The ClientHello of a client that started a handshake where the script expected plain text (it is not
    /// in `plaintextLines`; the divergence describes it).
    public let unexpectedClientHello: TLSClientHello?
    /// Whether every step of the transcript ran (with `.continueScript`, possibly with divergences).
    public let completedScript: Bool
    /// Whether the conversation is over and the connection closed.
    public let isFinished: Bool
    /// The conversation as `S: `/`C: ` lines (`S (TLS): ` after the handshake, `S (raw): ` for `.sendRaw`),
    /// with `!! ` before divergences and `-- ` before events such as the handshake. Bytes outside printable
    /// ASCII are escaped (`\r`, `\t`, `\xNN`, and `\\` for a backslash), so every byte that crossed the wire
    /// shows; a ClientHello shows as `C: <a TLS ClientHello, …>`.
    public let log: String

    /// `tlsBytes` as UTF-8.
    public var tlsText: String { String(decoding: tlsBytes, as: UTF8.self) }

    /// `tlsBytes` split into lines without their `\r\n` or `\n`; a last line without a terminator is included.
    public var tlsLines: [String] {
        lines(of: tlsBytes)
    }

    /// True when the whole script ran and the client never strayed from it.
    public var followedScript: Bool { completedScript && divergences.isEmpty }
}

/// The mutable recording one handler thread builds; snapshots become `ClientRecording`s.
struct RecordingInProgress {
    var remoteEndpoint: SocketEndpoint?
    var plaintextLines: [String] = []
    var tlsBytes: [UInt8] = []
    var divergences: [String] = []
    var negotiatedVersion: String?
    var negotiatedCipher: String?
    var serverName: String?
    var unexpectedClientHello: TLSClientHello?
    var completedTLS = false
    var completedScript = false
    var isFinished = false
    var logLines: [String] = []

    var snapshot: ClientRecording {
        ClientRecording(remoteEndpoint: remoteEndpoint, plaintextLines: plaintextLines, tlsBytes: tlsBytes,
                        divergences: divergences, completedTLS: completedTLS, negotiatedVersion: negotiatedVersion,
                        negotiatedCipher: negotiatedCipher, serverName: serverName,
                        unexpectedClientHello: unexpectedClientHello, completedScript: completedScript, isFinished: isFinished,
                        log: logLines.map { $0 + "\n" }.joined())
    }

    /// Logs what the server sent, one log line per line of text.
    mutating func logSent(_ bytes: [UInt8], tls: Bool, raw: Bool) {
        let prefix = raw ? "S (raw): " : tls ? "S (TLS): " : "S: "
        logLines += Self.lines(of: bytes, raw: raw).map { prefix + $0 }
    }

    /// Logs one line the client sent (its terminator already removed), escaped.
    mutating func logReceived(_ line: [UInt8], tls: Bool) {
        let prefix = tls ? "C (TLS): " : "C: "
        logLines += Self.splitForLog(line).map { prefix + escaped($0, quotes: false) }
    }

    mutating func diverge(_ message: String) {
        divergences.append(message)
        logLines.append("!! " + message)
    }

    mutating func note(_ event: String) {
        logLines.append("-- " + event)
    }

    /// Lines without terminators, escaped; raw bytes fully escaped and quoted so the log shows exactly what went out.
    private static func lines(of bytes: [UInt8], raw: Bool) -> [String] {
        raw ? [quoted(bytes)] : splitLines(bytes).map { escaped($0, quotes: false) }
    }

    /// A received "line" may hold several (bytes that ended the conversation); each gets its own log line.
    private static func splitForLog(_ bytes: [UInt8]) -> [[UInt8]] {
        let parts = splitLines(bytes)
        return parts.isEmpty ? [[]] : parts
    }
}

/// `bytes` split at `\n`, each line without its `\n` or `\r\n`; a last line without a terminator is included.
/// Split as bytes, not as a `String`, where `\r\n` is one `Character`.
func lines(of bytes: [UInt8]) -> [String] {
    splitLines(bytes).map { String(decoding: $0, as: UTF8.self) }
}

/// `lines(of:)` as bytes.
func splitLines(_ bytes: [UInt8]) -> [[UInt8]] {
    var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
        Array(line.last == UInt8(ascii: "\r") ? line.dropLast() : line)
    }
    if lines.last?.isEmpty == true { lines.removeLast() }
    return lines
}
