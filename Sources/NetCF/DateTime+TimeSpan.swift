// `DateTime`'s members that take or give a `TimeSpan`, and C#'s zero `DateTime`.
//
// A result outside 0001-01-01 … 9999-12-31 throws `ArgumentOutOfRangeException`, as in .NET; the operators
// `DateTime + TimeSpan` and `DateTime - TimeSpan` are therefore `throws` (`try start + timeout`).
// `DateTime - DateTime` cannot leave the `TimeSpan` range and does not throw.

extension DateTime {
    /// `MinValue` (0001-01-01 00:00:00, kind `Unspecified`): what a C# field of type `DateTime` starts as and
    /// what `new DateTime()` gives.
    ///
    /// The corresponding .NET member is `DateTime()` (the default value).
    public init() {
        self = DateTime.MinValue
    }

    /// The time elapsed since midnight.
    ///
    /// The corresponding .NET member is `DateTime.TimeOfDay`.
    public var TimeOfDay: TimeSpan { TimeSpan(Ticks % TimeSpan.TicksPerDay) }

    /// Keeps `Kind`.
    /// - Throws: `ArgumentOutOfRangeException` when the result is outside the `DateTime` range.
    ///
    /// The corresponding .NET member is `DateTime.Add(TimeSpan)`.
    public func Add(_ value: TimeSpan) throws -> DateTime { try AddTicks(value.Ticks) }

    /// Keeps `Kind`.
    /// - Throws: `ArgumentOutOfRangeException` when the result is outside the `DateTime` range.
    ///
    /// The corresponding .NET member is `DateTime.Subtract(TimeSpan)`.
    public func Subtract(_ value: TimeSpan) throws -> DateTime {
        guard value.Ticks != Int64.min else {
            throw ArgumentOutOfRangeException("value", "The added or subtracted value results in an un-representable DateTime.")
        }
        return try AddTicks(-value.Ticks)
    }

    /// Compares ticks and ignores `Kind`, as .NET does.
    ///
    /// The corresponding .NET member is `DateTime.Subtract(DateTime)`.
    public func Subtract(_ value: DateTime) -> TimeSpan { TimeSpan(Ticks - value.Ticks) }

    /// The corresponding .NET operator is `DateTime.op_Addition(DateTime, TimeSpan)`.
    public static func + (d: DateTime, t: TimeSpan) throws -> DateTime { try d.Add(t) }

    /// The corresponding .NET operator is `DateTime.op_Subtraction(DateTime, TimeSpan)`.
    public static func - (d: DateTime, t: TimeSpan) throws -> DateTime { try d.Subtract(t) }

    /// The corresponding .NET operator is `DateTime.op_Subtraction(DateTime, DateTime)`.
    public static func - (d1: DateTime, d2: DateTime) -> TimeSpan { d1.Subtract(d2) }
}
