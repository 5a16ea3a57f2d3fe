extension WinsockSocket {
    /// Carries out one ioctl and returns the bytes for the program's output buffer.
    ///
    /// `outputCapacity` is the size of the program's output buffer; a request whose answer does not fit
    /// fails with `WSAEINVAL` and changes nothing. Any failure leaves the socket as it was, except a
    /// handshake that started and then failed. The corresponding Winsock call is `WSAIoctl`.
    public func ioControl(_ code: Int32, input: [UInt8]?, outputCapacity: Int) throws(WinsockError) -> [UInt8] {
        let request = try SSLControlRequest.decode(code: code, input: input)
        let name = SSLControlRequest.codeName(code)
        func answer(_ bytes: [UInt8]) throws(WinsockError) -> [UInt8] {
            guard outputCapacity >= bytes.count else {
                throw WinsockError(.invalidArgument, "\(name) needs an output buffer of \(bytes.count) bytes, got \(outputCapacity)")
            }
            return bytes
        }
        let connected = stream.isConnected

        switch request {
        case .bytesAvailable:
            return try answer(ProtocolSelection.bytes(UInt32(clamping: try bytesAvailable())))
        case .performHandshake(let handshakeName):
            try performHandshake(name: handshakeName)
            return []
        case .getConnectionInfo:
            guard let info = sessionInfo else {
                throw WinsockError(.notConnected, "SO_SSL_GET_CONNECTION_INFO before the TLS handshake completed")
            }
            return try answer(Self.connectionInfoStructure(info))
        default:
            break
        }

        return try state.withLock { (state: inout ProviderState) throws(WinsockError) -> [UInt8] in
            func requireSecure() throws(WinsockError) {
                guard state.secure else { throw WinsockError(.invalidArgument, "\(name) on a socket without SO_SECURE = SO_SEC_SSL") }
            }
            func requireBeforeHandshake() throws(WinsockError) {
                guard case .plain = state.phase else { throw WinsockError(.invalidArgument, "\(name) after the TLS handshake started") }
            }
            switch request {
            case .getCapabilities:
                return try answer(ProtocolSelection.bytes(SSL_CAP_CLIENT))
            case .setFlags(let flags):
                try requireSecure()
                guard !connected else { throw WinsockError(.invalidArgument, "SO_SSL_SET_FLAGS must come before connect") }
                if flags & (SSL_FLAG_SERVER | SSL_FLAG_AUTH_CLIENT) != 0 {
                    throw WinsockError(.operationNotSupported, "SSL_FLAG_SERVER and SSL_FLAG_AUTH_CLIENT are not supported: this provider is a TLS client")
                }
                guard flags & ~SSL_FLAG_DEFER_HANDSHAKE == 0 else {
                    throw WinsockError(.invalidArgument, "SO_SSL_SET_FLAGS: unknown flag bits \(UnmanagedHeap.hex(flags & ~SSL_FLAG_DEFER_HANDSHAKE))")
                }
                state.flags = flags
                return []
            case .getFlags:
                return try answer(ProtocolSelection.bytes(state.flags))
            case .setProtocols(let structure):
                try requireSecure()
                try requireBeforeHandshake()
                state.protocols = try ProtocolSelection(structure: structure)
                return []
            case .getProtocols:
                return try answer(state.protocols.structure)
            case .setValidateCertificateHook(let function, let argument):
                try requireSecure()
                try requireBeforeHandshake()
                if function == 0 {
                    state.hook = nil
                    return []
                }
                guard UnmanagedHeap.shared.function(at: function) is CertificateHook else {
                    throw WinsockError(.invalidArgument,
                        "SO_SSL_SET_VALIDATE_CERT_HOOK: \(UnmanagedHeap.hex(function)) is not a certificate hook from Marshal.GetFunctionPointerForDelegate")
                }
                state.hook = CertificateHookSetting(function: function, argument: argument)
                return []
            case .getValidateCertificateHook:
                let hook = state.hook ?? CertificateHookSetting(function: 0, argument: 0)
                return try answer(ProtocolSelection.bytes(hook.function) + ProtocolSelection.bytes(hook.argument))
            case .setPeerName(let peer):
                try requireSecure()
                try requireBeforeHandshake()
                state.peerName = peer
                return []
            case .bytesAvailable, .performHandshake, .getConnectionInfo:
                return []
            }
        }
    }

    /// `SSLCONNECTIONINFO`: seven DWORDs — protocol, cipher ALG_ID, cipher bits, hash ALG_ID, hash bits,
    /// exchange ALG_ID, exchange bits. Values CE never defined (TLS 1.2/1.3, ChaCha20) use the later
    /// SChannel/wincrypt numbers where one exists and 0 where none does.
    static func connectionInfoStructure(_ info: TLSSessionInfo) -> [UInt8] {
        let protocolBits: UInt32 = info.version == .tls1_3 ? SSL_PROT_TLS1_3_CLIENT : SSL_PROT_TLS1_2_CLIENT
        let cipher: UInt32 = switch info.bulkCipher {
        case .aes128: CALG_AES_128
        case .aes256: CALG_AES_256
        case .chacha20Poly1305, .other: 0
        }
        let (hash, hashBits): (UInt32, UInt32) = switch info.hash {
        case .sha256: (CALG_SHA_256, 256)
        case .sha384: (CALG_SHA_384, 384)
        case .other: (0, 0)
        }
        let exchange: UInt32 = switch info.keyExchange {
        case .ecdhe: CALG_ECDH_EPHEM
        case .dhe: CALG_DH_EPHEM
        case .rsa: CALG_RSA_KEYX
        case .other: 0
        }
        return [protocolBits, cipher, UInt32(info.cipherBits), hash, hashBits, exchange, UInt32(info.keyExchangeBits)]
            .flatMap(ProtocolSelection.bytes)
    }
}
