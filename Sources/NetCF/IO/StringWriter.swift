/// A `TextWriter` into a string: `ToString()` gives what was written.
///
/// ```swift
/// // StringWriter sw = new StringWriter(); HttpHeader("HTTP/1.1", "", 0, " 200 OK", sw); string s = sw.ToString();
/// let sw = StringWriter(); try HttpHeader("HTTP/1.1", "", 0, " 200 OK", sw); let s = sw.ToString()
/// ```
///
/// The corresponding .NET type is `System.IO.StringWriter`.
public final class StringWriter: TextWriter {
    private var text = ""
    private var closed = false

    /// The corresponding .NET member is `StringWriter()`.
    override public init() {}

    /// Throws `ObjectDisposedException` after `Close`, as .NET's does.
    ///
    /// The corresponding .NET member is `StringWriter.Write(char)`.
    override public func Write(_ value: Character) throws {
        try Write(String(value))
    }

    /// The corresponding .NET member is `StringWriter.Write(string)`.
    override public func Write(_ value: String) throws {
        guard !closed else { throw ObjectDisposedException(nil, "Cannot write to a closed TextWriter.") }
        text += value
    }

    /// What was written so far (also after `Close`).
    ///
    /// The corresponding .NET member is `StringWriter.ToString()`.
    public func ToString() -> String { text }

    /// The corresponding .NET member is `StringWriter.Close()`.
    override public func Close() { closed = true }
}
