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
    // The private constants of the C# class, with its types (`long` for the codes, `uint` for IOC_IN);
    // the `(int)` casts below are the C# `unchecked((int)...)`.
    private let SO_SECURE: Int32 = 0x2001
    private let SO_SEC_SSL: Int32 = 0x2004
    private let _SO_SSL_FLAGS: Int64 = 0x02
    private let _SO_SSL_VALIDATE_CERT_HOOK: Int64 = 0x08
    private let SO_SSL_FAMILY: Int64 = 0x0073_0000
    private var _SO_SSL: Int64 { (2 << 27) | SO_SSL_FAMILY }
    private let IOC_IN: UInt32 = 0x8000_0000
    private var SO_SSL_SET_VALIDATE_CERT_HOOK: Int64 { Int64(IOC_IN) | _SO_SSL | _SO_SSL_VALIDATE_CERT_HOOK }
    private var SO_SSL_SET_FLAGS: Int64 { Int64(IOC_IN) | _SO_SSL | _SO_SSL_FLAGS }
    private let SSL_FLAG_DEFER_HANDSHAKE: Int32 = 0x0008
    private let _SO_SSL_PERFORM_HANDSHAKE: Int64 = 0x0d
    private var SO_SSL_PERFORM_HANDSHAKE: Int64 { _SO_SSL | _SO_SSL_PERFORM_HANDSHAKE }

    private static let SSL_ERR_OKAY: Int32 = 0
    private static let SSL_ERR_FAILED: Int32 = 2
    private static let SSL_ERR_BAD_LEN: Int32 = 3
    private static let SSL_ERR_BAD_TYPE: Int32 = 4
    private static let SSL_ERR_BAD_DATA: Int32 = 5
    private static let SSL_ERR_NO_CERT: Int32 = 6
    private static let SSL_ERR_BAD_SIG: Int32 = 7
    private static let SSL_ERR_CERT_EXPIRED: Int32 = 8
    private static let SSL_ERR_CERT_REVOKED: Int32 = 9
    private static let SSL_ERR_CERT_UNKNOWN: Int32 = 10
    private static let SSL_ERR_SIGNATURE: Int32 = 11
    private static let SSL_CERT_FLAG_ISSUER_UNKNOWN: UInt32 = 0x0001
    private static let SSL_CERT_X59: UInt32 = 1

    private let socket: Socket
    private var ptrHost = IntPtr.Zero
    private var hookFunc = IntPtr.Zero

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
        try socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName(rawValue: SO_SECURE), SO_SEC_SSL)

        hookFunc = try Marshal.GetFunctionPointerForDelegate(SslHelper.ValidateCert as SSLVALIDATECERTFUNC)
        ptrHost = try Marshal.AllocHGlobal(host.Length + 1)
        let hostChars = Array(host.utf16)
        for i in 0..<host.Length {
            try Marshal.WriteByte(ptrHost, i, UInt8(truncatingIfNeeded: hostChars[i]))
        }
        try Marshal.WriteByte(ptrHost, host.Length, 0)

        var inBuffer = [UInt8](repeating: 0, count: 8)
        try Array.Copy(BitConverter.GetBytes(hookFunc.ToInt32()), 0, &inBuffer, 0, 4)
        try Array.Copy(BitConverter.GetBytes(ptrHost.ToInt32()), 0, &inBuffer, 4, 4)
        try socket.IOControl(Int32(truncatingIfNeeded: SO_SSL_SET_VALIDATE_CERT_HOOK), inBuffer, nil)

        if deferHandshake {
            try socket.IOControl(Int32(truncatingIfNeeded: SO_SSL_SET_FLAGS), BitConverter.GetBytes(SSL_FLAG_DEFER_HANDSHAKE), nil)
        }
    }

    /// Switches the connected socket to TLS now; the certificate hook runs during this call.
    /// Throws `SocketException` 10053 when the certificate is rejected (its `CertificateHookResult`
    /// says which check failed).
    public func DoHandshake() throws {
        try socket.IOControl(Int32(truncatingIfNeeded: SO_SSL_PERFORM_HANDSHAKE), BitConverter.GetBytes(ptrHost.ToInt32()), nil)
    }

    /// The certificate hook, in the original's order of checks.
    static func ValidateCert(_ dwType: UInt32, _ pvArg: IntPtr, _ dwChainLen: UInt32, _ pCertChain: IntPtr, _ dwFlags: UInt32) -> Int32 {
        if dwType != SSL_CERT_X59 {
            return SSL_ERR_BAD_TYPE
        }
        // The original skipped this check in debug builds; here it always applies.
        if (dwFlags & SSL_CERT_FLAG_ISSUER_UNKNOWN) != 0 {
            return SSL_ERR_CERT_UNKNOWN
        }
        do {
            let cbSize = try Marshal.ReadInt32(pCertChain)
            let pBlobData = try Marshal.ReadIntPtr(IntPtr(pCertChain.ToInt32() + 4))
            guard cbSize > 0 else { return SSL_ERR_BAD_LEN }
            var certData = [UInt8](repeating: 0, count: Int(cbSize))
            for i in 0..<Int(cbSize) {
                certData[i] = try Marshal.ReadByte(IntPtr(pBlobData.ToInt32() + Int32(i)))
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
