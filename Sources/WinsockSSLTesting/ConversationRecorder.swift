import Dispatch
import Foundation
import WinsockSSL

/// Stands between a client and its real server and writes down what both sent: the engine of
/// `winsockssl-record`, usable in tests too.
///
/// Each accepted client gets a connection of its own to the upstream server; bytes go both ways unchanged
/// and land in a `RecordedConversation`. When the client starts a TLS handshake — on a STARTTLS port after
/// the server's go-ahead, or at once on an implicit-TLS port, whatever the protocol — the recorder completes it
/// with the client using `certificate` (issued by a test CA that the client must trust: a ported program via
/// `TrustStore`, an original program by installing the CA file), starts TLS to the upstream server, and
/// goes on recording the decrypted content, noting the client's SNI, protocol and cipher where TLS started.
///
/// ```swift
/// let recorder = try ConversationRecorder(upstreamHost: "smtp.live.com", upstreamPort: 587,
///                                         certificate: try authority.issue(dnsNames: ["smtp.live.com"]))
/// defer { recorder.stop() }
/// // … run the original client against recorder.endpoint …
/// #expect(recorder.waitForConversations(1, timeout: .seconds(10)))
/// try recorder.conversations[0].write(toFile: "blog.transcript")
/// ```
public final class ConversationRecorder: Sendable {
    public typealias Observer = @Sendable (RecordedConversation) -> Void

    private struct State {
        var conversations: [RecordedConversation] = []
        var errors: [String] = []
    }

    private let server: TLSTestServer
    private let state = Locked(State())
    private let finished = DispatchSemaphore(value: 0)

    /// The upstream server every client is forwarded to.
    public let upstreamHost: String
    public let upstreamPort: UInt16

    /// Listens on `address` and `port` (0: one the system picks) and forwards each client to `upstreamHost`
    /// on `upstreamPort`, resolved through `NameResolver` (so `HostsTable` and `EndpointRedirects` apply).
    ///
    /// - Parameters:
    ///   - upstreamHost: the server the original client talked to, by name or address.
    ///   - upstreamPort: that server's port.
    ///   - certificate: what the recorder presents to the client when it starts TLS.
    ///   - upstreamTLS: how the recorder verifies the upstream server; its peer name defaults to the client's
    ///     SNI, else `upstreamHost`.
    ///   - address: the local address the recorder listens on.
    ///   - port: the local port (0: one the system picks).
    ///   - ioTimeout: bounds each read and write, and the handshakes.
    ///   - observer: called with each conversation as it ends (on that connection's thread).
    public init(upstreamHost: String, upstreamPort: UInt16, certificate: IssuedCertificate,
                upstreamTLS: TLSConfiguration = TLSConfiguration(), address: String = "127.0.0.1", port: UInt16 = 0,
                ioTimeout: Duration = .seconds(10), observer: Observer? = nil) throws {
        self.upstreamHost = upstreamHost
        self.upstreamPort = upstreamPort
        let state = self.state, finished = self.finished
        var configuration = TLSServerConfiguration(serving: certificate, minimumVersion: .tls1)
        configuration.ioTimeout = ioTimeout
        server = try TLSTestServer(configuration: configuration, address: address, port: port) { connection in
            var session = ProxySession(client: connection, upstreamHost: upstreamHost, upstreamPort: upstreamPort,
                                       upstreamTLS: upstreamTLS, ioTimeout: ioTimeout)
            let failure = session.run()
            let conversation = session.conversation
            state.withLock {
                $0.conversations.append(conversation)
                if let failure { $0.errors.append(failure) }
            }
            observer?(conversation)
            finished.signal()
        }
    }

    deinit {
        stop()
    }

    /// The port the recorder listens on.
    public var port: UInt16 { server.port }

    /// The address and port clients connect to.
    public var endpoint: SocketEndpoint { server.endpoint }

    /// Conversations that have ended, in the order they ended.
    public var conversations: [RecordedConversation] { state.withLock { $0.conversations } }

    /// What went wrong in conversations (the upstream server unreachable, a handshake refused), in order;
    /// each such conversation is recorded up to that point, with the failure as a comment.
    public var errors: [String] { state.withLock { $0.errors } + server.errors }

    /// Blocks until at least `count` conversations have ended or `timeout` passed; false on timeout.
    public func waitForConversations(_ count: Int, timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while conversations.count < count {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { return false }
            let (seconds, attoseconds) = min(remaining, .seconds(3600)).components
            _ = finished.wait(timeout: .now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)))
        }
        return true
    }

    /// Sends a program that connects to `host` on `port` to the recorder; see `TLSTestServer.route(host:port:waitingAtMost:)`.
    @discardableResult
    public func route(host: String, port: UInt16, waitingAtMost bound: Duration = .seconds(60)) throws -> LoopbackRoute {
        try server.route(host: host, port: port, waitingAtMost: bound)
    }

    /// Stops listening and ends the conversations still running (they are recorded up to there).
    public func stop() {
        server.stop()
    }
}

/// The upstream side once TLS has started on it; closed (with close_notify when secure) when the session ends.
private final class UpstreamLink {
    let socket: StreamSocket
    var secure: SecureConnection?

    init(socket: StreamSocket) { self.socket = socket }

    func close() {
        secure?.close()
        socket.close()
    }
}

/// One client, its upstream connection, and what they said; lives on the client's handler thread.
private struct ProxySession {
    let client: TLSServerConnection
    let upstreamHost: String
    let upstreamPort: UInt16
    let upstreamTLS: TLSConfiguration
    let ioTimeout: Duration
    private(set) var conversation: RecordedConversation

    private static let slice: Duration = .milliseconds(10)
    private static let chunkSize = 16 * 1024

