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
    /// order: the `SO_SSL_SET_PEERNAME` value, this name, the name the program connected by. That name is
    /// also sent as SNI; without one, the name the connected address was last resolved from is sent
    /// (`ResolvedNames`), for the server's choice of certificate only.
    /// Blocks until the handshake ends; bounded by the larger of the socket's send and receive
    /// timeouts, or by `TLSConfiguration.defaultHandshakeTimeout` when neither is set.
    public func performHandshake(name: String?) throws(WinsockError) {
        let (preparation, holders) = try state.withLock { (state: inout ProviderState) throws(WinsockError) -> (HandshakePreparation, [PlaintextGuard.WeakHolder]) in
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
            let preparation = try Self.preparation(state, handshakeName: name, connectName: state.connectHostName,
                                               resolvedName: state.resolvedName)
            state.phase = .handshaking
            return (preparation, state.holders)
        }

        do throws(WinsockError) {
            let session = try preparation.handshake(on: stream, holders: holders)
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
    static func requireVerifiableName(_ state: ProviderState, handshakeName: String?, connectName: String?,
                                      resolvedName: String?) throws(WinsockError) {
        _ = try preparation(state, handshakeName: handshakeName, connectName: connectName, resolvedName: resolvedName)
    }

    /// The shared handshake preparation for this socket's CE state. The configured peer name is the
    /// `setTLSConfiguration` one, else `SO_SSL_SET_PEERNAME`'s; a certificate hook decides when one is set.
    private static func preparation(_ state: ProviderState, handshakeName: String?, connectName: String?,
                                    resolvedName: String?) throws(WinsockError) -> HandshakePreparation {
        var configuration = state.configurationOverride ?? TLSConfiguration()
        configuration.peerName = state.configurationOverride?.peerName ?? state.peerName
        configuration.additionalTrustRoots += state.trustRoots
        if state.configurationOverride == nil {
            configuration.minimumVersion = state.protocols.minimum
            configuration.maximumVersion = state.protocols.maximum
        }
        if let hook = state.hook {
            configuration.verification = .custom { context in WinsockSocket.callCertificateHook(hook, context) }
        }
        return try HandshakePreparation(
            configuration: configuration, handshakeName: handshakeName, connectName: connectName, resolvedName: resolvedName,
            missingName: "no server name to verify the certificate against: pass the host name to SO_SSL_PERFORM_HANDSHAKE, "
                + "set SO_SSL_SET_PEERNAME, connect by host name, or install a certificate hook")
    }
}
