/// A `TextReader` over a string.
///
/// The corresponding .NET type is `System.IO.StringReader`.
public final class StringReader: TextReader {
    private let units: [UInt16]
    private var position = 0
    private var closed = false

    /// The corresponding .NET member is `StringReader(string)`.
    public init(_ s: String) {
        units = Array(s.utf16)
    }

    private func throwIfClosed() throws {
        if closed { throw ObjectDisposedException(nil, "Cannot read from a closed TextReader.") }
    }

    /// The corresponding .NET member is `StringReader.Read()`.
    override public func Read() throws -> int {
        try throwIfClosed()
        guard position < units.count else { return -1 }
        position += 1
        return int(units[position - 1])
    }

    /// The corresponding .NET member is `StringReader.Peek()`.
    override public func Peek() throws -> int {
        try throwIfClosed()
        return position < units.count ? int(units[position]) : -1
    }

    /// The corresponding .NET member is `StringReader.ReadToEnd()`.
    override public func ReadToEnd() throws -> String {
        try throwIfClosed()
        defer { position = units.count }
        return String(decoding: units[position...], as: UTF16.self)
    }

    /// The corresponding .NET member is `StringReader.Close()`.
    override public func Close() { closed = true }
}
