/// Reads .NET's binary formats from a stream: little-endian integers and floating-point numbers, one-byte
/// booleans, characters in the reader's encoding, and strings prefixed with their byte count as a 7-bit
/// encoded integer (what `BinaryWriter` writes).
///
/// A value the stream ends inside throws ``EndOfStreamException``; `ReadBytes` and `ReadChars` return what
/// there was instead. After `Close`, every read throws `ObjectDisposedException`.
///
/// The corresponding .NET type is `System.IO.BinaryReader`.
public final class BinaryReader: IDisposable {
    private var stream: Stream?
    private let encoding: Encoding

    /// A reader of UTF-8 characters.
    ///
    /// The corresponding .NET member is `BinaryReader(Stream)`. Throws `ArgumentException` for a stream that
    /// cannot be read.
    public convenience init(_ input: Stream) throws {
        try self.init(input, Encoding.UTF8)
    }

    /// The corresponding .NET member is `BinaryReader(Stream, Encoding)`.
    public init(_ input: Stream, _ encoding: Encoding) throws {
        guard input.CanRead else { throw ArgumentException("Stream was not readable.") }
        stream = input
        self.encoding = encoding
    }

    /// The stream read from; it stays usable after `Close` only when something else holds it.
    ///
    /// The corresponding .NET member is `BinaryReader.BaseStream`.
    public var BaseStream: Stream {
        get throws { try open() }
    }

    private func open() throws -> Stream {
        guard let stream else { throw ObjectDisposedException(nil, "Cannot access a closed file.") }
        return stream
    }

    // MARK: Bytes

    /// The corresponding .NET member is `BinaryReader.ReadByte()`.
    public func ReadByte() throws -> byte {
        try exactly(1)[0]
    }

    /// The corresponding .NET member is `BinaryReader.ReadSByte()`.
    public func ReadSByte() throws -> sbyte {
        sbyte(bitPattern: try exactly(1)[0])
    }

    /// A nonzero byte is `true`.
    ///
    /// The corresponding .NET member is `BinaryReader.ReadBoolean()`.
    public func ReadBoolean() throws -> bool {
        try exactly(1)[0] != 0
    }

    /// Up to `count` bytes: fewer only when the stream ends first (an empty array at its end).
    ///
    /// The corresponding .NET member is `BinaryReader.ReadBytes(Int32)`.
    public func ReadBytes(_ count: some BinaryInteger) throws -> [byte] {
        let count = try CSharpInteger.int(count, "count")
        guard count >= 0 else { throw ArgumentOutOfRangeException("count", count, "Non-negative number required.") }
        return try upTo(count)
    }

    /// Reads up to `count` bytes into `buffer` at `index` with one read of the stream; 0 at its end.
    ///
    /// The corresponding .NET member is `BinaryReader.Read(Byte[], Int32, Int32)`.
    public func Read(_ buffer: inout [byte], _ index: some BinaryInteger, _ count: some BinaryInteger) throws -> int {
        let index = try CSharpInteger.int32(index, "index"), count = try CSharpInteger.int32(count, "count")
        let stream = try open()
        guard index >= 0 else { throw ArgumentOutOfRangeException("index", index, "Non-negative number required.") }
        guard count >= 0 else { throw ArgumentOutOfRangeException("count", count, "Non-negative number required.") }
        guard buffer.count - Int(index) >= Int(count) else {
            throw ArgumentException("Offset and length were out of bounds for the array or count is greater than the number of elements from index to the end of the source collection.")
        }
        return try stream.Read(&buffer, index, count)
    }

    /// A non-`inout` array would lose the bytes read into it.
    @available(*, unavailable, message: "BinaryReader.Read fills the array: pass it with &, as in Read(&buffer, 0, n)")
    public func Read(_ buffer: [byte], _ index: some BinaryInteger, _ count: some BinaryInteger) throws -> int {
        fatalError("unavailable")
    }

    // MARK: Numbers

    /// The corresponding .NET member is `BinaryReader.ReadInt16()`.
    public func ReadInt16() throws -> short { try littleEndian() }
    /// The corresponding .NET member is `BinaryReader.ReadUInt16()`.
    public func ReadUInt16() throws -> ushort { try littleEndian() }
    /// The corresponding .NET member is `BinaryReader.ReadInt32()`.
    public func ReadInt32() throws -> int { try littleEndian() }
    /// The corresponding .NET member is `BinaryReader.ReadUInt32()`.
    public func ReadUInt32() throws -> uint { try littleEndian() }
    /// The corresponding .NET member is `BinaryReader.ReadInt64()`.
    public func ReadInt64() throws -> long { try littleEndian() }
    /// The corresponding .NET member is `BinaryReader.ReadUInt64()`.
    public func ReadUInt64() throws -> ulong { try littleEndian() }
    /// The IEEE 754 bits, little-endian.
    ///
    /// The corresponding .NET member is `BinaryReader.ReadSingle()`.
    public func ReadSingle() throws -> float { float(bitPattern: try littleEndian()) }
    /// The IEEE 754 bits, little-endian.
    ///
    /// The corresponding .NET member is `BinaryReader.ReadDouble()`.
    public func ReadDouble() throws -> double { double(bitPattern: try littleEndian()) }

    private func littleEndian<T: FixedWidthInteger>() throws -> T {
        let bytes = try exactly(MemoryLayout<T>.size)
        return bytes.reversed().reduce(T.zero) { $0 << 8 | T($1) }
    }

    // MARK: Characters and strings

