// C# syntax and `System.String` members that Swift lacks, so ported code keeps its shape.
//
// Strings: .NET measures and indexes strings in UTF-16 code units, and so do these members (`Length`,
// `IndexOf`, `Substring`). Comparisons are ordinal (code unit by code unit). .NET's `StartsWith(String)`,
// `EndsWith(String)` and `IndexOf(String)` are culture-sensitive, but for the ASCII protocol text that
// ported networking code compares ("220", "250 OK") the result is the same.

/// C#'s assignment used as an expression: stores `value` in `target` and returns it.
///
/// ```swift
/// // while ((line = sr.ReadLine()) != "250 OK") ;
/// while try assign(&line, sr.ReadLine()) != "250 OK" {}
/// // while (!(line = sr.ReadLine()).StartsWith("220")) ;
/// while try !assign(&line, sr.ReadLine()).StartsWith("220") {}
/// ```
///
/// In the second loop `line` is a `String?`; its `StartsWith` throws `NullReferenceException` at end of
/// stream, where C# throws the same exception.
@discardableResult
public func assign<T>(_ target: inout T, _ value: T) -> T {
    target = value
    return value
}

/// `assign` into a variable that may be null (`var m: Match! = nil`, C#'s `Match m;` used as an `out`-style
/// target): stores `value` without reading the old value, so a nil variable is fine.
@discardableResult
public func assign<T>(_ target: inout T?, _ value: T) -> T {
    target = value
    return value
}

extension String {
    /// The corresponding .NET member is `String.Empty`.
    public static let Empty = ""

    /// The corresponding .NET member is `String.IsNullOrEmpty(String)`.
    public static func IsNullOrEmpty(_ value: String?) -> Bool {
        value?.isEmpty ?? true
    }

    /// The number of UTF-16 code units.
    ///
    /// The corresponding .NET member is `String.Length`.
    public var Length: int { int(utf16.count) }

    /// Ordinal comparison; every string starts with "".
    ///
    /// The corresponding .NET member is `String.StartsWith(String)`.
    public func StartsWith(_ value: String) -> Bool {
        utf16.starts(with: value.utf16)
    }

    /// Ordinal comparison; every string ends with "".
    ///
    /// The corresponding .NET member is `String.EndsWith(String)`.
    public func EndsWith(_ value: String) -> Bool {
        utf16.reversed().starts(with: value.utf16.reversed())
    }

    /// Ordinal search; every string contains "".
    ///
    /// The corresponding .NET member is `String.Contains(String)`.
    public func Contains(_ value: String) -> Bool {
        IndexOf(value) >= 0
    }

    /// The UTF-16 offset of the first occurrence of `value`, 0 for "", or -1 when absent (ordinal).
    ///
    /// The corresponding .NET member is `String.IndexOf(String)`.
    public func IndexOf(_ value: String) -> int {
        int(Self.indexOf(Array(value.utf16), in: Array(utf16)))
    }

    /// The UTF-16 offset of the first occurrence of `value`, or -1.
    ///
    /// The corresponding .NET member is `String.IndexOf(Char)`.
    public func IndexOf(_ value: Character) -> int {
        IndexOf(String(value))
    }

    /// The UTF-16 offset of the last occurrence of `value`, or -1 (ordinal).
    ///
    /// The corresponding .NET member is `String.LastIndexOf(Char)`.
    public func LastIndexOf(_ value: Character) -> int {
        LastIndexOf(String(value))
    }

