import NetCF
import Testing

/// `DateTime.ToString(format)` with .NET's custom specifiers and standard formats.
@Suite struct DateTimeFormatTests {
    /// Monday 14 September 2009, 16:44:33.1234567.
    let afternoon = try! DateTime(try! DateTime(2009, 9, 14, 16, 44, 33).Ticks + 1_234_567)
    /// Friday 2 January 2009, 00:05:06.
    let earlyMorning = try! DateTime(2009, 1, 2, 0, 5, 6)

    @Test func timeSpecifiersPadAsTheirCountSays() throws {
        #expect(try afternoon.ToString("HH:mm:ss") == "16:44:33")
        #expect(try earlyMorning.ToString("HH:mm:ss") == "00:05:06")
        #expect(try earlyMorning.ToString("H:m:s") == "0:5:6")
        #expect(try afternoon.ToString("hh:mm tt") == "04:44 PM")
        #expect(try earlyMorning.ToString("h:mm t") == "12:05 A")
        #expect(try afternoon.ToString("HH:mm:ss.fff") == "16:44:33.123")
        #expect(try afternoon.ToString("ff f fffffff") == "12 1 1234567")
        #expect(try earlyMorning.ToString("ss.FFF") == "06")
        #expect(try afternoon.ToString("ss.FFFFFFF") == "33.1234567")
    }

    @Test func dateSpecifiersGiveNumbersAndEnglishNames() throws {
        #expect(try afternoon.ToString("yyyy-MM-dd") == "2009-09-14")
        #expect(try earlyMorning.ToString("yy/M/d") == "09/1/2")
        #expect(try earlyMorning.ToString("%y") == "9")
        #expect(try afternoon.ToString("yyyyy") == "02009")
        #expect(try afternoon.ToString("ddd, dd MMM yyyy") == "Mon, 14 Sep 2009")
        #expect(try earlyMorning.ToString("dddd d MMMM") == "Friday 2 January")
        #expect(try afternoon.ToString("%d") == "14")
        #expect(try afternoon.ToString("%M") == "9")
        #expect(try afternoon.ToString("yyyy gg") == "2009 A.D.")
    }

    @Test func quotesAndBackslashesMakeLiterals() throws {
        #expect(try afternoon.ToString("'Date:' yyyy") == "Date: 2009")
        #expect(try afternoon.ToString("\"at\" HH\\h") == "at 16h")
        #expect(try afternoon.ToString("[HH:mm:ss]") == "[16:44:33]")
        #expect(try afternoon.ToString("yyyyMMdd_HHmmss") == "20090914_164433")
    }

    @Test func standardFormatsFollowTheCulture() throws {
        #expect(try afternoon.ToString("d") == "9/14/2009")
        #expect(try afternoon.ToString("D") == "Monday, September 14, 2009")
        #expect(try afternoon.ToString("t") == "4:44 PM")
        #expect(try afternoon.ToString("T") == "4:44:33 PM")
        #expect(try afternoon.ToString("g") == "9/14/2009 4:44 PM")
        #expect(try afternoon.ToString("G") == afternoon.ToString())
        #expect(try afternoon.ToString("") == afternoon.ToString())
        #expect(try afternoon.ToString("F") == "Monday, September 14, 2009 4:44:33 PM")
        #expect(try afternoon.ToString("d", CultureInfo.InvariantCulture) == "09/14/2009")
        #expect(try afternoon.ToString("G", CultureInfo.InvariantCulture) == afternoon.ToString(CultureInfo.InvariantCulture))
        #expect(try afternoon.ToString("HH:mm", CultureInfo.InvariantCulture) == "16:44")
    }

    @Test func sortableUniversalAndRoundTripFormats() throws {
        #expect(try afternoon.ToString("s") == "2009-09-14T16:44:33")
        #expect(try afternoon.ToString("u") == "2009-09-14 16:44:33Z")
        #expect(try afternoon.ToString("o") == "2009-09-14T16:44:33.1234567")
        let utc = try DateTime(afternoon.Ticks, DateTimeKind.Utc)
        #expect(try utc.ToString("O") == "2009-09-14T16:44:33.1234567Z")
        #expect(try utc.ToString("zzz") == "+00:00")
        #expect(try utc.ToString("r") == "Mon, 14 Sep 2009 16:44:33 GMT")
        let local = DateTime.Now
        let roundTrip = try local.ToString("o")
        #expect(roundTrip.count == 33)
        #expect(roundTrip.hasSuffix(try local.ToString("zzz")))
    }

    @Test func badFormatsThrow() throws {
        #expect(throws: FormatException.self) { try afternoon.ToString("q") }
        #expect(throws: FormatException.self) { try afternoon.ToString("'unterminated") }
        #expect(throws: FormatException.self) { try afternoon.ToString("HH\\") }
        #expect(throws: FormatException.self) { try afternoon.ToString("ffffffff") }
        #expect(throws: FormatException.self) { try afternoon.ToString("HH%") }
        let unsupported = #expect(throws: NotSupportedException.self) { try afternoon.ToString("Y") }
        #expect(unsupported?.Message.contains("\"Y\"") == true)
    }
}
