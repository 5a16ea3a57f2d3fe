import Foundation
import WinsockSSL

/// What a client and a server sent each other on one connection, in order, as `winsockssl-record` (or
/// `ConversationRecorder`) captured it, and as a transcript file holds it.
///
/// ## The transcript file
///
/// Plain text, one event a line, readable and editable without tools:
///
/// ```text
/// # WinsockSSL transcript 1
/// # recorded by winsockssl-record from smtp.live.com:587
/// S: 220 smtp.live.com ESMTP ready\r\n
/// C: EHLO\r\n
/// S: 250-smtp.live.com Hello\r\n
/// S: 250 STARTTLS\r\n
/// C: STARTTLS\r\n
/// S: 220 2.0.0 Ready to start TLS\r\n
/// -- tls sni=none protocol=TLSv1.3 cipher=TLS_AES_256_GCM_SHA384
/// C: QUIT\r\n
/// S: 221 Bye\r\n
/// -- server closed
/// ```
///
/// - The first line is `# WinsockSSL transcript 1`; other lines starting with `#` are comments; blank lines
///   are ignored.
/// - `S: ` is followed by bytes the server sent, `C: ` by bytes the client sent. Printable ASCII stands for
///   itself; `\r`, `\n`, `\t`, `\\` and `\xNN` (two hex digits) stand for the other bytes, so every byte is
///   there exactly, and a trailing space is written `\x20`. A writer starts a new line after each `\n`;
///   consecutive lines of one side are one stream.
/// - `-- tls` marks where TLS started: what follows is the decrypted content. Its fields are the server name
///   the client asked for (`sni="name"`, or `sni=none` — Windows CE never sent one), the protocol and the cipher
///   negotiated with the client.
/// - `-- client closed`, `-- server closed`: who ended the connection first.
public struct RecordedConversation: Sendable, Equatable {
    /// Where TLS started, and what the client asked for there.
    public struct TLSStart: Sendable, Equatable {
        /// The server name the client sent (SNI); nil when it sent none.
        public var serverName: String?
        /// The negotiated protocol, as OpenSSL names it ("TLSv1.3").
        public var protocolVersion: String?
        /// The negotiated cipher, as OpenSSL names it.
        public var cipher: String?

        public init(serverName: String?, protocolVersion: String? = nil, cipher: String? = nil) {
            self.serverName = serverName
            self.protocolVersion = protocolVersion
            self.cipher = cipher
        }
    }

    public enum Event: Sendable, Equatable {
        case serverSent([UInt8])
        case clientSent([UInt8])
        case tlsStarted(TLSStart)
        case clientClosed
        case serverClosed
    }

    /// The events in order; adjacent bytes of one side may be split anywhere.
    public var events: [Event]
    /// Comment lines (without `# `) written after the header, such as where the recording came from.
    public var comments: [String]

    /// The first line of every transcript file.
    public static let header = "# WinsockSSL transcript 1"

    public init(events: [Event], comments: [String] = []) {
        self.events = events
        self.comments = comments
    }

