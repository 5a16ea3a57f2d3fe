/// Unmanaged memory and function pointers for ported code, over the emulated 32-bit heap.
///
/// Every address is an `UnmanagedHeap.shared` address: memory from `AllocHGlobal` can be handed to the
/// SSL provider inside an ioctl buffer exactly as on Windows CE. A bad address, a read past the end of a
/// block, a double free or a use after free throws `AccessViolationException` and touches no real memory.
///
/// The corresponding .NET type is `System.Runtime.InteropServices.Marshal`.
public enum Marshal {
    static let heap = UnmanagedHeap.shared

    private static func access<Result>(_ body: () throws(HeapAccessError) -> Result) throws -> Result {
        do {
            return try body()
        } catch {
            throw AccessViolationException(error)
        }
    }

    // MARK: Allocation

    /// The corresponding .NET member is `Marshal.AllocHGlobal(int)`. Throws `OutOfMemoryException` when
    /// the 32-bit heap cannot satisfy the request, `ArgumentOutOfRangeException` for a negative size.
    public static func AllocHGlobal(_ cb: some BinaryInteger) throws -> IntPtr {
        let cb = try CSharpInteger.int(cb, "cb")
        guard cb >= 0 else { throw ArgumentOutOfRangeException("cb", cb, "Non-negative number required.") }
        do {
            return IntPtr(address: try heap.allocate(cb))
        } catch {
            throw OutOfMemoryException("Insufficient memory to continue the execution of the program: \(error.detail).")
        }
    }

    /// The corresponding .NET member is `Marshal.AllocHGlobal(IntPtr)`.
    public static func AllocHGlobal(_ cb: IntPtr) throws -> IntPtr {
        try AllocHGlobal(Int(cb.ToInt32()))
    }

    /// Frees a block from `AllocHGlobal`; `IntPtr.Zero` is ignored, as in .NET.
    ///
    /// The corresponding .NET member is `Marshal.FreeHGlobal(IntPtr)`.
    public static func FreeHGlobal(_ hglobal: IntPtr) throws {
        guard hglobal != .Zero else { return }
        try access { () throws(HeapAccessError) in try heap.free(hglobal.address) }
    }

    // MARK: Reading and writing

    /// The corresponding .NET member is `Marshal.ReadByte(IntPtr)`.
    public static func ReadByte(_ ptr: IntPtr) throws -> UInt8 { try ReadByte(ptr, 0) }

    /// The corresponding .NET member is `Marshal.ReadByte(IntPtr, int)`.
    public static func ReadByte(_ ptr: IntPtr, _ ofs: some BinaryInteger) throws -> UInt8 {
        let ofs = try CSharpInteger.int(ofs, "ofs")
        return try access { () throws(HeapAccessError) in try heap.readByte((ptr + ofs).address) }
    }

    /// The corresponding .NET member is `Marshal.WriteByte(IntPtr, byte)`.
    public static func WriteByte(_ ptr: IntPtr, _ val: UInt8) throws { try WriteByte(ptr, 0, val) }

    /// The corresponding .NET member is `Marshal.WriteByte(IntPtr, int, byte)`.
    public static func WriteByte(_ ptr: IntPtr, _ ofs: some BinaryInteger, _ val: UInt8) throws {
        let ofs = try CSharpInteger.int(ofs, "ofs")
        try access { () throws(HeapAccessError) in try heap.writeByte((ptr + ofs).address, val) }
    }

    /// The corresponding .NET member is `Marshal.ReadInt16(IntPtr)` (little-endian).
    public static func ReadInt16(_ ptr: IntPtr) throws -> Int16 { try ReadInt16(ptr, 0) }

    /// The corresponding .NET member is `Marshal.ReadInt16(IntPtr, int)` (little-endian).
    public static func ReadInt16(_ ptr: IntPtr, _ ofs: some BinaryInteger) throws -> Int16 {
        let ofs = try CSharpInteger.int(ofs, "ofs")
        let bytes = try access { () throws(HeapAccessError) in try heap.read((ptr + ofs).address, count: 2) }
        return Int16(bitPattern: UInt16(bytes[0]) | UInt16(bytes[1]) << 8)
    }

