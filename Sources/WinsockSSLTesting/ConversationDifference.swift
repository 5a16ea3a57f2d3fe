/// One place where a client did something other than the original did, for `#expect` messages:
/// `client step 3: expected "STARTTLS", got "STARTTLS "`.
///
/// Steps count what the client did, from 1: each line it sent (before or inside TLS) and the start of its
/// TLS handshake. Text is escaped, so a stray `\r` or a byte outside ASCII shows.
public struct ConversationDifference: Sendable, Equatable, CustomStringConvertible {
    /// The client's step, from 1.
    public let step: Int
    /// What the original did at this step, or `(nothing)`.
    public let expected: String
    /// What this client did, or `(nothing)`.
    public let got: String

    public var description: String { "client step \(step): expected \(expected), got \(got)" }

    /// Compares two clients' actions step by step.
    static func compare(_ expected: [ClientAction], _ got: [ClientAction], ignoringServerName: Bool) -> [ConversationDifference] {
        func normalised(_ action: ClientAction) -> ClientAction {
            if ignoringServerName, case .tls = action { return .tls(serverName: nil) }
            return action
        }
        var differences: [ConversationDifference] = []
        for index in 0..<max(expected.count, got.count) {
            let left = index < expected.count ? expected[index] : nil
            let right = index < got.count ? got[index] : nil
            if left.map(normalised) != right.map(normalised) {
                differences.append(ConversationDifference(step: index + 1, expected: left?.text ?? "(nothing)",
                                                          got: right?.text ?? "(nothing)"))
            }
        }
        return differences
    }
}

extension ClientRecording {
    /// Where this client did something other than the client in `original` (a recording of the original
    /// program): each line sent and the start of TLS, with its server name unless `ignoringServerName`. Empty
    /// when the two agree.
    ///
    /// ```swift
    /// let original = try RecordedConversation(contentsOfFile: "Tests/Transcripts/blog.transcript")
    /// #expect(recording.differences(from: original).isEmpty, "\(recording.differences(from: original))")
    /// ```
    public func differences(from original: RecordedConversation, ignoringServerName: Bool = false) -> [ConversationDifference] {
        ConversationDifference.compare(original.clientActions, clientActions, ignoringServerName: ignoringServerName)
    }

    /// Where this client did something other than the client in `other`, as above.
    public func differences(from other: ClientRecording, ignoringServerName: Bool = false) -> [ConversationDifference] {
        ConversationDifference.compare(other.clientActions, clientActions, ignoringServerName: ignoringServerName)
    }

    var clientActions: [ClientAction] {
        var actions = plaintextLines.map { ClientAction.line($0, tls: false) }
        if let hello = unexpectedClientHello {
            actions.append(.tls(serverName: hello.serverName))
        } else if completedTLS {
            actions.append(.tls(serverName: serverName))
            actions += tlsLines.map { .line($0, tls: true) }
        }
        return actions
    }
}
