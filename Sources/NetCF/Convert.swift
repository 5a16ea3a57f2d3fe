/// Conversions between base types, the members ported networking code uses.
///
/// The corresponding .NET type is `System.Convert`.
public enum Convert {
    /// `nil` is 0, as in .NET; any other text as `int.Parse`.
    ///
    /// - Throws: `FormatException`, `OverflowException` as `Int32.Parse`.
    ///
    /// The corresponding .NET member is `Convert.ToInt32(String)`.
    public static func ToInt32(_ value: String?) throws -> int {
        guard let value else { return 0 }
        return try int.Parse(value)
    }

    /// `nil` is 0, as in .NET; any other text as `long.Parse`.
    ///
    /// The corresponding .NET member is `Convert.ToInt64(String)`.
    public static func ToInt64(_ value: String?) throws -> long {
        guard let value else { return 0 }
        return try long.Parse(value)
    }

    /// 1 for true, 0 for false.
    ///
    /// The corresponding .NET member is `Convert.ToInt32(Boolean)`.
    public static func ToInt32(_ value: Bool) -> int { value ? 1 : 0 }

    /// Any integer whose value fits an `int`.
    ///
    /// - Throws: `OverflowException` when it does not fit.
    ///
    /// The corresponding .NET members are `Convert.ToInt32(Int64)`, `Convert.ToInt32(UInt32)` …
    public static func ToInt32(_ value: some BinaryInteger) throws -> int {
        guard let result = int(exactly: value) else { throw OverflowException("Value was either too large or too small for an Int32.") }
        return result
    }

    /// The decimal text of an integer.
    ///
    /// The corresponding .NET members are `Convert.ToString(Int32)`, `Convert.ToString(Int64)` …
    public static func ToString(_ value: some BinaryInteger) -> String { String(value) }
}

extension Convert {
    /// The one character of `value`.
    ///
    /// - Throws: `ArgumentNullException` for `nil`, `FormatException` unless `value` is exactly one UTF-16 code
    ///   unit long, as in .NET.
    ///
    /// The corresponding .NET member is `Convert.ToChar(String)`.
    public static func ToChar(_ value: String?) throws -> Character {
        guard let value else { throw ArgumentNullException("value") }
        guard value.utf16.count == 1, let unit = value.utf16.first else {
            throw FormatException("String must be exactly one character long.")
        }
        return Character(unit)
    }

    /// The character whose UTF-16 code unit is `value` (a lone surrogate becomes U+FFFD, as `char(n)`).
    ///
    /// - Throws: `OverflowException` outside 0–65535, as in .NET.
    ///
    /// The corresponding .NET members are `Convert.ToChar(Int32)`, `Convert.ToChar(Byte)` …
    public static func ToChar(_ value: some BinaryInteger) throws -> Character {
        guard let unit = UInt16(exactly: value) else {
            throw OverflowException("Value was either too large or too small for a character.")
        }
        return Character(unit)
    }
}
