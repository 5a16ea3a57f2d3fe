import Foundation
import WinsockSSL

/// A STARTTLS server that replays a `Transcript` to every client and records what each one sent.
///
/// Built on `TLSTestServer`: each accepted connection runs the whole transcript on its own thread, starting in
/// plain text. Each client's lines (plain, then decrypted) land in a `ClientRecording`, with a readable
/// divergence where the client strayed from the script. Tests call `waitForClients(_:timeout:)` rather than
/// sleeping, then inspect `recordings`.
///
/// ```swift
/// let server = try ScriptedSTARTTLSServer(transcript: .blog2009, certificateChainPEM: cert, privateKeyPEM: key)
/// defer { server.stop() }
/// // … run the ported client against server.endpoint …
/// #expect(server.waitForClients(1, timeout: .seconds(10)))
/// #expect(server.recordings[0].followedScript, "\(server.conversationLog)")
/// ```
public final class ScriptedSTARTTLSServer: Sendable {
    /// What the server does when a client sends a line the script did not expect.
    public enum DivergencePolicy: Sendable, Hashable {
        /// Record the divergence, then close the TCP connection sending nothing more (not even a close_notify),
        /// the way a strict server hangs up. The default.
        case closeConnection
        /// Record the divergence and carry on as if the line had matched, to see how far the client gets.
        case continueScript
    }

    /// The script every connection follows.
    public let transcript: Transcript
    public let divergencePolicy: DivergencePolicy

    private let server: TLSTestServer
    private let book: RecordingBook

    /// Starts listening on `address` and `port` (0: one the system picks); every accepted connection follows
    /// `transcript`.
    public init(transcript: Transcript, configuration: TLSServerConfiguration, address: String = "127.0.0.1",
                port: UInt16 = 0, divergencePolicy: DivergencePolicy = .closeConnection) throws {
        let book = RecordingBook()
        self.transcript = transcript
        self.divergencePolicy = divergencePolicy
        self.book = book
        server = try TLSTestServer(configuration: configuration, address: address, port: port) { connection in
            var runner = ScriptRunner(connection: connection, steps: transcript.steps, policy: divergencePolicy, book: book)
            runner.run()
        }
    }

    /// Starts listening on `address` port 0 with the given certificate chain and key (PEM); see
    /// `TLSServerConfiguration` for the version range and `ioTimeout`, which bounds every read of a step.
    public convenience init(transcript: Transcript, certificateChainPEM: String, privateKeyPEM: String,
                            address: String = "127.0.0.1",
                            minimumVersion: TLSServerVersion = .tls1_2, maximumVersion: TLSServerVersion = .tls1_3,
                            ioTimeout: Duration = .seconds(10),
                            divergencePolicy: DivergencePolicy = .closeConnection) throws {
        let configuration = TLSServerConfiguration(certificateChainPEM: certificateChainPEM, privateKeyPEM: privateKeyPEM,
                                                   minimumVersion: minimumVersion, maximumVersion: maximumVersion,
                                                   ioTimeout: ioTimeout)
        try self.init(transcript: transcript, configuration: configuration, address: address, divergencePolicy: divergencePolicy)
    }

    deinit {
        stop()
    }

    /// The port the server listens on (picked by the system).
    public var port: UInt16 { server.port }

    /// The address and port to connect to.
    public var endpoint: SocketEndpoint { server.endpoint }

    /// Sends a ported program that connects to `host` on `port` to this server, until `stop()`; see
    /// `TLSTestServer.route(host:port:waitingAtMost:)`.
    @discardableResult
    public func route(host: String, port: UInt16, waitingAtMost bound: Duration = .seconds(60)) throws -> LoopbackRoute {
        try server.route(host: host, port: port, waitingAtMost: bound)
    }

    /// Closes the listener and every connection, undoes the routes, then waits (at most 10 s) for the conversations to end.
    /// Failures this causes are noted in the logs, not recorded as divergences. Safe to call more than once.
    public func stop() {
        book.markStopped()
        server.stop()
    }

    /// One recording per client, in the order the conversations began (the accept order, for clients that
    /// connect one after another), including conversations still running.
    public var recordings: [ClientRecording] { book.recordings }

