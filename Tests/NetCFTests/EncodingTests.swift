import NetCF
import Testing

@Suite struct EncodingTests {
    @Test func asciiEncodesSevenBitCharactersAsThemselves() {
        #expect(Encoding.ASCII.GetBytes("EHLO\r\n") == [0x45, 0x48, 0x4C, 0x4F, 0x0D, 0x0A])
    }

    @Test func asciiKeepsControlCharacters() {
        #expect(Encoding.ASCII.GetBytes("\0\u{01}\t\u{7F}") == [0x00, 0x01, 0x09, 0x7F])
    }

    @Test func asciiReplacesEachNonAsciiUTF16UnitWithAQuestionMark() {
        #expect(Encoding.ASCII.GetBytes("é") == [0x3F])
        #expect(Encoding.ASCII.GetBytes("😀") == [0x3F, 0x3F])
        #expect(Encoding.ASCII.GetBytes("e\u{301}") == [0x65, 0x3F])
        #expect(Encoding.ASCII.GetBytes("Jo\u{E3}o") == Array("Jo?o".utf8))
    }

    @Test func asciiByteCountIsTheUTF16Length() {
        #expect(Encoding.ASCII.GetByteCount("a😀é") == 4)
        #expect(Encoding.ASCII.GetByteCount("a😀é") == Encoding.ASCII.GetBytes("a😀é").count)
    }

    @Test func asciiDecodesBytesAbove0x7FAsQuestionMarks() {
        #expect(Encoding.ASCII.GetString([0x41, 0x80, 0xFF, 0x42]) == "A??B")
    }

    @Test func utf8RoundTripsAnyString() {
        let text = "João 😀 \u{0} ∑"
        let bytes = Encoding.UTF8.GetBytes(text)
        #expect(bytes.count == Encoding.UTF8.GetByteCount(text))
        #expect(Encoding.UTF8.GetString(bytes) == text)
        #expect(Encoding.UTF8.GetBytes("é") == [0xC3, 0xA9])
    }

    @Test func utf8DecodesInvalidSequencesAsReplacementCharacters() {
        #expect(Encoding.UTF8.GetString([0x41, 0xFF, 0x42]) == "A\u{FFFD}B")
        #expect(Encoding.UTF8.GetString([0xC3]) == "\u{FFFD}")
    }

    @Test func getStringDecodesTheRequestedRange() throws {
        let bytes = Array("250 OK\r\n".utf8)
        #expect(try Encoding.ASCII.GetString(bytes, 4, 2) == "OK")
        #expect(try Encoding.ASCII.GetString(bytes, 8, 0) == "")
        #expect(try Encoding.UTF8.GetString(bytes, 0, bytes.count) == "250 OK\r\n")
    }

    @Test func getStringRejectsNegativeIndexOrCount() {
        let error = #expect(throws: ArgumentOutOfRangeException.self) { try Encoding.ASCII.GetString([1, 2], -1, 1) }
        #expect(error?.ParamName == "index")
        let countError = #expect(throws: ArgumentOutOfRangeException.self) { try Encoding.ASCII.GetString([1, 2], 0, -1) }
        #expect(countError?.ParamName == "count")
        #expect(countError?.Message.contains("Non-negative number required.") == true)
    }

    @Test func getStringRejectsARangePastTheEnd() {
        let error = #expect(throws: ArgumentOutOfRangeException.self) { try Encoding.UTF8.GetString([1, 2, 3], 2, 2) }
        #expect(error?.ParamName == "bytes")
        #expect(error?.Message.contains("Index and count must refer to a location within the buffer.") == true)
    }

    @Test func webNamesAreTheIANANames() {
        #expect(Encoding.ASCII.WebName == "us-ascii")
        #expect(Encoding.UTF8.WebName == "utf-8")
    }
}
