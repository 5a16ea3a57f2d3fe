#if canImport(Glibc)
import Glibc
#endif
import NetCF
import Testing

@Suite struct DateTimeTests {
    /// The blog's server greeting: Mon, 14 Sep 2009 16:44:33 -0700, which is 23:44:33 UTC.
    static let greetingUnixSeconds: Int64 = 1_252_971_873

    @Test func currentCultureFormatIsUSEnglish() throws {
        #expect(try DateTime(2009, 9, 14, 16, 44, 33).ToString() == "9/14/2009 4:44:33 PM")
        #expect(try DateTime(2009, 1, 2, 0, 5, 6).ToString() == "1/2/2009 12:05:06 AM")
        #expect(try DateTime(2009, 12, 31, 12, 0, 0).ToString() == "12/31/2009 12:00:00 PM")
        #expect(try DateTime(33, 1, 1).ToString() == "1/1/0033 12:00:00 AM")
    }

    @Test func invariantCultureFormatIsTwentyFourHour() throws {
        #expect(try DateTime(2009, 9, 14, 16, 44, 33).ToString(CultureInfo.InvariantCulture) == "09/14/2009 16:44:33")
        #expect(try DateTime(2009, 1, 2, 0, 5, 6).ToString(CultureInfo.InvariantCulture) == "01/02/2009 00:05:06")
    }

    @Test func parseReadsBothCultureFormatsAndISO8601() throws {
        let expected = try DateTime(2009, 9, 14, 16, 44, 33)
        #expect(try DateTime.Parse("9/14/2009 4:44:33 PM") == expected)
        #expect(try DateTime.Parse("09/14/2009 16:44:33") == expected)
        #expect(try DateTime.Parse("09/14/2009 16:44:33", CultureInfo.InvariantCulture) == expected)
        #expect(try DateTime.Parse("  9/14/2009 4:44:33 pm ", CultureInfo.CurrentCulture) == expected)
        #expect(try DateTime.Parse("2009-09-14T16:44:33") == expected)
        #expect(try DateTime.Parse("2009-09-14 16:44:33") == expected)
        #expect(try DateTime.Parse("9/14/2009 4:44 PM") == DateTime(2009, 9, 14, 16, 44, 0))
        #expect(try DateTime.Parse("9/14/2009") == DateTime(2009, 9, 14))
        #expect(try DateTime.Parse("2009-09-14") == DateTime(2009, 9, 14))
        #expect(try DateTime.Parse("1/1/2009 12:30:00 AM") == DateTime(2009, 1, 1, 0, 30, 0))
        #expect(try DateTime.Parse("2009-09-14T16:44:33").Kind == .Unspecified)
    }

    @Test func parseReadsFractionalSeconds() throws {
        let parsed = try DateTime.Parse("2009-09-14T16:44:33.25")
        #expect(parsed.Millisecond == 250)
        #expect(parsed.Ticks == (try DateTime(2009, 9, 14, 16, 44, 33)).Ticks + 2_500_000)
    }

    @Test func parseConvertsAZonedISOTimeToLocalTime() throws {
        let utc = try DateTime(2009, 9, 14, 23, 44, 33, .Utc)
        let fromZ = try DateTime.Parse("2009-09-14T23:44:33Z")
        let fromOffset = try DateTime.Parse("2009-09-14T16:44:33-07:00")
        #expect(fromZ.Kind == .Local)
        #expect(fromZ == utc.ToLocalTime())
        #expect(fromOffset == fromZ)
        #expect(fromZ.ToUniversalTime() == utc)
    }

    @Test(arguments: [
        "", "abc", "13/1/2009", "2/29/2009", "9/14/09", "9/14/2009 25:00:00", "9/14/2009 13:00:00 PM",
        "9/14/2009 4:60:00 PM", "9/14/2009 4:44:33 XM", "2009-9-14", "2009-09-14T16:44:33+25:00",
        "9/14/2009 4:44:33 PM trailing", "0/1/2009", "1/1/0000",
    ])
    func parseRejectsMalformedOrImpossibleDates(_ text: String) {
        let error = #expect(throws: FormatException.self) { try DateTime.Parse(text) }
        #expect(error?.Message == "String was not recognized as a valid DateTime.")
    }