    /// Blocks until at least `count` conversations have finished, or `timeout` has passed; false on timeout.
    public func waitForClients(_ count: Int, timeout: Duration) -> Bool {
        book.waitForFinished(count, timeout: timeout)
    }

    /// Every client's `log`, each under a `--- client N (address) ---` header, for examples to print and for
    /// test failure messages.
    public var conversationLog: String {
        recordings.enumerated().map { index, recording in
            "--- client \(index + 1) (\(recording.remoteEndpoint.map { "\($0)" } ?? "?")) ---\n" + recording.log
        }.joined()
    }
}

/// The recordings of all conversations, shared by the server and its handler threads.
private final class RecordingBook: Sendable {
    private struct Waiter {
        var count: Int
        var semaphore: DispatchSemaphore
    }

    private struct State {
        var isStopped = false
        var recordings: [RecordingInProgress] = []
        var finished = 0
        var waiters: [Waiter] = []
    }

    private let state = Locked(State())

    var isStopped: Bool { state.withLock { $0.isStopped } }
    var recordings: [ClientRecording] { state.withLock { $0.recordings.map(\.snapshot) } }

    func markStopped() {
        state.withLock { $0.isStopped = true }
    }

    /// Starts a recording and returns its index.
    func begin(_ remoteEndpoint: SocketEndpoint?) -> Int {
        state.withLock {
            $0.recordings.append(RecordingInProgress(remoteEndpoint: remoteEndpoint))
            return $0.recordings.count - 1
        }
    }

    func update(_ index: Int, _ body: (inout RecordingInProgress) -> Void) {
        state.withLock { body(&$0.recordings[index]) }
    }

    func finish(_ index: Int) {
        state.withLock { state in
            state.recordings[index].isFinished = true
            state.finished += 1
            let finished = state.finished
            state.waiters.removeAll { waiter in
                guard waiter.count <= finished else { return false }
                waiter.semaphore.signal()
                return true
            }
        }
    }

    func waitForFinished(_ count: Int, timeout: Duration) -> Bool {
        let semaphore = DispatchSemaphore(value: 0)
        let satisfied = state.withLock { state in
            if state.finished >= count { return true }
            state.waiters.append(Waiter(count: count, semaphore: semaphore))
            return false
        }
        if satisfied { return true }
        // Capped at a year so that `.seconds(.max)` cannot overflow the nanosecond count.
        let (seconds, attoseconds) = min(max(timeout, .zero), .seconds(365 * 24 * 3600)).components
        _ = semaphore.wait(timeout: .now() + .nanoseconds(Int(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)))
        // The count decides, not the wait: a signal can land between the timeout and the removal.
        return state.withLock { state in
            state.waiters.removeAll { $0.semaphore === semaphore }
            return state.finished >= count
        }
    }
}

/// Runs a transcript on one connection; lives on that connection's handler thread.
private struct ScriptRunner {
    /// Where a step leaves the conversation.
    private enum Outcome {
        case proceed
        /// The connection is closed (by `.close`, `.reset`, or a divergence).
        case ended
    }

    /// A step that could not run because the connection failed; ends the conversation.
    private struct Failure: Error {
        var message: String
        var underlying: (any Error)?
    }

    /// The client sent a ClientHello where the script expected plain text; ends the conversation.
    private struct ClientStartedTLS: Error {
        var hello: TLSClientHello
    }

    private let connection: TLSServerConnection
    private let steps: [Transcript.Step]
    private let policy: ScriptedSTARTTLSServer.DivergencePolicy
    private let book: RecordingBook
    private let index: Int
    private var isTLS = false
    /// Decrypted bytes received but not yet consumed as lines (already in the recording's `tlsBytes`).
    private var tlsBuffer: [UInt8] = []

    private static let chunkSize = 16 * 1024

    init(connection: TLSServerConnection, steps: [Transcript.Step], policy: ScriptedSTARTTLSServer.DivergencePolicy, book: RecordingBook) {
        self.connection = connection
        self.steps = steps
        self.policy = policy
        self.book = book
        index = book.begin(connection.remoteEndpoint)
    }

