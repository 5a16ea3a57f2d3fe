/// The byte order of every structure a Windows CE program hands the provider: CE ran on little-endian
/// ARM, MIPS, SH and x86 cores, so a `DWORD` in an ioctl buffer is least significant byte first.
enum LittleEndian {
    /// The `DWORD` at `offset`. The caller has checked that four bytes are there.
    static func dword(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }

    /// The pointer-sized value (4 or 8 bytes) at `offset`. The caller has checked that `size` bytes are there.
    static func pointer(_ bytes: [UInt8], _ offset: Int, size: Int) -> UInt64 {
        (0..<size).reduce(UInt64(0)) { value, index in value | UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
    }

    /// `value` as four bytes.
    static func bytes(_ value: UInt32) -> [UInt8] {
        [UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8),
         UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 24)]
    }

    /// The low `size` bytes of `value` (a pointer in an address space whose pointers are `size` bytes wide).
    static func bytes(_ value: UInt64, size: Int) -> [UInt8] {
        (0..<size).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }
}
