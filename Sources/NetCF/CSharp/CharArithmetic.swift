// C#'s arithmetic on `char`: a `char` in an arithmetic expression is its UTF-16 code, an `int`.

extension Character {
    /// The UTF-16 code C# uses for this character in arithmetic (the first unit for one outside the BMP).
    var csharpCode: int { int(utf16.first ?? 0) }
}

/// `c - '0'` (C#: `char - char` is an `int`): the difference of the two UTF-16 codes.
@_disfavoredOverload
public func - (left: Character, right: Character) -> int { left.csharpCode - right.csharpCode }

/// `c + 1` (C#: `char + int` is an `int`).
@_disfavoredOverload
public func + (left: Character, right: int) -> int { left.csharpCode + right }

/// `c - 1` (C#: `char - int` is an `int`).
@_disfavoredOverload
public func - (left: Character, right: int) -> int { left.csharpCode - right }

/// `n * 10 + c` (C#: `int + char` is an `int`).
@_disfavoredOverload
public func + (left: int, right: Character) -> int { left + right.csharpCode }
