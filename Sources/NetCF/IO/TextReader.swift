/// The base of the text readers: a method that takes a `TextReader` accepts a `StreamReader` or a `StringReader`.
///
/// A subclass overrides `Read()` and `Peek()` at least; the base class builds `ReadLine()` and `ReadToEnd()`
/// on them (as .NET's does), and `StreamReader` overrides all four with its buffered versions. The base class
/// itself is empty: `Read()` and `Peek()` give -1.
///
/// The corresponding .NET type is `System.IO.TextReader`.
open class TextReader: IDisposable {
    /// The corresponding .NET member is `TextReader()`.
    public init() {}

    /// The next UTF-16 code unit, consumed, or -1 at the end.
    ///
    /// The corresponding .NET member is `TextReader.Read()`.
    open func Read() throws -> int { -1 }

    /// The next UTF-16 code unit without consuming it, or -1 at the end.
    ///
    /// The corresponding .NET member is `TextReader.Peek()`.
    open func Peek() throws -> int { -1 }

    /// The next line without its terminator (`\n`, `\r` or `\r\n`), or nil at the end.
    ///
    /// The corresponding .NET member is `TextReader.ReadLine()`.
    open func ReadLine() throws -> String? {
        var units: [UInt16] = []
        while true {
            let unit = try Read()
            switch unit {
            case -1:
                return units.isEmpty ? nil : String(decoding: units, as: UTF16.self)
            case 0x0a:
                return String(decoding: units, as: UTF16.self)
            case 0x0d:
                if try Peek() == 0x0a { _ = try Read() }
                return String(decoding: units, as: UTF16.self)
            default:
                units.append(UInt16(truncatingIfNeeded: unit))
            }
        }
    }

    /// Everything up to the end.
    ///
    /// The corresponding .NET member is `TextReader.ReadToEnd()`.
    open func ReadToEnd() throws -> String {
        var units: [UInt16] = []
        while case let unit = try Read(), unit != -1 { units.append(UInt16(truncatingIfNeeded: unit)) }
        return String(decoding: units, as: UTF16.self)
    }

    /// Releases the source; the base class has none.
    ///
    /// The corresponding .NET member is `TextReader.Close()`.
    open func Close() {}

    /// The same as `Close()`.
    ///
    /// The corresponding .NET member is `TextReader.Dispose()`.
    public func Dispose() { Close() }
}
