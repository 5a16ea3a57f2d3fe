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

extension WinsockSocket {
    /// Calls the program's hook the way CE did: once per handshake, `dwType = SSL_CERT_X509`, the `pvArg`
    /// it registered, `dwChainLen = 1`, and `pCertChain` pointing to one `BLOB` that holds the DER of the
    /// server's own certificate. Both the `BLOB` and the DER live in `UnmanagedHeap` for the duration of
    /// the call only.
    ///
    /// `dwFlags` carries `SSL_CERT_FLAG_ISSUER_UNKNOWN` when the chain did not verify against the trusted
    /// roots (for any reason, expiry included — a project decision, so a hook that checks only this flag
    /// is still safe) or when a peer name is known and the certificate does not match it.
    static func callCertificateHook(_ hook: CertificateHookSetting, _ context: CertificateVerificationContext) -> CertificateVerdict {
        let heap = UnmanagedHeap.shared
        guard let registered = heap.function(at: hook.function) as? CertificateHook else {
            return .reject(reason: "the certificate hook at \(UnmanagedHeap.hex(hook.function)) is no longer registered", hookResult: nil)
        }
        let der = context.leaf.derEncoded
        let flags: UInt32 = context.isTrusted ? 0 : SSL_CERT_FLAG_ISSUER_UNKNOWN
        let result: Int32
        do throws(HeapAccessError) {
            let data = try heap.allocate(der.count)
            defer { try? heap.free(data) }
            try heap.write(data, der)
            let blob = try heap.allocate(8)
            defer { try? heap.free(blob) }
            try heap.writeUInt32(blob, UInt32(der.count))
            try heap.writeUInt32(blob + 4, data)
            result = registered.call(SSL_CERT_X509, hook.argument, 1, blob, flags)
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