    mutating func run() {
        defer { book.finish(index) }
        for (offset, step) in steps.enumerated() {
            let number = offset + 1
            do {
                if try perform(step, number: number) == .ended { return }
            } catch let started as ClientStartedTLS {
                record {
                    $0.unexpectedClientHello = started.hello
                    if $0.serverName == nil { $0.serverName = started.hello.serverName }
                    $0.logLines.append("C: <\(started.hello)>")
                    $0.diverge("step \(number): \(step.expectation ?? "expected plain text"), client sent \(started.hello) instead")
                }
                connection.close()
                record { $0.note("server closed") }
                return
            } catch {
                let message = (error as? Failure)?.message ?? "\(error)"
                if book.isStopped {
                    record { $0.note("server stopped during step \(number)") }
                } else {
                    record { $0.diverge("step \(number): \(message)") }
                    connection.close()
                    record { $0.note("server closed") }
                }
                return
            }
        }
        record { $0.completedScript = true }
        closeOrderly()
    }

    private mutating func perform(_ step: Transcript.Step, number: Int) throws -> Outcome {
        switch step {
        case .send, .sendBytes:
            let bytes = if case .send(let text) = step { Array(text.utf8) } else if case .sendBytes(let bytes) = step { bytes } else { [UInt8]() }
            let tls = isTLS, connection = connection
            try Self.failing("sending failed") { tls ? try connection.write(bytes) : try connection.writePlain(bytes) }
            record { $0.logSent(bytes, tls: tls, raw: false) }
        case .sendRaw(let bytes):
            try Self.failing("sending failed") { try connection.writePlain(bytes) }
            record { $0.logSent(bytes, tls: false, raw: true) }
        case .expect, .expectPrefix, .expectCommand, .expectAny:
            guard let line = try readLine(for: step) else {
                throw Failure(message: "\(step.expectation ?? ""), the client closed the connection")
            }
            if !step.matches(line) {
                return diverged("step \(number): \(step.expectation ?? ""), client sent \(quoted(line))")
            }
        case .expectMessageBody:
            var count = 0
            while let line = try readLine(for: step) {
                if line == "." { return .proceed }
                count += 1
            }
            throw Failure(message: "\(step.expectation ?? ""), the client closed the connection after \(count) lines")
        case .awaitClose:
            try awaitClose()
        case .expectClose:
            return try expectClose(number: number)
        case .startTLS:
            do {
                try connection.startTLS()
            } catch {
                let serverName = connection.requestedServerName
                record { $0.serverName = serverName }
                throw Failure(message: "TLS handshake failed: \(error)")
            }
            isTLS = true
            let version = connection.negotiatedVersion, cipher = connection.negotiatedCipher
            let serverName = connection.requestedServerName
            record {
                $0.completedTLS = true
                $0.serverName = serverName
                $0.negotiatedVersion = version
                $0.negotiatedCipher = cipher
                $0.note("TLS handshake completed: \(version ?? "?"), \(cipher ?? "?")")
            }
        case .close:
            record { $0.completedScript = true }
            closeOrderly()
            return .ended
        case .reset:
            record {
                $0.completedScript = true
                $0.note("reset")
            }
            connection.reset()
            return .ended
        case .pause(let duration):
            pause(duration)
        }
        return .proceed
    }

    /// Records a mismatch; under `.closeConnection` also hangs up.
    private func diverged(_ message: String) -> Outcome {
        record { $0.diverge(message) }
        guard policy == .closeConnection else { return .proceed }
        connection.close()
        record { $0.note("server closed") }
        return .ended
    }

