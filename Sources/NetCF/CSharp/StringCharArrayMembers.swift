// The `String` members that take a `char[]`: `Split(char[])`, `Split(char[], int)`, `Trim(char[])`,
// `TrimStart(char[])`, `TrimEnd(char[])`. C#'s `params char[]` accepts an array variable or a list of
// characters; Swift's variadic parameter takes only the list, so each has an array overload beside it.
// As in .NET, they work per UTF-16 code unit (ordinal), and an empty or null set means white space.

extension String {
    /// The pieces between occurrences of any of `separator` (an array variable: `char[] sep = { '\n' };
    /// s.Split(sep)`); empty pieces kept. An empty array splits on white space, as .NET's `null` does.
    ///
    /// The corresponding .NET member is `String.Split(params Char[])`.
    public func Split(_ separator: [Character]?) -> [String] {
        splitUnits(separator, Int.max)
    }

    /// At most `count` pieces; the last holds the rest of the string, separators included.
    ///
    /// - Throws: `ArgumentOutOfRangeException` for a negative `count`.
    ///
    /// The corresponding .NET member is `String.Split(Char[], Int32)`.
    public func Split(_ separator: [Character]?, _ count: some BinaryInteger) throws -> [String] {
        guard count >= 0 else { throw ArgumentOutOfRangeException("count", "Count cannot be less than zero.") }
        return splitUnits(separator, Int(clamping: count))
    }

    /// Removes the given characters from both ends; none given: white space.
    ///
    /// The corresponding .NET member is `String.Trim(params Char[])`.
    public func Trim(_ trimChars: Character...) -> String { trimUnits(trimChars, start: true, end: true) }

    /// The corresponding .NET member is `String.Trim(params Char[])` with an array.
    public func Trim(_ trimChars: [Character]?) -> String { trimUnits(trimChars, start: true, end: true) }

    /// The corresponding .NET member is `String.TrimStart(params Char[])`.
    public func TrimStart(_ trimChars: Character...) -> String { trimUnits(trimChars, start: true, end: false) }

    /// The corresponding .NET member is `String.TrimStart(params Char[])` with an array.
    public func TrimStart(_ trimChars: [Character]?) -> String { trimUnits(trimChars, start: true, end: false) }

    /// `line.TrimEnd(new char[] { '\r' })` → `line.TrimEnd(["\r"])`; `line.TrimEnd('\r', '\n')` as written.
    ///
    /// The corresponding .NET member is `String.TrimEnd(params Char[])`.
    public func TrimEnd(_ trimChars: Character...) -> String { trimUnits(trimChars, start: false, end: true) }

    /// The corresponding .NET member is `String.TrimEnd(params Char[])` with an array.
    public func TrimEnd(_ trimChars: [Character]?) -> String { trimUnits(trimChars, start: false, end: true) }

    /// Whether `unit` is one of `chars`' code units, or white space when `chars` is nil or empty.
    private static func matcher(_ chars: [Character]?) -> (UInt16) -> Bool {
        guard let chars, !chars.isEmpty else {
            return { Unicode.Scalar($0)?.properties.isWhitespace ?? false }
        }
        let units = Set(chars.flatMap(\.utf16))
        return { units.contains($0) }
    }

    private func splitUnits(_ separator: [Character]?, _ count: Int) -> [String] {
        if count == 0 { return [] }
        let isSeparator = Self.matcher(separator)
        let units = Array(utf16)
        var pieces: [String] = []
        var start = 0
        for (i, unit) in units.enumerated() where pieces.count < count - 1 && isSeparator(unit) {
            pieces.append(String(decoding: units[start..<i], as: UTF16.self))
            start = i + 1
        }
        pieces.append(String(decoding: units[start...], as: UTF16.self))
        return pieces
    }

    private func trimUnits(_ chars: [Character]?, start: Bool, end: Bool) -> String {
        let isTrimmed = Self.matcher(chars)
        var units = utf16[...]
        if start { while let first = units.first, isTrimmed(first) { units.removeFirst() } }
        if end { while let last = units.last, isTrimmed(last) { units.removeLast() } }
        return String(decoding: units, as: UTF16.self)
    }
}

/// The same members on a C# string variable that may hold `null` (`NullReferenceException` then).
extension Optional where Wrapped == String {
    private func value() throws -> String {
        guard let self else { throw NullReferenceException() }
        return self
    }

    /// The corresponding .NET member is `String.Split(params Char[])` with an array.
    public func Split(_ separator: [Character]?) throws -> [String] { try value().Split(separator) }

    /// The corresponding .NET member is `String.Split(Char[], Int32)`.
    public func Split(_ separator: [Character]?, _ count: some BinaryInteger) throws -> [String] {
        try value().Split(separator, count)
    }

    /// The corresponding .NET member is `String.Trim(params Char[])`.
    public func Trim(_ trimChars: Character...) throws -> String { try value().Trim(trimChars) }

    /// The corresponding .NET member is `String.Trim(params Char[])` with an array.
    public func Trim(_ trimChars: [Character]?) throws -> String { try value().Trim(trimChars) }

    /// The corresponding .NET member is `String.TrimStart(params Char[])`.
    public func TrimStart(_ trimChars: Character...) throws -> String { try value().TrimStart(trimChars) }

    /// The corresponding .NET member is `String.TrimStart(params Char[])` with an array.
    public func TrimStart(_ trimChars: [Character]?) throws -> String { try value().TrimStart(trimChars) }

    /// The corresponding .NET member is `String.TrimEnd(params Char[])`.
    public func TrimEnd(_ trimChars: Character...) throws -> String { try value().TrimEnd(trimChars) }

    /// The corresponding .NET member is `String.TrimEnd(params Char[])` with an array.
    public func TrimEnd(_ trimChars: [Character]?) throws -> String { try value().TrimEnd(trimChars) }
}