    /// The corresponding .NET member is `Marshal.WriteInt16(IntPtr, int, short)`.
    public static func WriteInt16(_ ptr: IntPtr, _ ofs: some BinaryInteger, _ val: Int16) throws {
        let ofs = try CSharpInteger.int(ofs, "ofs")
        let bits = UInt16(bitPattern: val)
        try access { () throws(HeapAccessError) in
            try heap.write((ptr + ofs).address, [UInt8(truncatingIfNeeded: bits), UInt8(truncatingIfNeeded: bits >> 8)])
        }
    }

    /// The corresponding .NET member is `Marshal.WriteInt16(IntPtr, short)`.
    public static func WriteInt16(_ ptr: IntPtr, _ val: Int16) throws { try WriteInt16(ptr, 0, val) }

    /// The corresponding .NET member is `Marshal.ReadInt32(IntPtr)` (little-endian, as on CE devices).
    public static func ReadInt32(_ ptr: IntPtr) throws -> Int32 { try ReadInt32(ptr, 0) }

    /// The corresponding .NET member is `Marshal.ReadInt32(IntPtr, int)`.
    public static func ReadInt32(_ ptr: IntPtr, _ ofs: some BinaryInteger) throws -> Int32 {
        let ofs = try CSharpInteger.int(ofs, "ofs")
        return Int32(bitPattern: try access { () throws(HeapAccessError) in try heap.readUInt32((ptr + ofs).address) })
    }

    /// The corresponding .NET member is `Marshal.WriteInt32(IntPtr, int)`.
    public static func WriteInt32(_ ptr: IntPtr, _ val: Int32) throws { try WriteInt32(ptr, 0, val) }

    /// The corresponding .NET member is `Marshal.WriteInt32(IntPtr, int, int)`.
    public static func WriteInt32(_ ptr: IntPtr, _ ofs: some BinaryInteger, _ val: Int32) throws {
        let ofs = try CSharpInteger.int(ofs, "ofs")
        try access { () throws(HeapAccessError) in try heap.writeUInt32((ptr + ofs).address, UInt32(bitPattern: val)) }
    }

    /// Reads a 4-byte pointer, as on CE. The corresponding .NET member is `Marshal.ReadIntPtr(IntPtr)`.
    public static func ReadIntPtr(_ ptr: IntPtr) throws -> IntPtr { try ReadIntPtr(ptr, 0) }

    /// The corresponding .NET member is `Marshal.ReadIntPtr(IntPtr, int)`.
    public static func ReadIntPtr(_ ptr: IntPtr, _ ofs: some BinaryInteger) throws -> IntPtr {
        let ofs = try CSharpInteger.int(ofs, "ofs")
        return IntPtr(try ReadInt32(ptr, ofs))
    }

    /// The corresponding .NET member is `Marshal.WriteIntPtr(IntPtr, IntPtr)`.
    public static func WriteIntPtr(_ ptr: IntPtr, _ val: IntPtr) throws { try WriteIntPtr(ptr, 0, val) }

    /// The corresponding .NET member is `Marshal.WriteIntPtr(IntPtr, int, IntPtr)`.
    public static func WriteIntPtr(_ ptr: IntPtr, _ ofs: some BinaryInteger, _ val: IntPtr) throws {
        let ofs = try CSharpInteger.int(ofs, "ofs")
        try WriteInt32(ptr, ofs, val.ToInt32())
    }

    /// Copies `length` bytes of `source`, from `startIndex`, to unmanaged memory.
    ///
    /// The corresponding .NET member is `Marshal.Copy(byte[], int, IntPtr, int)`.
    public static func Copy(_ source: [UInt8], _ startIndex: some BinaryInteger, _ destination: IntPtr, _ length: some BinaryInteger) throws {
        let startIndex = try CSharpInteger.int(startIndex, "startIndex")
        let length = try CSharpInteger.int(length, "length")
        try Stream.checkRange(source.count, startIndex, length)
        let bytes = Array(source[startIndex..<(startIndex + length)])
        try access { () throws(HeapAccessError) in try heap.write(destination.address, bytes) }
    }

