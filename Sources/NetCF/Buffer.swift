/// Byte-level copies between arrays of primitive types.
///
/// The corresponding .NET type is `System.Buffer`.
public enum Buffer {
    /// Copies `count` bytes from `src`, starting `srcOffset` bytes in, to `dst`, starting `dstOffset` bytes in.
    /// Offsets and count are in bytes whatever the element types (for `[byte]` they are indexes); the elements
    /// are laid out little-endian, as on CE devices (and on every Linux host Swift supports). Copying within one
    /// array behaves as if through a temporary, because `src` is passed by value. On error nothing is copied.
    ///
    /// The corresponding .NET member is `Buffer.BlockCopy(Array, Int32, Array, Int32, Int32)`, with .NET's
    /// `ArgumentOutOfRangeException` for a negative offset or count and `ArgumentException` for a range past
    /// the end of either array.
    public static func BlockCopy<Source: FixedWidthInteger, Destination: FixedWidthInteger>(
        _ src: [Source], _ srcOffset: some BinaryInteger,
        _ dst: inout [Destination], _ dstOffset: some BinaryInteger, _ count: some BinaryInteger
    ) throws {
        let srcOffset = try CSharpInteger.int(srcOffset, "srcOffset")
        let dstOffset = try CSharpInteger.int(dstOffset, "dstOffset")
        let count = try CSharpInteger.int(count, "count")
        for (value, name) in [(srcOffset, "srcOffset"), (dstOffset, "dstOffset"), (count, "count")] where value < 0 {
            throw ArgumentOutOfRangeException(name, value, "Non-negative number required.")
        }
        let sourceLength = src.count * MemoryLayout<Source>.size
        let destinationLength = dst.count * MemoryLayout<Destination>.size
        guard sourceLength - srcOffset >= count, destinationLength - dstOffset >= count else {
            throw ArgumentException("Offset and length were out of bounds for the array or count is greater than the number of elements from index to the end of the source collection.")
        }
        src.withUnsafeBytes { source in
            dst.withUnsafeMutableBytes { destination in
                destination.baseAddress!.advanced(by: dstOffset)
                    .copyMemory(from: source.baseAddress!.advanced(by: srcOffset), byteCount: count)
            }
        }
    }

    /// A non-`inout` destination would lose the bytes copied into it.
    @available(*, unavailable, message: "Buffer.BlockCopy writes into dst: pass it with &, as in BlockCopy(src, 0, &dst, 0, n)")
    public static func BlockCopy<Source: FixedWidthInteger, Destination: FixedWidthInteger>(
        _ src: [Source], _ srcOffset: some BinaryInteger,
        _ dst: [Destination], _ dstOffset: some BinaryInteger, _ count: some BinaryInteger
    ) throws {
        fatalError("unavailable")
    }

    /// The number of bytes in `array`.
    ///
    /// The corresponding .NET member is `Buffer.ByteLength(Array)`.
    public static func ByteLength<Element: FixedWidthInteger>(_ array: [Element]) -> int {
        CSharpInteger.result(array.count * MemoryLayout<Element>.size)
    }
}
