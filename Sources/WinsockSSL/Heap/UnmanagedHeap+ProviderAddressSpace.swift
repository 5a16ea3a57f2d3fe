/// The emulated heap as the address space of .NET programs: 4-byte pointers, host names in live blocks,
/// and certificate hooks registered by `Marshal.GetFunctionPointerForDelegate`.
extension UnmanagedHeap: ProviderAddressSpace {
    public var pointerSize: Int { 4 }

    /// Taken as an address only when it is the start of a live block that holds a NUL-terminated string,
    /// so a 4-letter name passed as text is not mistaken for one.
    public func pointedName(at address: UInt64) -> [UInt8]? {
        guard let address = UInt32(exactly: address), let block = block(containing: address), block.start == address else { return nil }
        return try? readNulTerminated(address)
    }

    /// Looks the delegate up once, here, and keeps it: the binding holds the registered hook strongly, so
    /// releasing the function pointer afterwards does not take the hook away from the socket.
    public func certificateHook(function: UInt64, argument: UInt64) throws(WinsockError) -> CertificateHookBinding {
        guard let address = UInt32(exactly: function), let argument32 = UInt32(exactly: argument),
              let registered = self.function(at: address) as? CertificateHook else {
            throw WinsockError(.invalidArgument,
                "SO_SSL_SET_VALIDATE_CERT_HOOK: \(HexFormat.pointer(function)) is not a certificate hook from Marshal.GetFunctionPointerForDelegate")
        }
        return CertificateHookBinding(function: function, argument: argument) { [self] der, flags throws(WinsockError) in
            do throws(HeapAccessError) {
                // Sealed: the hook reads the certificate, often a byte at a time, and never needs to write it.
                let data = try allocate(sealing: der)
                defer { try? free(data) }
                let blob = try allocate(8)
                defer { try? free(blob) }
                try writeUInt32(blob, UInt32(der.count))
                try writeUInt32(blob + 4, data)
                return registered.call(SSL_CERT_X509, argument32, 1, blob, flags)
            } catch {
                throw WinsockError(.invalidArgument, error.detail)
            }
        }
    }
}