    /// Copies `length` bytes from unmanaged memory into `destination` at `startIndex`.
    ///
    /// The corresponding .NET member is `Marshal.Copy(IntPtr, byte[], int, int)`; the array is `inout`.
    public static func Copy(_ source: IntPtr, _ destination: inout [UInt8], _ startIndex: some BinaryInteger, _ length: some BinaryInteger) throws {
        let startIndex = try CSharpInteger.int(startIndex, "startIndex")
        let length = try CSharpInteger.int(length, "length")
        try Stream.checkRange(destination.count, startIndex, length)
        let bytes = try access { () throws(HeapAccessError) in try heap.read(source.address, count: length) }
        destination.replaceSubrange(startIndex..<(startIndex + length), with: bytes)
    }

    // MARK: Strings

    /// Copies `s` as ANSI (ASCII here: other characters become `?`) with a NUL into a new block.
    ///
    /// The corresponding .NET member is `Marshal.StringToHGlobalAnsi(string)`.
    public static func StringToHGlobalAnsi(_ s: String) throws -> IntPtr {
        let bytes = Encoding.ASCII.GetBytes(s) + [0]
        let pointer = try AllocHGlobal(bytes.count)
        try Copy(bytes, 0, pointer, bytes.count)
        return pointer
    }

    /// Copies `s` as UTF-16LE with a 2-byte NUL into a new block.
    ///
    /// The corresponding .NET member is `Marshal.StringToHGlobalUni(string)`.
    public static func StringToHGlobalUni(_ s: String) throws -> IntPtr {
        var bytes: [UInt8] = []
        for unit in s.utf16 { bytes += [UInt8(truncatingIfNeeded: unit), UInt8(truncatingIfNeeded: unit >> 8)] }
        bytes += [0, 0]
        let pointer = try AllocHGlobal(bytes.count)
        try Copy(bytes, 0, pointer, bytes.count)
        return pointer
    }

    /// The NUL-terminated ANSI string at `ptr`; nil for `IntPtr.Zero`, as .NET returns null.
    ///
    /// The corresponding .NET member is `Marshal.PtrToStringAnsi(IntPtr)`.
    public static func PtrToStringAnsi(_ ptr: IntPtr) throws -> String? {
        guard ptr != .Zero else { return nil }
        let bytes = try access { () throws(HeapAccessError) in try heap.readNulTerminated(ptr.address) }
        return Encoding.ASCII.GetString(bytes)
    }

    /// The corresponding .NET member is `Marshal.PtrToStringAnsi(IntPtr, int)`.
    public static func PtrToStringAnsi(_ ptr: IntPtr, _ len: some BinaryInteger) throws -> String {
        let len = try CSharpInteger.int(len, "len")
        guard len >= 0 else { throw ArgumentOutOfRangeException("len", len, "Non-negative number required.") }
        let bytes = try access { () throws(HeapAccessError) in try heap.read(ptr.address, count: len) }
        return Encoding.ASCII.GetString(bytes)
    }

    /// The NUL-terminated UTF-16 string at `ptr`; nil for `IntPtr.Zero`.
    ///
    /// The corresponding .NET member is `Marshal.PtrToStringUni(IntPtr)`.
    public static func PtrToStringUni(_ ptr: IntPtr) throws -> String? {
        guard ptr != .Zero else { return nil }
        let units = try access { () throws(HeapAccessError) in try heap.readNulTerminatedUTF16(ptr.address) }
        return String(decoding: units, as: UTF16.self)
    }

    // MARK: Delegates

