// `ToString()` on the program's own enums.

extension RawRepresentable {
    /// The member's name, as C# prints an enum value: `MessageType.Connect.ToString()` is "Connect".
    ///
    /// A program's C# enum ports as a `CSharpEnum` struct (MIGRATION.md section 1.2a): one that also adopts
    /// `CSharpEnumNames` prints the member's name through that protocol's `ToString()`; one that does not
    /// prints its `description` if it has one, or else its number, as C# prints a value no member names. A Swift
    /// `enum` (kept where values never come from outside) prints its case name. A `[Flags]` combination such
    /// as "Read, Write" is not produced.
    ///
    /// The corresponding .NET member is `Enum.ToString()`.
    @_disfavoredOverload
    public func ToString() -> String {
        if Mirror(reflecting: self).displayStyle == .enum || self is any CustomStringConvertible {
            return String(describing: self)
        }
        return String(describing: rawValue)
    }
}
