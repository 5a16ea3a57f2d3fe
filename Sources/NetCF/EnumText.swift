// `ToString()` on the program's own enums.

extension RawRepresentable {
    /// The member's name, as C# prints an enum value: `MessageType.Connect.ToString()` is "Connect".
    ///
    /// A program's C# enum ports as a Swift enum with the C# underlying type (MIGRATION.md section 1.2a), whose
    /// case names Swift keeps; an enum that declares a `description` (C#'s `ToString` override) prints that.
    /// A value type standing for an enum without cases prints its `description`, or else its number, as C#
    /// prints a value no member names. A `[Flags]` combination such as "Read, Write" is not produced: a Swift
    /// enum value is one case.
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