    /// Registers a certificate-hook delegate and returns its address, which the SSL provider calls back
    /// during the handshake (pass it in the `SSLVALIDATECERTHOOK` structure).
    ///
    /// `d` may be an instance method of the program's class (`GetFunctionPointerForDelegate(ValidateCert)`,
    /// C#'s `new SSLVALIDATECERTFUNC(this.ValidateCert)`): it runs on the thread that performs the
    /// handshake (the one in `Connect`, `IOControl(SO_SSL_PERFORM_HANDSHAKE)` or an asynchronous connect's
    /// worker), as a .NET delegate would. A hook that throws rejects the certificate as if it had returned
    /// `SSL_ERR_FAILED`: the handshake fails with `SocketException` 10053, `CertificateHookResult` 2.
    ///
    /// Lifetime (what .NET's garbage collector decides there): the registration keeps `d` alive until a
    /// socket takes the hook with `SO_SSL_SET_VALIDATE_CERT_HOOK`; from then on the sockets that took it
    /// keep it, until their handshake is over or they close, and then it is released and the address
    /// forgotten. So a helper whose instance method is the hook is freed after its sockets are done, without
    /// `ReleaseFunctionPointer` (which still forgets an address at once).
    ///
    /// The corresponding .NET member is `Marshal.GetFunctionPointerForDelegate(Delegate)`.
    public static func GetFunctionPointerForDelegate(_ d: @escaping SSLVALIDATECERTFUNC) throws -> IntPtr {
        let registration = DelegateRegistration(d)
        let hook = CertificateHook(call: { type, argument, chainLength, chain, flags in
            registration.callCertificateHook(type, argument, chainLength, chain, flags)
        }, delegate: registration)
        let address = try register(hook)
        registration.address = address.address
        return address
    }

    /// The same for a hook declared with C# `int` parameters instead of `uint` (the bits are the same).
    ///
    /// The corresponding .NET member is `Marshal.GetFunctionPointerForDelegate(Delegate)`.
    @_disfavoredOverload
    public static func GetFunctionPointerForDelegate(
        _ d: @escaping (_ dwType: int, _ pvArg: IntPtr, _ dwChainLen: int, _ pCertChain: IntPtr, _ dwFlags: int) throws -> int
    ) throws -> IntPtr {
        try GetFunctionPointerForDelegate({ dwType, pvArg, dwChainLen, pCertChain, dwFlags in
            try d(int(bitPattern: dwType), pvArg, int(bitPattern: dwChainLen), pCertChain, int(bitPattern: dwFlags))
        } as SSLVALIDATECERTFUNC)
    }

    /// A hook declared with a `string` `pvArg` (C#: `int ValidateCert(uint dwType, string host, uint dwChainLen,
    /// IntPtr pCertChain, uint dwFlags)`), ported as `string?`: the delegate gets `nil` when the program
    /// registered the hook with a null `pvArg` (`IntPtr.Zero`), and otherwise the NUL-terminated ANSI string at
    /// `pvArg` on the emulated heap (as `Marshal.PtrToStringAnsi(pvArg)` reads it).
    ///
    /// Project decision: the SSL provider passes `pvArg` back as the `char*`-sized value the program stored in
    /// `SSLVALIDATECERTHOOK`, and CE SSL code stores an ANSI host name there (the SslHelper pattern writes it byte
    /// by byte with `Marshal.WriteByte`), so the text is read as ANSI. We could not confirm from Microsoft's
    /// documentation how the Compact Framework converted a `string` parameter of a delegate called from native
    /// code (its default for strings is UTF-16); ports that store a UTF-16 string there should declare `pvArg`
    /// as `IntPtr` and read it with `Marshal.PtrToStringUni`. A `pvArg` that is not a readable string on the
    /// heap makes the delegate's call throw `AccessViolationException`, which rejects the certificate (as any
    /// throwing hook does).
    ///
    /// The corresponding .NET member is `Marshal.GetFunctionPointerForDelegate(Delegate)`.
    public static func GetFunctionPointerForDelegate(
        _ d: @escaping (_ dwType: uint, _ pvArg: string?, _ dwChainLen: uint, _ pCertChain: IntPtr, _ dwFlags: uint) throws -> int
    ) throws -> IntPtr {
        try GetFunctionPointerForDelegate({ dwType, pvArg, dwChainLen, pCertChain, dwFlags in
            try d(dwType, try PtrToStringAnsi(pvArg), dwChainLen, pCertChain, dwFlags)
        } as SSLVALIDATECERTFUNC)
    }

