#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether a `DateTime` is local time, UTC, or not said.
///
/// The corresponding .NET type is `System.DateTimeKind`.
public enum DateTimeKind: Int, Sendable {
    case Unspecified = 0
    case Utc = 1
    case Local = 2
}

/// The corresponding .NET type is `System.DayOfWeek`.
public enum DayOfWeek: Int, Sendable {
    case Sunday = 0, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday
}

/// A date and time of day from 0001-01-01 to 9999-12-31 in 100-nanosecond ticks, in the proleptic
/// Gregorian calendar.
///
/// As in .NET, equality, hashing and ordering compare `Ticks` only and ignore `Kind`. Local time is the
/// process time zone (the `TZ` environment variable), converted with the C library (`localtime_r`,
/// `mktime`). `ToString()` and `Parse` use the formats described on ``CultureInfo``.
///
/// The corresponding .NET type is `System.DateTime`.
public struct DateTime: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// The corresponding .NET member is `DateTime.Ticks`.
    public let Ticks: Int64
    /// The corresponding .NET member is `DateTime.Kind`.
    public let Kind: DateTimeKind

    static let ticksPerMillisecond: Int64 = 10_000
    static let ticksPerSecond: Int64 = 10_000_000
    static let ticksPerMinute: Int64 = 600_000_000
    static let ticksPerHour: Int64 = 36_000_000_000
    static let ticksPerDay: Int64 = 864_000_000_000
    /// 9999-12-31 23:59:59.9999999.
    static let maxTicks: Int64 = 3_155_378_975_999_999_999
    /// 1970-01-01 00:00:00.
    static let unixEpochTicks: Int64 = 621_355_968_000_000_000

    // MARK: Creating

    /// The corresponding .NET member is `DateTime(Int64)`.
    public init(_ ticks: Int64) throws {
        try self.init(ticks, .Unspecified)
    }

    /// The corresponding .NET member is `DateTime(Int64, DateTimeKind)`.
    public init(_ ticks: Int64, _ kind: DateTimeKind) throws {
        guard (0...Self.maxTicks).contains(ticks) else {
            throw ArgumentOutOfRangeException("ticks", "Ticks must be between DateTime.MinValue.Ticks and DateTime.MaxValue.Ticks.")
        }
        self.init(checkedTicks: ticks, kind)
    }

    /// Midnight of the given day, of kind `Unspecified`.
    ///
    /// The corresponding .NET member is `DateTime(Int32, Int32, Int32)`.
    public init(_ year: some BinaryInteger, _ month: some BinaryInteger, _ day: some BinaryInteger) throws {
        try self.init(year, month, day, 0, 0, 0, .Unspecified)
    }

    /// Of kind `Unspecified`, as in .NET; `ToUniversalTime()` treats it as local time.
    ///
    /// The corresponding .NET member is `DateTime(Int32, Int32, Int32, Int32, Int32, Int32)`.
    public init(_ year: some BinaryInteger, _ month: some BinaryInteger, _ day: some BinaryInteger,
                _ hour: some BinaryInteger, _ minute: some BinaryInteger, _ second: some BinaryInteger) throws {
        try self.init(year, month, day, hour, minute, second, .Unspecified)
    }

    /// The corresponding .NET member is `DateTime(Int32, Int32, Int32, Int32, Int32, Int32, DateTimeKind)`.
    public init(_ year: some BinaryInteger, _ month: some BinaryInteger, _ day: some BinaryInteger,
                _ hour: some BinaryInteger, _ minute: some BinaryInteger, _ second: some BinaryInteger,
                _ kind: DateTimeKind) throws {
        let year = try CSharpInteger.int(year, "year"), month = try CSharpInteger.int(month, "month")
        let day = try CSharpInteger.int(day, "day"), hour = try CSharpInteger.int(hour, "hour")
        let minute = try CSharpInteger.int(minute, "minute"), second = try CSharpInteger.int(second, "second")
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...Self.daysInMonth(year, month)).contains(day) else {
            throw ArgumentOutOfRangeException(nil, "Year, Month, and Day parameters describe an un-representable DateTime.")
        }
        guard (0..<24).contains(hour), (0..<60).contains(minute), (0..<60).contains(second) else {
            throw ArgumentOutOfRangeException(nil, "Hour, Minute, and Second parameters describe an un-representable DateTime.")
        }
        self.init(checkedTicks: Self.ticks(year, month, day, hour, minute, second), kind)
    }

    /// The instant `unixSeconds` after 1970-01-01 00:00:00 UTC, as local time (kind `Local`), which is how
    /// .NET shows certificate dates (`X509Certificate.GetExpirationDateString()` is
    /// `NotAfter.ToLocalTime().ToString()`). Use `ToUniversalTime()` for UTC. Instants outside the
    /// `DateTime` range are clamped to `MinValue` or `MaxValue`.
    public init(unixSeconds: Int64) {
        let (seconds, overflow) = unixSeconds.multipliedReportingOverflow(by: Self.ticksPerSecond)
        let utc: Int64
        if overflow || seconds > Self.maxTicks - Self.unixEpochTicks {
            utc = unixSeconds < 0 ? 0 : Self.maxTicks
        } else {
            utc = max(0, seconds + Self.unixEpochTicks)
        }
        self.init(checkedTicks: Self.clamp(Self.localTicks(fromUTC: utc)), .Local)
    }

    private init(checkedTicks: Int64, _ kind: DateTimeKind) {
        self.Ticks = checkedTicks
        self.Kind = kind
    }

    /// The corresponding .NET member is `DateTime.MinValue`.
    public static let MinValue = DateTime(checkedTicks: 0, .Unspecified)
    /// The corresponding .NET member is `DateTime.MaxValue`.
    public static let MaxValue = DateTime(checkedTicks: maxTicks, .Unspecified)

    /// The current time in UTC.
    ///
    /// The corresponding .NET member is `DateTime.UtcNow`.
    public static var UtcNow: DateTime {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let ticks = Int64(now.tv_sec) * ticksPerSecond + Int64(now.tv_nsec) / 100 + unixEpochTicks
        return DateTime(checkedTicks: clamp(ticks), .Utc)
    }

    /// The current local time.
    ///
    /// The corresponding .NET member is `DateTime.Now`.
    public static var Now: DateTime { UtcNow.ToLocalTime() }

    /// Midnight of the current local day.
    ///
    /// The corresponding .NET member is `DateTime.Today`.
    public static var Today: DateTime { Now.Date }

    // MARK: Components

    /// The corresponding .NET member is `DateTime.Year`.
    public var Year: int { int(civil.year) }
    /// The corresponding .NET member is `DateTime.Month`.
    public var Month: int { int(civil.month) }
    /// The corresponding .NET member is `DateTime.Day`.
    public var Day: int { int(civil.day) }
    /// The corresponding .NET member is `DateTime.Hour`.
    public var Hour: int { int(Ticks % Self.ticksPerDay / Self.ticksPerHour) }
    /// The corresponding .NET member is `DateTime.Minute`.
    public var Minute: int { int(Ticks % Self.ticksPerHour / Self.ticksPerMinute) }
    /// The corresponding .NET member is `DateTime.Second`.
    public var Second: int { int(Ticks % Self.ticksPerMinute / Self.ticksPerSecond) }
    /// The corresponding .NET member is `DateTime.Millisecond`.
    public var Millisecond: int { int(Ticks % Self.ticksPerSecond / Self.ticksPerMillisecond) }

    /// Midnight of the same day, of the same kind.
    ///
    /// The corresponding .NET member is `DateTime.Date`.
    public var Date: DateTime { DateTime(checkedTicks: Ticks - Ticks % Self.ticksPerDay, Kind) }

    /// The corresponding .NET member is `DateTime.DayOfWeek`.
    public var DayOfWeek: DayOfWeek {
        // 0001-01-01 was a Monday.
        NetCF.DayOfWeek(rawValue: Int((Ticks / Self.ticksPerDay + 1) % 7))!
    }

    /// The corresponding .NET member is `DateTime.DayOfYear`.
    public var DayOfYear: int {
        int(Int(Ticks / Self.ticksPerDay) - Self.daysSinceEpoch0001(civil.year, 1, 1) + 1)
    }

    /// Seconds since 1970-01-01 00:00:00 UTC (negative before); `Local` and `Unspecified` values are
    /// first converted from local time.
    public var unixSeconds: Int64 {
        let utc = Kind == .Utc ? Ticks : Self.utcTicks(fromLocal: Ticks)
        let offset = utc - Self.unixEpochTicks
        return offset >= 0 ? offset / Self.ticksPerSecond : -((-offset + Self.ticksPerSecond - 1) / Self.ticksPerSecond)
    }

    // MARK: Converting

    /// `Local` and `Unspecified` values are taken as local time; `Utc` values are returned unchanged.
    ///
    /// The corresponding .NET member is `DateTime.ToUniversalTime()`.
    public func ToUniversalTime() -> DateTime {
        if Kind == .Utc { return self }
        return DateTime(checkedTicks: Self.clamp(Self.utcTicks(fromLocal: Ticks)), .Utc)
    }

    /// `Utc` and `Unspecified` values are taken as UTC; `Local` values are returned unchanged.
    ///
    /// The corresponding .NET member is `DateTime.ToLocalTime()`.
    public func ToLocalTime() -> DateTime {
        if Kind == .Local { return self }
        return DateTime(checkedTicks: Self.clamp(Self.localTicks(fromUTC: Ticks)), .Local)
    }

    // MARK: Arithmetic

    /// The corresponding .NET member is `DateTime.AddTicks(Int64)`.
    public func AddTicks(_ value: Int64) throws -> DateTime {
        let (sum, overflow) = Ticks.addingReportingOverflow(value)
        guard !overflow, (0...Self.maxTicks).contains(sum) else {
            throw ArgumentOutOfRangeException("value", "The added or subtracted value results in an un-representable DateTime.")
        }
        return DateTime(checkedTicks: sum, Kind)
    }

    /// Rounded to the nearest millisecond, as .NET does.
    ///
    /// The corresponding .NET member is `DateTime.AddMilliseconds(Double)`.
    public func AddMilliseconds(_ value: Double) throws -> DateTime { try add(value, scale: 1) }

    /// Rounded to the nearest millisecond, as .NET does.
    ///
    /// The corresponding .NET member is `DateTime.AddSeconds(Double)`.
    public func AddSeconds(_ value: Double) throws -> DateTime { try add(value, scale: 1_000) }

    /// The corresponding .NET member is `DateTime.AddMinutes(Double)`.
    public func AddMinutes(_ value: Double) throws -> DateTime { try add(value, scale: 60_000) }

    /// The corresponding .NET member is `DateTime.AddHours(Double)`.
    public func AddHours(_ value: Double) throws -> DateTime { try add(value, scale: 3_600_000) }

    /// The corresponding .NET member is `DateTime.AddDays(Double)`.
    public func AddDays(_ value: Double) throws -> DateTime { try add(value, scale: 86_400_000) }

    /// The same day of a later or earlier month, or that month's last day if it is shorter.
    ///
    /// The corresponding .NET member is `DateTime.AddMonths(Int32)`.
    public func AddMonths(_ months: some BinaryInteger) throws -> DateTime {
        let months = try CSharpInteger.int(months, "months")
        guard (-120_000...120_000).contains(months) else {
            throw ArgumentOutOfRangeException("months", "Months value must be between +/-120000.")
        }
        let (year, month, day) = civil
        let monthIndex = year * 12 + (month - 1) + months
        guard (12..<(10_000 * 12)).contains(monthIndex) else {
            throw ArgumentOutOfRangeException("months", "The added or subtracted value results in an un-representable DateTime.")
        }
        let (newYear, newMonth) = (monthIndex / 12, monthIndex % 12 + 1)
        let newDay = min(day, Self.daysInMonth(newYear, newMonth))
        let days = Int64(Self.daysSinceEpoch0001(newYear, newMonth, newDay))
        return DateTime(checkedTicks: days * Self.ticksPerDay + Ticks % Self.ticksPerDay, Kind)
    }

    /// The corresponding .NET member is `DateTime.AddYears(Int32)`.
    public func AddYears(_ value: some BinaryInteger) throws -> DateTime {
        let value = try CSharpInteger.int(value, "value")
        guard (-10_000...10_000).contains(value) else {
            throw ArgumentOutOfRangeException("years", "Years value must be between +/-10000.")
        }
        return try AddMonths(value * 12)
    }

    /// .NET's `DateTime.Add(double, int)`: round to whole milliseconds, then add.
    private func add(_ value: Double, scale: Int64) throws -> DateTime {
        let millis = value * Double(scale) + (value >= 0 ? 0.5 : -0.5)
        let limit = Double(Self.maxTicks / Self.ticksPerMillisecond + 1)
        guard millis > -limit && millis < limit else {
            throw ArgumentOutOfRangeException("value", "Value to add was out of range.")
        }
        return try AddTicks(Int64(millis) * Self.ticksPerMillisecond)
    }

    // MARK: Comparing

    public static func == (lhs: DateTime, rhs: DateTime) -> Bool { lhs.Ticks == rhs.Ticks }
    public static func < (lhs: DateTime, rhs: DateTime) -> Bool { lhs.Ticks < rhs.Ticks }
    public func hash(into hasher: inout Hasher) { hasher.combine(Ticks) }

    /// -1, 0 or 1.
    ///
    /// The corresponding .NET member is `DateTime.Compare(DateTime, DateTime)`.
    public static func Compare(_ t1: DateTime, _ t2: DateTime) -> int {
        t1 < t2 ? -1 : (t1 == t2 ? 0 : 1)
    }

    /// The corresponding .NET member is `DateTime.CompareTo(DateTime)`.
    public func CompareTo(_ value: DateTime) -> int { Self.Compare(self, value) }

    /// The corresponding .NET member is `DateTime.Equals(DateTime)`.
    public func Equals(_ value: DateTime) -> Bool { self == value }

    // MARK: Formatting and parsing

    /// In the current culture's format, "9/14/2009 4:44:33 PM". The value is printed as it is, whatever
    /// its kind.
    ///
    /// The corresponding .NET member is `DateTime.ToString()`.
    public func ToString() -> String { ToString(CultureInfo.CurrentCulture) }

    /// "9/14/2009 4:44:33 PM" for en-US, "09/14/2009 16:44:33" for the invariant culture.
    ///
    /// The corresponding .NET member is `DateTime.ToString(IFormatProvider)`.
    public func ToString(_ provider: CultureInfo) -> String {
        let (year, month, day) = civil
        let year4 = Self.padded(year, 4)
        switch provider.style {
        case .unitedStates:
            let hour12 = Hour % 12 == 0 ? 12 : Hour % 12
            return "\(month)/\(day)/\(year4) \(hour12):\(Self.padded(Int(Minute), 2)):\(Self.padded(Int(Second), 2)) \(Hour < 12 ? "AM" : "PM")"
        case .invariant:
            return "\(Self.padded(month, 2))/\(Self.padded(day, 2))/\(year4) \(Self.padded(Int(Hour), 2)):\(Self.padded(Int(Minute), 2)):\(Self.padded(Int(Second), 2))"
        }
    }

    public var description: String { ToString() }

    /// Reads a date in the current culture; see ``Parse(_:_:)``.
    ///
    /// The corresponding .NET member is `DateTime.Parse(String)`.
    public static func Parse(_ s: String) throws -> DateTime {
        try Parse(s, CultureInfo.CurrentCulture)
    }

    /// Accepts, with optional surrounding white space:
    /// - "M/d/yyyy", optionally followed by "h:mm[:ss]" and an optional "AM"/"PM" (the en-US format,
    ///   which also reads the invariant "MM/dd/yyyy HH:mm:ss");
    /// - ISO 8601 "yyyy-MM-dd", optionally followed by "T" (or a space) and "HH:mm[:ss[.fffffff]]" and an
    ///   optional "Z" or "±hh:mm".
    ///
    /// Both cultures accept all of these (they are month-first alike). A value without a zone has kind
    /// `Unspecified`; one with a zone is converted to local time, kind `Local`, as .NET does. Anything
    /// else throws `FormatException`.
    ///
    /// The corresponding .NET member is `DateTime.Parse(String, IFormatProvider)`.
    public static func Parse(_ s: String, _ provider: CultureInfo) throws -> DateTime {
        var scanner = DateScanner(s)
        guard let value = scanner.parse() else {
            throw FormatException("String was not recognized as a valid DateTime.")
        }
        return value
    }

    // MARK: Calendar arithmetic

    static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 0001-01-01, .NET's day zero, which is 719,162 days before 1970-01-01.
    static func daysSinceEpoch0001(_ year: Int, _ month: Int, _ day: Int) -> Int {
        Int(CivilCalendar.daysSince1970(year: Int64(year), month: Int64(month), day: Int64(day))) + daysFrom0001To1970
    }

    /// The inverse of ``daysSinceEpoch0001(_:_:_:)``.
    static func civilDate(daysSinceEpoch0001 days: Int) -> (year: Int, month: Int, day: Int) {
        let date = CivilCalendar.date(daysSince1970: Int64(days - daysFrom0001To1970))
        return (Int(date.year), Int(date.month), Int(date.day))
    }

    private static let daysFrom0001To1970 = 719_162

    static func ticks(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int) -> Int64 {
        Int64(daysSinceEpoch0001(year, month, day)) * ticksPerDay
            + Int64(hour) * ticksPerHour + Int64(minute) * ticksPerMinute + Int64(second) * ticksPerSecond
    }

    private var civil: (year: Int, month: Int, day: Int) {
        Self.civilDate(daysSinceEpoch0001: Int(Ticks / Self.ticksPerDay))
    }

    private static func clamp(_ ticks: Int64) -> Int64 { min(max(ticks, 0), maxTicks) }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    // MARK: Time zone

    /// Wall-clock ticks in the process time zone for an instant given in UTC ticks.
    static func localTicks(fromUTC utc: Int64) -> Int64 {
        let offset = utc - unixEpochTicks
        let seconds = offset >= 0 ? offset / ticksPerSecond : -((-offset + ticksPerSecond - 1) / ticksPerSecond)
        var instant = time_t(seconds)
        var parts = tm()
        guard localtime_r(&instant, &parts) != nil else { return utc }
        return utc + Int64(parts.tm_gmtoff) * ticksPerSecond
    }

    /// UTC ticks for wall-clock ticks in the process time zone. A wall-clock time that a daylight-saving
    /// change skips or repeats is resolved as the C library's `mktime` resolves it.
    static func utcTicks(fromLocal local: Int64) -> Int64 {
        let (year, month, day) = civilDate(daysSinceEpoch0001: Int(local / ticksPerDay))
        let secondOfDay = local % ticksPerDay / ticksPerSecond
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(secondOfDay / 3600)
        parts.tm_min = Int32(secondOfDay % 3600 / 60)
        parts.tm_sec = Int32(secondOfDay % 60)
        parts.tm_isdst = -1
        let seconds = mktime(&parts)
        // -1 is also a real instant (1969-12-31 23:59:59 UTC); mktime fails only outside time_t's range.
        if seconds == -1 && parts.tm_year != 69 && parts.tm_year != 70 { return local }
        return Int64(seconds) * ticksPerSecond + unixEpochTicks + local % ticksPerSecond
    }
}

