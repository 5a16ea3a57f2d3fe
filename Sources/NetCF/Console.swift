internal import Glibc

/// Text to standard output, as a Compact Framework 2.0+ program writes it to the device's console.
///
/// The `{0}` forms format with `String.Format`'s rules (a bad format → `FormatException`, hence `try`). Output
/// goes straight to file descriptor 1, unbuffered by this package, so it interleaves with other threads' lines
/// a whole call at a time.
///
/// The corresponding .NET type is `System.Console`.
public enum Console {
    /// An empty line.
    ///
    /// The corresponding .NET member is `Console.WriteLine()`.
    public static func WriteLine() { write("\n") }

    /// `value` and a line end; `nil` writes just the line end, as .NET does.
    ///
    /// The corresponding .NET member is `Console.WriteLine(String)`.
    public static func WriteLine(_ value: String?) { write((value ?? "") + "\n") }

    /// Any value by its text (`Console.WriteLine(count)`): `ToString()` of numbers and characters as
    /// string concatenation gives it.
    ///
    /// The corresponding .NET member is `Console.WriteLine(Object)` (and its `Int32`, `Char`, `Boolean` … overloads).
    public static func WriteLine(_ value: Any?) { write(text(value) + "\n") }

    /// `String.Format(format, args)` and a line end.
    ///
    /// The corresponding .NET member is `Console.WriteLine(String, params Object[])`.
    public static func WriteLine(_ format: String, _ arg0: Any?, _ args: Any?...) throws {
        write(try CompositeFormat.format(format, [arg0] + args) + "\n")
    }

    /// The corresponding .NET member is `Console.Write(String)`.
    public static func Write(_ value: String?) { write(value ?? "") }

    /// The corresponding .NET member is `Console.Write(Object)`.
    public static func Write(_ value: Any?) { write(text(value)) }

    /// The corresponding .NET member is `Console.Write(String, params Object[])`.
    public static func Write(_ format: String, _ arg0: Any?, _ args: Any?...) throws {
        write(try CompositeFormat.format(format, [arg0] + args))
    }

    private static func text(_ value: Any?) -> String {
        guard let value else { return "" }
        return (try? CompositeFormat.format("{0}", [value])) ?? String(describing: value)
    }

    private static func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(1, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return // standard output closed: .NET's Console drops the text too
            }
            bytes = bytes.dropFirst(written)
        }
    }
}