    /// A non-optional `string` `pvArg` cannot hold the null that real code registers (C# checks `host == null`),
    /// so it is refused at compile time.
    @available(*, unavailable, message: "a C# string parameter may be null: declare pvArg as string? (MIGRATION.md, section 1: delegates)")
    public static func GetFunctionPointerForDelegate(
        _ d: @escaping (_ dwType: uint, _ pvArg: string, _ dwChainLen: uint, _ pCertChain: IntPtr, _ dwFlags: uint) throws -> int
    ) throws -> IntPtr {
        fatalError("unavailable")
    }

    private static func register(_ function: any Sendable) throws -> IntPtr {
        do {
            return IntPtr(address: try heap.registerFunction(function))
        } catch {
            throw OutOfMemoryException(error.detail)
        }
    }

    /// The delegate registered at `ptr`, as type `t`.
    ///
    /// The corresponding .NET member is `Marshal.GetDelegateForFunctionPointer(IntPtr, Type)`.
    public static func GetDelegateForFunctionPointer<Delegate>(_ ptr: IntPtr, _ t: Delegate.Type) throws -> Delegate {
        let registered = heap.function(at: ptr.address)
        guard let hook = registered as? CertificateHook, let registration = hook.delegate as? DelegateRegistration else {
            throw ArgumentException("\(UnmanagedHeap.hex(ptr.address)) is not a function pointer from GetFunctionPointerForDelegate.", "ptr")
        }
        guard let function = registration.function else {
            throw ArgumentException("The delegate at \(UnmanagedHeap.hex(ptr.address)) has been released.", "ptr")
        }
        guard let delegate = function as? Delegate else {
            throw ArgumentException("The function at \(UnmanagedHeap.hex(ptr.address)) is not a \(Delegate.self).", "t")
        }
        return delegate
    }

    /// Forgets a function pointer at once (what the .NET garbage collector does once the delegate is
    /// unreachable). Project addition; not part of .NET, and not needed: see `GetFunctionPointerForDelegate`.
    public static func ReleaseFunctionPointer(_ ptr: IntPtr) {
        heap.unregisterFunction(ptr.address)
    }

    /// 4 on Windows CE for pointers. The corresponding .NET member is `Marshal.SizeOf` (for `IntPtr` only).
    public static func SizeOf(_ type: IntPtr.Type) -> int { int(IntPtr.Size) }

    /// The size of an integer type: `Marshal.SizeOf(typeof(int))` is `Marshal.SizeOf(int.self)`, 4.
    ///
    /// The corresponding .NET member is `Marshal.SizeOf(Type)`.
    public static func SizeOf<T: FixedWidthInteger>(_ t: T.Type) -> int { int(T.bitWidth / 8) }
}

/// The certificate callback of the Windows CE SSL provider, as the blog's `SslHelper` declares it:
/// `delegate int SSLVALIDATECERTFUNC(uint dwType, IntPtr pvArg, uint dwChainLen, IntPtr pCertChain, uint dwFlags)`.
///
/// Like every NetCF delegate type it is a plain throwing function type: C#'s `new SSLVALIDATECERTFUNC(ValidateCert)`
/// is `ValidateCert`, an instance method of any class included (it is not `@Sendable`; see
/// `Marshal.GetFunctionPointerForDelegate` for the thread it runs on). A hook that throws rejects the certificate.
public typealias SSLVALIDATECERTFUNC = (_ dwType: uint, _ pvArg: IntPtr, _ dwChainLen: uint, _ pCertChain: IntPtr, _ dwFlags: uint) throws -> int

/// The corresponding .NET type is `System.OutOfMemoryException`.
public struct OutOfMemoryException: DotNetException, Hashable {
    public static let dotNetTypeName = "System.OutOfMemoryException"
    public let Message: String
    public init(_ message: String = "Insufficient memory to continue the execution of the program.") {
        Message = message
    }
}
