/// The base of the text writers: a method that takes a `TextWriter` (`void HttpHeader(…, TextWriter output)` →
/// `func HttpHeader(…, _ output: TextWriter!) throws`) accepts a `StreamWriter` or a `StringWriter`.
///
/// A subclass overrides `Write(Character)` at least (the base writes a string one character at a time through
/// it, as .NET's does) and usually `Write(String)`, `Flush` and `Close`. The base class itself writes nowhere.
///
/// The corresponding .NET type is `System.IO.TextWriter`.
open class TextWriter: IDisposable {
    /// The line terminator `WriteLine` appends: `"\r\n"`, the Windows default.
    ///
    /// The corresponding .NET member is `TextWriter.NewLine`.
    public var NewLine: String = "\r\n"

    /// The corresponding .NET member is `TextWriter()`.
    public init() {}

    /// Writes one character; the base class drops it (.NET's `TextWriter.Write(char)` does nothing).
    ///
    /// The corresponding .NET member is `TextWriter.Write(char)`.
    open func Write(_ value: Character) throws {}

    /// Writes each character of `value` through `Write(Character)`.
    ///
    /// The corresponding .NET member is `TextWriter.Write(string)`.
    open func Write(_ value: String) throws {
        for character in value { try Write(character) }
    }

    /// The corresponding .NET member is `TextWriter.Write(char[])`.
    public func Write(_ buffer: [Character]) throws {
        try Write(String(buffer))
    }

    /// The corresponding .NET member is `TextWriter.WriteLine()`.
    public func WriteLine() throws {
        try Write(NewLine)
    }

    /// The corresponding .NET member is `TextWriter.WriteLine(string)`.
    public func WriteLine(_ value: String) throws {
        try Write(value + NewLine)
    }

    /// Sends what is buffered to the destination; the base class has nothing buffered.
    ///
    /// The corresponding .NET member is `TextWriter.Flush()`.
    open func Flush() throws {}

    /// Flushes and releases the destination; the base class has none.
    ///
    /// The corresponding .NET member is `TextWriter.Close()`.
    open func Close() {}

    /// The same as `Close()`.
    ///
    /// The corresponding .NET member is `TextWriter.Dispose()`.
    public func Dispose() { Close() }
}
