import NetCF
import Testing

// Expected bytes were checked against Python's codecs (`'…'.encode('cp1252')`, 'cp1250', 'cp437',
// 'latin-1', 'utf-16-le', 'utf-16-be'), which agree with Windows for every assigned byte.

@Suite struct CodePageEncodingTests {
    // MARK: Windows-1252

    @Test func windows1252EncodesWesternTextAsWindowsDoes() throws {
        let cp1252 = try Encoding.GetEncoding(1252)
        let text = "Caf\u{E9} \u{20AC}5 \u{2013} \u{201C}OK\u{201D} \u{160}koda"
        let expected: [UInt8] = [67, 97, 102, 233, 32, 128, 53, 32, 150, 32, 147, 79, 75, 148, 32, 138, 107, 111, 100, 97]
        #expect(cp1252.GetBytes(text) == expected)
        #expect(cp1252.GetByteCount(text) == int(expected.count))
        #expect(cp1252.GetString(expected) == text)
    }

    @Test func windows1252DecodesTheRangeThatDiffersFromLatin1() throws {
        let cp1252 = try Encoding.GetEncoding(1252)
        let expected =
            "\u{20AC}\u{81}\u{201A}\u{192}\u{201E}\u{2026}\u{2020}\u{2021}\u{2C6}\u{2030}\u{160}\u{2039}\u{152}\u{8D}\u{17D}\u{8F}"
            + "\u{90}\u{2018}\u{2019}\u{201C}\u{201D}\u{2022}\u{2013}\u{2014}\u{2DC}\u{2122}\u{161}\u{203A}\u{153}\u{9D}\u{17E}\u{178}"
        #expect(cp1252.GetString((0x80...0x9F).map { UInt8($0) }) == expected)
        let upper = (0xA0...0xFF).map { UInt8($0) }
        #expect(cp1252.GetString(upper) == String(decoding: upper.map { UInt16($0) }, as: UTF16.self))
    }

    @Test func windows1252UnassignedBytesDecodeToC1ControlsAndBack() throws {
        let cp1252 = try Encoding.GetEncoding("windows-1252")
        let unassigned: [UInt8] = [0x81, 0x8D, 0x8F, 0x90, 0x9D]
        #expect(cp1252.GetString(unassigned) == "\u{81}\u{8D}\u{8F}\u{90}\u{9D}")
        #expect(cp1252.GetBytes("\u{81}\u{8D}\u{8F}\u{90}\u{9D}") == unassigned)
    }

    @Test func everyByteSurvivesARoundTripThroughEachCodePage() throws {
        let all = (0...255).map { UInt8($0) }
        for codePage in [1252, 1250, 437, 28591] {
            let encoding = try Encoding.GetEncoding(codePage)
            #expect(encoding.GetBytes(encoding.GetString(all)) == all, "code page \(codePage)")
        }
    }

    @Test func charactersACodePageLacksBecomeQuestionMarksWithoutBestFit() throws {
        let cp1252 = try Encoding.GetEncoding(1252)
        // .NET's best-fit mapping would send "A" and "8" for the first two; this package sends "?".
        #expect(cp1252.GetBytes("\u{100}\u{221E}\u{65E5}") == [0x3F, 0x3F, 0x3F])
        #expect(cp1252.GetBytes("\u{1F600}") == [0x3F, 0x3F])
        #expect(try Encoding.GetEncoding(28591).GetBytes("\u{20AC}") == [0x3F])
    }

    // MARK: Other single-byte code pages

    @Test func windows1250EncodesCentralEuropeanText() throws {
        let cp1250 = try Encoding.GetEncoding(1250)
        let text = "Za\u{17C}\u{F3}\u{142}\u{107} g\u{119}\u{15B}l\u{105} ja\u{17A}\u{144} \u{20AC}"
        let expected: [UInt8] = [90, 97, 191, 243, 179, 230, 32, 103, 234, 156, 108, 185, 32, 106, 97, 159, 241, 32, 128]
        #expect(cp1250.GetBytes(text) == expected)
        #expect(cp1250.GetString(expected) == text)
    }

    @Test func oem437HasBoxDrawingAndAccentedLetters() throws {
        let oem = try Encoding.GetEncoding(437)
        #expect(oem.GetBytes("\u{2554}\u{2550}\u{2557} \u{E9}\u{FC} \u{BD} \u{3C0}") == [201, 205, 187, 32, 130, 129, 32, 171, 32, 227])
        #expect(oem.GetString([0xB0, 0xDB, 0x9B, 0xE1, 0xF8]) == "\u{2591}\u{2588}\u{A2}\u{DF}\u{B0}")
    }

    @Test func latin1IsTheFirst256CodePoints() throws {
        let latin1 = try Encoding.GetEncoding("iso-8859-1")
        #expect(latin1.GetBytes("\u{FF}\u{E9}") == [255, 233])
        #expect(latin1.GetString([0x80, 0xFF]) == "\u{80}\u{FF}")
    }

    // MARK: Finding encodings

