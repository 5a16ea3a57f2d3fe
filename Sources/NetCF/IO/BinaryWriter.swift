/// Writes .NET's binary formats to a stream; the counterpart of `BinaryReader`.
///
/// `Write` picks its overload by the static type of the value, as C# does, and writes that type's width
/// little-endian: a `short` 2 bytes, an `int` 4, a `long` 8, a `bool` 1, a `float` 4, a `double` 8. An untyped
/// integer literal is an `int` (`Write(5)` writes 4 bytes) and a floating-point literal a `double`. A string
/// is its byte count as a 7-bit encoded integer followed by its bytes in the writer's encoding.
///
/// Bytes go to the stream at each call (there is no buffer of its own). After `Close`, writes throw
/// `ObjectDisposedException`.
///
/// The corresponding .NET type is `System.IO.BinaryWriter`.
public final class BinaryWriter: IDisposable {
    private var stream: Stream?
    private let encoding: Encoding

    /// A writer of UTF-8 characters.
    ///
    /// The corresponding .NET member is `BinaryWriter(Stream)`. Throws `ArgumentException` for a stream that
    /// cannot be written.
    public convenience init(_ output: Stream) throws {
        try self.init(output, Encoding.UTF8)
    }

    /// The corresponding .NET member is `BinaryWriter(Stream, Encoding)`.
    public init(_ output: Stream, _ encoding: Encoding) throws {
        guard output.CanWrite else { throw ArgumentException("Stream was not writable.") }
        stream = output
        self.encoding = encoding
    }

    /// The stream written to.
    ///
    /// The corresponding .NET member is `BinaryWriter.BaseStream`.
    public var BaseStream: Stream {
        get throws { try open() }
    }

    private func open() throws -> Stream {
        guard let stream else { throw ObjectDisposedException(nil, "Cannot access a closed file.") }
        return stream
    }

    private func put(_ bytes: [byte]) throws {
        try open().Write(bytes, 0, int(bytes.count))
    }

    private func putLittleEndian<T: FixedWidthInteger>(_ value: T) throws {
        try put((0..<MemoryLayout<T>.size).map { byte(truncatingIfNeeded: value >> ($0 * 8)) })
    }

    // MARK: Bytes and characters

    /// The corresponding .NET member is `BinaryWriter.Write(Byte)`.
    @_disfavoredOverload
    public func Write(_ value: byte) throws { try put([value]) }

    /// The corresponding .NET member is `BinaryWriter.Write(SByte)`.
    @_disfavoredOverload
    public func Write(_ value: sbyte) throws { try put([byte(bitPattern: value)]) }

    /// One byte: 1 for `true`, 0 for `false`.
    ///
    /// The corresponding .NET member is `BinaryWriter.Write(Boolean)`.
    public func Write(_ value: bool) throws { try put([value ? 1 : 0]) }

    /// The corresponding .NET member is `BinaryWriter.Write(Byte[])`.
    public func Write(_ buffer: [byte]) throws { try put(buffer) }

    /// `count` bytes of `buffer` from `index`.
    ///
    /// The corresponding .NET member is `BinaryWriter.Write(Byte[], Int32, Int32)`.
    public func Write(_ buffer: [byte], _ index: some BinaryInteger, _ count: some BinaryInteger) throws {
        let index = try CSharpInteger.int32(index, "index"), count = try CSharpInteger.int32(count, "count")
        try open().Write(buffer, index, count)
    }

    /// The character in the writer's encoding (ASCII: one byte, `?` for anything above 0x7F).
    ///
    /// The corresponding .NET member is `BinaryWriter.Write(Char)`.
    public func Write(_ ch: char) throws { try put(encoding.GetBytes([ch])) }

    /// The characters in the writer's encoding, without a length.
    ///
    /// The corresponding .NET member is `BinaryWriter.Write(Char[])`.
    public func Write(_ chars: [char]) throws { try put(encoding.GetBytes(chars)) }

