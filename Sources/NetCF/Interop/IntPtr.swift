/// A pointer-sized integer on a 32-bit Windows CE device: a 32-bit address in the emulated heap.
///
/// Windows CE pointers were 4 bytes, and ported code relies on it (`BitConverter.GetBytes(p.ToInt32())`
/// packs a pointer into a structure). Here an `IntPtr` holds an address of `UnmanagedHeap`, which always
/// fits in 31 bits, so those lines keep working on a 64-bit host.
///
/// The corresponding .NET type is `System.IntPtr`.
public struct IntPtr: Hashable, Sendable, CustomStringConvertible {
    /// The address as an unsigned 32-bit value.
    public let address: UInt32

    /// The corresponding .NET member is `IntPtr(int)`.
    public init(_ value: Int32) {
        address = UInt32(bitPattern: value)
    }

    /// The corresponding .NET member is `IntPtr(long)`; values beyond 32 bits keep their low 32 bits, as on a 32-bit device
    /// (where .NET would throw `OverflowException`, this never matters for addresses of the emulated heap).
    public init(_ value: Int) {
        address = UInt32(truncatingIfNeeded: value)
    }

    /// The corresponding .NET member is `IntPtr(long)` for a `long` value; the low 32 bits, as for `Int`.
    public init(_ value: Int64) {
        address = UInt32(truncatingIfNeeded: value)
    }

    public init(address: UInt32) {
        self.address = address
    }

    /// The corresponding .NET member is `IntPtr.Zero`.
    public static let Zero = IntPtr(address: 0)

    /// 4, the size of a pointer on Windows CE. The corresponding .NET member is `IntPtr.Size`.
    public static let Size: int = 4

    /// The corresponding .NET member is `IntPtr.ToInt32()`.
    public func ToInt32() -> Int32 { Int32(bitPattern: address) }

    /// The corresponding .NET member is `IntPtr.ToInt64()`.
    public func ToInt64() -> Int64 { Int64(Int32(bitPattern: address)) }

    /// The corresponding .NET member is `IntPtr.ToString()`.
    public func ToString() -> String { String(ToInt32()) }
    public var description: String { ToString() }

    /// The corresponding .NET members are `IntPtr.Add` and the `+` operator.
    public static func + (pointer: IntPtr, offset: Int) -> IntPtr {
        IntPtr(address: pointer.address &+ UInt32(truncatingIfNeeded: offset))
    }

    /// The corresponding .NET members are `IntPtr.Subtract` and the `-` operator.
    public static func - (pointer: IntPtr, offset: Int) -> IntPtr {
        IntPtr(address: pointer.address &- UInt32(truncatingIfNeeded: offset))
    }

    /// The corresponding .NET member is `IntPtr.Add(IntPtr, int)`.
    public static func Add(_ pointer: IntPtr, _ offset: Int) -> IntPtr { pointer + offset }

    /// `+` with a C# `int` offset.
    public static func + (pointer: IntPtr, offset: int) -> IntPtr { pointer + Int(offset) }

    /// `-` with a C# `int` offset.
    public static func - (pointer: IntPtr, offset: int) -> IntPtr { pointer - Int(offset) }

    /// `IntPtr.Add` with a C# `int` offset.
    public static func Add(_ pointer: IntPtr, _ offset: int) -> IntPtr { pointer + Int(offset) }
}
