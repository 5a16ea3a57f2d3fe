// C#'s `+` on a string and a string that may be null: `"topic=" + topic` where `topic` is null reads the null as
// "" (C# language specification, "Addition operator", string concatenation). These operators give the same
// text, so such lines port unchanged, also for a `string!` field or parameter that is nil (Swift picks them
// before force-unwrapping it). Two plain strings still use Swift's own `+`.
//
// C# also converts a number, `bool` or `char` operand (`"MessageID=" + id`). NetCF does not: `+` overloads for
// them (disfavoured, generic or per type) made the compiler's time grow exponentially with the operands of a
// line: 50 lines of 8–9 operands took 13–104 s to type-check, 13 operands failed with "unable to type-check this
// expression in reasonable time", where the `ToString()` form of 13 operands takes 0.5 s and these `String?`
// operators add nothing measurable (0.76 s against 0.81 s for plain strings). So MIGRATION 1.2a has the rule
// `+ id.ToString()`.

extension String {
    /// `"a" + s` with `s` a `string` that may be null (C#: null reads as "").
    public static func + (lhs: String, rhs: String?) -> String { lhs + (rhs ?? "") }

    /// `s + "a"` with `s` a `string` that may be null (C#: null reads as "").
    public static func + (lhs: String?, rhs: String) -> String { (lhs ?? "") + rhs }

    /// `s += x` with `x` a `string` that may be null.
    public static func += (lhs: inout String, rhs: String?) { lhs = lhs + (rhs ?? "") }
}

extension Bool {
    /// "True" or "False".
    ///
    /// The corresponding .NET member is `Boolean.ToString()`.
    public func ToString() -> String { self ? "True" : "False" }
}

extension Character {
    /// The character as a one-character string.
    ///
    /// The corresponding .NET member is `Char.ToString()`.
    public func ToString() -> String { String(self) }
}
