internal import Glibc
import Synchronization

/// A TLS client session over a `StreamSocket`: the blocking driver of a `TLSEngine`, usable by one
/// reading and one writing thread at once.
///
/// The engine does the TLS and no I/O; this driver owns the I/O. Every `recv` and `send` happens inside
/// the socket's `withDescriptor`, so no path can reach a descriptor that was closed (or reused by another
/// connection). OpenSSL forbids concurrent calls on one `SSL`, so the engine is reached only inside
/// `engine`'s lock, and the lock is never held while waiting: the system calls are non-blocking, a step
/// that cannot go on releases the lock, and the thread waits in `poll` (bounded by its deadline) before
/// trying again. A thread blocked waiting for data therefore never stops another thread from sending.
public final class TLSSession: Sendable {
    let socket: StreamSocket
    let configuration: TLSConfiguration
    private let engine: Locked<TLSEngine>
    let failure = Locked<WinsockError?>(nil)
    /// Set when a write has put a request on the wire and no read has run since: the answer is then a
    /// round trip away, so the next read waits in `poll` before its first `recv` instead of finding
    /// nothing (strace of a STARTTLS session: `recvfrom` failing with `EAGAIN` after each command). Only a
    /// hint: a read that finds the engine holding data returns it without waiting.
    private let replyAwaited = Atomic<Bool>(false)

    /// Creates the session; nothing is sent until `handshake`. `serverName` is sent as SNI when it is a DNS
    /// name (`HandshakePreparation.serverName`). See `TLSEngine.init`.
    init(socket: StreamSocket, configuration: TLSConfiguration, serverName: String?) throws(WinsockError) {
        self.socket = socket
        self.configuration = configuration
        engine = Locked(try TLSEngine(context: try TLSContext.context(for: configuration), serverName: serverName))
    }

    // MARK: Moving bytes

    /// What one turn under the lock ended with.
    private enum Turn {
        case finished(Finish)
        /// Nothing more can happen until the descriptor is ready for these `poll` events.
        case wait(Int16)
        case failed(TLSEngine.Failure)
    }

    private enum Finish {
        case complete(Int)
        case closed
    }

    private enum Flush {
        /// There was nothing to send.
        case empty
        /// Everything there was is in the kernel now.
        case sent
        /// The kernel took no more; the rest is still in the engine.
        case blocked
        case failed(errno: Int32)
    }

    /// Sends what the engine has for the peer until it has nothing or the kernel takes no more.
    private static func flush(_ engine: TLSEngine, _ descriptor: Int32) -> Flush {
        var sent = false
        while true {
            let output = engine.pendingOutput()
            guard output.count > 0 else { return sent ? .sent : .empty }
            switch SystemCall.send(descriptor, output) {
            case .success(let count):
                engine.consumeOutput(count)
                sent = true
            case .failure(let error) where error == EAGAIN || error == EWOULDBLOCK: return .blocked
            case .failure(let error): return .failed(errno: error)
            }
        }
    }

    private enum Fill {
        case received
        case wouldBlock
    }

    /// Receives once, straight into the engine's input side. End of stream and failures go into the engine.
    private static func fill(_ engine: TLSEngine, _ descriptor: Int32) -> Fill {
        // Input wanted after the peer's stream ended will never come (OpenSSL reports this itself; this
        // guard only keeps a step from being retried forever if it did not).
        guard !engine.inputEnded else {
            engine.fail(.endOfStream)
            return .received
        }
        let space = engine.inputSpace()
        // A full input side means OpenSSL has all it asked for; `step` will not say it needs input.
        guard space.count > 0 else { return .received }
        switch SystemCall.receive(descriptor, into: space) {
        case .success(0): engine.endInput()
        case .success(let count): _ = engine.commitInput(count)
        case .failure(let error) where error == EAGAIN || error == EWOULDBLOCK:
            // Nothing arrived: the engine frees the input buffer it allocated for this `recv`.
            _ = engine.commitInput(0)
            return .wouldBlock
        case .failure(let error):
            _ = engine.commitInput(0)
            engine.fail(.transport(errno: error))
        }
        return .received
    }

    /// For a step that needs input or room for output: receives once when it needs input, and says which
    /// `poll` events to wait for when nothing could move (nil: step again now).
    ///
    /// With `waitingAfterSending`, a step that needs input right after its bytes went out (a ClientHello,
    /// a request) waits before receiving: the answer is a round trip away, so a `recv` now would only find
    /// nothing (strace: one `recvfrom` failing with `EAGAIN` per handshake). Only a blocking caller may
    /// ask for this; a readiness check must look at what the kernel holds.
    /// `replyAwaited` says the same of bytes an earlier write sent (see `TLSSession.replyAwaited`).
    private static func exchange(for status: TLSEngine.Status, _ flushed: Flush, _ engine: TLSEngine, _ descriptor: Int32,
                                 waitingAfterSending: Bool = false, replyAwaited: Bool = false) -> Int16? {
        let outputBlocked = if case .blocked = flushed { true } else { false }
        switch status {
        case .needsInput:
            if waitingAfterSending, case .sent = flushed { return Int16(POLLIN) }
            if waitingAfterSending, replyAwaited, case .empty = flushed { return Int16(POLLIN) }
            guard case .wouldBlock = fill(engine, descriptor) else { return nil }
            return Int16(POLLIN) | (outputBlocked ? Int16(POLLOUT) : 0)
        case .needsOutputSpace:
            return outputBlocked ? Int16(POLLOUT) : nil
        default:
            return nil
        }
    }