    /// Reads a transcript file. Throws a `TranscriptFileError` naming the line of the first problem.
    public init(contentsOfFile path: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw TranscriptFileError(path: path, line: nil, message: "cannot read the file: \(error.localizedDescription)")
        }
        try self.init(parsing: String(decoding: data, as: UTF8.self), path: path)
    }

    /// Parses the text of a transcript file; `path` only names the file in errors.
    public init(parsing text: String, path: String? = nil) throws {
        var events: [Event] = []
        var comments: [String] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first.map({ $0.trimmingCharacters(in: .whitespaces) == Self.header }) == true else {
            throw TranscriptFileError(path: path, line: 1, message: "a transcript file starts with \(quoted(Self.header))")
        }
        for (index, rawLine) in lines.enumerated().dropFirst() {
            let number = index + 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            func fail(_ message: String) -> TranscriptFileError {
                TranscriptFileError(path: path, line: number, message: message)
            }
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            if line.hasPrefix("#") {
                comments.append(String(line.dropFirst().drop { $0 == " " }))
            } else if line.hasPrefix("S: ") || line.hasPrefix("C: ") {
                guard let bytes = unescaped(line.dropFirst(3)) else {
                    throw fail("bad escape in \(quoted(String(line))); use \\r, \\n, \\t, \\\\ or \\xNN")
                }
                // Consecutive lines of one side are one stream: they become one event.
                switch (line.hasPrefix("S"), events.last) {
                case (true, .serverSent(let earlier)?): events[events.count - 1] = .serverSent(earlier + bytes)
                case (false, .clientSent(let earlier)?): events[events.count - 1] = .clientSent(earlier + bytes)
                case (true, _): events.append(.serverSent(bytes))
                case (false, _): events.append(.clientSent(bytes))
                }
            } else if line == "-- client closed" {
                events.append(.clientClosed)
            } else if line == "-- server closed" {
                events.append(.serverClosed)
            } else if line.hasPrefix("-- tls") {
                guard let start = Self.parseTLSStart(line.dropFirst(6)) else {
                    throw fail("a TLS line reads `-- tls sni=\"name\"|none protocol=… cipher=…`, not \(quoted(String(line)))")
                }
                events.append(.tlsStarted(start))
            } else {
                throw fail("expected `S: `, `C: `, `-- tls`, `-- client closed`, `-- server closed` or a `#` comment, found \(quoted(String(line)))")
            }
        }
        self.init(events: events, comments: comments)
    }

    /// The transcript file's text.
    public var fileText: String {
        var lines = [Self.header] + comments.map { "# " + $0 }
        for event in events {
            switch event {
            case .serverSent(let bytes): lines += Self.chunkLines("S: ", bytes)
            case .clientSent(let bytes): lines += Self.chunkLines("C: ", bytes)
            case .tlsStarted(let start):
                lines.append("-- tls sni=\(start.serverName.map { quoted($0) } ?? "none") protocol=\(start.protocolVersion ?? "?") cipher=\(start.cipher ?? "?")")
            case .clientClosed: lines.append("-- client closed")
            case .serverClosed: lines.append("-- server closed")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes `fileText` to `path`, replacing the file.
    public func write(toFile path: String) throws {
        try Data(fileText.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// Every byte the client sent, with where TLS started, in order: what a port has to reproduce.
    var clientActions: [ClientAction] {
        var actions: [ClientAction] = []
        var pending: [UInt8] = []
        var isTLS = false
        func flush(final: Bool) {
            var lines = splitKeepingTerminators(pending)
            pending = []
            if !final, let last = lines.last, last.last != UInt8(ascii: "\n") { pending = last; lines.removeLast() }
            actions += lines.map { .line(String(decoding: stripTerminator($0), as: UTF8.self), tls: isTLS) }
        }
        for event in events {
            switch event {
            case .clientSent(let bytes):
                pending += bytes
                flush(final: false)
            case .tlsStarted(let start):
                flush(final: true)
                actions.append(.tls(serverName: start.serverName))
                isTLS = true
            case .serverSent, .clientClosed, .serverClosed:
                break
            }
        }
        flush(final: true)
        return actions
    }

    // MARK: Parsing and writing helpers

    /// `sni="…"`/`sni=none`, then optional `protocol=` and `cipher=` (order free).
    private static func parseTLSStart(_ text: Substring) -> TLSStart? {
        var start = TLSStart(serverName: nil)
        var rest = text.drop { $0 == " " }
        var sawName = false
        while !rest.isEmpty {
            guard let equals = rest.firstIndex(of: "=") else { return nil }
            let key = rest[..<equals]
            rest = rest[rest.index(after: equals)...]
            let value: String?
            if rest.hasPrefix("\"") {
                var end = rest.index(after: rest.startIndex)
                while end < rest.endIndex, rest[end] != "\"" {
                    end = rest[end] == "\\" ? rest.index(end, offsetBy: 2, limitedBy: rest.endIndex) ?? rest.endIndex : rest.index(after: end)
                }
                guard end < rest.endIndex, let bytes = unescaped(rest[rest.index(after: rest.startIndex)..<end]) else { return nil }
                value = String(decoding: bytes, as: UTF8.self)
                rest = rest[rest.index(after: end)...]
            } else {
                let end = rest.firstIndex(of: " ") ?? rest.endIndex
                let word = String(rest[..<end])
                value = word == "none" || word == "?" ? nil : word
                rest = rest[end...]
            }
            switch key {
            case "sni": start.serverName = value; sawName = true
            case "protocol": start.protocolVersion = value
            case "cipher": start.cipher = value
            default: return nil
            }
            rest = rest.drop { $0 == " " }
        }
        return sawName ? start : nil
    }

    /// One file line per line of `bytes` (split after each `\n`), escaped; a trailing space becomes `\x20`.
    private static func chunkLines(_ prefix: String, _ bytes: [UInt8]) -> [String] {
        splitKeepingTerminators(bytes).map { line in
            var text = escaped(line, quotes: false)
            if text.hasSuffix(" ") { text.removeLast(); text += "\\x20" }
            return prefix + text
        }
    }
}

/// One thing a client did, for comparisons: a line (in plain text or inside TLS), or starting TLS.
enum ClientAction: Equatable {
    case line(String, tls: Bool)
    case tls(serverName: String?)

    var text: String {
        switch self {
        case .line(let line, let tls): (tls ? "(TLS) " : "") + quoted(line)
        case .tls(let serverName): "TLS handshake, " + (serverName.map { "SNI \(quoted($0))" } ?? "no SNI")
        }
    }
}

/// `bytes` split after each `\n`, terminators kept; the last piece may lack one.
func splitKeepingTerminators(_ bytes: [UInt8]) -> [[UInt8]] {
    var lines: [[UInt8]] = []
    var current: [UInt8] = []
    for byte in bytes {
        current.append(byte)
        if byte == UInt8(ascii: "\n") {
            lines.append(current)
            current = []
        }
    }
    if !current.isEmpty { lines.append(current) }
    return lines
}

/// A line without its `\n` or `\r\n`.
func stripTerminator(_ line: [UInt8]) -> [UInt8] {
    var line = line
    if line.last == UInt8(ascii: "\n") { line.removeLast() }
    if line.last == UInt8(ascii: "\r") { line.removeLast() }
    return line
}

/// The inverse of `escaped`; nil for a bad escape.
func unescaped(_ text: Substring) -> [UInt8]? {
    var bytes: [UInt8] = []
    var iterator = Array(text.utf8).makeIterator()
    while let byte = iterator.next() {
        guard byte == UInt8(ascii: "\\") else { bytes.append(byte); continue }
        switch iterator.next() {
        case UInt8(ascii: "r"): bytes.append(0x0D)
        case UInt8(ascii: "n"): bytes.append(0x0A)
        case UInt8(ascii: "t"): bytes.append(0x09)
        case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
        case UInt8(ascii: "x"):
            guard let high = iterator.next(), let low = iterator.next(),
                  let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(value)
        default: return nil
        }
    }
    return bytes
}
