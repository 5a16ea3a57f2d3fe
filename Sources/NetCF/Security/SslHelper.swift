// The private constants of the C# class, with its types (`long` for the codes, `uint` for IOC_IN), as
// file-scope `private let`s: the C# rule for class constants (MIGRATION.md, section 1). They shadow the
// package's global constants of the same names in this file only.
private let SO_SECURE: int = 0x2001
private let SO_SEC_SSL: int = 0x2004
private let _SO_SSL_FLAGS: long = 0x02
private let _SO_SSL_VALIDATE_CERT_HOOK: long = 0x08
private let SO_SSL_FAMILY: long = 0x00730000
private let _SO_SSL: long = ((2 << 27) | SO_SSL_FAMILY)
private let IOC_IN: uint = 0x80000000
private let SO_SSL_SET_VALIDATE_CERT_HOOK: long = (IOC_IN | _SO_SSL | _SO_SSL_VALIDATE_CERT_HOOK)
private let SO_SSL_SET_FLAGS: long = (IOC_IN | _SO_SSL | _SO_SSL_FLAGS)
private let SSL_FLAG_DEFER_HANDSHAKE: int = 0x0008
private let _SO_SSL_PERFORM_HANDSHAKE: int = 0x0d
private let SO_SSL_PERFORM_HANDSHAKE: long = _SO_SSL | _SO_SSL_PERFORM_HANDSHAKE

private let SSL_ERR_OKAY: int = 0
private let SSL_ERR_FAILED: int = 2
private let SSL_ERR_BAD_LEN: int = 3
private let SSL_ERR_BAD_TYPE: int = 4
private let SSL_ERR_BAD_DATA: int = 5
private let SSL_ERR_NO_CERT: int = 6
private let SSL_ERR_BAD_SIG: int = 7
private let SSL_ERR_CERT_EXPIRED: int = 8
private let SSL_ERR_CERT_REVOKED: int = 9
private let SSL_ERR_CERT_UNKNOWN: int = 10
private let SSL_ERR_SIGNATURE: int = 11
private let SSL_CERT_FLAG_ISSUER_UNKNOWN: int = 0x0001
private let SSL_CERT_X59: int = 1

/// The `SslHelper` class of the 2009 MSDN blog, ported the way its C# was written: the same
/// `SetSocketOption` and `IOControl` calls, with the hook structure and the host name built in
/// unmanaged memory. It doubles as the proof that such code ports line for line.
///
/// Two things differ from the original, on purpose (see MIGRATION.md):
/// - the host-name check uses RFC 6125 matching (`X509Certificate2.MatchesHostName`) instead of
///   `GetName().Contains("CN=" + host)`, which accepted longer names that contain the host and rejected
///   wildcard and SAN-only certificates;
/// - there is no debug-build path that accepts certificates from unknown issuers.
///
/// ```swift
/// try using(SslHelper(s, SmtpServer, true)) { helper in
///     try s.Connect(endPt)
///     // … plain-text STARTTLS exchange …
///     try helper.DoHandshake()
/// }
/// ```
public final class SslHelper: IDisposable {
    private let socket: Socket
    private var ptrHost = IntPtr()
    private var hookFunc = IntPtr()

    /// Makes `socket` secure with a certificate hook that checks the server's certificate for `host`;
    /// the handshake happens in `Connect`.
    public convenience init(_ socket: Socket, _ host: String) throws {
        try self.init(socket, host, false)
    }

    /// With `deferHandshake`, the socket talks plain text after `Connect` until `DoHandshake()`
    /// (what SMTP STARTTLS needs). Throws `ArgumentException` for a host name that is not printable ASCII,
    /// which the original would have truncated byte by byte.
    public init(_ socket: Socket, _ host: String, _ deferHandshake: Bool) throws {
        guard !host.isEmpty, host.utf16.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else {
            throw ArgumentException("The host name must be non-empty printable ASCII (use the punycode form of an international name).", "host")
        }
        self.socket = socket
        try socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName(SO_SECURE), SO_SEC_SSL)

        hookFunc = try Marshal.GetFunctionPointerForDelegate(ValidateCert)
        ptrHost = try Marshal.AllocHGlobal(host.Length + 1)
        for i in 0..<host.Length {
            try Marshal.WriteByte(ptrHost, i, byte(host[i]))
        }
        try Marshal.WriteByte(ptrHost, host.Length, 0)

