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

    // MARK: Seeking

    /// The corresponding .NET member is `Stream.CanSeek`.
    open var CanSeek: Bool { false }

    /// The length in bytes; a stream that cannot seek throws `NotSupportedException`, as in .NET.
    ///
    /// The corresponding .NET member is `Stream.Length`.
    open var Length: long {
        get throws { throw NotSupportedException("Stream does not support seeking.") }
    }

    /// The current position; a stream that cannot seek throws `NotSupportedException`, as in .NET.
    ///
    /// Swift has no throwing setters, so the base class only reads it: set the position with
    /// `Seek(value, SeekOrigin.Begin)`, which is what .NET's setter does. A stream that can always seek (as
    /// `MemoryStream`) overrides it with a settable property.
    ///
    /// The corresponding .NET member is `Stream.Position`.
    open var Position: long {
        get throws { throw NotSupportedException("Stream does not support seeking.") }
    }

    /// The corresponding .NET member is `Stream.Seek(long, SeekOrigin)`.
    open func Seek(_ offset: long, _ origin: SeekOrigin) throws -> long {
        throw NotSupportedException("Stream does not support seeking.")
    }

    /// The corresponding .NET member is `Stream.SetLength(long)`.
    open func SetLength(_ value: long) throws {
        throw NotSupportedException("Stream does not support seeking.")
    }

    // MARK: Asynchronous reads and writes

    /// Runs `Read` on a worker thread (see `IAsyncResult`); the callback runs there when it has finished.
    ///
    /// A Swift array is a value, so the worker cannot fill the caller's `buffer` as .NET fills the array it
    /// was given: the bytes are written into the array passed to `EndRead(ar, &buffer)`, at this `offset`,
    /// as for `Socket.EndReceive`.
    ///
    /// The corresponding .NET member is `Stream.BeginRead(byte[], int, int, AsyncCallback, object)`.
    @discardableResult
    open func BeginRead(_ buffer: [UInt8], _ offset: int, _ count: int, _ callback: AsyncCallback?, _ state: Any?) throws -> IAsyncResult {
        let offset = Int(offset), count = Int(count)
        try Stream.checkRange(buffer.count, offset, count)
        return try AsyncOperation<AsyncReadBytes>.begin(self, "BeginRead", callback, state) {
            var chunk = [UInt8](repeating: 0, count: count)
            let read = Int(try self.Read(&chunk, 0, int(count)))
            return AsyncReadBytes(offset: offset, bytes: Array(chunk.prefix(read)))
        }
    }

    /// Blocks until the read has finished, copies its bytes into `buffer` at the offset given to `BeginRead`,
    /// and returns their count (0: the end of the stream); rethrows what `Read` threw.
    ///
    /// The corresponding .NET member is `Stream.EndRead(IAsyncResult)`; the array that .NET filled is passed
    /// here with `&`.
    open func EndRead(_ asyncResult: IAsyncResult?, _ buffer: inout [UInt8]) throws -> int {
        int(try AsyncOperation<AsyncReadBytes>.end(asyncResult, self, "BeginRead", "EndRead").copy(into: &buffer))
    }

    /// Not available: the bytes read would be lost. Pass the array that `BeginRead` was given.
    @available(*, unavailable, message: "pass the read buffer with &: EndRead(ar, &buffer) writes the bytes into it, as .NET fills the array given to BeginRead")
    public func EndRead(_ asyncResult: IAsyncResult?) throws -> int { 0 }

    /// Runs `Write` on a worker thread. The bytes are copied when this is called, so the program may reuse
    /// `buffer` at once.
    ///
    /// The corresponding .NET member is `Stream.BeginWrite(byte[], int, int, AsyncCallback, object)`.
    @discardableResult
    open func BeginWrite(_ buffer: [UInt8], _ offset: int, _ count: int, _ callback: AsyncCallback?, _ state: Any?) throws -> IAsyncResult {
        let offset = Int(offset), count = Int(count)
        try Stream.checkRange(buffer.count, offset, count)
        let bytes = Array(buffer[offset..<(offset + count)])
        return try AsyncOperation<Void>.begin(self, "BeginWrite", callback, state) {
            try self.Write(bytes, 0, int(bytes.count))
        }
    }

    /// Blocks until the write has finished; rethrows what `Write` threw.
    ///
    /// The corresponding .NET member is `Stream.EndWrite(IAsyncResult)`.
    open func EndWrite(_ asyncResult: IAsyncResult?) throws {
        try AsyncOperation<Void>.end(asyncResult, self, "BeginWrite", "EndWrite")
    }

    /// `BeginRead` with offsets of any integer type.
    @_disfavoredOverload @discardableResult
    public func BeginRead(_ buffer: [UInt8], _ offset: some BinaryInteger, _ count: some BinaryInteger,
                          _ callback: AsyncCallback?, _ state: Any?) throws -> IAsyncResult {
        try BeginRead(buffer, try CSharpInteger.int32(offset, "offset"), try CSharpInteger.int32(count, "count"), callback, state)
    }

    /// `BeginWrite` with offsets of any integer type.
    @_disfavoredOverload @discardableResult
    public func BeginWrite(_ buffer: [UInt8], _ offset: some BinaryInteger, _ count: some BinaryInteger,
                           _ callback: AsyncCallback?, _ state: Any?) throws -> IAsyncResult {
        try BeginWrite(buffer, try CSharpInteger.int32(offset, "offset"), try CSharpInteger.int32(count, "count"), callback, state)
    }

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

    public override var CanSeek: Bool { !closed }

    /// The corresponding .NET member is `MemoryStream.Position`.
    public override var Position: long {
        get { long(position) }
        set { position = Int(max(0, newValue)) }
    }

    /// The corresponding .NET member is `MemoryStream.Length`.
    public override var Length: long { long(bytes.count) }

    /// Moves the position; before the start throws `IOException`, past the end is allowed (a write there
    /// fills the gap with zeros), as in .NET.
    ///
    /// The corresponding .NET member is `MemoryStream.Seek(long, SeekOrigin)`.
    public override func Seek(_ offset: long, _ origin: SeekOrigin) throws -> long {
        guard !closed else { throw ObjectDisposedException(nil, "Cannot access a closed Stream.") }
        let base: long = switch origin {
        case .Begin: 0
        case .Current: long(position)
        case .End: long(bytes.count)
        }
        let (target, overflow) = base.addingReportingOverflow(offset)
        guard !overflow, target >= 0 else { throw IOException("An attempt was made to move the position before the beginning of the stream.") }
        guard target <= long(int.max) else { throw ArgumentOutOfRangeException("offset", offset, "Stream length must be non-negative and less than 2^31 - 1 - origin.") }
        position = Int(target)
        return target
    }

    /// Cuts the stream or extends it with zeros; the position moves back to the new end if it was past it.
    ///
    /// The corresponding .NET member is `MemoryStream.SetLength(long)`.
    public override func SetLength(_ value: long) throws {
        guard !closed else { throw ObjectDisposedException(nil, "Cannot access a closed Stream.") }
        guard value >= 0, value <= long(int.max) else {
            throw ArgumentOutOfRangeException("value", value, "Stream length must be non-negative and less than 2^31 - 1 - origin.")
        }
        let length = Int(value)
        if length < bytes.count { bytes.removeSubrange(length...) } else { bytes += [UInt8](repeating: 0, count: length - bytes.count) }
        position = min(position, length)
    }

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

/// Where `Stream.Seek` counts its offset from.
///
/// The corresponding .NET type is `System.IO.SeekOrigin`.
public enum SeekOrigin: int, Sendable {
    case Begin = 0
    case Current = 1
    case End = 2
}
