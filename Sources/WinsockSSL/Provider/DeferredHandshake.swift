/// Where a secure socket is in its life.
///
/// ```
/// plain ──connect (not deferred)──────────────┐
///   │                                         ▼
///   └──SO_SSL_PERFORM_HANDSHAKE──▶ handshaking ──▶ secure
///                                       │
///                                       └──▶ failed (certificate rejected, injection, peer gone, timeout)
/// ```
/// A misused handshake request (a second handshake, no `SO_SECURE`, a bad buffer) is refused before the
/// phase changes, so the socket stays as it was.
public enum SecureSocketPhase: Sendable {
    /// Bytes go to and from the kernel unchanged (before the handshake, or on a socket that is not secure).
    case plain
    /// A handshake is running; other calls on the socket are refused with `WSAEINPROGRESS`.
    case handshaking
    /// Every byte is encrypted and decrypted by the TLS session.
    case secure(TLSSession)
    /// The handshake failed; the connection is unusable.
    case failed(WinsockError)

    public var isSecure: Bool {
        if case .secure = self { return true }
        return false
    }
}

extension WinsockSocket {
    /// Performs the TLS handshake now: `SO_SSL_PERFORM_HANDSHAKE`, or the second half of a non-deferred `connect`.
    ///
    /// `name` is what the program passed to `SO_SSL_PERFORM_HANDSHAKE` ("passing in the target server
    /// name", as the CE documentation puts it). The peer name checked against the certificate is, in
    /// order: the `SO_SSL_SET_PEERNAME` value, this name, the name the program connected by.
    /// Blocks until the handshake ends; bounded by the larger of the socket's send and receive
    /// timeouts, or by `TLSConfiguration.defaultHandshakeTimeout` when neither is set.
    public func performHandshake(name: String?) throws(WinsockError) {
        let plan = try state.withLock { (state: inout ProviderState) throws(WinsockError) -> HandshakePlan in
            guard state.secure else {
                throw WinsockError(.invalidArgument, "SO_SSL_PERFORM_HANDSHAKE on a socket without SO_SECURE = SO_SEC_SSL")
            }
            switch state.phase {
            case .plain: break
            case .handshaking: throw WinsockError(.invalidArgument, "a TLS handshake is already in progress on this socket")
            case .secure: throw WinsockError(.invalidArgument, "the socket is already secure; a second handshake is not supported")
            case .failed(let error): throw WinsockError(.invalidArgument, "the socket's TLS handshake already failed: \(error.detail)")
            }
            guard stream.isConnected else {
                throw WinsockError(.notConnected, "SO_SSL_PERFORM_HANDSHAKE before connect")
            }
            try Self.requireVerifiableName(state, handshakeName: name, connectName: state.connectHostName)
            state.phase = .handshaking
            return HandshakePlan(state: state, handshakeName: name)
        }

        do throws(WinsockError) {
            try refuseWaitingPlaintext(plan.holders)
            let session = try TLSSession(socket: stream, configuration: plan.configuration)
            let verifier = CertificateVerifier(peerName: plan.configuration.peerName, verification: plan.verification)
            try session.handshake(deadline: handshakeDeadline(plan.configuration), verifier: verifier)
            state.withLock { $0.phase = .secure(session) }
            // Reading the session info copies the peer certificate; only a trace needs it here.
            if SocketTrace.isActive, let info = session.info { SocketTrace.emit(.handshakeCompleted(info)) }
        } catch {
            state.withLock { $0.phase = .failed(error) }
            SocketTrace.emit(.handshakeFailed(error))
            // The server must not go on believing a session exists.
            try? stream.shutdown(.both)
            throw error
        }
    }

    /// Without a hook or a custom decision, a certificate can only be trusted for a name; refuse early,
    /// before anything is sent, when no name is known.
    static func requireVerifiableName(_ state: ProviderState, handshakeName: String?, connectName: String?) throws(WinsockError) {
        let override = state.configurationOverride
        if state.hook != nil { return }
        if let override, case .custom = override.verification { return }
        let name = override?.peerName ?? state.peerName ?? handshakeName ?? connectName
        if name?.isEmpty ?? true {
            throw WinsockError(.invalidArgument,
                "no server name to verify the certificate against: pass the host name to SO_SSL_PERFORM_HANDSHAKE, "
                + "set SO_SSL_SET_PEERNAME, connect by host name, or install a certificate hook")
        }
    }

    private func handshakeDeadline(_ configuration: TLSConfiguration) -> ContinuousClock.Instant? {
        let timeouts = [stream.receiveTimeout, stream.sendTimeout].compactMap { $0 }
        return StreamSocket.deadline(after: timeouts.max() ?? configuration.defaultHandshakeTimeout)
    }

    /// Fails when plain text is already waiting, in the kernel or in a reader's buffer.
    private func refuseWaitingPlaintext(_ holders: [PlaintextGuard.WeakHolder]) throws(WinsockError) {
        var held = 0
        for entry in holders {
            guard let holder = entry.holder else { continue }
            guard let count = holder.bufferedPlaintextByteCount() else {
                throw WinsockError(.inProgress, "refusing the TLS handshake: a reader of this socket is busy in another thread")
            }
            held += count
        }
        let waiting = try stream.bytesAvailable()
        guard held > 0 || waiting > 0 else { return }
        for entry in holders { entry.holder?.discardBufferedPlaintext() }
        let preview = waiting == 0 ? [] : ((try? stream.peekBytes(upTo: 64, deadline: ContinuousClock.now)) ?? [])
        if held > 0 {
            let alsoWaiting = waiting > 0 ? ", and \(waiting) more are waiting on the socket" : ""
            throw PlaintextGuard.injectionError(preview: [], count: held + waiting,
                whereFound: "before the handshake: \(held) were already read into the program's reader and not consumed\(alsoWaiting)")
        }
        throw PlaintextGuard.injectionError(preview: preview, count: waiting, whereFound: "before the handshake")
    }

    /// What one handshake needs, copied out of the locked state.
    private struct HandshakePlan {
        var configuration: TLSConfiguration
        var verification: CertificateVerification
        var holders: [PlaintextGuard.WeakHolder]

        init(state: ProviderState, handshakeName: String?) {
            var configuration = state.configurationOverride ?? TLSConfiguration()
            configuration.peerName = state.configurationOverride?.peerName ?? state.peerName ?? handshakeName ?? state.connectHostName
            configuration.additionalTrustRoots += state.trustRoots
            if state.configurationOverride == nil {
                configuration.minimumVersion = state.protocols.minimum
                configuration.maximumVersion = state.protocols.maximum
            }
            self.configuration = configuration
            if let hook = state.hook {
                verification = .custom { context in WinsockSocket.callCertificateHook(hook, context) }
            } else {
                verification = configuration.verification
            }
            holders = state.holders
        }
    }
}