        var inBuffer = [UInt8](repeating: 0, count: 8)
        try Array.Copy(BitConverter.GetBytes(hookFunc.ToInt32()), 0, &inBuffer, 0, 4)
        try Array.Copy(BitConverter.GetBytes(ptrHost.ToInt32()), 0, &inBuffer, 4, 4)
        try socket.IOControl(int(truncatingIfNeeded: SO_SSL_SET_VALIDATE_CERT_HOOK), inBuffer, nil)

        if deferHandshake {
            try socket.IOControl(int(truncatingIfNeeded: SO_SSL_SET_FLAGS), BitConverter.GetBytes(SSL_FLAG_DEFER_HANDSHAKE), nil)
        }
    }

    /// Switches the connected socket to TLS now; the certificate hook runs during this call.
    /// Throws `SocketException` 10053 when the certificate is rejected (its `CertificateHookResult`
    /// says which check failed).
    public func DoHandshake() throws {
        try socket.IOControl(int(truncatingIfNeeded: SO_SSL_PERFORM_HANDSHAKE), BitConverter.GetBytes(ptrHost.ToInt32()), nil)
    }

    /// The certificate hook, in the original's order of checks. An instance method, registered as
    /// `GetFunctionPointerForDelegate(ValidateCert)`; the socket keeps this helper alive until its handshake
    /// is over (see `Marshal.GetFunctionPointerForDelegate`).
    func ValidateCert(_ dwType: uint, _ pvArg: IntPtr, _ dwChainLen: uint, _ pCertChain: IntPtr, _ dwFlags: uint) -> int {
        if dwType != SSL_CERT_X59 {
            return SSL_ERR_BAD_TYPE
        }
        // The original skipped this check in debug builds; here it always applies.
        if (dwFlags & SSL_CERT_FLAG_ISSUER_UNKNOWN) != 0 {
            return SSL_ERR_CERT_UNKNOWN
        }
        do {
            let cbSize = try Marshal.ReadInt32(pCertChain)
            let pBlobData = try Marshal.ReadIntPtr(IntPtr(pCertChain.ToInt32() + sizeof(int.self)))
            guard cbSize > 0 else { return SSL_ERR_BAD_LEN }
            var certData = [UInt8](repeating: 0, count: Int(cbSize))
            for i in 0..<cbSize {
                certData[i] = try Marshal.ReadByte(IntPtr(pBlobData.ToInt32() + i))
            }

            let cert: X509Certificate2
            do {
                cert = try X509Certificate2(certData)
            } catch is ArgumentException {
                return SSL_ERR_BAD_DATA
            } catch is CryptographicException {
                return SSL_ERR_BAD_DATA
            }

            if DateTime.Now > (try DateTime.Parse(cert.GetExpirationDateString(), CultureInfo.CurrentCulture)) {
                return SSL_ERR_CERT_EXPIRED
            }
            if DateTime.Now < (try DateTime.Parse(cert.GetEffectiveDateString(), CultureInfo.CurrentCulture)) {
                return SSL_ERR_FAILED
            }

            let host = try Marshal.PtrToStringAnsi(pvArg) ?? ""
            // The original: if (!cert.GetName().Contains("CN=" + host)) return SSL_ERR_FAILED;
            if !cert.MatchesHostName(host) {
                return SSL_ERR_FAILED
            }
            return SSL_ERR_OKAY
        } catch {
            // A bad BLOB or host pointer: the data handed to the hook is unusable.
            return SSL_ERR_BAD_DATA
        }
    }

    /// Frees the host name and the hook (the socket stays open, as in the original).
    public func Dispose() {
        releaseUnmanaged()
        GC.SuppressFinalize(self)
    }

    deinit {
        releaseUnmanaged()
    }

    private func releaseUnmanaged() {
        if ptrHost != .Zero {
            try? Marshal.FreeHGlobal(ptrHost)
            ptrHost = .Zero
        }
        if hookFunc != .Zero {
            Marshal.ReleaseFunctionPointer(hookFunc)
            hookFunc = .Zero
        }
    }
}