    /// One character in the reader's encoding (ASCII: one byte, above 0x7F read as `?`; a code page such as
    /// Windows-1252: one byte; UTF-8: one to four bytes, an invalid sequence read as U+FFFD; UTF-16: two
    /// bytes, four for a surrogate pair).
    ///
    /// The corresponding .NET member is `BinaryReader.ReadChar()`. Throws ``EndOfStreamException`` at the end.
    public func ReadChar() throws -> char {
        guard let c = try nextChar() else { throw EndOfStreamException() }
        return c
    }

    /// Up to `count` characters: fewer only when the stream ends first.
    ///
    /// The corresponding .NET member is `BinaryReader.ReadChars(Int32)`.
    public func ReadChars(_ count: some BinaryInteger) throws -> [char] {
        let count = try CSharpInteger.int(count, "count")
        guard count >= 0 else { throw ArgumentOutOfRangeException("count", count, "Non-negative number required.") }
        var chars: [char] = []
        while chars.count < count, let c = try nextChar() { chars.append(c) }
        return chars
    }

    /// The next character's UTF-16 code unit, or -1 at the end of the stream.
    ///
    /// The corresponding .NET member is `BinaryReader.Read()`.
    public func Read() throws -> int {
        guard let c = try nextChar() else { return -1 }
        return int(c)
    }

    /// The next character's UTF-16 code unit without consuming it, or -1 at the end of the stream. Only a
    /// `MemoryStream` can be looked ahead in; on any other stream this returns -1, as .NET's does on a stream
    /// that cannot seek (a `NetworkStream`).
    ///
    /// The corresponding .NET member is `BinaryReader.PeekChar()`.
    public func PeekChar() throws -> int {
        guard let memory = try open() as? MemoryStream else { return -1 }
        let position = memory.Position
        defer { memory.Position = position }
        return try Read()
    }

    /// A string written by `BinaryWriter.Write(String)`: its length in bytes as a 7-bit encoded integer, then
    /// the bytes in the reader's encoding.
    ///
    /// The corresponding .NET member is `BinaryReader.ReadString()`. Throws ``EndOfStreamException`` when the
    /// stream ends inside the string, `FormatException` for a length prefix longer than five bytes and
    /// `IOException` for a negative length.
    public func ReadString() throws -> string {
        let length = try Read7BitEncodedInt()
        guard length >= 0 else {
            throw IOException("BinaryReader encountered an invalid string length of \(length) characters.")
        }
        return encoding.GetString(try exactly(Int(length)))
    }

    /// An `int` in seven-bit groups, least significant first, the high bit of each byte set when another follows.
    ///
    /// The corresponding .NET member is `BinaryReader.Read7BitEncodedInt()` (protected in .NET 2.0).
    public func Read7BitEncodedInt() throws -> int {
        var value: UInt32 = 0
        for shift in stride(from: 0, to: 35, by: 7) {
            let b = try ReadByte()
            value |= UInt32(b & 0x7F) << UInt32(shift)
            if b & 0x80 == 0 { return int(bitPattern: value) }
        }
        throw FormatException("Too many bytes in what should have been a 7 bit encoded Int32.")
    }

    private func nextChar() throws -> char? {
        guard let first = try upTo(1).first else { return nil }
        if let bigEndian = encoding.utf16BigEndian { return try nextUTF16Char(first, bigEndian) }
        if first < 0x80 { return char(Unicode.Scalar(first)) }
        if let unit = encoding.singleByteUnit(first) { return char(Unicode.Scalar(unit) ?? "\u{FFFD}") }
        let length = switch first {
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF4: 4
        default: 1
        }
        var bytes = [first]
        if length > 1 {
            let rest = try upTo(length - 1)
            guard rest.count == length - 1 else { throw EndOfStreamException() }
            bytes += rest
        }
        return String(decoding: bytes, as: UTF8.self).first ?? char("\u{FFFD}")
    }

    /// A UTF-16 character whose first byte is `first`: two bytes, or four for a surrogate pair. A high
    /// surrogate not followed by a low one reads as U+FFFD, and the unit after it is consumed with it.
    private func nextUTF16Char(_ first: byte, _ bigEndian: Bool) throws -> char {
        func unit(_ a: byte, _ b: byte) -> UInt16 { bigEndian ? UInt16(a) << 8 | UInt16(b) : UInt16(b) << 8 | UInt16(a) }
        guard let second = try upTo(1).first else { throw EndOfStreamException() }
        let lead = unit(first, second)
        guard UTF16.isLeadSurrogate(lead) else { return String(decoding: [lead], as: UTF16.self).first ?? "\u{FFFD}" }
        let rest = try upTo(2)
        guard rest.count == 2 else { throw EndOfStreamException() }
        let trail = unit(rest[0], rest[1])
        guard UTF16.isTrailSurrogate(trail) else { return "\u{FFFD}" }
        return String(decoding: [lead, trail], as: UTF16.self).first ?? "\u{FFFD}"
    }

    // MARK: Reading the stream

    /// Exactly `count` bytes, or ``EndOfStreamException``.
    private func exactly(_ count: Int) throws -> [byte] {
        let bytes = try upTo(count)
        guard bytes.count == count else { throw EndOfStreamException() }
        return bytes
    }

    /// `count` bytes, or fewer when the stream ends first.
    private func upTo(_ count: Int) throws -> [byte] {
        let stream = try open()
        var bytes = [byte](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = Int(try stream.Read(&bytes, int(filled), int(count - filled)))
            if n == 0 { break }
            filled += n
        }
        bytes.removeLast(count - filled)
        return bytes
    }

    // MARK: Closing

    /// Closes the reader and its stream.
    ///
    /// The corresponding .NET member is `BinaryReader.Close()`.
    public func Close() {
        stream?.Close()
        stream = nil
    }

    /// The corresponding .NET member is `BinaryReader.Dispose()`.
    public func Dispose() { Close() }
}
