/// Turns `SocketTrace` events into the lines of a readable transcript: `C:` for what the program sent,
/// `S:` for what the server answered, `(TLS)` once the conversation is encrypted, and indented notes for
/// connections, handshakes and the server closing. Protocol lines are split at LF (a CR before it is
/// dropped); a line split across several sends or receives comes out whole.
///
/// ```swift
/// let conversation = SocketConversation()
/// SocketTrace.install { event in
///     for line in conversation.lines(for: event) { print(line) }
/// }
/// ```
///
/// `blog-example` and `smtp-starttls --verbose` print their conversations this way.
public final class SocketConversation: Sendable {
    private struct State {
        var clientPartial: [UInt8] = []
        var serverPartial: [UInt8] = []
        var recentServerLines: [String] = []
        var serverClosed = false
    }

    /// How many of the server's last lines `recentServerLines` keeps.
    private static let recentLimit = 6

    private let state = Locked(State())

    public init() {}

    /// The last few complete lines the server sent, for an error message.
    public var recentServerLines: [String] { state.withLock { $0.recentServerLines } }

    /// True once the program has seen the end of the server's stream.
    public var serverClosed: Bool { state.withLock { $0.serverClosed } }

    /// The transcript lines `event` adds; often none (a partial line waits for the rest). The end of the
    /// stream is noted once, however often a program reads past it.
    public func lines(for event: SocketTraceEvent) -> [String] {
        switch event {
        case .connected(let requested, let actual):
            return ["   connected to \(requested)\(requested == actual ? "" : " (redirected to \(actual))")"]
        case .sent(let bytes, let secure):
            return state.withLock { Self.takeLines(&$0.clientPartial, bytes) }.map { "C: \(secure ? "(TLS) " : "")\($0)" }
        case .received(let bytes, let secure):
            let lines: [String]? = state.withLock { state in
                if bytes.isEmpty {
                    defer { state.serverClosed = true }
                    return state.serverClosed ? [] : nil
                }
                let lines = Self.takeLines(&state.serverPartial, bytes)
                state.recentServerLines = Array((state.recentServerLines + lines).suffix(Self.recentLimit))
                return lines
            }
            guard let lines else { return ["   the server closed the connection"] }
            return lines.map { "S: \(secure ? "(TLS) " : "")\($0)" }
        case .handshakeCompleted(let info):
            let subject = info.peerCertificate.map { $0.subject.description } ?? "?"
            return ["   TLS handshake complete: \(info.version), \(info.cipherSuite), server certificate \(subject)"]
        case .handshakeFailed(let error):
            return ["   TLS handshake failed: \(error.detail)"]
        }
    }

    /// Appends `bytes` to `partial` and takes out the complete lines, without CRLF or LF.
    private static func takeLines(_ partial: inout [UInt8], _ bytes: [UInt8]) -> [String] {
        partial += bytes
        var lines: [String] = []
        while let newline = partial.firstIndex(of: 0x0a) {
            var line = partial[..<newline]
            if line.last == 0x0d { line = line.dropLast() }
            lines.append(String(decoding: line, as: UTF8.self))
            partial.removeSubrange(...newline)
        }
        return lines
    }
}