    @Test(arguments: [
        (1, 1, 1, 0, 0, 0), (2000, 2, 29, 23, 59, 59), (2009, 9, 14, 16, 44, 33),
        (2038, 1, 19, 3, 14, 8), (9999, 12, 31, 23, 59, 59), (1969, 12, 31, 12, 0, 0),
    ])
    func toStringThenParseRoundTripsToTheSecond(_ parts: (Int, Int, Int, Int, Int, Int)) throws {
        let value = try DateTime(parts.0, parts.1, parts.2, parts.3, parts.4, parts.5)
        #expect(try DateTime.Parse(value.ToString()) == value)
        #expect(try DateTime.Parse(value.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) == value)
    }

    @Test func nowRoundTripsToTheSecond() throws {
        let now = DateTime.Now
        let parsed = try DateTime.Parse(now.ToString())
        #expect(parsed.Ticks == now.Ticks - now.Ticks % 10_000_000)
    }

    @Test func componentsOfAKnownDate() throws {
        let value = try DateTime(2009, 9, 14, 16, 44, 33)
        #expect(value.Year == 2009)
        #expect(value.Month == 9)
        #expect(value.Day == 14)
        #expect(value.Hour == 16)
        #expect(value.Minute == 44)
        #expect(value.Second == 33)
        #expect(value.Millisecond == 0)
        #expect(value.DayOfWeek == .Monday)
        #expect(value.DayOfYear == 257)
        #expect(value.Date == (try DateTime(2009, 9, 14)))
        #expect(try DateTime(1970, 1, 1).Ticks == 621_355_968_000_000_000)
        #expect(DateTime.MinValue.Ticks == 0)
        #expect(DateTime.MaxValue.Year == 9999)
        #expect(DateTime.MaxValue.Second == 59)
    }

    @Test func componentsRoundTripForEveryDayOfALeapCycle() throws {
        var value = try DateTime(2000, 1, 1)
        for _ in 0..<(366 + 365 * 3) {
            let rebuilt = try DateTime(value.Year, value.Month, value.Day)
            #expect(rebuilt == value)
            value = try value.AddDays(1)
        }
        #expect(value == (try DateTime(2004, 1, 1)))
    }

    @Test func comparisonUsesTicksAndIgnoresKind() throws {
        let earlier = try DateTime(2009, 9, 14, 16, 44, 33)
        let later = try earlier.AddSeconds(1)
        #expect(earlier < later)
        #expect(later > earlier)
        #expect(earlier != later)
        #expect(DateTime.Compare(earlier, later) == -1)
        #expect(later.CompareTo(earlier) == 1)
        let asUtc = try DateTime(earlier.Ticks, .Utc)
        #expect(asUtc == earlier)
        #expect(asUtc.hashValue == earlier.hashValue)
        #expect(asUtc.Kind == .Utc && earlier.Kind == .Unspecified)
    }

    @Test func unixSecondsGiveLocalTimeOfThatInstant() throws {
        let local = DateTime(unixSeconds: Self.greetingUnixSeconds)
        #expect(local.Kind == .Local)
        let utc = local.ToUniversalTime()
        #expect(utc.Kind == .Utc)
        #expect(utc == (try DateTime(2009, 9, 14, 23, 44, 33)))
        #expect(local.unixSeconds == Self.greetingUnixSeconds)
        #expect(utc.unixSeconds == Self.greetingUnixSeconds)
    }

    #if canImport(Glibc)
    @Test func localTimeAgreesWithTheCLibrary() throws {
        for seconds: Int64 in [0, Self.greetingUnixSeconds, 1_700_000_000, -86_400 * 365 * 50] {
            var instant = time_t(seconds)
            var parts = tm()
            _ = localtime_r(&instant, &parts)
            let local = DateTime(unixSeconds: seconds)
            #expect(local.Year == Int(parts.tm_year) + 1900)
            #expect(local.Month == Int(parts.tm_mon) + 1)
            #expect(local.Day == Int(parts.tm_mday))
            #expect(local.Hour == Int(parts.tm_hour))
            #expect(local.Minute == Int(parts.tm_min))
            #expect(local.Second == Int(parts.tm_sec))
        }
    }
    #endif

    @Test func unixSecondsOutsideTheRangeAreClamped() {
        // The instant is clamped to the DateTime range, then shown in local time (clamped again), so only
        // the year is independent of the time zone.
        #expect(DateTime(unixSeconds: .max).Year == 9999)
        #expect(DateTime(unixSeconds: 300_000_000_000).Year == 9999)
        #expect(DateTime(unixSeconds: .min).Year == 1)
        #expect(DateTime(unixSeconds: -70_000_000_000).Year == 1)
    }

