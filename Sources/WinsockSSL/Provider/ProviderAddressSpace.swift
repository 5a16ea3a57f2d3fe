/// Where the pointers in a program's ioctl buffers point.
///
/// The provider's requests carry pointers: `SSLVALIDATECERTHOOK` is a function pointer and its argument,
/// and the blog's `SslHelper` passes `SO_SSL_PERFORM_HANDSHAKE` the address of a host name. A .NET program
/// ported to this package has 32-bit addresses in the emulated heap (`UnmanagedHeap`); a C program has real
/// pointers of the host's width. Decoding and the socket's semantics are the same for both; only what a
/// pointer means differs, and that is all this protocol answers.
public protocol ProviderAddressSpace: Sendable {
    /// How many bytes a pointer takes in a structure: 4 for the CE emulation, 8 for native memory on a 64-bit host.
    var pointerSize: Int { get }

    /// The NUL-terminated name a pointer-sized `SO_SSL_PERFORM_HANDSHAKE` input points to, without its NUL,
    /// or nil when the input is not such a pointer (and so is the name itself, in characters).
    func pointedName(at address: UInt64) -> [UInt8]?

    /// Resolves an `SSLVALIDATECERTHOOK` into the hook the socket keeps. Called at
    /// `SO_SSL_SET_VALIDATE_CERT_HOOK`, never at handshake time: CE copied the structure at the ioctl.
    /// `function` is not 0. Throws `WSAEINVAL` when `function` is not a hook this address space can call.
    func certificateHook(function: UInt64, argument: UInt64) throws(WinsockError) -> CertificateHookBinding
}
