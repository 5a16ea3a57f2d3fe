/// Converts integers to and from bytes in the byte order of a Windows CE device.
///
/// CE devices (ARM, x86, SH, MIPS as Microsoft configured them) were little-endian, and code such as the
/// blog's `SslHelper` writes `BitConverter.GetBytes(int)` straight into Winsock structures. This type
/// emulates those devices: it always produces and reads little-endian bytes, whatever the host.
///
/// An untyped integer literal picks the `Int32` overload (`GetBytes(8)` gives four bytes), as a C#
/// `int` literal does; the other overloads need a value of their type.
///
/// The corresponding .NET type is `System.BitConverter`.
public enum BitConverter {
    /// Always `true`: the emulated device is little-endian.
    ///
    /// The corresponding .NET member is `BitConverter.IsLittleEndian`.
    public static let IsLittleEndian = true

    // MARK: GetBytes

    /// The corresponding .NET member is `BitConverter.GetBytes(Boolean)`.
    @_disfavoredOverload
    public static func GetBytes(_ value: Bool) -> [UInt8] { [value ? 1 : 0] }

    /// The corresponding .NET member is `BitConverter.GetBytes(Int16)`.
    @_disfavoredOverload
    public static func GetBytes(_ value: Int16) -> [UInt8] { littleEndianBytes(value) }

    /// The corresponding .NET member is `BitConverter.GetBytes(UInt16)`.
    @_disfavoredOverload
    public static func GetBytes(_ value: UInt16) -> [UInt8] { littleEndianBytes(value) }

    /// The corresponding .NET member is `BitConverter.GetBytes(Int32)`.
    public static func GetBytes(_ value: Int32) -> [UInt8] { littleEndianBytes(value) }

    /// The corresponding .NET member is `BitConverter.GetBytes(UInt32)`.
    @_disfavoredOverload
    public static func GetBytes(_ value: UInt32) -> [UInt8] { littleEndianBytes(value) }

    /// The corresponding .NET member is `BitConverter.GetBytes(Int64)`.
    @_disfavoredOverload
    public static func GetBytes(_ value: Int64) -> [UInt8] { littleEndianBytes(value) }

    /// The corresponding .NET member is `BitConverter.GetBytes(UInt64)`.
    @_disfavoredOverload
    public static func GetBytes(_ value: UInt64) -> [UInt8] { littleEndianBytes(value) }

    // MARK: To…

    /// The corresponding .NET member is `BitConverter.ToInt16(Byte[], Int32)`.
    public static func ToInt16(_ value: [UInt8], _ startIndex: some BinaryInteger) throws -> Int16 {
        try read(value, try CSharpInteger.int(startIndex, "startIndex"))
    }

    /// The corresponding .NET member is `BitConverter.ToUInt16(Byte[], Int32)`.
    public static func ToUInt16(_ value: [UInt8], _ startIndex: some BinaryInteger) throws -> UInt16 {
        try read(value, try CSharpInteger.int(startIndex, "startIndex"))
    }

    /// The corresponding .NET member is `BitConverter.ToInt32(Byte[], Int32)`.
    public static func ToInt32(_ value: [UInt8], _ startIndex: some BinaryInteger) throws -> Int32 {
        try read(value, try CSharpInteger.int(startIndex, "startIndex"))
    }

    /// The corresponding .NET member is `BitConverter.ToUInt32(Byte[], Int32)`.
    public static func ToUInt32(_ value: [UInt8], _ startIndex: some BinaryInteger) throws -> UInt32 {
        try read(value, try CSharpInteger.int(startIndex, "startIndex"))
    }

    /// The corresponding .NET member is `BitConverter.ToInt64(Byte[], Int32)`.
    public static func ToInt64(_ value: [UInt8], _ startIndex: some BinaryInteger) throws -> Int64 {
        try read(value, try CSharpInteger.int(startIndex, "startIndex"))
    }

    /// The corresponding .NET member is `BitConverter.ToUInt64(Byte[], Int32)`.
    public static func ToUInt64(_ value: [UInt8], _ startIndex: some BinaryInteger) throws -> UInt64 {
        try read(value, try CSharpInteger.int(startIndex, "startIndex"))
    }

    /// `true` for any non-zero byte.
    ///
    /// The corresponding .NET member is `BitConverter.ToBoolean(Byte[], Int32)`.
    public static func ToBoolean(_ value: [UInt8], _ startIndex: some BinaryInteger) throws -> Bool {
        let startIndex = try CSharpInteger.int(startIndex, "startIndex")
        try checkStartIndex(value, startIndex)
        return value[startIndex] != 0
    }

    // MARK: ToString

    /// Upper-case hexadecimal pairs separated by hyphens, such as "01-AB-FF"; "" for no bytes.
    ///
    /// The corresponding .NET member is `BitConverter.ToString(Byte[])`.
    public static func ToString(_ value: [UInt8]) -> String {
        hexPairs(value[...])
    }

    /// The corresponding .NET member is `BitConverter.ToString(Byte[], Int32)`.
    public static func ToString(_ value: [UInt8], _ startIndex: some BinaryInteger) throws -> String {
        let startIndex = try CSharpInteger.int(startIndex, "startIndex")
        return try ToString(value, startIndex, value.count - startIndex)
    }

    /// The corresponding .NET member is `BitConverter.ToString(Byte[], Int32, Int32)`.
    public static func ToString(_ value: [UInt8], _ startIndex: some BinaryInteger, _ length: some BinaryInteger) throws -> String {
        let startIndex = try CSharpInteger.int(startIndex, "startIndex"), length = try CSharpInteger.int(length, "length")
        if startIndex < 0 || (startIndex >= value.count && startIndex > 0) {
            throw ArgumentOutOfRangeException("startIndex", "Index was out of range. Must be non-negative and less than the size of the collection.")
        }
        if length < 0 {
            throw ArgumentOutOfRangeException("length", "Value must be positive.")
        }
        guard startIndex <= value.count - length else {
            throw ArgumentException("Destination array is not long enough to copy all the items in the collection. Check array index and length.")
        }
        return hexPairs(value[startIndex..<(startIndex + length)])
    }

    // MARK: Internals

    private static func littleEndianBytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }

    private static func checkStartIndex(_ value: [UInt8], _ startIndex: Int) throws {
        guard startIndex >= 0 && startIndex < value.count else {
            throw ArgumentOutOfRangeException("startIndex", "Index was out of range. Must be non-negative and less than the size of the collection.")
        }
    }

    /// The same checks, in the same order and with the same wording, as the .NET Framework.
    private static func read<T: FixedWidthInteger>(_ value: [UInt8], _ startIndex: Int) throws -> T {
        try checkStartIndex(value, startIndex)
        let size = T.bitWidth / 8
        guard startIndex <= value.count - size else {
            throw ArgumentException("Destination array is not long enough to copy all the items in the collection. Check array index and length.", "value")
        }
        var result: T = 0
        for offset in 0..<size {
            result |= T(truncatingIfNeeded: value[startIndex + offset]) << (offset * 8)
        }
        return result
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func hexPairs(_ bytes: ArraySlice<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 3)
        for byte in bytes {
            if !text.isEmpty { text.append(UInt8(ascii: "-")) }
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: Unicode.UTF8.self)
    }
}
