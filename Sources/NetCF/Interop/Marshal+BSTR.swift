/// BSTRs on the emulated heap, as COM and CE APIs take strings: a 4-byte little-endian length in bytes,
/// then the UTF-16LE text and a 2-byte NUL. The pointer a program holds points at the text, 4 bytes into
/// the block, as on Windows.
extension Marshal {
    /// Allocates a BSTR holding `s`; free it with `FreeBSTR`.
    ///
    /// The corresponding .NET member is `Marshal.StringToBSTR(string)`.
    public static func StringToBSTR(_ s: String?) throws -> IntPtr {
        guard let s else { return .Zero }
        var text: [UInt8] = []
        for unit in s.utf16 { text += [UInt8(truncatingIfNeeded: unit), UInt8(truncatingIfNeeded: unit >> 8)] }
        let length = UInt32(text.count)
        let bytes = [UInt8(truncatingIfNeeded: length), UInt8(truncatingIfNeeded: length >> 8),
                     UInt8(truncatingIfNeeded: length >> 16), UInt8(truncatingIfNeeded: length >> 24)] + text + [0, 0]
        let block: UInt32
        do {
            block = try heap.allocate(bytes.count)
        } catch {
            throw OutOfMemoryException("Insufficient memory to continue the execution of the program: \(error.detail).")
        }
        try bstrAccess { () throws(HeapAccessError) in try heap.write(block, bytes) }
        return IntPtr(address: block + 4)
    }

    /// The string in the BSTR at `ptr`, read by its length prefix (so it may contain NULs).
    /// Throws `ArgumentNullException` for `IntPtr.Zero`, and `AccessViolationException` when `ptr` is not
    /// the text of a live BSTR-shaped block.
    ///
    /// The corresponding .NET member is `Marshal.PtrToStringBSTR(IntPtr)`.
    public static func PtrToStringBSTR(_ ptr: IntPtr) throws -> String {
        guard ptr != .Zero else { throw ArgumentNullException("ptr") }
        guard ptr.address >= 4 else {
            throw AccessViolationException(HeapAccessError(address: ptr.address, "\(UnmanagedHeap.hex(ptr.address)) has no BSTR length prefix before it"))
        }
        let length = try bstrAccess { () throws(HeapAccessError) in Int32(bitPattern: try heap.readUInt32(ptr.address - 4)) }
        guard length >= 0, length % 2 == 0 else {
            throw AccessViolationException(HeapAccessError(address: ptr.address, "the BSTR length prefix \(length) at \(UnmanagedHeap.hex(ptr.address - 4)) is not an even byte count"))
        }
        let bytes = try bstrAccess { () throws(HeapAccessError) in try heap.read(ptr.address, count: Int(length)) }
        let units = stride(from: 0, to: bytes.count, by: 2).map { UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8 }
        return String(decoding: units, as: UTF16.self)
    }

    /// Frees a BSTR from `StringToBSTR`; `IntPtr.Zero` is ignored. A pointer that is not such a BSTR's text
    /// throws `AccessViolationException` (Windows would corrupt its heap).
    ///
    /// The corresponding .NET member is `Marshal.FreeBSTR(IntPtr)`.
    public static func FreeBSTR(_ ptr: IntPtr) throws {
        guard ptr != .Zero else { return }
        guard ptr.address >= 4 else {
            throw AccessViolationException(HeapAccessError(address: ptr.address, "\(UnmanagedHeap.hex(ptr.address)) is not a BSTR from StringToBSTR"))
        }
        try bstrAccess { () throws(HeapAccessError) in try heap.free(ptr.address - 4) }
    }

    private static func bstrAccess<Result>(_ body: () throws(HeapAccessError) -> Result) throws -> Result {
        do {
            return try body()
        } catch {
            throw AccessViolationException(error)
        }
    }
}
