import NetCF
import Testing

/// `System.Text.StringBuilder` as ported code uses it: chained appends, UTF-16 lengths, editing members and
/// the exceptions .NET throws for bad indexes.
@Suite struct StringBuilderTests {
    /// An object with its own `ToString()`, which C# appends by calling it.
    struct Endpoint: CustomStringConvertible {
        let host: String, port: Int
        var description: String { "\(host):\(port)" }
    }

    @Test func appendsChainAndFormatEachKindAsDotNetDoes() throws {
        let sb = StringBuilder()
        sb.Append("EHLO ").Append("host").Append(" ").Append(Character("x")).Append(true).Append(false)
        sb.Append(Int32(-5)).Append(UInt8(200)).Append(Int64(1) << 40).Append(2.0).Append(0.5)
        sb.Append([Character("a"), Character("b")]).Append(nil as String?)
        #expect(sb.ToString() == "EHLO host xTrueFalse-520010995116277762" + "0.5ab")
        let other = StringBuilder("[")
        other.Append(Endpoint(host: "mail", port: 25)).Append("]")
        #expect(other.ToString() == "[mail:25]")
        // A builder and a TimeSpan are objects with a ToString() too.
        other.Append(StringBuilder("sb")).Append(try TimeSpan(0, 1, 2))
        #expect(other.ToString() == "[mail:25]sb00:01:02")
        #expect(try String.Format("{0}|{1}", StringBuilder("x"), TimeSpan(-1)) == "x|-00:00:00.0000001")
    }

    @Test func appendLineEndsWithCarriageReturnLineFeed() {
        let sb = StringBuilder()
        sb.AppendLine("MAIL FROM:<a@b>").AppendLine()
        #expect(sb.ToString() == "MAIL FROM:<a@b>\r\n\r\n")
        #expect(sb.Length == 19)
    }

    @Test func appendFormatUsesCompositeFormatting() throws {
        let sb = StringBuilder()
        try sb.AppendFormat("{0,-4}|{1:X4}", "ab", 255).AppendFormat("{0}", "!")
        #expect(sb.ToString() == "ab  |00FF!")
        #expect(throws: FormatException.self) { try sb.AppendFormat("{1}", "only one") }
    }

    @Test func lengthAndIndexesCountUTF16Units() throws {
        let sb = StringBuilder("é😀z")
        #expect(sb.Length == 4)
        #expect(try sb[0] == "é")
        #expect(try sb[3] == "z")
        #expect(try sb[1] == "\u{FFFD}")
        #expect(try sb.ToString(1, 2) == "😀")
        #expect(throws: ArgumentOutOfRangeException.self) { try sb[4] }
        #expect(throws: ArgumentOutOfRangeException.self) { try sb[-1] }
    }

    @Test func settingLengthTruncatesOrPadsWithNul() throws {
        let sb = StringBuilder("a,b,")
        sb.Length -= 1
        #expect(sb.ToString() == "a,b")
        sb.Length = 5
        #expect(sb.ToString() == "a,b\0\0")
        sb.Length = 0
        #expect(sb.ToString() == "")
        sb.Append("kept")
        sb.Length = -1
        #expect(sb.ToString() == "kept")
        #expect(throws: ArgumentOutOfRangeException.self) { try sb.SetLength(-1) }
    }

    @Test func insertRemoveAndReplaceEditInPlace() throws {
        let sb = StringBuilder("hello world")
        try sb.Insert(0, ">> ").Insert(sb.Length, "!")
        #expect(sb.ToString() == ">> hello world!")
        try sb.Remove(0, 3)
        #expect(sb.ToString() == "hello world!")
        try sb.Replace("o", "0").Replace("l", "")
        #expect(sb.ToString() == "he0 w0rd!")
        try sb.Replace("0", "oo").Replace(Character("w"), Character("W"))
        #expect(sb.ToString() == "heoo Woord!")
        try sb.Insert(2, 42 as Any)
        #expect(sb.ToString() == "he42oo Woord!")
        #expect(throws: ArgumentOutOfRangeException.self) { try sb.Insert(sb.Length + 1, "x") }
        #expect(throws: ArgumentOutOfRangeException.self) { try sb.Remove(10, 4) }
        #expect(throws: ArgumentOutOfRangeException.self) { try sb.Remove(-1, 1) }
        #expect(throws: ArgumentOutOfRangeException.self) { try sb.ToString(0, sb.Length + 1) }
        #expect(throws: ArgumentException.self) { try sb.Replace("", "x") }
        #expect(throws: ArgumentException.self) { try sb.Replace(Character("😀"), Character("x")) }
        #expect(sb.ToString() == "he42oo Woord!")
    }

    @Test func capacityGrowsAndClearEmpties() throws {
        let sb = try StringBuilder(4)
        #expect(sb.Capacity == 4)
        sb.Append("12345")
        #expect(sb.Capacity >= 5)
        sb.Capacity = 2
        #expect(sb.Capacity >= 5)
        sb.Clear()
        #expect(sb.Length == 0 && sb.ToString().isEmpty)
        #expect(StringBuilder().Capacity == 16)
        #expect(throws: ArgumentOutOfRangeException.self) { try StringBuilder(-1) }
    }

    @Test func repeatedCharAndRangesOfSources() throws {
        let sb = StringBuilder()
        try sb.Append(Character("-"), 3).Append("abcdef", 2, 3).Append([Character("x"), Character("y"), Character("z")], 1, 2)
        #expect(sb.ToString() == "---cdeyz")
        #expect(throws: ArgumentOutOfRangeException.self) { try sb.Append("abc", 2, 2) }
        #expect(throws: ArgumentOutOfRangeException.self) { try sb.Append(Character("-"), -1) }
        try sb.SetChar(0, "+")
        #expect(sb.ToString() == "+--cdeyz")
        #expect(throws: ArgumentOutOfRangeException.self) { try sb.SetChar(8, "+") }
    }
}
