// C#'s `+` on a string and a value of another type: `"MessageID=" + id`, `"done: " + ok`, `"host " + name`
// where `name` may be null. C# converts the other operand with its `ToString()` and reads a null string as
// "" (C# language specification, "Addition operator", string concatenation). These operators give the same
// text, so such lines port unchanged.
//
// The integer, `Bool` and `Character` operators are `@_disfavoredOverload`, as the mixed-width arithmetic
// operators are: `String + String` and the numeric operators are chosen first, and a `+` between two numbers
// stays arithmetic. The `String?` operators are not disfavoured, so that a `String!` field or parameter that is
// nil reads as "" (as in C#) instead of being force-unwrapped; Swift still prefers `String + String` for two
// plain strings.

extension String {
    /// `"a" + s` with `s` a `string` that may be null (C#: null reads as "").
    public static func + (lhs: String, rhs: String?) -> String { lhs + (rhs ?? "") }

    /// `s + "a"` with `s` a `string` that may be null (C#: null reads as "").
    public static func + (lhs: String?, rhs: String) -> String { (lhs ?? "") + rhs }

    /// `"a" + n` for any C# integer: the decimal text, as `n.ToString()`.
    @_disfavoredOverload
    public static func + (lhs: String, rhs: some BinaryInteger) -> String { lhs + String(rhs) }

    /// `n + "a"` for any C# integer.
    @_disfavoredOverload
    public static func + (lhs: some BinaryInteger, rhs: String) -> String { String(lhs) + rhs }

    /// `"a" + b` for a `bool`: "True" or "False", as .NET's `Boolean.ToString()`.
    @_disfavoredOverload
    public static func + (lhs: String, rhs: Bool) -> String { lhs + rhs.ToString() }

    /// `b + "a"` for a `bool`.
    @_disfavoredOverload
    public static func + (lhs: Bool, rhs: String) -> String { lhs.ToString() + rhs }

    /// `"a" + c` for a `char`.
    @_disfavoredOverload
    public static func + (lhs: String, rhs: Character) -> String { lhs + String(rhs) }

    /// `c + "a"` for a `char`.
    @_disfavoredOverload
    public static func + (lhs: Character, rhs: String) -> String { String(lhs) + rhs }

    /// `s += x` for a string that may be null.
    public static func += (lhs: inout String, rhs: String?) { lhs = lhs + (rhs ?? "") }

    /// `s += n` for any C# integer.
    @_disfavoredOverload
    public static func += (lhs: inout String, rhs: some BinaryInteger) { lhs = lhs + String(rhs) }

    /// `s += b` for a `bool`.
    @_disfavoredOverload
    public static func += (lhs: inout String, rhs: Bool) { lhs = lhs + rhs.ToString() }

    /// `s += c` for a `char`.
    @_disfavoredOverload
    public static func += (lhs: inout String, rhs: Character) { lhs.append(rhs) }
}

extension Bool {
    /// "True" or "False".
    ///
    /// The corresponding .NET member is `Boolean.ToString()`.
    public func ToString() -> String { self ? "True" : "False" }
}
