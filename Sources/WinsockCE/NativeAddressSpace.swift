internal import CWinsockCE
import WinsockSSL

/// The C program's own memory as the provider's address space: pointers are native (8 bytes on a 64-bit
/// host), the certificate hook is a C function pointer, and `SO_SSL_PERFORM_HANDSHAKE` takes the name's
/// characters themselves (CE C code passes `NULL, 0`, or the name with or without its NUL), never a pointer
/// to them, so a pointer-sized input is text.
struct NativeAddressSpace: ProviderAddressSpace {
    var pointerSize: Int { MemoryLayout<UnsafeRawPointer>.size }

    func pointedName(at address: UInt64) -> [UInt8]? { nil }

    /// The hook is called with `SSL_CERT_X509`, the program's `pvArg`, a chain length of 1 and a `BLOB` on
    /// the calling thread's stack holding a copy of the leaf's DER, valid for the call.
    func certificateHook(function: UInt64, argument: UInt64) throws(WinsockError) -> CertificateHookBinding {
        guard function != 0 else { throw WinsockError(.badAddress, "SO_SSL_SET_VALIDATE_CERT_HOOK: HookFunc is NULL") }
        return CertificateHookBinding(function: function, argument: argument) { der, flags in
            guard let entry = UnsafeRawPointer(bitPattern: UInt(function)) else { return WinsockSSL.SSL_ERR_FAILED }
            let hook = unsafeBitCast(entry, to: (@convention(c) (DWORD, LPVOID?, DWORD, LPBLOB?, DWORD) -> Int32).self)
            var copy = der
            return copy.withUnsafeMutableBufferPointer { bytes in
                var blob = BLOB(cbSize: ULONG(bytes.count), pBlobData: bytes.baseAddress)
                return hook(WinsockSSL.SSL_CERT_X509, UnsafeMutableRawPointer(bitPattern: UInt(argument)), 1, &blob, flags)
            }
        }
    }
}
