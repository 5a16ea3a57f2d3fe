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

    /// A `string` that may be null (a `string!` field or parameter): null writes nothing, as in .NET.
    ///
    /// The corresponding .NET member is `TextWriter.Write(string)`.
    public func Write(_ value: String?) throws {
        if let value { try Write(value) }
    }

    /// The corresponding .NET member is `TextWriter.Write(char[])`.
    public func Write(_ buffer: [Character]) throws {
        try Write(String(buffer))
    }

    /// Writes the decimal text of any integer, as C#'s `Write(int)`, `Write(long)`, … do.
    ///
    /// The corresponding .NET member is `TextWriter.Write(int)`.
    public func Write(_ value: some BinaryInteger) throws {
        try Write(String(value))
    }

    /// Writes `True` or `False`.
    ///
    /// The corresponding .NET member is `TextWriter.Write(bool)`.
    public func Write(_ value: Bool) throws {
        try Write(value ? "True" : "False")
    }

    /// Composite formatting, as `String.Format`: `output.Write("{0}: {1}", code, text)`.
    ///
    /// The corresponding .NET member is `TextWriter.Write(string, params object[])`.
    public func Write(_ format: String, _ arg0: Any?, _ args: Any?...) throws {
        try Write(CompositeFormat.format(format, [arg0] + args))
    }

    /// The corresponding .NET member is `TextWriter.WriteLine()`.
    public func WriteLine() throws {
        try Write(NewLine)
    }

    /// The corresponding .NET member is `TextWriter.WriteLine(string)`.
    public func WriteLine(_ value: String) throws {
        try Write(value + NewLine)
    }

    /// A `string` that may be null: null writes `NewLine` alone, as in .NET.
    ///
    /// The corresponding .NET member is `TextWriter.WriteLine(string)`.
    public func WriteLine(_ value: String?) throws {
        try WriteLine(value ?? "")
    }

    /// The corresponding .NET member is `TextWriter.WriteLine(int)`.
    public func WriteLine(_ value: some BinaryInteger) throws {
        try WriteLine(String(value))
    }

    /// The corresponding .NET member is `TextWriter.WriteLine(bool)`.
    public func WriteLine(_ value: Bool) throws {
        try WriteLine(value ? "True" : "False")
    }

    /// Composite formatting, then `NewLine`: `output.WriteLine("{0} {1}", verb, path)`.
    ///
    /// The corresponding .NET member is `TextWriter.WriteLine(string, params object[])`.
    public func WriteLine(_ format: String, _ arg0: Any?, _ args: Any?...) throws {
        try WriteLine(CompositeFormat.format(format, [arg0] + args))
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
