/// What every client handshake in this package does before its first byte, and then the handshake itself:
/// shared by the CE provider (`WinsockSocket.performHandshake`, a non-deferred `connect`) and
/// `SecureConnection.upgrade`, so the two cannot drift apart.
///
/// 1. The peer name: the first one given of the configured name (`TLSConfiguration.peerName`, or CE's
///    `SO_SSL_SET_PEERNAME`), the name passed with the handshake request (`SO_SSL_PERFORM_HANDSHAKE`),
///    and the name the program connected by.
///    The server name sent as SNI is the peer name; when there is none, it is the name the program's own
///    name resolution (`Dns`, `gethostbyname`, `NameResolver`) last resolved to the connected address
///    (`ResolvedNames`). That name is only a hint for the server's choice of certificate and never becomes
///    the peer name: verification without a name still refuses, and a hook is told no name was checked.
///    An IP address is never sent (`TLSEngine` leaves SNI out for one).
/// 2. With standard verification a certificate can only be trusted for a name: no name, no handshake.
/// 3. Plain text already waiting (in the kernel or in a reader's buffer) is refused before the ClientHello.
/// 4. The whole handshake is bounded by the larger of the socket's send and receive timeouts, or by
///    `TLSConfiguration.defaultHandshakeTimeout` when neither is set.
struct HandshakePreparation {
    /// The configuration the session is made with, its `peerName` resolved.
    let configuration: TLSConfiguration
    /// The name sent as SNI (unless it is an IP address): the peer name, else the resolved name.
    let serverName: String?

    /// Resolves the peer name and refuses, before anything is sent, a handshake that could not verify the
    /// certificate; `missingName` is the error's text for the caller's API. `resolvedName` is the name the
    /// connected address was last resolved from in this process, sent as SNI only when no peer name is known.
    init(configuration: TLSConfiguration, handshakeName: String? = nil, connectName: String? = nil,
         resolvedName: String? = nil, missingName: String) throws(WinsockError) {
        var configuration = configuration
        configuration.peerName = Self.peerName(configured: configuration.peerName, handshakeName: handshakeName, connectName: connectName)
        var missingName = missingName
        if let resolvedName {
            missingName += "; \"\(resolvedName)\" was resolved to this address earlier in the process, but a name learned "
                + "from name resolution is only sent as the server name (SNI), never trusted to verify the certificate"
        }
        try Self.requireVerifiableName(configuration.peerName, verification: configuration.verification, missingName: missingName)
        self.configuration = configuration
        serverName = Self.serverName(peerName: configuration.peerName, resolvedName: resolvedName)
    }

    /// The name sent as SNI: the peer name when one is known (even an IP address, which `TLSEngine` then
    /// leaves out), else the name the connected address was last resolved from.
    static func serverName(peerName: String?, resolvedName: String?) -> String? {
        if let peerName, !peerName.isEmpty { return peerName }
        return resolvedName
    }

    /// The name the certificate is checked against (and sent as SNI): the first of the three that is given.
    static func peerName(configured: String?, handshakeName: String?, connectName: String?) -> String? {
        configured ?? handshakeName ?? connectName
    }

    /// Throws `missingName` when `verification` is standard and there is no name to verify against.
    static func requireVerifiableName(_ name: String?, verification: CertificateVerification, missingName: String) throws(WinsockError) {
        if case .standard = verification, name?.isEmpty ?? true {
            throw WinsockError(.invalidArgument, missingName)
        }
    }

    /// Fails when plain text is already waiting on `socket` or in one of `holders`: after a STARTTLS go-ahead
    /// nothing may arrive until TLS starts, so such bytes are injected or broken. The holders' bytes are discarded.
    func refuseWaitingPlaintext(on socket: StreamSocket, holders: [PlaintextGuard.WeakHolder] = []) throws(WinsockError) {
        var held = 0
        for entry in holders {
            guard let holder = entry.holder else { continue }
            guard let count = holder.bufferedPlaintextByteCount() else {
                throw WinsockError(.inProgress, "refusing the TLS handshake: a reader of this socket is busy in another thread")
            }
            held += count
        }
        let waiting = try socket.bytesAvailable()
        guard held > 0 || waiting > 0 else { return }
        for entry in holders { entry.holder?.discardBufferedPlaintext() }
        let preview = waiting == 0 ? [] : ((try? socket.peekBytes(upTo: 64, deadline: ContinuousClock.now)) ?? [])
        if held > 0 {
            let alsoWaiting = waiting > 0 ? ", and \(waiting) more are waiting on the socket" : ""
            throw PlaintextGuard.injectionError(preview: [], count: held + waiting,
                whereFound: "before the handshake: \(held) were already read into the program's reader and not consumed\(alsoWaiting)")
        }
        throw PlaintextGuard.injectionError(preview: preview, count: waiting, whereFound: "before the handshake")
    }

    /// When the handshake on `socket` must be over.
    func deadline(on socket: StreamSocket) -> ContinuousClock.Instant? {
        let timeouts = [socket.receiveTimeout, socket.sendTimeout].compactMap { $0 }
        return StreamSocket.deadline(after: timeouts.max() ?? configuration.defaultHandshakeTimeout)
    }

    /// Refuses waiting plain text, then performs the handshake on `socket`; the secure session.
    func handshake(on socket: StreamSocket, holders: [PlaintextGuard.WeakHolder] = []) throws(WinsockError) -> TLSSession {
        try refuseWaitingPlaintext(on: socket, holders: holders)
        let session = try TLSSession(socket: socket, configuration: configuration, serverName: serverName)
        let verifier = CertificateVerifier(peerName: configuration.peerName, verification: configuration.verification)
        try session.handshake(deadline: deadline(on: socket), verifier: verifier)
        return session
    }
}