    init(client: TLSServerConnection, upstreamHost: String, upstreamPort: UInt16, upstreamTLS: TLSConfiguration, ioTimeout: Duration) {
        self.client = client
        self.upstreamHost = upstreamHost
        self.upstreamPort = upstreamPort
        self.upstreamTLS = upstreamTLS
        self.ioTimeout = ioTimeout
        conversation = RecordedConversation(events: [], comments: [
            "recorded by winsockssl-record from \(upstreamHost):\(upstreamPort)",
            "client \(client.remoteEndpoint.map { "\($0)" } ?? "?")",
        ])
    }

    /// Forwards until either side closes; returns what went wrong, if anything.
    mutating func run() -> String? {
        let upstream: StreamSocket
        do {
            upstream = try connectUpstream()
        } catch {
            return fail("cannot connect to \(upstreamHost):\(upstreamPort): \(error)")
        }
        let link = UpstreamLink(socket: upstream)
        defer { link.close() }
        do {
            try forward(upstream, link)
            return nil
        } catch {
            return fail("\(error)")
        }
    }

    /// The forwarding loop: polls each side in turn for a moment and passes on what arrived.
    private mutating func forward(_ upstream: StreamSocket, _ link: UpstreamLink) throws {
        while true {
            if try client.waitForInput(timeout: Self.slice) {
                if let secureUpstream = link.secure {
                    let bytes = try Self.emptyIfReset { try client.read(max: Self.chunkSize) }
                    if bytes.isEmpty {
                        conversation.events.append(.clientClosed)
                        return
                    }
                    conversation.events.append(.clientSent(bytes))
                    try secureUpstream.write(bytes)
                } else {
                    switch try Self.emptyIfReset({ try client.readPlainChunkOrHello() }, empty: .endOfStream) {
                    case .line(let bytes):
                        conversation.events.append(.clientSent(bytes))
                        try bytes.withUnsafeBytes { try upstream.sendAll($0) }
                    case .endOfStream:
                        conversation.events.append(.clientClosed)
                        return
                    case .clientHello(let hello):
                        link.secure = try startTLS(hello: hello, upstream: upstream)
                    }
                }
            }
            if try upstream.poll(readable: true, timeout: Self.slice) {
                let bytes: [UInt8]
                if let secureUpstream = link.secure {
                    // A TLS 1.3 session ticket makes the socket readable without content: such a read
                    // times out after a moment (see `startTLS`) and the loop goes on.
                    guard let read = Self.readUnlessTimedOut(secureUpstream) else { continue }
                    bytes = try Self.emptyIfReset { try read.get() }
                } else {
                    var buffer = [UInt8](repeating: 0, count: Self.chunkSize)
                    let count = try Self.emptyIfReset({ try buffer.withUnsafeMutableBytes { try upstream.receive(into: $0) } }, empty: 0)
                    bytes = Array(buffer.prefix(count))
                }
                if bytes.isEmpty {
                    conversation.events.append(.serverClosed)
                    if link.secure != nil { client.closeNotify() }
                    client.close()
                    return
                }
                conversation.events.append(.serverSent(bytes))
                if link.secure != nil { try client.write(bytes) } else { try client.writePlain(bytes) }
            }
        }
    }

    /// `body`'s result, or `empty` when the peer reset the connection: a client that closes without reading
    /// the TLS 1.3 session tickets makes its kernel send a reset instead of a FIN, and Winsock clients that
    /// close with unread data end the same way, so a reset is recorded as a close.
    private static func emptyIfReset<Value>(_ body: () throws -> Value, empty: Value) throws -> Value {
        do {
            return try body()
        } catch let error as WinsockError where error.code == .connectionReset {
            return empty
        }
    }

    private static func emptyIfReset(_ body: () throws -> [UInt8]) throws -> [UInt8] {
        try emptyIfReset(body, empty: [])
    }

    /// nil when the read timed out.
    private static func readUnlessTimedOut(_ connection: SecureConnection) -> Result<[UInt8], WinsockError>? {
        do throws(WinsockError) {
            return .success(try connection.read(upTo: chunkSize))
        } catch {
            return error.code == .timedOut ? nil : .failure(error)
        }
    }

    /// Completes the client's handshake with the test certificate, then starts TLS to the upstream server.
    private mutating func startTLS(hello: TLSClientHello, upstream: StreamSocket) throws -> SecureConnection {
        try client.startTLS()
        conversation.events.append(.tlsStarted(RecordedConversation.TLSStart(
            serverName: client.requestedServerName, protocolVersion: client.negotiatedVersion, cipher: client.negotiatedCipher)))
        var configuration = upstreamTLS
        if configuration.peerName == nil {
            configuration.peerName = client.requestedServerName ?? (InternetAddress(parsing: upstreamHost) == nil ? upstreamHost : nil)
        }
        let secure = try SecureConnection.upgrade(upstream, configuration: configuration)
        // From here a read that finds no content (a session ticket) gives up after a moment.
        upstream.receiveTimeout = .milliseconds(50)
        return secure
    }

    private func connectUpstream() throws -> StreamSocket {
        var lastError: (any Error)?
        for address in try NameResolver.resolve(upstreamHost) {
            let socket = try StreamSocket(family: address.family)
            do {
                try socket.connect(to: SocketEndpoint(address: address, port: upstreamPort), timeout: ioTimeout)
                socket.receiveTimeout = ioTimeout
                socket.sendTimeout = ioTimeout
                return socket
            } catch {
                socket.close()
                lastError = error
            }
        }
        throw lastError ?? WinsockError(.hostNotFound, "no address for \(upstreamHost)")
    }

    private mutating func fail(_ message: String) -> String {
        conversation.comments.append("error: " + message)
        client.close()
        return message
    }
}