    @Test func codePagesGiveTheSharedInstances() throws {
        #expect(try Encoding.GetEncoding(20127) === Encoding.ASCII)
        #expect(try Encoding.GetEncoding(65001) === Encoding.UTF8)
        #expect(try Encoding.GetEncoding(1200) === Encoding.Unicode)
        #expect(try Encoding.GetEncoding(1201) === Encoding.BigEndianUnicode)
        #expect(try Encoding.GetEncoding(0) === Encoding.Default)
        #expect(try Encoding.GetEncoding(1252) === Encoding.GetEncoding("windows-1252"))
        #expect(try Encoding.GetEncoding(UInt16(1252)) === Encoding.Default)
    }

    @Test func defaultIsWindows1252() {
        #expect(Encoding.Default.CodePage == 1252)
        #expect(Encoding.Default.GetBytes("\u{E9}\u{20AC}") == [0xE9, 0x80])
    }

    @Test(arguments: [
        ("windows-1252", 1252), ("Windows-1252", 1252), ("x-ansi", 1252),
        ("iso-8859-1", 28591), ("ISO-8859-1", 28591), ("latin1", 28591), ("l1", 28591),
        ("us-ascii", 20127), ("ascii", 20127), ("US-ASCII", 20127), ("ANSI_X3.4-1968", 20127),
        ("utf-8", 65001), ("UTF-8", 65001), ("utf8", 65001),
        ("utf-16", 1200), ("unicode", 1200), ("UTF-16LE", 1200), ("ucs-2", 1200),
        ("unicodeFFFE", 1201), ("UTF-16BE", 1201),
        ("ibm437", 437), ("IBM437", 437), ("cp437", 437),
        ("windows-1250", 1250), ("x-cp1250", 1250),
    ])
    func namesAndAliasesIgnoreCase(name: String, codePage: Int) throws {
        #expect(try Encoding.GetEncoding(name).CodePage == int(codePage))
    }

    @Test func anUnknownCodePageIsNotSupported() {
        let error = #expect(throws: NotSupportedException.self) { try Encoding.GetEncoding(936) }
        #expect(error?.Message.contains("936") == true)
    }

    @Test func aCodePageOutsideTheRangeIsRejected() {
        for codePage in [-1, 65536] {
            let error = #expect(throws: ArgumentOutOfRangeException.self) { try Encoding.GetEncoding(codePage) }
            #expect(error?.ParamName == "codepage")
        }
    }

    @Test func anUnknownNameIsAnArgumentException() {
        let error = #expect(throws: ArgumentException.self) { try Encoding.GetEncoding("klingon") }
        #expect(error?.ParamName == "name")
        #expect(error?.Message.contains("'klingon' is not a supported encoding name.") == true)
    }

    @Test func namesAndCodePagesOfEachEncoding() throws {
        let expected: [(Encoding, int, String, String, Bool)] = [
            (.ASCII, 20127, "us-ascii", "US-ASCII", true),
            (.UTF8, 65001, "utf-8", "Unicode (UTF-8)", false),
            (.Unicode, 1200, "utf-16", "Unicode", false),
            (.BigEndianUnicode, 1201, "unicodeFFFE", "Unicode (Big-Endian)", false),
            (try Encoding.GetEncoding(1252), 1252, "windows-1252", "Western European (Windows)", true),
            (try Encoding.GetEncoding(1250), 1250, "windows-1250", "Central European (Windows)", true),
            (try Encoding.GetEncoding(28591), 28591, "iso-8859-1", "Western European (ISO)", true),
            (try Encoding.GetEncoding(437), 437, "ibm437", "OEM United States", true),
        ]
        for (encoding, codePage, webName, name, singleByte) in expected {
            #expect(encoding.CodePage == codePage)
            #expect(encoding.WebName == webName)
            #expect(encoding.EncodingName == name)
            #expect(encoding.IsSingleByte == singleByte)
        }
    }

    // MARK: UTF-16

    @Test func unicodeIsLittleEndianUTF16() {
        let text = "A\u{E9}\u{1F600}"
        #expect(Encoding.Unicode.GetBytes(text) == [65, 0, 233, 0, 61, 216, 0, 222])
        #expect(Encoding.Unicode.GetByteCount(text) == 8)
        #expect(Encoding.Unicode.GetString([65, 0, 233, 0, 61, 216, 0, 222]) == text)
        #expect(Encoding.Unicode.GetCharCount([65, 0, 233, 0, 61, 216, 0, 222]) == 4)
    }

    @Test func bigEndianUnicodePutsTheHighByteFirst() {
        let text = "A\u{E9}\u{1F600}"
        #expect(Encoding.BigEndianUnicode.GetBytes(text) == [0, 65, 0, 233, 216, 61, 222, 0])
        #expect(Encoding.BigEndianUnicode.GetString([0, 65, 0, 233, 216, 61, 222, 0]) == text)
    }

    @Test func utf16DecodesAnOddByteAndALoneSurrogateAsReplacementCharacters() {
        #expect(Encoding.Unicode.GetString([65, 0, 66]) == "A\u{FFFD}")
        #expect(Encoding.Unicode.GetCharCount([65, 0, 66]) == 2)
        #expect(Encoding.Unicode.GetString([0x3D, 0xD8, 65, 0]) == "\u{FFFD}A")
    }