/// Which date formats a culture uses. Only the two cultures that ported CE code meets are provided.
///
/// - `CurrentCulture` behaves as "en-US", the culture of most CE devices: `ToString()` gives
///   "M/d/yyyy h:mm:ss tt", for example "9/14/2009 4:44:33 PM".
/// - `InvariantCulture` gives "MM/dd/yyyy HH:mm:ss", for example "09/14/2009 16:44:33".
///
/// `DateTime.Parse` reads both, and ISO 8601, in either culture.
///
/// The corresponding .NET type is `System.Globalization.CultureInfo`.
public final class CultureInfo: Sendable, CustomStringConvertible {
    enum Style: Sendable { case unitedStates, invariant }
    let style: Style

    /// "en-US" or "" (the invariant culture).
    ///
    /// The corresponding .NET member is `CultureInfo.Name`.
    public let Name: String

    private init(_ name: String, _ style: Style) {
        self.Name = name
        self.style = style
    }

    /// Accepts "en-US" and "" (the invariant culture), case-insensitively.
    ///
    /// The corresponding .NET member is `CultureInfo(String)`.
    public convenience init(_ name: String) throws {
        switch name.lowercased() {
        case "en-us": self.init("en-US", .unitedStates)
        case "": self.init("", .invariant)
        default: throw ArgumentException("Culture name '\(name)' is not supported.", "name")
        }
    }

