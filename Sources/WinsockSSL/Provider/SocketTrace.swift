import Synchronization

/// What a `WinsockSocket` did, for a program that wants to show or record its conversation.
public enum SocketTraceEvent: Sendable {
    /// Connected to `requested`; `actual` differs when an `EndpointRedirects` entry applied.
    case connected(requested: SocketEndpoint, actual: SocketEndpoint)
    /// Bytes the program sent, before encryption.
    case sent([UInt8], secure: Bool)
    /// Bytes the program received, after decryption.
    case received([UInt8], secure: Bool)
    case handshakeCompleted(TLSSessionInfo)
    case handshakeFailed(WinsockError)
}

/// A process-wide observer of every `WinsockSocket`: what was sent and received, in plain text, and how
/// the TLS handshake went. Off unless a handler is installed; when off it costs one atomic load per call.
///
/// `blog-example` uses it to print the conversation as it happens without touching the blog's lines.
public enum SocketTrace {
    private static let active = Atomic<Bool>(false)
    private static let handler = Locked<(@Sendable (SocketTraceEvent) -> Void)?>(nil)

    /// Sends every later event to `newHandler` (replacing any earlier one). It runs on the socket's
    /// thread, synchronously, so it should be quick.
    public static func install(_ newHandler: @escaping @Sendable (SocketTraceEvent) -> Void) {
        handler.withLock { $0 = newHandler }
        active.store(true, ordering: .releasing)
    }

    public static func remove() {
        active.store(false, ordering: .releasing)
        handler.withLock { $0 = nil }
    }

    static var isActive: Bool { active.load(ordering: .relaxed) }

    static func emit(_ event: @autoclosure () -> SocketTraceEvent) {
        guard isActive, let current = handler.withLock({ $0 }) else { return }
        current(event())
    }
}