    /// The UTF-16 offset of the last occurrence of `value`, or -1 (ordinal). For "" it is `Length - 1`
    /// (0 for an empty string), as in the .NET Framework.
    ///
    /// The corresponding .NET member is `String.LastIndexOf(String)`.
    public func LastIndexOf(_ value: String) -> int {
        let needle = Array(value.utf16), haystack = Array(utf16)
        if needle.isEmpty { return int(Swift.max(0, haystack.count - 1)) }
        guard needle.count <= haystack.count else { return -1 }
        for start in stride(from: haystack.count - needle.count, through: 0, by: -1)
        where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return int(start)
        }
        return -1
    }

    /// Every occurrence of `oldValue` replaced by `newValue` (ordinal, left to right, not overlapping);
    /// a `nil` `newValue` removes them, as in .NET.
    ///
    /// - Throws: `ArgumentNullException` for a `nil` `oldValue`, `ArgumentException` for an empty one.
    ///
    /// The corresponding .NET member is `String.Replace(String, String)`.
    public func Replace(_ oldValue: String?, _ newValue: String?) throws -> String {
        guard let oldValue else { throw ArgumentNullException("oldValue") }
        if oldValue.isEmpty { throw ArgumentException("String cannot be of zero length.", "oldValue") }
        let old = Array(oldValue.utf16), replacement = Array((newValue ?? "").utf16), units = Array(utf16)
        var result: [UInt16] = []
        result.reserveCapacity(units.count)
        var i = 0
        while i < units.count {
            if i + old.count <= units.count && units[i..<(i + old.count)].elementsEqual(old) {
                result += replacement
                i += old.count
            } else {
                result.append(units[i])
                i += 1
            }
        }
        return String(decoding: result, as: UTF16.self)
    }

    /// Every `oldChar` replaced by `newChar`.
    ///
    /// The corresponding .NET member is `String.Replace(Char, Char)`.
    public func Replace(_ oldChar: Character, _ newChar: Character) -> String {
        // Cannot throw: the old value is one character, never empty.
        (try? Replace(String(oldChar), String(newChar))) ?? self
    }

    /// The characters of the string, one per Unicode scalar: for text in the Basic Multilingual Plane (all that
    /// networking code handles) one per UTF-16 code unit, as in .NET, so `ToCharArray().Length == Length`.
    /// A character outside it (an emoji) is one element here where .NET gives two surrogates.
    ///
    /// The corresponding .NET member is `String.ToCharArray()`.
    public func ToCharArray() -> [Character] {
        unicodeScalars.map(Character.init)
    }

    /// The text from UTF-16 offset `startIndex` to the end.
    ///
    /// The corresponding .NET member is `String.Substring(Int32)`.
    public func Substring(_ startIndex: some BinaryInteger) throws -> String {
        let units = Array(utf16)
        let startIndex = try CSharpInteger.int(startIndex, "startIndex")
        guard startIndex >= 0 && startIndex <= units.count else {
            throw ArgumentOutOfRangeException("startIndex", "startIndex cannot be larger than length of string.")
        }
        return String(decoding: units[startIndex...], as: UTF16.self)
    }

    /// `length` UTF-16 code units from `startIndex`. A range that splits a surrogate pair yields U+FFFD
    /// where .NET would yield a lone surrogate, which a Swift string cannot hold.
    ///
    /// The corresponding .NET member is `String.Substring(Int32, Int32)`.
    public func Substring(_ startIndex: some BinaryInteger, _ length: some BinaryInteger) throws -> String {
        let units = Array(utf16)
        let startIndex = try CSharpInteger.int(startIndex, "startIndex")
        let length = try CSharpInteger.int(length, "length")
        if startIndex < 0 {
            throw ArgumentOutOfRangeException("startIndex", "StartIndex cannot be less than zero.")
        }
        if startIndex > units.count {
            throw ArgumentOutOfRangeException("startIndex", "startIndex cannot be larger than length of string.")
        }
        if length < 0 {
            throw ArgumentOutOfRangeException("length", "Length cannot be less than zero.")
        }
        guard startIndex <= units.count - length else {
            throw ArgumentOutOfRangeException("length", "Index and length must refer to a location within the string.")
        }
        return String(decoding: units[startIndex..<(startIndex + length)], as: UTF16.self)
    }

    /// Removes leading and trailing white space (Unicode `White_Space`, as `Char.IsWhiteSpace`).
    ///
    /// The corresponding .NET member is `String.Trim()`.
    public func Trim() -> String {
        TrimStart().TrimEnd()
    }

    /// The corresponding .NET member is `String.TrimStart()`.
    public func TrimStart() -> String {
        String(Swift.Substring(unicodeScalars.drop(while: \.properties.isWhitespace)))
    }

    /// The corresponding .NET member is `String.TrimEnd()`.
    public func TrimEnd() -> String {
        var scalars = unicodeScalars[...]
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(Swift.Substring(scalars))
    }

    /// Culture-independent upper case, which for the en-US culture that CE devices mostly ran is the same.
    ///
    /// The corresponding .NET member is `String.ToUpper()`.
    public func ToUpper() -> String { uppercased() }

    /// Culture-independent lower case, which for the en-US culture that CE devices mostly ran is the same.
    ///
    /// The corresponding .NET member is `String.ToLower()`.
    public func ToLower() -> String { lowercased() }

    /// The pieces between occurrences of any of `separator`, keeping empty pieces as .NET does:
    /// `"a,,b".Split(",")` is `["a", "", "b"]`. Splits on code units, so "\r\n" split on "\n" leaves "\r".
    ///
    /// With no separator it splits on white space, as .NET does.
    ///
    /// The corresponding .NET member is `String.Split(params Char[])`.
    public func Split(_ separator: Character...) -> [String] {
        Split(separator as [Character]?)
    }

    /// The corresponding .NET member is `String.Equals(String)` (ordinal).
    public func Equals(_ value: String?) -> Bool {
        guard let value else { return false }
        return utf16.elementsEqual(value.utf16)
    }

    /// The corresponding .NET member is `String.ToString()`.
    public func ToString() -> String { self }

    private static func indexOf(_ needle: [UInt16], in haystack: [UInt16]) -> Int {
        guard needle.count <= haystack.count else { return -1 }
        if needle.isEmpty { return 0 }
        for start in 0...(haystack.count - needle.count)
        where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return -1
    }
}