    /// Steps the engine with `step` until it completes, closes or fails, moving bytes without blocking
    /// and waiting in `poll` (outside the lock) whenever the kernel has nothing to give or take.
    ///
    /// With `flushing`, the call returns only once everything the engine had for the peer is in the kernel.
    private func drive(_ descriptor: Int32, _ operation: String, until deadline: ContinuousClock.Instant?,
                       flushing: Bool, replyAwaited: Bool = false, _ step: (TLSEngine) -> TLSEngine.Status) throws(WinsockError) -> Finish {
        var completed: Int?
        // Waits first at most once: after that `poll` has said the descriptor is readable.
        var replyAwaited = replyAwaited
        while true {
            let turn = engine.withLock { engine -> Turn in
                while true {
                    let status = completed.map { TLSEngine.Status.complete($0) } ?? step(engine)
                    let flushed = Self.flush(engine, descriptor)
                    if case .failed(let error) = flushed {
                        if case .failed(let reason) = status { return .failed(reason) }
                        engine.fail(.transport(errno: error))
                        return .failed(.transport(errno: error))
                    }
                    switch status {
                    case .complete(let count):
                        if flushing, case .blocked = flushed {
                            completed = count
                            return .wait(Int16(POLLOUT))
                        }
                        return .finished(.complete(count))
                    case .closed:
                        return .finished(.closed)
                    case .failed(let reason):
                        return .failed(reason)
                    case .needsOutputSpace, .needsInput:
                        if let events = Self.exchange(for: status, flushed, engine, descriptor, waitingAfterSending: true,
                                                      replyAwaited: replyAwaited) {
                            return .wait(events)
                        }
                    }
                }
            }
            switch turn {
            case .finished(let finish): return finish
            case .wait(let events):
                replyAwaited = false
                try socket.wait(descriptor, for: events, until: deadline, doing: operation)
            case .failed(let reason): throw error(reason, during: operation)
            }
        }
    }

    /// The error for a failure during `operation`.
    private func error(_ reason: TLSEngine.Failure, during operation: String) -> WinsockError {
        switch reason {
        case .endOfStream:
            return WinsockError(.connectionReset, "the server closed the connection during \(operation) without a TLS close_notify alert")
        case .plaintext(let preview):
            return PlaintextGuard.injectionError(preview: preview, whereFound: "instead of the server's TLS handshake")
        case .transport(let error):
            if socket.isClosed { return StreamSocket.closedError }
            return WinsockError(WinsockError.Code(errno: error), "\(operation) failed: \(String(cString: strerror(error)))")
        case .openSSL(let kind, let errors):
            let detail = errors.isEmpty ? "OpenSSL error \(kind)" : errors.map(\.reasonText).joined(separator: "; ")
            return WinsockError(.connectionAborted, "\(operation) failed: \(detail)")
        }
    }

    private func checkNotFailed() throws(WinsockError) {
        if let earlier = failure.withLock({ $0 }) {
            throw WinsockError(earlier.code, "the TLS session failed earlier: \(earlier.detail)")
        }
    }

    private func record(_ error: WinsockError) -> WinsockError {
        failure.withLock { if $0 == nil { $0 = error } }
        return error
    }

    // MARK: Handshake

    /// Performs the client handshake, bounded by `deadline`.
    ///
    /// The engine refuses a first reply that is not TLS (plain text a STARTTLS server, or an attacker in
    /// the path, sent where TLS was due) before OpenSSL reads any of it. Maps to `SSL_do_handshake`.
    func handshake(deadline: ContinuousClock.Instant?, verifier: CertificateVerifier) throws(WinsockError) {
        try checkNotFailed()
        engine.withLock { $0.setVerifier(verifier) }
        defer { engine.withLock { $0.setVerifier(nil) } }
        do throws(WinsockError) {
            let finish = try socket.withDescriptor { descriptor throws(WinsockError) in
                try drive(descriptor, "the TLS handshake", until: deadline, flushing: true) { $0.handshake() }
            }
            if case .closed = finish {
                throw WinsockError(.connectionReset, "the server closed the connection during the TLS handshake")
            }
        } catch {
            let refusedAsPlaintext = if case .plaintext = engine.withLock({ $0.failure }) { true } else { false }
            if !refusedAsPlaintext, let rejection = verifier.failure { throw record(rejection) }
            throw record(error)
        }
    }

