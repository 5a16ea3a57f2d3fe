import NetCF
import Testing

@Suite struct CharAndStringMembersTests {
    @Test func splitTakesAnArrayVariable() throws {
        // char[] seperator = { '\n' }; string[] mess = mes.Split(seperator);
        let seperator: [char] = ["\n"]
        let mes = "220 a\r\n220 b\n"
        let mess = mes.Split(seperator)
        #expect(mess == ["220 a\r", "220 b", ""])
        let field: string! = "a;b,c"
        #expect(try field.Split([";", ","]) == ["a", "b", "c"])
        let none: string? = nil
        #expect(throws: NullReferenceException.self) { try none.Split(seperator) }
        // An empty array splits on white space, as .NET's null does.
        #expect("a b\tc".Split([Character]()) == ["a", "b", "c"])
        #expect("a b\tc".Split() == ["a", "b", "c"])
        #expect("a,,b".Split(",") == ["a", "", "b"])
    }

    @Test func splitWithACountKeepsTheRestInTheLastPiece() throws {
        #expect(try "k=v=w".Split(["="], 2) == ["k", "v=w"])
        #expect(try "a,b,c".Split([","], 5) == ["a", "b", "c"])
        #expect(try "a,b".Split([","], 1) == ["a,b"])
        #expect(try "a,b".Split([","], 0) == [])
        #expect(throws: ArgumentOutOfRangeException.self) { try "a".Split([","], -1) }
    }

    @Test func trimWithCharacters() throws {
        // line = encoding.GetString(…).TrimEnd(new char[] { '\r' });
        #expect("250 OK\r\r".TrimEnd(["\r"]) == "250 OK")
        #expect("250 OK\r\n".TrimEnd("\r", "\n") == "250 OK")
        #expect("xxhixx".Trim("x") == "hi")
        #expect("xxhixx".TrimStart(["x"]) == "hixx")
        #expect("--a--".Trim(["-"]) == "a")
        #expect("  a  ".Trim() == "a")
        #expect("  a  ".Trim([Character]()) == "a")
        let line: string! = "\r\nok\r\n"
        #expect(try line.TrimEnd(["\r", "\n"]) == "\r\nok")
        #expect(try line.TrimStart("\r", "\n") == "ok\r\n")
    }

    @Test func convertToChar() throws {
        // char ch = Convert.ToChar(ipData.Substring(i, 1));
        #expect(try Convert.ToChar("7") == "7")
        #expect(throws: FormatException.self) { try Convert.ToChar("") }
        #expect(throws: FormatException.self) { try Convert.ToChar("ab") }
        #expect(throws: FormatException.self) { try Convert.ToChar("😀") }  // two UTF-16 units
        #expect(throws: ArgumentNullException.self) { try Convert.ToChar(nil as String?) }
        #expect(try Convert.ToChar(65) == "A")
        #expect(try Convert.ToChar(byte(10)) == "\n")
        #expect(throws: OverflowException.self) { try Convert.ToChar(70000) }
        #expect(throws: OverflowException.self) { try Convert.ToChar(-1) }
    }

    @Test func charCastFromIntegers() {
        // if ((char)temp_buffer[0] != '\n')
        let temp_buffer: [byte] = [10, 65]
        #expect(char(temp_buffer[0]) == "\n")
        #expect(char(temp_buffer[1]) != "\n")
        #expect(char(0x41 as int) == "A")
        #expect(char(0xE9 as int) == "é")
        #expect(char(0x1_0041 as int) == "A")  // low 16 bits, as C#'s unchecked cast
        #expect(char(0xD800 as int) == "\u{FFFD}")  // a lone surrogate
        #expect(byte(char(200 as int)) == 200)
    }

    @Test func charClassification() throws {
        #expect(Char.IsDigit("7"))
        #expect(char.IsDigit("٣"))  // Arabic-Indic three: category Nd, as in .NET
        #expect(!Char.IsDigit("x"))
        #expect(Char.IsLetter("é"))
        #expect(!Char.IsLetter("1"))
        #expect(Char.IsLetterOrDigit("1") && Char.IsLetterOrDigit("b") && !Char.IsLetterOrDigit("-"))
        #expect(Char.IsWhiteSpace(" ") && Char.IsWhiteSpace("\t") && Char.IsWhiteSpace("\u{A0}"))
        #expect(!Char.IsWhiteSpace("a"))
        #expect(Char.IsUpper("A") && !Char.IsUpper("a") && !Char.IsUpper("1"))
        #expect(Char.IsLower("a") && !Char.IsLower("A"))
        #expect(Char.IsPunctuation(".") && Char.IsPunctuation("!") && !Char.IsPunctuation("+"))
        #expect(Char.ToUpper("a") == "A")
        #expect(Char.ToLower("Q") == "q")
        #expect(Char.ToUpper("ß") == "ß")  // its upper case is two characters: unchanged, as .NET's Char.ToUpper
        #expect(Char.ToUpper("1") == "1")
        #expect(!Char.IsLetter("😀"))
    }

    @Test func charClassificationInAString() throws {
        #expect(try Char.IsDigit("ab3", 2))
        #expect(try !Char.IsDigit("ab3", 0))
        #expect(try Char.IsLetter("ab3", 0))
        #expect(try Char.IsWhiteSpace("a b", 1))
        #expect(try Char.IsUpper("aB", 1))
        #expect(try Char.IsLower("aB", 0))
        #expect(try Char.IsPunctuation("a,", 1))
        #expect(try Char.IsLetterOrDigit("-1", 1))
        #expect(try !Char.IsLetter("😀", 0))  // a high surrogate, as .NET sees index 0
        #expect(throws: ArgumentOutOfRangeException.self) { try Char.IsDigit("ab", 2) }
        #expect(throws: ArgumentOutOfRangeException.self) { try Char.IsDigit("ab", -1) }
        #expect(throws: ArgumentNullException.self) { try Char.IsDigit(nil, 0) }
    }
}
