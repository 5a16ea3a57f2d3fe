/// The provider's settings as typed operations. Every surface calls these: the byte-buffer `ioControl`
/// of the .NET layer and `WSAIoctl` of the C layer decode their buffers and land here, so the rules
/// (what needs `SO_SECURE`, what must come before `connect` or before the handshake) live in one place.
extension WinsockSocket {
    /// `SO_SSL_SET_FLAGS`. Only `SSL_FLAG_DEFER_HANDSHAKE` is accepted, and only before `connect`;
    /// the server and client-authentication flags fail with `WSAEOPNOTSUPP` (this provider is a TLS client).
    public func setSSLFlags(_ flags: UInt32) throws(WinsockError) {
        let connected = stream.isConnected
        try state.withLock { (state: inout ProviderState) throws(WinsockError) in
            try Self.requireSecure(state, "SO_SSL_SET_FLAGS")
            guard !connected else { throw WinsockError(.invalidArgument, "SO_SSL_SET_FLAGS must come before connect") }
            if flags & (SSL_FLAG_SERVER | SSL_FLAG_AUTH_CLIENT) != 0 {
                throw WinsockError(.operationNotSupported, "SSL_FLAG_SERVER and SSL_FLAG_AUTH_CLIENT are not supported: this provider is a TLS client")
            }
            guard flags & ~SSL_FLAG_DEFER_HANDSHAKE == 0 else {
                throw WinsockError(.invalidArgument, "SO_SSL_SET_FLAGS: unknown flag bits \(HexFormat.dword(flags & ~SSL_FLAG_DEFER_HANDSHAKE))")
            }
            state.flags = flags
        }
    }

    /// `SO_SSL_GET_FLAGS`.
    public var sslFlags: UInt32 { state.withLock { $0.flags } }

    /// `SO_SSL_SET_PROTOCOLS`, before the handshake.
    public func setProtocols(_ protocols: ProtocolSelection) throws(WinsockError) {
        try state.withLock { (state: inout ProviderState) throws(WinsockError) in
            try Self.requireSecure(state, "SO_SSL_SET_PROTOCOLS")
            try Self.requireBeforeHandshake(state, "SO_SSL_SET_PROTOCOLS")
            state.protocols = protocols
        }
    }

    /// `SO_SSL_GET_PROTOCOLS`.
    public var protocols: ProtocolSelection { state.withLock { $0.protocols } }

    /// `SO_SSL_SET_VALIDATE_CERT_HOOK`, before the handshake; nil removes the hook. The socket keeps `hook`
    /// (and what it calls) alive until it is replaced or the socket is gone.
    public func setCertificateHook(_ hook: CertificateHookBinding?) throws(WinsockError) {
        try setCertificateHook(resolving: { () throws(WinsockError) in hook })
    }

    /// Checks that a hook may be set now, then calls `resolve` and keeps its result: a request refused for
    /// the socket's state resolves nothing.
    func setCertificateHook(resolving resolve: () throws(WinsockError) -> CertificateHookBinding?) throws(WinsockError) {
        try state.withLock { (state: inout ProviderState) throws(WinsockError) in
            try Self.requireSecure(state, "SO_SSL_SET_VALIDATE_CERT_HOOK")
            try Self.requireBeforeHandshake(state, "SO_SSL_SET_VALIDATE_CERT_HOOK")
            state.hook = try resolve()
        }
    }

    /// `SO_SSL_GET_VALIDATE_CERT_HOOK`: the hook set last, or nil.
    public var certificateHook: CertificateHookBinding? { state.withLock { $0.hook } }

    /// `SO_SSL_SET_PEERNAME`, before the handshake: the name the certificate must carry.
    public func setPeerName(_ name: String) throws(WinsockError) {
        try state.withLock { (state: inout ProviderState) throws(WinsockError) in
            try Self.requireSecure(state, "SO_SSL_SET_PEERNAME")
            try Self.requireBeforeHandshake(state, "SO_SSL_SET_PEERNAME")
            state.peerName = name
        }
    }

    /// `SO_SSL_GET_CONNECTION_INFO`: fails with `WSAENOTCONN` until the handshake has completed.
    public func connectionInfo() throws(WinsockError) -> SSLConnectionInfo {
        guard let info = sessionInfo else {
            throw WinsockError(.notConnected, "SO_SSL_GET_CONNECTION_INFO before the TLS handshake completed")
        }
        return SSLConnectionInfo(info)
    }

    private static func requireSecure(_ state: ProviderState, _ name: String) throws(WinsockError) {
        guard state.secure else { throw WinsockError(.invalidArgument, "\(name) on a socket without SO_SECURE = SO_SEC_SSL") }
    }

    private static func requireBeforeHandshake(_ state: ProviderState, _ name: String) throws(WinsockError) {
        guard case .plain = state.phase else { throw WinsockError(.invalidArgument, "\(name) after the TLS handshake started") }
    }
}