    /// Always en-US.
    ///
    /// The corresponding .NET member is `CultureInfo.CurrentCulture`.
    public static let CurrentCulture = CultureInfo("en-US", .unitedStates)

    /// The corresponding .NET member is `CultureInfo.InvariantCulture`.
    public static let InvariantCulture = CultureInfo("", .invariant)

    /// The corresponding .NET member is `CultureInfo.ToString()`.
    public func ToString() -> String { Name }

    public var description: String { Name }
}

/// Reads the formats listed on `DateTime.Parse(_:_:)`.
private struct DateScanner {
    private let text: [UInt8]
    private var position = 0

    init(_ s: String) {
        var bytes = Array(s.utf8)[...]
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes.removeFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
        text = Array(bytes)
    }

    mutating func parse() -> DateTime? {
        guard let first = number(minDigits: 1, maxDigits: 4) else { return nil }
        if first.digits == 4, skip("-") {
            return parseISO(year: first.value)
        }
        guard first.digits <= 2, skip("/"),
              let day = number(minDigits: 1, maxDigits: 2), skip("/"),
              let year = number(minDigits: 4, maxDigits: 4) else { return nil }
        var hour = 0, minute = 0, second = 0
        if atEnd {
            return make(year.value, first.value, day.value, 0, 0, 0, 0)
        }
        guard skipSpaces() else { return nil }
        guard let h = number(minDigits: 1, maxDigits: 2), skip(":"),
              let m = number(minDigits: 2, maxDigits: 2) else { return nil }
        (hour, minute) = (h.value, m.value)
        if skip(":") {
            guard let s = number(minDigits: 2, maxDigits: 2) else { return nil }
            second = s.value
        }
        _ = skipSpaces()
        if let isPM = designator() {
            guard (0...12).contains(hour) else { return nil }
            hour = hour % 12 + (isPM ? 12 : 0)
        }
        guard atEnd else { return nil }
        return make(year.value, first.value, day.value, hour, minute, second, 0)
    }