    /// Reads one line in the current phase and records it; nil at end of stream.
    private mutating func readLine(for step: Transcript.Step) throws -> String? {
        let expectation = step.expectation ?? "", connection = connection
        if !isTLS {
            switch try Self.failing(expectation, { try connection.readPlainInput() }) {
            case .endOfStream:
                return nil
            case .clientHello(let hello):
                throw ClientStartedTLS(hello: hello)
            case .line(let bytes):
                let line = String(decoding: bytes, as: UTF8.self)
                record {
                    $0.plaintextLines.append(line)
                    $0.logReceived(bytes, tls: false)
                }
                return line
            }
        }
        while true {
            if let newline = tlsBuffer.firstIndex(of: UInt8(ascii: "\n")) {
                let bytes = Array(tlsBuffer[..<newline])
                tlsBuffer.removeSubrange(...newline)
                record { $0.logReceived(bytes, tls: true) }
                return Self.text(bytes[...])
            }
            let chunk = try Self.failing(expectation) { try connection.read(max: Self.chunkSize) }
            if chunk.isEmpty {
                guard !tlsBuffer.isEmpty else { return nil }
                let bytes = tlsBuffer
                tlsBuffer.removeAll()
                record { $0.logReceived(bytes, tls: true) }
                return Self.text(bytes[...])
            }
            record { $0.tlsBytes += chunk }
            tlsBuffer += chunk
        }
    }

    /// Consumes lines until the client closes; a timeout is a failure.
    private mutating func awaitClose() throws {
        do {
            while try readLine(for: .awaitClose) != nil {}
            record { $0.note("the client closed the connection") }
        } catch let failure as Failure where (failure.underlying as? WinsockError)?.code == .connectionReset {
            // A client that closes without reading the TLS 1.3 session tickets gets its kernel to send a
            // reset instead of a FIN; closing a socket with unread data is how Winsock clients end, too.
            record { $0.note("the client reset the connection") }
        }
    }

    /// The client must send nothing more and close: anything it sends instead is the divergence, escaped.
    private mutating func expectClose(number: Int) throws -> Outcome {
        let step = Transcript.Step.expectClose, connection = connection
        var sent: [UInt8]
        if !tlsBuffer.isEmpty {
            sent = tlsBuffer
            tlsBuffer.removeAll()
        } else {
            do {
                sent = try Self.failing(step.expectation ?? "") { [isTLS] in
                    isTLS ? try connection.read(max: Self.chunkSize) : try connection.readPlainChunk()
                }
            } catch let failure as Failure where (failure.underlying as? WinsockError)?.code == .connectionReset {
                record { $0.note("the client reset the connection") }
                return .proceed
            }
            if isTLS { record { [sent] in $0.tlsBytes += sent } }
        }
        guard !sent.isEmpty else {
            record { $0.note("the client closed the connection") }
            return .proceed
        }
        let what: String
        if !isTLS, TLSClientHello.looksLikeHandshake(sent) {
            let hello = TLSClientHello(record: sent)
            record {
                $0.unexpectedClientHello = hello
                if $0.serverName == nil { $0.serverName = hello.serverName }
                $0.logLines.append("C: <\(hello)>")
            }
            what = "\(hello)"
        } else {
            record { [isTLS] in $0.logReceived(sent, tls: isTLS) }
            what = quoted(sent)
        }
        // Nothing after this step can make sense of the conversation, whatever the policy.
        record { $0.diverge("step \(number): \(step.expectation ?? ""), client sent \(what)") }
        connection.close()
        record { $0.note("server closed") }
        return .ended
    }

    /// A TLS close_notify when TLS is on, then FIN.
    private func closeOrderly() {
        if isTLS { connection.closeNotify() }
        connection.close()
        record { [isTLS] in $0.note(isTLS ? "server sent close_notify and closed" : "server closed") }
    }

    /// Sleeps in short slices so `stop()` is not held up by a long pause.
    private func pause(_ duration: Duration) {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: duration)
        while !book.isStopped, case let remaining = clock.now.duration(to: deadline), remaining > .zero {
            let slice = min(remaining, .milliseconds(20))
            Thread.sleep(forTimeInterval: Double(slice.components.seconds) + Double(slice.components.attoseconds) / 1e18)
        }
    }

    private func record(_ body: (inout RecordingInProgress) -> Void) {
        book.update(index, body)
    }

    /// Runs `body`, turning what it throws into a `Failure` that says what the step was doing.
    private static func failing<T>(_ what: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw Failure(message: "\(what): \(error)", underlying: error)
        }
    }

    private static func text(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes, as: UTF8.self)
    }
}
