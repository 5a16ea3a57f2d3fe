import NetCF
import Testing

/// Stands in for `StreamReader`: hands out lines, then `nil` at end of stream.
private final class FakeLineReader {
    private var lines: [String]
    private(set) var readCount = 0
    init(_ lines: [String]) { self.lines = lines }
    func ReadLine() throws -> String? {
        readCount += 1
        return lines.isEmpty ? nil : lines.removeFirst()
    }
}

private let ehloResponse = [
    "220 BLU0-SMTP8.blu0.hotmail.com Microsoft ESMTP MAIL Service, Version: 6.0.3790.3959 ready at  Mon, 14 Sep 2009 16:44:33 -0700",
    "250-BLU0-SMTP8.blu0.hotmail.com Hello [131.107.0.75]",
    "250-TLS",
    "250-STARTTLS",
    "250 OK",
]

@Suite struct AssignTests {
    @Test func assignStoresAndReturnsTheValue() {
        var target = 1
        #expect(assign(&target, 5) == 5)
        #expect(target == 5)
        assign(&target, 6)
        #expect(target == 6)
    }

    @Test func blogLoopReadsUntil250OK() throws {
        // while ((line = sr.ReadLine()) != "250 OK") ;
        let sr = FakeLineReader(ehloResponse + ["220 2.0.0 SMTP server ready"])
        var line: String? = nil
        while try assign(&line, sr.ReadLine()) != "250 OK" {}
        #expect(line == "250 OK")
        #expect(sr.readCount == 5)
    }

    @Test func blogLoopReadsUntilALineStartingWith220() throws {
        // while (!(line = sr.ReadLine()).StartsWith("220")) ;
        let sr = FakeLineReader(["250-noise", "220 2.0.0 SMTP server ready", "later"])
        var line: String? = nil
        while try !assign(&line, sr.ReadLine()).StartsWith("220") {}
        #expect(line == "220 2.0.0 SMTP server ready")
        #expect(sr.readCount == 2)
    }

    @Test func blogLoopThrowsNullReferenceAtEndOfStream() {
        let sr = FakeLineReader(["250 OK", "454 TLS not available"])
        var line: String? = "previous"
        #expect(throws: NullReferenceException.self) {
            while try !assign(&line, sr.ReadLine()).StartsWith("220") {}
        }
        #expect(line == nil)
        #expect(sr.readCount == 3)
    }
}

@Suite struct StringMemberTests {
    @Test func startsAndEndsWithCompareOrdinally() {
        #expect("220 ready".StartsWith("220"))
        #expect(!"22".StartsWith("220"))
        #expect("abc".StartsWith(""))
        #expect("250 OK".EndsWith("OK"))
        #expect(!"250 OK".EndsWith("ok"))
        #expect("abc".EndsWith(""))
        // Ordinal: a precomposed é is not e + combining acute.
        #expect(!"\u{E9}".StartsWith("e"))
    }

    @Test func containsAndIndexOfUseUTF16Offsets() {
        #expect("CN=mail.example.com, O=x".Contains("CN=mail.example.com"))
        #expect(!"CN=mail".Contains("CN=mail.example.com"))
        #expect("😀ab".IndexOf("ab") == 2)
        #expect("abc".IndexOf("") == 0)
        #expect("abc".IndexOf("d") == -1)
        #expect("a,b".IndexOf(",") == 1)
        #expect("a,b".IndexOf(Character(",")) == 1)
    }

    @Test func lengthCountsUTF16Units() {
        #expect("EHLO".Length == 4)
        #expect("😀".Length == 2)
        #expect("".Length == 0)
    }

    @Test func substringTakesUTF16Ranges() throws {
        #expect(try "250-STARTTLS".Substring(4) == "STARTTLS")
        #expect(try "250-STARTTLS".Substring(0, 3) == "250")
        #expect(try "abc".Substring(3) == "")
        #expect(try "abc".Substring(3, 0) == "")
    }

