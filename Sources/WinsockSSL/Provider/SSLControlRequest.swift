/// One ioctl request to the SSL provider, decoded from its control code and input bytes.
///
/// Decoding checks everything that can be checked without the socket: the code, the input length and
/// layout. It never touches the network, so it can be fuzzed on its own.
public enum SSLControlRequest: Sendable, Equatable {
    case getCapabilities
    case setFlags(UInt32)
    case getFlags
    case setProtocols([UInt8])
    case getProtocols
    /// `SSLVALIDATECERTHOOK`, unresolved: the function pointer (0 removes the hook) and `pvArg`, each as
    /// wide as the address space's pointers.
    case setValidateCertificateHook(function: UInt64, argument: UInt64)
    case getValidateCertificateHook
    case setPeerName(String)
    case performHandshake(name: String?)
    case getConnectionInfo
    /// Winsock's `FIONREAD`, which .NET programs also send through `IOControl`.
    case bytesAvailable

    /// `FIONREAD` = `_IOR('f', 127, u_long)` in Winsock.
    public static let FIONREAD = Int32(bitPattern: 0x4004_667F)

    /// Decodes `code` and `input`, whose pointers belong to `space` (the emulated heap of the .NET surface
    /// unless told otherwise). Throws `WSAEINVAL` for an unknown code or malformed input and
    /// `WSAEOPNOTSUPP` for codes CE defines that this package does not implement.
    public static func decode(code: Int32, input: [UInt8]?, in space: any ProviderAddressSpace = UnmanagedHeap.shared) throws(WinsockError) -> SSLControlRequest {
        let input = input ?? []
        // Named only for an error message: most requests are well formed.
        var name: String { codeName(code) }
        func requireLength(_ length: Int) throws(WinsockError) {
            guard input.count == length else {
                throw WinsockError(.invalidArgument, "\(name) takes \(length) input bytes, got \(input.count)")
            }
        }
        func requireNoInput() throws(WinsockError) {
            guard input.isEmpty else {
                throw WinsockError(.invalidArgument, "\(name) takes no input, got \(input.count) bytes")
            }
        }
        switch code {
        case SO_SSL_GET_CAPABILITIES: try requireNoInput(); return .getCapabilities
        case SO_SSL_SET_FLAGS: try requireLength(4); return .setFlags(LittleEndian.dword(input, 0))
        case SO_SSL_GET_FLAGS: try requireNoInput(); return .getFlags
        case SO_SSL_SET_PROTOCOLS: return .setProtocols(input)
        case SO_SSL_GET_PROTOCOLS: try requireNoInput(); return .getProtocols
        case SO_SSL_SET_VALIDATE_CERT_HOOK:
            let width = space.pointerSize
            try requireLength(2 * width)
            return .setValidateCertificateHook(function: LittleEndian.pointer(input, 0, size: width),
                                               argument: LittleEndian.pointer(input, width, size: width))
        case SO_SSL_GET_VALIDATE_CERT_HOOK: try requireNoInput(); return .getValidateCertificateHook
        case SO_SSL_SET_PEERNAME, SO_SSL_SET_PEERNAME_IN:
            guard let peer = try hostName(input, for: name, allowEmpty: false) else {
                throw WinsockError(.invalidArgument, "\(name) needs the server name as ASCII text ending in NUL")
            }
            return .setPeerName(peer)
        case SO_SSL_PERFORM_HANDSHAKE:
            if input.count == space.pointerSize, let pointed = space.pointedName(at: LittleEndian.pointer(input, 0, size: input.count)) {
                return .performHandshake(name: try hostName(pointed, for: "the host name SO_SSL_PERFORM_HANDSHAKE points to", allowEmpty: false))
            }
            return .performHandshake(name: try hostName(input, for: name, allowEmpty: true))
        case SO_SSL_GET_CONNECTION_INFO: try requireNoInput(); return .getConnectionInfo
        case FIONREAD: try requireNoInput(); return .bytesAvailable
        case SO_SSL_SET_CIPHERS, SO_SSL_GET_CIPHERS, SO_SSL_SET_CLIENT_OPTS, SO_SSL_GET_CLIENT_OPTS,
             SO_SSL_SET_SERVER_OPTS, SO_SSL_GET_SERVER_OPTS, SO_SSL_SET_CLIENT_AUTH_OPTS, SO_SSL_GET_CLIENT_AUTH_OPTS,
             SO_SSL_SET_AUTH_REQUEST_HOOK, SO_SSL_GET_AUTH_REQUEST_HOOK, SO_SSL_SET_KEY_EXCH_HOOK, SO_SSL_GET_KEY_EXCH_HOOK,
             SO_SSL_SET_SIGNATURE_HOOK, SO_SSL_GET_SIGNATURE_HOOK:
            throw WinsockError(.operationNotSupported, "\(name) is a CE secure-socket code this package does not support")
        default:
            // Only codes `sslsock.h` defines are "not supported"; an unused tag or direction bit in the SSL
            // family is as unknown as any other number.
            throw WinsockError(.invalidArgument, "unknown ioctl code \(HexFormat.dword(UInt32(bitPattern: code)))")
        }
    }

