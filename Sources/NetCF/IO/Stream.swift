/// A sequence of bytes that can be read or written.
///
/// The corresponding .NET type is `System.IO.Stream`. Subclasses override what they support; the rest
/// throws `NotSupportedException` as .NET's does.
open class Stream: IDisposable {
    public init() {}

    /// The corresponding .NET member is `Stream.CanRead`.
    open var CanRead: Bool { false }
    /// The corresponding .NET member is `Stream.CanWrite`.
    open var CanWrite: Bool { false }

    /// Reads up to `count` bytes into `buffer` at `offset`; 0 at the end of the stream.
    ///
    /// The corresponding .NET member is `Stream.Read(byte[], int, int)`.
    open func Read(_ buffer: inout [UInt8], _ offset: int, _ count: int) throws -> int {
        throw NotSupportedException("Stream does not support reading.")
    }

    /// The corresponding .NET member is `Stream.Write(byte[], int, int)`.
    open func Write(_ buffer: [UInt8], _ offset: int, _ count: int) throws {
        throw NotSupportedException("Stream does not support writing.")
    }

    /// `Read` with offsets of any integer type (C# widens `byte`, `short`, … to `int`).
    @_disfavoredOverload
    public func Read(_ buffer: inout [UInt8], _ offset: some BinaryInteger, _ count: some BinaryInteger) throws -> int {
        try Read(&buffer, try CSharpInteger.int32(offset, "offset"), try CSharpInteger.int32(count, "count"))
    }

    /// `Write` with offsets of any integer type.
    @_disfavoredOverload
    public func Write(_ buffer: [UInt8], _ offset: some BinaryInteger, _ count: some BinaryInteger) throws {
        try Write(buffer, try CSharpInteger.int32(offset, "offset"), try CSharpInteger.int32(count, "count"))
    }

    /// The corresponding .NET member is `Stream.Flush()`.
    open func Flush() throws {}

    /// The corresponding .NET member is `Stream.Close()`.
    open func Close() {}

    /// The corresponding .NET member is `Stream.Dispose()`.
    public func Dispose() { Close() }

    /// The corresponding .NET member is `Stream.ReadByte()`: the next byte, or -1 at the end.
    public func ReadByte() throws -> int {
        var one = [UInt8](repeating: 0, count: 1)
        return try Read(&one, 0, 1) == 0 ? -1 : int(one[0])
    }

    /// The corresponding .NET member is `Stream.WriteByte(byte)`.
    public func WriteByte(_ value: UInt8) throws {
        try Write([value], 0, 1)
    }

    /// Reads into raw memory; readers use this to avoid an intermediate array.
    open func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var bytes = [UInt8](repeating: 0, count: buffer.count)
        let count = Int(try Read(&bytes, 0, bytes.count))
        buffer.copyBytes(from: bytes[0..<count])
        return count
    }

    /// The socket a reader of this stream must register with, if any.
    open var underlyingSocket: Socket? { nil }

    static func checkRange(_ length: Int, _ offset: Int, _ count: Int) throws {
        guard offset >= 0 else { throw ArgumentOutOfRangeException("offset", offset, "Non-negative number required.") }
        guard count >= 0 else { throw ArgumentOutOfRangeException("count", count, "Non-negative number required.") }
        guard length - offset >= count else {
            throw ArgumentException("Offset and length were out of bounds for the array or count is greater than the number of elements from index to the end of the source collection.")
        }
    }
}

/// A stream over a byte array in memory.
///
/// The corresponding .NET type is `System.IO.MemoryStream`.
public final class MemoryStream: Stream {
    private var bytes: [UInt8]
    private var position = 0
    private var closed = false

    public override init() { bytes = [] }

    /// The corresponding .NET member is `MemoryStream(byte[])`.
    public init(_ buffer: [UInt8]) { bytes = buffer }

    public override var CanRead: Bool { !closed }
    public override var CanWrite: Bool { !closed }

    /// The corresponding .NET member is `MemoryStream.Position`.
    public var Position: long {
        get { long(position) }
        set { position = Int(max(0, newValue)) }
    }

    /// The corresponding .NET member is `MemoryStream.Length`.
    public var Length: long { long(bytes.count) }

    public override func Read(_ buffer: inout [UInt8], _ offset: int, _ count: int) throws -> int {
        let offset = Int(offset), count = Int(count)
        guard !closed else { throw ObjectDisposedException(nil, "Cannot access a closed Stream.") }
        try Stream.checkRange(buffer.count, offset, count)
        let available = max(0, min(count, bytes.count - position))
        buffer.replaceSubrange(offset..<(offset + available), with: bytes[position..<(position + available)])
        position += available
        return int(available)
    }

    public override func Write(_ buffer: [UInt8], _ offset: int, _ count: int) throws {
        let offset = Int(offset), count = Int(count)
        guard !closed else { throw ObjectDisposedException(nil, "Cannot access a closed Stream.") }
        try Stream.checkRange(buffer.count, offset, count)
        if position > bytes.count { bytes += [UInt8](repeating: 0, count: position - bytes.count) }
        let overlap = min(count, bytes.count - position)
        bytes.replaceSubrange(position..<(position + overlap), with: buffer[offset..<(offset + overlap)])
        bytes += buffer[(offset + overlap)..<(offset + count)]
        position += count
    }

    /// The corresponding .NET member is `MemoryStream.ToArray()`.
    public func ToArray() -> [UInt8] { bytes }

    public override func Close() { closed = true }
}
