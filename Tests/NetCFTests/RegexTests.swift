import NetCF
import Testing

@Suite struct RegexTests {
    @Test func theFtpPwdReplyYieldsTheNamedGroup() throws {
        // FtpConnection: if ((m = Regex.Match(reply, "\"(?<pwd>.*)\"")).Success) return m.Groups["pwd"].Value;
        // (the port's local is `var m: Match? = nil`; assign's result is then unwrapped with `!`)
        var m: Match? = nil
        let reply = "257 \"/home/ftp\" is the current directory"
        if try assign(&m, Regex.Match(reply, "\"(?<pwd>.*)\""))!.Success {
            #expect(m!.Groups["pwd"].Value == "/home/ftp")
            #expect(m!.Groups["pwd"].Index == 5)
        } else {
            Issue.record("no match")
        }
        #expect(try !Regex.Match("257 no quotes", "\"(?<pwd>.*)\"").Success)
    }

    @Test func commonConstructsMatchAsInDotNet() throws {
        #expect(try Regex.IsMatch("abc123", "^[a-z]+\\d{3}$"))
        #expect(try !Regex.IsMatch("abc12", "^[a-z]+\\d{3}$"))
        #expect(try Regex.Match("a  b", "\\s+").Length == 2)
        #expect(try Regex.Match("x_y9 z", "\\w+").Value == "x_y9")
        #expect(try Regex.Match("<a><b>", "<.+?>").Value == "<a>")
        #expect(try Regex.Match("<a><b>", "<.+>").Value == "<a><b>")
        #expect(try Regex.Match("cat dog", "dog|cat").Value == "cat")
        #expect(try Regex.Match("HELLO", "(?i)hello").Success)
        #expect(try Regex.Match("HELLO", "hello", RegexOptions.IgnoreCase).Success)
        #expect(try !Regex.Match("HELLO", "hello").Success)
        #expect(try Regex.Match("a word here", "\\bword\\b").Index == 2)
    }

    @Test func groupsAreNumberedUnnamedFirstThenNamed() throws {
        let m = try Regex.Match("x=1;y", "(?<key>\\w)=(\\d)(;)?(?<rest>\\w)?")
        #expect(m.Groups.Count == 5)
        #expect(m.Groups[0].Value == "x=1;y")
        #expect(m.Groups[1].Value == "1")
        #expect(m.Groups[2].Value == ";")
        #expect(m.Groups[3].Value == "x")
        #expect(m.Groups[4].Value == "y")
        #expect(m.Groups["key"].Value == "x")
        #expect(!m.Groups[9].Success)
        #expect(m.Groups[9].Value == "")
        #expect(!m.Groups["missing"].Success)
        let n = try Regex.Match("x=1", "(\\w)=(\\d)(;)?")
        #expect(!n.Groups[3].Success)
        #expect(n.Groups[3].Value == "")
    }

    @Test func offsetsAreUtf16CodeUnits() throws {
        // "é" is one unit, "😀" two: .NET counts UTF-16 units.
        let m = try Regex.Match("é😀ab", "ab")
        #expect(m.Index == 3)
        #expect(m.Length == 2)
        let emoji = try Regex.Match("x😀y", "😀")
        #expect(emoji.Index == 1)
        #expect(emoji.Length == 2)
    }

    @Test func dotAndDollarKeepDotNetMeaning() throws {
        // '.' matches '\r' (only '\n' is excluded); "\r\n" is two characters.
        #expect(try Regex.Match("ab\r\ncd", "b.").Value == "b\r")
        #expect(try Regex.Match("ab\ncd", "b.\\w").Success == false)
        #expect(try Regex.Match("ab\ncd", "b.c", RegexOptions.Singleline).Success)
        // '$' also matches before a final '\n'.
        #expect(try Regex.IsMatch("250 OK\n", "OK$"))
        #expect(try !Regex.IsMatch("250 OK\nmore", "OK$"))
        #expect(try Regex.Matches("a1\nb2\nc3", "\\d$", RegexOptions.Multiline).Count == 3)
        #expect(try Regex.Matches("a1\nb2\nc3", "^\\w", RegexOptions.Multiline).Count == 3)
        #expect(try Regex.Matches("a1\nb2\nc3", "^\\w").Count == 1)
        // Inside a character class '.' and '$' are literal.
        #expect(try Regex.Match("a$b.c", "[.$]+").Value == "$")
    }

