import NetCF
import Testing

/// `System.TimeSpan` and `DateTime`'s `TimeSpan` members: components, totals, .NET's text form, and the
/// overflow exceptions .NET throws.
@Suite struct TimeSpanTests {
    @Test func constructorsAddTheirParts() throws {
        #expect(try TimeSpan(1, 2, 3).Ticks == 37_230_000_000)
        #expect(try TimeSpan(1, 0, 0, 0) == TimeSpan(TimeSpan.TicksPerDay))
        #expect(try TimeSpan(0, 0, 0, 1, 500).TotalMilliseconds == 1_500)
        #expect(try TimeSpan(0, -1, 30).TotalSeconds == -30)
        #expect(TimeSpan().Ticks == 0 && TimeSpan.Zero.Ticks == 0)
        #expect(TimeSpan.FromTicks(42).Ticks == 42)
        #expect(throws: ArgumentOutOfRangeException.self) { try TimeSpan(Int32.max, 0, 0, 0) }
        #expect(throws: ArgumentOutOfRangeException.self) { try TimeSpan(0, 0, Int64(1) << 40) }
    }

    @Test func fromDoubleRoundsToTheNearestMillisecond() throws {
        #expect(try TimeSpan.FromSeconds(1.5).Ticks == 15_000_000)
        #expect(try TimeSpan.FromMilliseconds(1.6).Ticks == 20_000)
        #expect(try TimeSpan.FromMilliseconds(-1.5).Ticks == -20_000)
        #expect(try TimeSpan.FromMinutes(2).TotalSeconds == 120)
        #expect(try TimeSpan.FromHours(0.5).Minutes == 30)
        #expect(try TimeSpan.FromDays(1.25).Hours == 6)
        #expect(throws: OverflowException.self) { try TimeSpan.FromDays(1e10) }
        #expect(throws: OverflowException.self) { try TimeSpan.FromMilliseconds(-Double.infinity) }
        #expect(throws: ArgumentException.self) { try TimeSpan.FromSeconds(Double.nan) }
    }

    @Test func componentsCarryTheSignAndTotalsAreFractional() throws {
        let span = TimeSpan(-(TimeSpan.TicksPerDay + 2 * TimeSpan.TicksPerHour + 3 * TimeSpan.TicksPerMinute + 4 * TimeSpan.TicksPerSecond + 5 * TimeSpan.TicksPerMillisecond))
        #expect(span.Days == -1 && span.Hours == -2 && span.Minutes == -3 && span.Seconds == -4 && span.Milliseconds == -5)
        let half = try TimeSpan.FromHours(36)
        #expect(half.TotalDays == 1.5 && half.TotalHours == 36 && half.TotalMinutes == 2_160)
        #expect(half.TotalSeconds == 129_600 && half.TotalMilliseconds == 129_600_000)
    }

    @Test func toStringUsesDotNetsConstantForm() throws {
        #expect(TimeSpan.Zero.ToString() == "00:00:00")
        #expect(try TimeSpan(1, 2, 3).ToString() == "01:02:03")
        #expect(try TimeSpan(3, 4, 5, 6, 7).ToString() == "3.04:05:06.0070000")
        #expect(TimeSpan(-15).ToString() == "-00:00:00.0000015")
        #expect(try TimeSpan(-1, 0, 0, 0).description == "-1.00:00:00")
        #expect(TimeSpan.MaxValue.ToString() == "10675199.02:48:05.4775807")
        #expect(TimeSpan.MinValue.ToString() == "-10675199.02:48:05.4775808")
    }

    @Test func arithmeticThrowsOverflowAtTheEnds() throws {
        let a = try TimeSpan(0, 1, 0), b = try TimeSpan(0, 0, 30)
        #expect(try a + b == TimeSpan(0, 1, 30))
        #expect(try a - b == TimeSpan(0, 0, 30))
        #expect(try -a == TimeSpan(0, -1, 0))
        #expect(try (b - a).Duration() == b)
        #expect(try a.Add(b).Subtract(b).Negate() == TimeSpan(-a.Ticks))
        #expect(throws: OverflowException.self) { try TimeSpan.MaxValue + TimeSpan(1) }
        #expect(throws: OverflowException.self) { try TimeSpan.MinValue - TimeSpan(1) }
        #expect(throws: OverflowException.self) { try -TimeSpan.MinValue }
        #expect(throws: OverflowException.self) { try TimeSpan.MinValue.Duration() }
    }

    @Test func comparisonOrdersByTicks() throws {
        let small = TimeSpan(1), large = TimeSpan(2)
        #expect(small < large && large > small && small <= small && large >= small && small != large)
        #expect(small.CompareTo(large) == -1 && large.CompareTo(small) == 1 && small.CompareTo(TimeSpan(1)) == 0)
        #expect(TimeSpan.Compare(large, small) == 1 && small.Equals(TimeSpan(1)))
        #expect(TimeSpan.TicksPerMillisecond * 1_000 == TimeSpan.TicksPerSecond)
        #expect(TimeSpan.TicksPerHour * 24 == TimeSpan.TicksPerDay && TimeSpan.TicksPerMinute * 60 == TimeSpan.TicksPerHour)
    }

    @Test func dateTimeTakesAndGivesTimeSpans() throws {
        let start = try DateTime(2009, 9, 14, 16, 44, 33)
        let later = try start + TimeSpan(0, 1, 30)
        #expect(later == (try DateTime(2009, 9, 14, 16, 46, 3)))
        #expect(later - start == (try TimeSpan(0, 1, 30)))
        #expect(start - later == (try TimeSpan(0, -1, -30)))
        #expect(try later - TimeSpan(0, 1, 30) == start)
        #expect(try start.Add(TimeSpan.FromDays(1)).Day == 15)
        #expect(try start.Subtract(TimeSpan(1, 0, 0, 0)).Day == 13)
        #expect(later.Subtract(start).TotalSeconds == 90)
        #expect(start.TimeOfDay == (try TimeSpan(16, 44, 33)))
        let utc = try DateTime(start.Ticks, .Utc)
        #expect(try (utc + TimeSpan(1)).Kind == .Utc)
    }

    @Test func dateTimeDefaultIsMinValueAndRangeIsChecked() throws {
        #expect(DateTime() == DateTime.MinValue && DateTime().Ticks == 0)
        #expect(DateTime.MaxValue - DateTime.MinValue == TimeSpan(DateTime.MaxValue.Ticks))
        #expect(throws: ArgumentOutOfRangeException.self) { try DateTime.MaxValue + TimeSpan(1) }
        #expect(throws: ArgumentOutOfRangeException.self) { try DateTime.MinValue - TimeSpan(1) }
        #expect(throws: ArgumentOutOfRangeException.self) { try DateTime.MinValue.Subtract(TimeSpan.MinValue) }
        #expect(throws: ArgumentOutOfRangeException.self) { try DateTime.MaxValue.Add(TimeSpan.MaxValue) }
    }
}