/// The `String` members on a C# string variable that may hold `null`. Each throws
/// `NullReferenceException` when the value is `nil`, where C# would throw the same exception, so a
/// ported loop that reads past the end of a stream stops with a clear error instead of crashing.
extension Optional where Wrapped == String {
    private func unwrapped() throws -> String {
        guard let self else { throw NullReferenceException() }
        return self
    }

    /// The corresponding .NET member is `String.Length`.
    public var Length: int { get throws { try unwrapped().Length } }

    /// The corresponding .NET member is `String.StartsWith(String)`.
    public func StartsWith(_ value: String) throws -> Bool { try unwrapped().StartsWith(value) }

    /// The corresponding .NET member is `String.EndsWith(String)`.
    public func EndsWith(_ value: String) throws -> Bool { try unwrapped().EndsWith(value) }

    /// The corresponding .NET member is `String.Contains(String)`.
    public func Contains(_ value: String) throws -> Bool { try unwrapped().Contains(value) }

    /// The corresponding .NET member is `String.IndexOf(String)`.
    public func IndexOf(_ value: String) throws -> int { try unwrapped().IndexOf(value) }

    /// The corresponding .NET member is `String.IndexOf(Char)`.
    public func IndexOf(_ value: Character) throws -> int { try unwrapped().IndexOf(value) }

    /// The corresponding .NET member is `String.LastIndexOf(Char)`.
    public func LastIndexOf(_ value: Character) throws -> int { try unwrapped().LastIndexOf(value) }

    /// The corresponding .NET member is `String.LastIndexOf(String)`.
    public func LastIndexOf(_ value: String) throws -> int { try unwrapped().LastIndexOf(value) }

    /// The corresponding .NET member is `String.Replace(String, String)`.
    public func Replace(_ oldValue: String?, _ newValue: String?) throws -> String {
        try unwrapped().Replace(oldValue, newValue)
    }

    /// The corresponding .NET member is `String.ToCharArray()`.
    public func ToCharArray() throws -> [Character] { try unwrapped().ToCharArray() }

    /// The corresponding .NET member is `String.Substring(Int32)`.
    public func Substring(_ startIndex: some BinaryInteger) throws -> String { try unwrapped().Substring(startIndex) }

    /// The corresponding .NET member is `String.Substring(Int32, Int32)`.
    public func Substring(_ startIndex: some BinaryInteger, _ length: some BinaryInteger) throws -> String {
        try unwrapped().Substring(startIndex, length)
    }

    /// The corresponding .NET member is `String.Trim()`.
    public func Trim() throws -> String { try unwrapped().Trim() }

    /// The corresponding .NET member is `String.TrimStart()`.
    public func TrimStart() throws -> String { try unwrapped().TrimStart() }

    /// The corresponding .NET member is `String.TrimEnd()`.
    public func TrimEnd() throws -> String { try unwrapped().TrimEnd() }

    /// The corresponding .NET member is `String.ToUpper()`.
    public func ToUpper() throws -> String { try unwrapped().ToUpper() }

    /// The corresponding .NET member is `String.ToLower()`.
    public func ToLower() throws -> String { try unwrapped().ToLower() }

    /// The corresponding .NET member is `String.Split(params Char[])`.
    public func Split(_ separator: Character...) throws -> [String] {
        try unwrapped().Split(separator as [Character]?)
    }

    /// The corresponding .NET member is `String.Equals(String)`.
    public func Equals(_ value: String?) throws -> Bool { try unwrapped().Equals(value) }

    /// The corresponding .NET member is `String.ToString()`.
    public func ToString() throws -> String { try unwrapped() }
}

/// C#'s `try { … } finally { … }` when the `finally` block calls members that throw (a Swift `defer` cannot
/// throw): runs `body`, then `cleanup` whether or not `body` threw. As in C#, an exception thrown by
/// `cleanup` propagates and replaces one thrown by `body`; otherwise `body`'s exception (or result) does.
///
/// ```swift
/// // try { Process(); } finally { m_socket.BeginReceive(…); }
/// try tryFinally {
///     try Process()
/// } finally: {
///     try m_socket.BeginReceive(…)
/// }
/// ```
///
/// `body` is a closure: a `return` in it leaves the closure (its value is `tryFinally`'s result), not the method.
@discardableResult
public func tryFinally<T>(_ body: () throws -> T, finally cleanup: () throws -> Void) throws -> T {
    let outcome = Result { try body() }
    try cleanup()
    return try outcome.get()
}