    /// `count` characters of `chars` from `index`, without a length.
    ///
    /// The corresponding .NET member is `BinaryWriter.Write(Char[], Int32, Int32)`.
    public func Write(_ chars: [char], _ index: some BinaryInteger, _ count: some BinaryInteger) throws {
        let index = try CSharpInteger.int(index, "index"), count = try CSharpInteger.int(count, "count")
        try Stream.checkRange(chars.count, index, count)
        try put(encoding.GetBytes(Array(chars[index..<(index + count)])))
    }

    /// The byte count as a 7-bit encoded integer, then the bytes in the writer's encoding.
    ///
    /// The corresponding .NET member is `BinaryWriter.Write(String)`.
    public func Write(_ value: string) throws {
        let bytes = encoding.GetBytes(value)
        try Write7BitEncodedInt(int(bytes.count))
        try put(bytes)
    }

    /// An `int` in seven-bit groups, least significant first, the high bit of each byte set when another follows
    /// (a negative value takes five bytes).
    ///
    /// The corresponding .NET member is `BinaryWriter.Write7BitEncodedInt(Int32)` (protected in .NET 2.0).
    public func Write7BitEncodedInt(_ value: int) throws {
        var rest = UInt32(bitPattern: value)
        var bytes: [byte] = []
        while rest >= 0x80 {
            bytes.append(byte(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(byte(rest))
        try put(bytes)
    }

    // MARK: Numbers

    /// The corresponding .NET member is `BinaryWriter.Write(Int16)`.
    @_disfavoredOverload
    public func Write(_ value: short) throws { try putLittleEndian(value) }
    /// The corresponding .NET member is `BinaryWriter.Write(UInt16)`.
    @_disfavoredOverload
    public func Write(_ value: ushort) throws { try putLittleEndian(value) }
    /// The corresponding .NET member is `BinaryWriter.Write(Int32)`; an untyped literal picks it.
    public func Write(_ value: int) throws { try putLittleEndian(value) }
    /// The corresponding .NET member is `BinaryWriter.Write(UInt32)`.
    @_disfavoredOverload
    public func Write(_ value: uint) throws { try putLittleEndian(value) }
    /// The corresponding .NET member is `BinaryWriter.Write(Int64)`.
    @_disfavoredOverload
    public func Write(_ value: long) throws { try putLittleEndian(value) }
    /// The corresponding .NET member is `BinaryWriter.Write(UInt64)`.
    @_disfavoredOverload
    public func Write(_ value: ulong) throws { try putLittleEndian(value) }
    /// The IEEE 754 bits, little-endian.
    ///
    /// The corresponding .NET member is `BinaryWriter.Write(Single)`.
    @_disfavoredOverload
    public func Write(_ value: float) throws { try putLittleEndian(value.bitPattern) }
    /// The IEEE 754 bits, little-endian; a floating-point literal picks it.
    ///
    /// The corresponding .NET member is `BinaryWriter.Write(Double)`.
    @_disfavoredOverload
    public func Write(_ value: double) throws { try putLittleEndian(value.bitPattern) }

    // MARK: Flushing and closing

    /// Flushes the stream.
    ///
    /// The corresponding .NET member is `BinaryWriter.Flush()`.
    public func Flush() throws { try open().Flush() }

    /// Moves the stream's position (the writer keeps no buffer of its own); a stream that cannot seek throws
    /// `NotSupportedException`, as in .NET.
    ///
    /// The corresponding .NET member is `BinaryWriter.Seek(int, SeekOrigin)`.
    @discardableResult
    public func Seek(_ offset: some BinaryInteger, _ origin: SeekOrigin) throws -> long {
        try open().Seek(long(try CSharpInteger.int32(offset, "offset")), origin)
    }

    /// Flushes and closes the writer and its stream. Calling it again does nothing.
    ///
    /// The corresponding .NET member is `BinaryWriter.Close()`.
    public func Close() {
        guard let stream else { return }
        try? stream.Flush()
        stream.Close()
        self.stream = nil
    }

    /// The corresponding .NET member is `BinaryWriter.Dispose()`.
    public func Dispose() { Close() }
}
