import WinsockSSL

/// Prints a socket's conversation as it happens, a line per protocol line: `C:` what the client sent,
/// `S:` what the server answered, with `(TLS)` once the conversation is encrypted.
final class ConversationPrinter: Sendable {
    private struct State {
        var clientPartial: [UInt8] = []
        var serverPartial: [UInt8] = []
        var serverLines: [String] = []
        var serverClosed = false
    }

    private let state = Locked(State())

    /// The last lines the server sent, for error messages.
    var recentServerLines: [String] { state.withLock { Array($0.serverLines.suffix(6)) } }

    /// True once the server closed the connection.
    var serverClosed: Bool { state.withLock { $0.serverClosed } }

    func handle(_ event: SocketTraceEvent) {
        switch event {
        case .connected(let requested, let actual):
            let real = requested == actual ? "" : " (redirected to \(actual))"
            print("   connected to \(requested)\(real)")
        case .sent(let bytes, let secure):
            for line in state.withLock({ Self.lines(&$0.clientPartial, bytes) }) {
                print("C: \(secure ? "(TLS) " : "")\(line)")
            }
        case .received(let bytes, let secure):
            if bytes.isEmpty {
                // The blog's loop keeps calling ReadLine() after the close, and each call sees it again.
                let first = state.withLock { state in
                    defer { state.serverClosed = true }
                    return !state.serverClosed
                }
                if first { print("   the server closed the connection") }
                return
            }
            let lines = state.withLock { state in
                let lines = Self.lines(&state.serverPartial, bytes)
                state.serverLines += lines
                return lines
            }
            for line in lines { print("S: \(secure ? "(TLS) " : "")\(line)") }
        case .handshakeCompleted(let info):
            let subject = info.peerCertificate.map { $0.subject.description } ?? "?"
            print("   TLS handshake complete: \(info.version), \(info.cipherSuite), server certificate \(subject)")
        case .handshakeFailed(let error):
            print("   TLS handshake failed: \(error.detail)")
        }
    }

    /// Appends `bytes` to `partial` and returns the complete CRLF- or LF-terminated lines.
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