    // MARK: Preambles

    @Test func preamblesAreTheByteOrderMarksDotNetReturns() {
        #expect(Encoding.UTF8.GetPreamble() == [0xEF, 0xBB, 0xBF])
        #expect(UTF8Encoding().GetPreamble() == [])
        #expect(UTF8Encoding(false).GetPreamble() == [])
        #expect(UTF8Encoding(true).GetPreamble() == [0xEF, 0xBB, 0xBF])
        #expect(Encoding.Unicode.GetPreamble() == [0xFF, 0xFE])
        #expect(Encoding.BigEndianUnicode.GetPreamble() == [0xFE, 0xFF])
        #expect(Encoding.ASCII.GetPreamble() == [])
        #expect(Encoding.Default.GetPreamble() == [])
    }

    @Test func getBytesNeverWritesThePreamble() {
        #expect(Encoding.UTF8.GetBytes("A") == [0x41])
        #expect(Encoding.Unicode.GetBytes("A") == [0x41, 0x00])
    }

    // MARK: Chars and ranges

    @Test func getCharsAndCountsDecodeTheRequestedRange() throws {
        let cp1252 = try Encoding.GetEncoding(1252)
        let bytes: [UInt8] = [0x3E, 0x80, 0xE9, 0x0D, 0x0A]
        #expect(cp1252.GetChars(bytes) == ["\u{3E}", "\u{20AC}", "\u{E9}", "\r", "\n"])
        #expect(try cp1252.GetChars(bytes, 1, 2) == ["\u{20AC}", "\u{E9}"])
        #expect(try cp1252.GetString(bytes, 1, 2) == "\u{20AC}\u{E9}")
        #expect(cp1252.GetCharCount(bytes) == 5)
        #expect(try cp1252.GetCharCount(bytes, 1, 3) == 3)
        #expect(try Encoding.Unicode.GetChars([0x41, 0, 0xE9, 0], 2, 2) == ["\u{E9}"])
        #expect(try Encoding.UTF8.GetCharCount([0xF0, 0x9F, 0x98, 0x80, 0x41], 0, 5) == 3)
    }

    @Test func getCharsRejectsARangePastTheEnd() throws {
        let error = #expect(throws: ArgumentOutOfRangeException.self) { try Encoding.Default.GetChars([1, 2, 3], 2, 2) }
        #expect(error?.ParamName == "bytes")
        let countError = #expect(throws: ArgumentOutOfRangeException.self) { try Encoding.Unicode.GetCharCount([1, 2], 0, -1) }
        #expect(countError?.ParamName == "count")
    }
}

@Suite struct EncodingGetBytesIntoBufferTests {
    @Test func getBytesWritesIntoTheBufferAtTheIndexAndReturnsTheCount() throws {
        var buffer = [UInt8](repeating: 0xAA, count: 8)
        let written = try Encoding.GetEncoding(1252).GetBytes("x\u{E9}\u{20AC}y", 1, 2, &buffer, 3)
        #expect(written == 2)
        #expect(buffer == [0xAA, 0xAA, 0xAA, 0xE9, 0x80, 0xAA, 0xAA, 0xAA])
        #expect(try Encoding.Unicode.GetBytes("AB", 0, 2, &buffer, 4) == 4)
        #expect(buffer[4...] == [0x41, 0x00, 0x42, 0x00])
    }

    @Test func getBytesRefusesABufferTooSmallAndWritesNothing() throws {
        var buffer = [UInt8](repeating: 0, count: 3)
        let error = #expect(throws: ArgumentException.self) { try Encoding.UTF8.GetBytes("\u{20AC}", 0, 1, &buffer, 1) }
        #expect(error?.ParamName == "bytes")
        #expect(buffer == [0, 0, 0])
    }

    @Test func getBytesRejectsRangesOutsideTheStringOrBuffer() {
        var buffer = [UInt8](repeating: 0, count: 3)
        let past = #expect(throws: ArgumentOutOfRangeException.self) { try Encoding.ASCII.GetBytes("abc", 2, 2, &buffer, 0) }
        #expect(past?.ParamName == "s")
        let negative = #expect(throws: ArgumentOutOfRangeException.self) { try Encoding.ASCII.GetBytes("abc", -1, 1, &buffer, 0) }
        #expect(negative?.ParamName == "charIndex")
        let byteIndex = #expect(throws: ArgumentOutOfRangeException.self) { try Encoding.ASCII.GetBytes("abc", 0, 1, &buffer, 4) }
        #expect(byteIndex?.ParamName == "byteIndex")
    }

    @Test func getBytesOfPartOfACharArray() throws {
        let chars: [Character] = ["a", "\u{E9}", "\u{20AC}", "b"]
        #expect(try Encoding.Default.GetBytes(chars, 1, 2) == [0xE9, 0x80])
        let error = #expect(throws: ArgumentOutOfRangeException.self) { try Encoding.Default.GetBytes(chars, 3, 2) }
        #expect(error?.ParamName == "chars")
    }
}
