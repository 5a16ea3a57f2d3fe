/// A Windows CE certificate hook, `SSLVALIDATECERTFUNC`, with every pointer as a 32-bit address in
/// `UnmanagedHeap`:
/// `int SSLVALIDATECERTFUNC(DWORD dwType, LPVOID pvArg, DWORD dwChainLen, LPBLOB pCertChain, DWORD dwFlags)`.
public typealias CertificateHookFunction = @Sendable (_ type: UInt32, _ argument: UInt32, _ chainLength: UInt32, _ chain: UInt32, _ flags: UInt32) -> Int32

/// What `Marshal.GetFunctionPointerForDelegate` registers in `UnmanagedHeap` for a certificate-hook delegate:
/// the callable form the provider uses, and the delegate the program gave (for `GetDelegateForFunctionPointer`).
public struct CertificateHook: Sendable {
    public let call: CertificateHookFunction
    public let delegate: any Sendable

    public init(call: @escaping CertificateHookFunction, delegate: any Sendable) {
        self.call = call
        self.delegate = delegate
    }
}

/// The certificate hook a socket holds from `SO_SSL_SET_VALIDATE_CERT_HOOK` until it is replaced or the
/// socket dies: the `SSLVALIDATECERTHOOK` structure copied at the ioctl, with its function already resolved
/// by the program's address space, so the handshake never looks an address up again and the socket alone
/// keeps the hook alive.
///
/// `call` receives the leaf certificate's DER and `dwFlags` and calls the program's function the surface's
/// way (the .NET surface builds the `BLOB` in the emulated heap and calls the delegate; the C surface builds
/// a native `BLOB` and calls the function pointer with `pvArg`). It returns what the hook returned, or throws
/// when the certificate could not be handed over.
public final class CertificateHookBinding: Sendable {
    public typealias Call = @Sendable (_ leafDER: [UInt8], _ flags: UInt32) throws(WinsockError) -> Int32

    /// `SSLVALIDATECERTHOOK.HookFunc` as the program passed it, for `SO_SSL_GET_VALIDATE_CERT_HOOK`.
    public let function: UInt64
    /// `SSLVALIDATECERTHOOK.pvArg` as the program passed it.
    public let argument: UInt64
    private let call: Call

    public init(function: UInt64, argument: UInt64, call: @escaping Call) {
        self.function = function
        self.argument = argument
        self.call = call
    }

    /// Calls the program's hook for one certificate; returns its `SSL_ERR_*` result.
    public func validate(leafDER: [UInt8], flags: UInt32) throws(WinsockError) -> Int32 {
        try call(leafDER, flags)
    }
}

extension WinsockSocket {
    /// Calls the program's hook the way CE did: once per handshake, `dwType = SSL_CERT_X509`, the `pvArg`
    /// it registered, `dwChainLen = 1`, and `pCertChain` pointing to one `BLOB` that holds the DER of the
    /// server's own certificate, valid for the duration of the call only.
    ///
    /// `dwFlags` carries `SSL_CERT_FLAG_ISSUER_UNKNOWN` when the chain did not verify against the trusted
    /// roots (for any reason, expiry included — a project decision, so a hook that checks only this flag
    /// is still safe) or when a peer name is known and the certificate does not match it.
    static func callCertificateHook(_ hook: CertificateHookBinding, _ context: CertificateVerificationContext) -> CertificateVerdict {
        let flags: UInt32 = context.isTrusted ? 0 : SSL_CERT_FLAG_ISSUER_UNKNOWN
        let result: Int32
        do throws(WinsockError) {
            result = try hook.validate(leafDER: context.leaf.derEncoded, flags: flags)
        } catch {
            return .reject(reason: "the certificate could not be passed to the hook: \(error.detail)", hookResult: nil)
        }
        guard result == SSL_ERR_OKAY else {
            var reason = "the certificate hook returned \(sslErrorName(result)) (\(result))"
            if flags != 0 { reason += " with SSL_CERT_FLAG_ISSUER_UNKNOWN set" }
            return .reject(reason: reason, hookResult: result)
        }
        return .accept
    }
}