    // MARK: Data

    /// Reads decrypted bytes, blocking until at least one arrives; 0 after the server's close_notify.
    /// Maps to `SSL_read_ex`.
    func read(into buffer: UnsafeMutableRawBufferPointer, deadline: ContinuousClock.Instant?) throws(WinsockError) -> Int {
        guard buffer.count > 0 else { return 0 }
        try checkNotFailed()
        do throws(WinsockError) {
            let awaited = replyAwaited.exchange(false, ordering: .relaxed)
            let finish = try socket.withDescriptor { descriptor throws(WinsockError) in
                try drive(descriptor, "receive", until: deadline, flushing: false, replyAwaited: awaited) { $0.read(into: buffer) }
            }
            if case .complete(let count) = finish { return count }
            return 0
        } catch {
            throw error.code == .timedOut || error.code == .notSocket ? error : record(error)
        }
    }

    /// Encrypts and sends every byte; returns once all of them are in the kernel. Maps to `SSL_write_ex`.
    func write(_ bytes: UnsafeRawBufferPointer, deadline: ContinuousClock.Instant?) throws(WinsockError) {
        guard bytes.count > 0 else { return }
        try checkNotFailed()
        do throws(WinsockError) {
            try socket.withDescriptor { descriptor throws(WinsockError) in
                var offset = 0
                while offset < bytes.count {
                    let remaining = UnsafeRawBufferPointer(rebasing: bytes[offset...])
                    switch try drive(descriptor, "send", until: deadline, flushing: true, { $0.write(remaining) }) {
                    case .complete(let count): offset += count
                    case .closed: throw WinsockError(.connectionReset, "send failed: the server closed the TLS session")
                    }
                }
            }
            replyAwaited.store(true, ordering: .relaxed)
        } catch {
            throw error.code == .timedOut || error.code == .notSocket ? error : record(error)
        }
    }

    /// What the records already received amount to, found without waiting.
    enum Readiness {
        /// Decrypted bytes are ready (at least one).
        case data(Int)
        /// The peer closed (with or without close_notify) or the session failed: a read returns at once.
        case ended
        /// Nothing to read yet; the `poll` events to wait for.
        case waiting(Int16)
    }

    /// Takes what the kernel holds and lets OpenSSL process it (session tickets, key updates and
    /// application data) without waiting, inside `withDescriptor`.
    func processArrivedRecords(_ descriptor: Int32) -> Readiness {
        engine.withLock { engine -> Readiness in
            while true {
                let status = engine.peek()
                let flushed = Self.flush(engine, descriptor)
                switch status {
                case .complete:
                    return .data(max(engine.pendingPlaintext, 1))
                case .closed, .failed:
                    return .ended
                case .needsOutputSpace, .needsInput:
                    if let events = Self.exchange(for: status, flushed, engine, descriptor) { return .waiting(events) }
                }
            }
        }
    }

    /// Decrypted bytes ready to read without blocking, after processing every record the kernel holds.
    /// Post-handshake records (TLS 1.3 session tickets, key updates) count for nothing.
    /// Maps to `SSL_peek_ex` and `SSL_pending`.
    func bytesAvailable() throws(WinsockError) -> Int {
        try checkNotFailed()
        return try socket.withDescriptor { descriptor throws(WinsockError) in
            if case .data(let count) = processArrivedRecords(descriptor) { return count }
            return 0
        }
    }

    /// Waits until a read would not block: application data has arrived, the peer closed, or the session
    /// failed; false when `deadline` passes first. Records that carry no application data (TLS 1.3 session
    /// tickets, key updates) are processed on the way and never make the session readable.
    func waitUntilReadable(deadline: ContinuousClock.Instant?) throws(WinsockError) -> Bool {
        if failure.withLock({ $0 != nil }) { return true }
        return try socket.withDescriptor { descriptor throws(WinsockError) in
            while true {
                switch processArrivedRecords(descriptor) {
                case .data, .ended:
                    return true
                case .waiting(let events):
                    do throws(WinsockError) {
                        try socket.wait(descriptor, for: events, until: deadline, doing: "poll")
                    } catch {
                        if error.code == .timedOut { return false }
                        throw error
                    }
                }
            }
        }
    }

    /// Sends close_notify once, without waiting for the server's; nothing once the socket is closed.
    /// Maps to `SSL_shutdown`.
    func sendCloseNotify() {
        try? socket.withDescriptor { descriptor throws(WinsockError) in
            engine.withLock { engine in
                engine.shutdown()
                _ = Self.flush(engine, descriptor)
            }
        }
    }

    /// What was negotiated; nil before the handshake completes.
    public var info: TLSSessionInfo? {
        engine.withLock { TLSSessionInfo(handle: $0.handle) }
    }
}