    @Test func universalAndLocalConversionsFollowKind() throws {
        let utc = try DateTime(2009, 9, 14, 23, 44, 33, .Utc)
        #expect(utc.ToUniversalTime() == utc)
        let local = utc.ToLocalTime()
        #expect(local.Kind == .Local)
        #expect(local.ToLocalTime() == local)
        #expect(local.ToUniversalTime() == utc)
        // Unspecified counts as local for ToUniversalTime and as UTC for ToLocalTime.
        let unspecified = try DateTime(local.Ticks, .Unspecified)
        #expect(unspecified.ToUniversalTime() == utc)
        let unspecifiedUTC = try DateTime(utc.Ticks, .Unspecified)
        #expect(unspecifiedUTC.ToLocalTime() == local)
    }

    @Test func nowIsUtcNowInLocalTime() {
        let utcNow = DateTime.UtcNow
        let now = DateTime.Now
        #expect(utcNow.Kind == .Utc && now.Kind == .Local)
        let difference = now.ToUniversalTime().Ticks - utcNow.Ticks
        #expect(difference >= 0 && difference < 50_000_000)
        #expect(DateTime.Today == now.Date)
        #expect(utcNow.Year >= 2024)
    }

    @Test func addMethodsMoveByTheirUnitAndRoundToMilliseconds() throws {
        let start = try DateTime(2009, 9, 14, 16, 44, 33)
        #expect(try start.AddDays(1) == DateTime(2009, 9, 15, 16, 44, 33))
        #expect(try start.AddDays(-14) == DateTime(2009, 8, 31, 16, 44, 33))
        #expect(try start.AddHours(8) == DateTime(2009, 9, 15, 0, 44, 33))
        #expect(try start.AddMinutes(-45) == DateTime(2009, 9, 14, 15, 59, 33))
        #expect(try start.AddSeconds(1.0004).Ticks == start.Ticks + 10_000_000)
        #expect(try start.AddSeconds(1.0006).Ticks == start.Ticks + 10_010_000)
        #expect(try start.AddMilliseconds(-1).Ticks == start.Ticks - 10_000)
        #expect(try start.AddTicks(1).Ticks == start.Ticks + 1)
        #expect(try DateTime(2009, 1, 31).AddMonths(1) == DateTime(2009, 2, 28))
        #expect(try DateTime(2008, 3, 31).AddMonths(-1) == DateTime(2008, 2, 29))
        #expect(try DateTime(2008, 2, 29).AddYears(1) == DateTime(2009, 2, 28))
        #expect(try start.AddDays(1).Kind == start.Kind)
    }

    @Test func addingPastTheRangeThrows() {
        #expect(throws: ArgumentOutOfRangeException.self) { try DateTime.MaxValue.AddDays(1) }
        #expect(throws: ArgumentOutOfRangeException.self) { try DateTime.MinValue.AddSeconds(-1) }
        #expect(throws: ArgumentOutOfRangeException.self) { try DateTime.MinValue.AddDays(1e300) }
        #expect(throws: ArgumentOutOfRangeException.self) { try DateTime.MaxValue.AddMonths(1) }
        #expect(throws: ArgumentOutOfRangeException.self) { try DateTime.MinValue.AddTicks(-1) }
    }

    @Test func impossibleComponentsThrowNamingTheProblem() {
        let day = #expect(throws: ArgumentOutOfRangeException.self) { try DateTime(2009, 2, 29) }
        #expect(day?.Message.contains("Year, Month, and Day parameters describe an un-representable DateTime.") == true)
        let hour = #expect(throws: ArgumentOutOfRangeException.self) { try DateTime(2009, 2, 28, 24, 0, 0) }
        #expect(hour?.Message.contains("Hour, Minute, and Second") == true)
        #expect(throws: ArgumentOutOfRangeException.self) { try DateTime(0, 1, 1) }
        #expect(throws: ArgumentOutOfRangeException.self) { try DateTime(Int64(-1)) }
    }

    @Test func culturesHaveDotNetNames() throws {
        #expect(CultureInfo.CurrentCulture.Name == "en-US")
        #expect(CultureInfo.InvariantCulture.Name == "")
        #expect(try CultureInfo("en-us").Name == "en-US")
        let error = #expect(throws: ArgumentException.self) { try CultureInfo("fr-FR") }
        #expect(error?.Message.contains("fr-FR") == true)
    }
}
