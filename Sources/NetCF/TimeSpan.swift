/// A signed length of time in 100-nanosecond ticks.
///
/// Arithmetic that leaves the `Int64` range of ticks throws `OverflowException`, as in .NET, so the operators
/// `+`, `-` (binary and unary) and `Add`, `Subtract`, `Negate`, `Duration` are `throws`: `a + b` ports as
/// `try a + b` (MIGRATION.md 7.2). Comparison does not throw. `FromMilliseconds` … `FromDays` round to the
/// nearest millisecond, as the .NET Framework and the Compact Framework do (.NET Core 3.0 and later keep the
/// fraction).
///
/// The corresponding .NET type is `System.TimeSpan`.
public struct TimeSpan: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// The corresponding .NET member is `TimeSpan.Ticks`.
    public let Ticks: Int64

    /// The corresponding .NET member is `TimeSpan.TicksPerMillisecond`.
    public static let TicksPerMillisecond: Int64 = 10_000
    /// The corresponding .NET member is `TimeSpan.TicksPerSecond`.
    public static let TicksPerSecond: Int64 = 10_000_000
    /// The corresponding .NET member is `TimeSpan.TicksPerMinute`.
    public static let TicksPerMinute: Int64 = 600_000_000
    /// The corresponding .NET member is `TimeSpan.TicksPerHour`.
    public static let TicksPerHour: Int64 = 36_000_000_000
    /// The corresponding .NET member is `TimeSpan.TicksPerDay`.
    public static let TicksPerDay: Int64 = 864_000_000_000

    /// The corresponding .NET member is `TimeSpan.Zero`.
    public static let Zero = TimeSpan(Int64(0))
    /// The corresponding .NET member is `TimeSpan.MaxValue`.
    public static let MaxValue = TimeSpan(Int64.max)
    /// The corresponding .NET member is `TimeSpan.MinValue`.
    public static let MinValue = TimeSpan(Int64.min)

    // MARK: Creating

    /// The corresponding .NET member is `TimeSpan(Int64)`.
    public init(_ ticks: Int64) {
        self.Ticks = ticks
    }

    /// The corresponding .NET member is `TimeSpan()` (zero, what a C# field of this type starts as).
    public init() {
        self.Ticks = 0
    }

    /// - Throws: `ArgumentOutOfRangeException` when the total is outside the `TimeSpan` range.
    ///
    /// The corresponding .NET member is `TimeSpan(Int32, Int32, Int32)`.
    public init(_ hours: some BinaryInteger, _ minutes: some BinaryInteger, _ seconds: some BinaryInteger) throws {
        try self.init(0, hours, minutes, seconds, 0)
    }

    /// - Throws: `ArgumentOutOfRangeException` when the total is outside the `TimeSpan` range.
    ///
    /// The corresponding .NET member is `TimeSpan(Int32, Int32, Int32, Int32)`.
    public init(_ days: some BinaryInteger, _ hours: some BinaryInteger, _ minutes: some BinaryInteger,
                _ seconds: some BinaryInteger) throws {
        try self.init(days, hours, minutes, seconds, 0)
    }

    /// - Throws: `ArgumentOutOfRangeException` when the total is outside the `TimeSpan` range.
    ///
    /// The corresponding .NET member is `TimeSpan(Int32, Int32, Int32, Int32, Int32)`.
    public init(_ days: some BinaryInteger, _ hours: some BinaryInteger, _ minutes: some BinaryInteger,
                _ seconds: some BinaryInteger, _ milliseconds: some BinaryInteger) throws {
        let parts = [
            (try CSharpInteger.int(days, "days"), Self.TicksPerDay),
            (try CSharpInteger.int(hours, "hours"), Self.TicksPerHour),
            (try CSharpInteger.int(minutes, "minutes"), Self.TicksPerMinute),
            (try CSharpInteger.int(seconds, "seconds"), Self.TicksPerSecond),
            (try CSharpInteger.int(milliseconds, "milliseconds"), Self.TicksPerMillisecond),
        ]
        // Each product fits in 128 bits; the sum of five is checked against the Int64 range at the end.
        var total: (high: Int64, low: UInt64) = (0, 0)
        for (value, scale) in parts {
            let product = Int64(value).multipliedFullWidth(by: scale)
            let (low, carry) = total.low.addingReportingOverflow(product.low)
            total = (total.high &+ product.high &+ (carry ? 1 : 0), low)
        }
        let fits = (total.high == 0 && total.low <= UInt64(Int64.max)) || (total.high == -1 && total.low >= UInt64(bitPattern: Int64.min))
        guard fits else {
            throw ArgumentOutOfRangeException(nil, "TimeSpan overflowed because the duration is too long.")
        }
        self.Ticks = Int64(bitPattern: total.low)
    }

    /// The corresponding .NET member is `TimeSpan.FromTicks(Int64)`.
    public static func FromTicks(_ value: Int64) -> TimeSpan { TimeSpan(value) }

    /// Rounded to the nearest millisecond, as the .NET Framework does.
    /// - Throws: `OverflowException` outside the range, `ArgumentException` for NaN.
    ///
    /// The corresponding .NET member is `TimeSpan.FromMilliseconds(Double)`.
    public static func FromMilliseconds(_ value: Double) throws -> TimeSpan { try interval(value, 1) }
    /// Rounded to the nearest millisecond, as the .NET Framework does.
    ///
    /// The corresponding .NET member is `TimeSpan.FromSeconds(Double)`.
    public static func FromSeconds(_ value: Double) throws -> TimeSpan { try interval(value, 1_000) }
    /// Rounded to the nearest millisecond, as the .NET Framework does.
    ///
    /// The corresponding .NET member is `TimeSpan.FromMinutes(Double)`.
    public static func FromMinutes(_ value: Double) throws -> TimeSpan { try interval(value, 60_000) }
    /// Rounded to the nearest millisecond, as the .NET Framework does.
    ///
    /// The corresponding .NET member is `TimeSpan.FromHours(Double)`.
    public static func FromHours(_ value: Double) throws -> TimeSpan { try interval(value, 3_600_000) }
    /// Rounded to the nearest millisecond, as the .NET Framework does.
    ///
    /// The corresponding .NET member is `TimeSpan.FromDays(Double)`.
    public static func FromDays(_ value: Double) throws -> TimeSpan { try interval(value, 86_400_000) }

    /// The largest whole number of milliseconds a `TimeSpan` holds.
    private static let maxMilliseconds = Double(Int64.max / TicksPerMillisecond)
    private static let minMilliseconds = Double(Int64.min / TicksPerMillisecond)

    private static func interval(_ value: Double, _ scale: Double) throws -> TimeSpan {
        guard !value.isNaN else { throw ArgumentException("TimeSpan does not accept floating point Not-a-Number values.") }
        let milliseconds = (value * scale).rounded(.toNearestOrAwayFromZero)
        guard milliseconds <= maxMilliseconds, milliseconds >= minMilliseconds else {
            throw OverflowException("TimeSpan overflowed because the duration is too long.")
        }
        return TimeSpan(Int64(milliseconds) * TicksPerMillisecond)
    }

    // MARK: Components

    /// The corresponding .NET member is `TimeSpan.Days`.
    public var Days: int { int(Ticks / Self.TicksPerDay) }
    /// The corresponding .NET member is `TimeSpan.Hours`.
    public var Hours: int { int(Ticks / Self.TicksPerHour % 24) }
    /// The corresponding .NET member is `TimeSpan.Minutes`.
    public var Minutes: int { int(Ticks / Self.TicksPerMinute % 60) }
    /// The corresponding .NET member is `TimeSpan.Seconds`.
    public var Seconds: int { int(Ticks / Self.TicksPerSecond % 60) }
    /// The corresponding .NET member is `TimeSpan.Milliseconds`.
    public var Milliseconds: int { int(Ticks / Self.TicksPerMillisecond % 1_000) }

    /// The corresponding .NET member is `TimeSpan.TotalDays`.
    public var TotalDays: Double { Double(Ticks) / Double(Self.TicksPerDay) }
    /// The corresponding .NET member is `TimeSpan.TotalHours`.
    public var TotalHours: Double { Double(Ticks) / Double(Self.TicksPerHour) }
    /// The corresponding .NET member is `TimeSpan.TotalMinutes`.
    public var TotalMinutes: Double { Double(Ticks) / Double(Self.TicksPerMinute) }
    /// The corresponding .NET member is `TimeSpan.TotalSeconds`.
    public var TotalSeconds: Double { Double(Ticks) / Double(Self.TicksPerSecond) }
    /// The corresponding .NET member is `TimeSpan.TotalMilliseconds`.
    public var TotalMilliseconds: Double { Double(Ticks) / Double(Self.TicksPerMillisecond) }

    // MARK: Arithmetic

    /// - Throws: `OverflowException` when the sum leaves the range.
    ///
    /// The corresponding .NET member is `TimeSpan.Add(TimeSpan)`.
    public func Add(_ ts: TimeSpan) throws -> TimeSpan {
        let (sum, overflow) = Ticks.addingReportingOverflow(ts.Ticks)
        guard !overflow else { throw OverflowException("TimeSpan overflowed because the duration is too long.") }
        return TimeSpan(sum)
    }

    /// - Throws: `OverflowException` when the difference leaves the range.
    ///
    /// The corresponding .NET member is `TimeSpan.Subtract(TimeSpan)`.
    public func Subtract(_ ts: TimeSpan) throws -> TimeSpan {
        let (difference, overflow) = Ticks.subtractingReportingOverflow(ts.Ticks)
        guard !overflow else { throw OverflowException("TimeSpan overflowed because the duration is too long.") }
        return TimeSpan(difference)
    }

    /// - Throws: `OverflowException` for `MinValue`, whose negation does not exist.
    ///
    /// The corresponding .NET member is `TimeSpan.Negate()`.
    public func Negate() throws -> TimeSpan {
        guard Ticks != Int64.min else {
            throw OverflowException("Negating the minimum value of a twos complement number is invalid.")
        }
        return TimeSpan(-Ticks)
    }

    /// The absolute value.
    /// - Throws: `OverflowException` for `MinValue`.
    ///
    /// The corresponding .NET member is `TimeSpan.Duration()`.
    public func Duration() throws -> TimeSpan {
        guard Ticks != Int64.min else {
            throw OverflowException("The duration cannot be returned for TimeSpan.MinValue because the absolute value of TimeSpan.MinValue "
                                    + "exceeds the value of TimeSpan.MaxValue.")
        }
        return TimeSpan(Ticks < 0 ? -Ticks : Ticks)
    }

    /// The corresponding .NET operator is `TimeSpan.op_Addition`.
    public static func + (t1: TimeSpan, t2: TimeSpan) throws -> TimeSpan { try t1.Add(t2) }
    /// The corresponding .NET operator is `TimeSpan.op_Subtraction`.
    public static func - (t1: TimeSpan, t2: TimeSpan) throws -> TimeSpan { try t1.Subtract(t2) }
    /// The corresponding .NET operator is `TimeSpan.op_UnaryNegation`.
    public static prefix func - (t: TimeSpan) throws -> TimeSpan { try t.Negate() }

    // MARK: Comparing

    public static func < (lhs: TimeSpan, rhs: TimeSpan) -> Bool { lhs.Ticks < rhs.Ticks }

    /// -1, 0 or 1.
    ///
    /// The corresponding .NET member is `TimeSpan.CompareTo(TimeSpan)`.
    public func CompareTo(_ value: TimeSpan) -> int { Ticks < value.Ticks ? -1 : (Ticks > value.Ticks ? 1 : 0) }

    /// The corresponding .NET member is `TimeSpan.Compare(TimeSpan, TimeSpan)`.
    public static func Compare(_ t1: TimeSpan, _ t2: TimeSpan) -> int { t1.CompareTo(t2) }

    /// The corresponding .NET member is `TimeSpan.Equals(TimeSpan)`.
    public func Equals(_ obj: TimeSpan) -> Bool { self == obj }

    // MARK: Text

    /// `[-][d.]hh:mm:ss[.fffffff]`: days only when not zero, the seven-digit fraction only when not zero.
    ///
    /// The corresponding .NET member is `TimeSpan.ToString()`.
    public func ToString() -> String {
        // The magnitude as UInt64, so that MinValue has one too.
        let magnitude = Ticks.magnitude
        let perDay = UInt64(Self.TicksPerDay), perHour = UInt64(Self.TicksPerHour)
        let perMinute = UInt64(Self.TicksPerMinute), perSecond = UInt64(Self.TicksPerSecond)
        let days = magnitude / perDay
        let hours = magnitude % perDay / perHour
        let minutes = magnitude % perHour / perMinute
        let seconds = magnitude % perMinute / perSecond
        let fraction = magnitude % perSecond
        var text = Ticks < 0 ? "-" : ""
        if days != 0 { text += "\(days)." }
        text += "\(Self.padded(hours, 2)):\(Self.padded(minutes, 2)):\(Self.padded(seconds, 2))"
        if fraction != 0 { text += "." + Self.padded(fraction, 7) }
        return text
    }

    public var description: String { ToString() }

    private static func padded(_ value: UInt64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