    private mutating func parseISO(year: Int) -> DateTime? {
        guard let month = number(minDigits: 2, maxDigits: 2), skip("-"),
              let day = number(minDigits: 2, maxDigits: 2) else { return nil }
        if atEnd { return make(year, month.value, day.value, 0, 0, 0, 0) }
        guard skip("T") || skip(" "),
              let hour = number(minDigits: 2, maxDigits: 2), skip(":"),
              let minute = number(minDigits: 2, maxDigits: 2) else { return nil }
        var second = 0
        var fraction: Int64 = 0
        if skip(":") {
            guard let s = number(minDigits: 2, maxDigits: 2) else { return nil }
            second = s.value
            if skip(".") {
                guard let f = number(minDigits: 1, maxDigits: 7) else { return nil }
                fraction = Int64(f.value)
                for _ in f.digits..<7 { fraction *= 10 }
            }
        }
        var offsetMinutes: Int?
        if skip("Z") {
            offsetMinutes = 0
        } else if let sign = peek, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            position += 1
            guard let hours = number(minDigits: 2, maxDigits: 2) else { return nil }
            _ = skip(":")
            guard let minutes = number(minDigits: 2, maxDigits: 2),
                  hours.value <= 14, minutes.value < 60 else { return nil }
            offsetMinutes = (hours.value * 60 + minutes.value) * (sign == UInt8(ascii: "-") ? -1 : 1)
        }
        guard atEnd,
              let wallClock = make(year, month.value, day.value, hour.value, minute.value, second, fraction) else {
            return nil
        }
        guard let offsetMinutes else { return wallClock }
        let utc = wallClock.Ticks - Int64(offsetMinutes) * DateTime.ticksPerMinute
        guard let instant = try? DateTime(utc, .Utc) else { return nil }
        return instant.ToLocalTime()
    }

    private func make(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int,
                      _ fraction: Int64) -> DateTime? {
        guard let date = try? DateTime(year, month, day, hour, minute, second) else { return nil }
        return try? date.AddTicks(fraction)
    }

    private var atEnd: Bool { position == text.count }
    private var peek: UInt8? { atEnd ? nil : text[position] }

    private mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard let next = peek, next == UInt8(character.value) else { return false }
        position += 1
        return true
    }

    /// Skips one or more spaces; false if there was none.
    private mutating func skipSpaces() -> Bool {
        let start = position
        while skip(" ") {}
        return position > start
    }

    /// "AM" or "PM" in any case: false for AM, true for PM, nil if neither is next.
    private mutating func designator() -> Bool? {
        guard position + 2 <= text.count else { return nil }
        let first = text[position] | 0x20, second = text[position + 1] | 0x20
        guard second == UInt8(ascii: "m"), first == UInt8(ascii: "a") || first == UInt8(ascii: "p") else { return nil }
        position += 2
        return first == UInt8(ascii: "p")
    }

    private mutating func number(minDigits: Int, maxDigits: Int) -> (value: Int, digits: Int)? {
        var value = 0, digits = 0
        while digits < maxDigits, let next = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(next) {
            value = value * 10 + Int(next - UInt8(ascii: "0"))
            digits += 1
            position += 1
        }
        guard digits >= minDigits else { return nil }
        // A longer run of digits than the field allows is not this format.
        if let next = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(next) { return nil }
        return (value, digits)
    }
}