    @Test func matchesCountIndexAndForeach() throws {
        let mc = try Regex.Matches("a1b22c333", "\\d+")
        #expect(mc.Count == 3)
        #expect(try mc[1].Value == "22")
        #expect(try mc[2].Index == 6)
        var values: [String] = []
        for m in mc { values.append(m.Value) }
        #expect(values == ["1", "22", "333"])
        #expect(throws: ArgumentOutOfRangeException.self) { try mc[3] }
        #expect(try Regex.Matches("abc", "\\d").Count == 0)
    }

    @Test func nextMatchWalksTheMatches() throws {
        var m = try Regex.Match("k1=v1;k2=v2", "(\\w+)=(\\w+)")
        var keys: [String] = []
        while m.Success {
            keys.append(m.Groups[1].Value)
            m = try m.NextMatch()
        }
        #expect(keys == ["k1", "k2"])
        #expect(try !Regex.Match("x", "y").NextMatch().Success)
    }

    @Test func replaceSubstitutesGroups() throws {
        #expect(try Regex.Replace("John Smith", "(\\w+) (\\w+)", "$2, $1") == "Smith, John")
        #expect(try Regex.Replace("John Smith", "(?<first>\\w+) (?<last>\\w+)", "${last} ${first}") == "Smith John")
        #expect(try Regex.Replace("a1b2", "\\d", "[$0]") == "a[1]b[2]")
        #expect(try Regex.Replace("a1b2", "\\d", "<$&>") == "a<1>b<2>")
        #expect(try Regex.Replace("cost 5", "\\d", "$$$0") == "cost $5")
        // A reference to a group that does not exist stays as written.
        #expect(try Regex.Replace("ab", "(a)", "$7${nope}") == "$7${nope}b")
        #expect(try Regex.Replace("abc", "b", "[$`|$']") == "a[a|c]c")
        let regex = try Regex("\\s+")
        #expect(try regex.Replace("a  b \t c", " ") == "a b c")
        #expect(try regex.Replace("a b", { (m: Match) in String(m.Length) }) == "a1b")
    }

    @Test func splitKeepsEmptyPiecesAndCaptures() throws {
        #expect(try Regex.Split("a, b,,c", ",\\s*") == ["a", "b", "", "c"])
        #expect(try Regex.Split("a1b2c", "(\\d)") == ["a", "1", "b", "2", "c"])
        #expect(try Regex.Split("abc", "x") == ["abc"])
        #expect(try Regex("-").Split("-a-") == ["", "a", ""])
    }

    @Test func optionsAndBadPatternsAreRefusedClearly() throws {
        #expect(try Regex("a", RegexOptions.Compiled | RegexOptions.IgnoreCase).IsMatch("A"))
        do {
            _ = try Regex("a", RegexOptions.RightToLeft | RegexOptions.ECMAScript)
            Issue.record("accepted RightToLeft")
        } catch let e as NotSupportedException {
            #expect(e.Message.contains("RightToLeft"))
            #expect(e.Message.contains("ECMAScript"))
        }
        do {
            _ = try Regex("a(b")
            Issue.record("accepted an unbalanced pattern")
        } catch let e as ArgumentException {
            #expect(e.Message.contains("a(b"))
            #expect(e.ParamName == "pattern")
        }
        // Lookbehind: refused with a clear error by toolchains without it, matched by those with it; never a crash.
        do {
            let matches = try Regex.Matches("ab1 c1", "(?<=b)1")
            #expect(matches.Count == 1)
        } catch let e as ArgumentException {
            #expect(e.Message.contains("(?<=b)1"))
        } catch let e as NotSupportedException {
            #expect(e.Message.contains("(?<=b)1"))
        }
        #expect(throws: ArgumentNullException.self) { try Regex.Match(nil, "a") }
        #expect(throws: ArgumentNullException.self) { try Regex(nil) }
    }

    @Test func escapeQuotesMetacharacters() throws {
        let escaped = try Regex.Escape("1.5*(x)")
        #expect(escaped == "1\\.5\\*\\(x\\)")
        #expect(try Regex.IsMatch("cost 1.5*(x)!", escaped))
        #expect(try !Regex.IsMatch("1x5*(x)", escaped))
    }

    @Test func theStaticCacheReturnsTheSameResults() throws {
        for _ in 0..<3 {
            #expect(try Regex.Match("id=42", "id=(\\d+)").Groups[1].Value == "42")
        }
        for i in 0..<20 {
            #expect(try Regex.IsMatch("x\(i)", "x\(i)$"))
        }
    }
}