    @Test func substringRejectsOutOfRangeArguments() {
        let pastEnd = #expect(throws: ArgumentOutOfRangeException.self) { try "abc".Substring(4) }
        #expect(pastEnd?.ParamName == "startIndex")
        let negative = #expect(throws: ArgumentOutOfRangeException.self) { try "abc".Substring(-1, 1) }
        #expect(negative?.Message.contains("StartIndex cannot be less than zero.") == true)
        let tooLong = #expect(throws: ArgumentOutOfRangeException.self) { try "abc".Substring(1, 3) }
        #expect(tooLong?.ParamName == "length")
        #expect(throws: ArgumentOutOfRangeException.self) { try "abc".Substring(0, -1) }
    }

    @Test func trimRemovesWhiteSpaceAtBothEnds() {
        #expect("  250 OK\r\n".Trim() == "250 OK")
        #expect("\t x \u{A0}".Trim() == "x")
        #expect(" x ".TrimStart() == "x ")
        #expect(" x ".TrimEnd() == " x")
        #expect("   ".Trim() == "")
    }

    @Test func caseConversion() {
        #expect("starttls".ToUpper() == "STARTTLS")
        #expect("EHLO".ToLower() == "ehlo")
    }

    @Test func splitKeepsEmptyPiecesAndSplitsInsideCRLF() {
        #expect("250-SIZE 35840000".Split(" ") == ["250-SIZE", "35840000"])
        #expect("a,,b,".Split(",") == ["a", "", "b", ""])
        #expect("a,b;c".Split(",", ";") == ["a", "b", "c"])
        #expect("a\r\nb".Split("\n") == ["a\r", "b"])
        #expect("".Split(",") == [""])
    }

    @Test func isNullOrEmptyTreatsNilAndEmptyAlike() {
        #expect(String.IsNullOrEmpty(nil))
        #expect(String.IsNullOrEmpty(""))
        #expect(String.IsNullOrEmpty(String.Empty))
        #expect(!String.IsNullOrEmpty(" "))
    }

    @Test func equalsIsOrdinalAndFalseForNil() {
        #expect("a".Equals("a"))
        #expect(!"a".Equals(nil))
        #expect(!"\u{E9}".Equals("e\u{301}"))
    }
}

@Suite struct OptionalStringMemberTests {
    @Test func membersOnANonNilValueBehaveAsOnString() throws {
        let line: String? = "250-STARTTLS"
        #expect(try line.StartsWith("250"))
        #expect(try line.EndsWith("TLS"))
        #expect(try line.Contains("START"))
        #expect(try line.IndexOf("-") == 3)
        #expect(try line.Length == 12)
        #expect(try line.Substring(4) == "STARTTLS")
        #expect(try line.Substring(0, 3) == "250")
        #expect(try line.ToLower() == "250-starttls")
        #expect(try line.Split("-") == ["250", "STARTTLS"])
        #expect(try line.Trim() == "250-STARTTLS")
    }

    @Test func everyMemberOnNilThrowsNullReferenceException() {
        let line: String? = nil
        #expect(throws: NullReferenceException.self) { try line.StartsWith("220") }
        #expect(throws: NullReferenceException.self) { try line.EndsWith("x") }
        #expect(throws: NullReferenceException.self) { try line.Contains("x") }
        #expect(throws: NullReferenceException.self) { try line.IndexOf("x") }
        #expect(throws: NullReferenceException.self) { try line.Length }
        #expect(throws: NullReferenceException.self) { try line.Substring(0) }
        #expect(throws: NullReferenceException.self) { try line.Trim() }
        #expect(throws: NullReferenceException.self) { try line.ToUpper() }
        #expect(throws: NullReferenceException.self) { try line.Split(",") }
        #expect(throws: NullReferenceException.self) { try line.Equals("x") }
    }

    @Test func theNullReferenceMessageIsTheDotNetOne() {
        let line: String? = nil
        let error = #expect(throws: NullReferenceException.self) { try line.StartsWith("220") }
        #expect(error?.Message == "Object reference not set to an instance of an object.")
    }
}
