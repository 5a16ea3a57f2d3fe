import NetCF
import Testing

// MIGRATION.md section 7.2, the `StringBuilder`, `TimeSpan` and `DateTime()` rows, written as the Swift
// column writes them. This file imports NetCF alone, as a port does.

/// A ported class with the fields of the `DateTime()` row.
private final class Session {
    private var lastSeen = DateTime()
    var idle: TimeSpan { DateTime.MaxValue - lastSeen }
    func Touch(_ now: DateTime) { lastSeen = now }
}

@Suite struct StringBuilderTimeSpanRowsTests {
    @Test func stringBuilderRows() throws {
        let mech = "PLAIN", port: int = 587, verb = "MAIL", arg = "FROM:<a@b>"
        let sb = StringBuilder()
        sb.Append("AUTH ").Append(mech).Append(" ").Append(port)
        sb.AppendLine("QUIT")
        try sb.AppendFormat("{0} {1}", verb, arg)
        #expect(sb.ToString() == "AUTH PLAIN 587QUIT\r\nMAIL FROM:<a@b>")
        #expect(try StringBuilder(256).Capacity == 256)
        #expect(StringBuilder("EHLO ").Append("host").ToString() == "EHLO host")

        let lines = StringBuilder("a\nb")
        let x = "> ", i = 0, n = 2
        try lines.Insert(0, x); try lines.Remove(i, n); try lines.Replace("\n", "\r\n"); try lines.Replace("a", "b")
        let s = lines.ToString()
        #expect(s == "b\r\nb")
        #expect(try lines.ToString(0, 3) == "b\r\n")

        lines.Length -= 1
        let c = try lines[i]
        try lines.SetChar(i, "x")
        #expect(c == "b" && lines.ToString() == "x\r\n")
        lines.Length = 0
        #expect(lines.ToString().isEmpty)
    }

    @Test func timeSpanAndDateTimeRows() throws {
        let timeout = try TimeSpan(0, 0, 30)
        #expect(try TimeSpan(1, 2, 3, 4, 5).ToString() == "1.02:03:04.0050000")
        #expect(try TimeSpan.FromSeconds(2.5).TotalMilliseconds == 2_500)
        let ticks: long = 10_000_000
        #expect(TimeSpan(ticks).Seconds == 1 && TimeSpan.Zero.Ticks == 0)

        let start = DateTime.Now
        let elapsed = DateTime.Now - start
        #expect(!(elapsed.TotalSeconds > 30_000) && elapsed.Minutes >= 0)
        #expect(elapsed.ToString().hasPrefix("00:"))

        let deadline = try DateTime.Now + timeout
        #expect(deadline > start)
        let t = timeout, t1 = timeout, t2 = try TimeSpan.FromSeconds(1)
        #expect(try start.Add(t) - start == t && start - (try start.Subtract(t)) == t)
        #expect(try start - t == start.Subtract(t))
        #expect(try t1 + t2 == TimeSpan(0, 0, 31) && (try t1 - t2) == TimeSpan(0, 0, 29))
        #expect(try -t == TimeSpan(0, 0, -30) && (try (-t).Duration()) == t)

        let session = Session()
        #expect(session.idle == TimeSpan(DateTime.MaxValue.Ticks))
        session.Touch(DateTime.MaxValue)
        #expect(session.idle == TimeSpan.Zero)
        let now = try DateTime(2009, 9, 14, 16, 44, 33)
        #expect(now.TimeOfDay == (try TimeSpan(16, 44, 33)) && DateTime() == DateTime.MinValue)
    }
}
