import WinsockSSL

/// Prints the conversation for `--verbose` as it happens, from `SocketTrace`: `C:` lines the client sent,
/// `S:` lines the server answered, `(TLS)` once encrypted — the same format as `blog-example`.
final class ConversationTrace: Sendable {
    private struct Partial {
        var client: [UInt8] = []
        var server: [UInt8] = []
    }

    private let partial = Locked(Partial())

    /// Starts printing every later socket event.
    static func start() -> ConversationTrace {
        let trace = ConversationTrace()
        SocketTrace.install { trace.handle($0) }
        return trace
    }

    private func handle(_ event: SocketTraceEvent) {
        switch event {
        case .connected(let requested, let actual):
            print("   connected to \(requested)\(requested == actual ? "" : " (redirected to \(actual))")")
        case .sent(let bytes, let secure):
            for line in partial.withLock({ Self.lines(&$0.client, bytes) }) { print("C: \(secure ? "(TLS) " : "")\(line)") }
        case .received(let bytes, let secure):
            if bytes.isEmpty { print("   the server closed the connection"); return }
            for line in partial.withLock({ Self.lines(&$0.server, bytes) }) { print("S: \(secure ? "(TLS) " : "")\(line)") }
        case .handshakeCompleted(let info):
            let subject = info.peerCertificate.map { $0.subject.description } ?? "?"
            print("   TLS handshake complete: \(info.version), \(info.cipherSuite), server certificate \(subject)")
        case .handshakeFailed(let error):
            print("   TLS handshake failed: \(error.detail)")
        }
    }

    /// Appends `bytes` to `partial` and takes out the complete lines, without CRLF or LF.
    private static func lines(_ partial: inout [UInt8], _ bytes: [UInt8]) -> [String] {
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