    /// The same decoding with the pointers in `heap`; kept for callers that name the heap.
    public static func decode(code: Int32, input: [UInt8]?, heap: UnmanagedHeap) throws(WinsockError) -> SSLControlRequest {
        try decode(code: code, input: input, in: heap)
    }

    /// ASCII text with at most one NUL, at the end. Empty input gives nil when `allowEmpty`.
    private static func hostName(_ input: [UInt8], for name: String, allowEmpty: Bool) throws(WinsockError) -> String? {
        var bytes = input[...]
        if bytes.last == 0 { bytes = bytes.dropLast() }
        if bytes.isEmpty {
            if allowEmpty { return nil }
            throw WinsockError(.invalidArgument, "\(name): the name is empty")
        }
        guard !bytes.contains(0) else {
            throw WinsockError(.invalidArgument, "\(name): the name contains a NUL before its end")
        }
        guard bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7f }), bytes.count <= 253 else {
            throw WinsockError(.invalidArgument, "\(name): \(PlaintextGuard.quote(Array(bytes))) is not a host name (printable ASCII, at most 253 characters)")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The `sslsock.h` name of a code, for messages.
    public static func codeName(_ code: Int32) -> String {
        names[code] ?? "ioctl \(HexFormat.dword(UInt32(bitPattern: code)))"
    }

    /// Built once: a dictionary literal in `codeName` was built on every call (two per ioctl).
    private static let names: [Int32: String] = [
        SO_SSL_GET_CAPABILITIES: "SO_SSL_GET_CAPABILITIES", SO_SSL_SET_FLAGS: "SO_SSL_SET_FLAGS",
        SO_SSL_GET_FLAGS: "SO_SSL_GET_FLAGS", SO_SSL_SET_PROTOCOLS: "SO_SSL_SET_PROTOCOLS",
        SO_SSL_GET_PROTOCOLS: "SO_SSL_GET_PROTOCOLS", SO_SSL_SET_VALIDATE_CERT_HOOK: "SO_SSL_SET_VALIDATE_CERT_HOOK",
        SO_SSL_GET_VALIDATE_CERT_HOOK: "SO_SSL_GET_VALIDATE_CERT_HOOK", SO_SSL_SET_PEERNAME: "SO_SSL_SET_PEERNAME",
        SO_SSL_SET_PEERNAME_IN: "SO_SSL_SET_PEERNAME", SO_SSL_PERFORM_HANDSHAKE: "SO_SSL_PERFORM_HANDSHAKE",
        SO_SSL_GET_CONNECTION_INFO: "SO_SSL_GET_CONNECTION_INFO", FIONREAD: "FIONREAD",
        SO_SSL_SET_CIPHERS: "SO_SSL_SET_CIPHERS", SO_SSL_GET_CIPHERS: "SO_SSL_GET_CIPHERS",
        SO_SSL_SET_CLIENT_OPTS: "SO_SSL_SET_CLIENT_OPTS", SO_SSL_GET_CLIENT_OPTS: "SO_SSL_GET_CLIENT_OPTS",
        SO_SSL_SET_SERVER_OPTS: "SO_SSL_SET_SERVER_OPTS", SO_SSL_GET_SERVER_OPTS: "SO_SSL_GET_SERVER_OPTS",
        SO_SSL_SET_CLIENT_AUTH_OPTS: "SO_SSL_SET_CLIENT_AUTH_OPTS", SO_SSL_GET_CLIENT_AUTH_OPTS: "SO_SSL_GET_CLIENT_AUTH_OPTS",
        SO_SSL_SET_AUTH_REQUEST_HOOK: "SO_SSL_SET_AUTH_REQUEST_HOOK", SO_SSL_GET_AUTH_REQUEST_HOOK: "SO_SSL_GET_AUTH_REQUEST_HOOK",
        SO_SSL_SET_KEY_EXCH_HOOK: "SO_SSL_SET_KEY_EXCH_HOOK", SO_SSL_GET_KEY_EXCH_HOOK: "SO_SSL_GET_KEY_EXCH_HOOK",
        SO_SSL_SET_SIGNATURE_HOOK: "SO_SSL_SET_SIGNATURE_HOOK", SO_SSL_GET_SIGNATURE_HOOK: "SO_SSL_GET_SIGNATURE_HOOK",
    ]
}
