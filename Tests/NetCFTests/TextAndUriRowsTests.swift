import NetCF
import Testing

// MIGRATION.md section 7.2, the rows from `Regex.Match` to `Uri.CheckHostName`: each Swift line as the table
// writes it, in the FTP client's and the TCP connector's shapes. This file imports NetCF alone, as a port does.

private final class MessageContext {
    let text: string
    init(_ text: string) { self.text = text }
}

/// The FTP client's members, ported by the rows.
private final class FtpReplies {
    func GetWorkingDirectory(_ reply: string) throws -> string {
        var m: Match? = nil
        if try assign(&m, Regex.Match(reply, "\"(?<pwd>.*)\""))!.Success {
            return m!.Groups["pwd"].Value
        }
        if try assign(&m, Regex.Match(reply, "PWD = (?<pwd>.*)"))!.Success {
            return m!.Groups["pwd"].Value
        }
        return ""
    }

    func Lines(_ mes: string) -> [string] {
        let seperator: [char] = ["\n"]
        let mess = mes.Split(seperator)
        return mess
    }

    /// "h1,h2,h3,h4,p1,p2" of a PASV reply → its six numbers (the client's digit loop).
    func PassivePorts(_ ipData: string) throws -> [int] {
        var parts = [int](repeating: 0, count: 6)
        var partCount = 0
        var buf = ""
        for i in 0..<ipData.Length {
            let ch = try Convert.ToChar(ipData.Substring(i, 1))
            if Char.IsDigit(ch) {
                buf += String(ch)
            } else if ch == "," {
                parts[partCount] = try Int32.Parse(buf)
                partCount += 1
                buf = ""
            }
        }
        parts[partCount] = try Int32.Parse(buf)
        return parts
    }
}

@Suite struct TextAndUriRowsTests {
    @Test func regexRows() throws {
        let reply = "257 \"/pub\" is current directory."
        let m = try Regex.Match(reply, "\"(?<pwd>.*)\"")
        #expect(m.Success)
        if m.Success { #expect(m.Groups["pwd"].Value == "/pub") }
        #expect(try FtpReplies().GetWorkingDirectory(reply) == "/pub")
        #expect(try FtpReplies().GetWorkingDirectory("257 PWD = /tmp") == "/tmp")

        let r = try Regex("^(\\d{3})([ -])", RegexOptions.IgnoreCase)
        var n = try r.Match("250-first")
        #expect(n.Groups[1].Value == "250")
        #expect(n.Index == 0)
        #expect(n.Length == 4)
        n = try n.NextMatch()
        #expect(!n.Success)

        let s = "a1b22c333"
        var found: [string] = []
        for m in try Regex.Matches(s, "\\d+") { found.append(m.Value) }
        let mc = try Regex.Matches(s, #"\d+"#)
        #expect(found == ["1", "22", "333"])
        #expect(mc.Count == 3)
        #expect(try mc[0].Value == "1")

        #expect(try Regex.Replace("John Smith", "(\\w+) (\\w+)", "$2 $1") == "Smith John")
        #expect(try Regex.Replace("John Smith", "(?<name>\\w+)$", "${name}!") == "John Smith!")
        #expect(try Regex.Replace("a-b", "-", { m in "[" + m.Value + "]" }) == "a[-]b")
    }

    @Test func stringAndCharRows() throws {
        let replies = FtpReplies()
        #expect(replies.Lines("a\nb") == ["a", "b"])
        let sep: [char] = [","]
        #expect(try "k,v,w".Split(sep, 2) == ["k", "v,w"])
        let line = "226 done\r"
        #expect(line.TrimEnd(["\r"]) == "226 done")
        #expect("- a -".Trim("-", " ") == "a")
        let chars: [char] = ["0"]
        #expect("007".TrimStart(chars) == "7")
        #expect(try replies.PassivePorts("192,168,1,2,19,137") == [192, 168, 1, 2, 19, 137])
        #expect(try Convert.ToChar(65) == "A")
        let c: char = "q"
        #expect(char.IsLetter(c) && Char.IsLetterOrDigit(c) && !Char.IsWhiteSpace(c) && Char.IsLower(c))
        #expect(!Char.IsUpper(c) && !Char.IsPunctuation(c) && char.ToUpper(c) == "Q")
        #expect(try Char.IsDigit("x9", 1))
        let temp_buffer: [byte] = [10]
        var sawLineEnd = false
        if char(temp_buffer[0]) != "\n" {} else { sawLineEnd = true }
        #expect(sawLineEnd)
        let n = 0x263A
        #expect(char(n) == "☺")
    }

    @Test func systemRows() throws {
        // Console.WriteLine(reply) and the format form; the output itself is checked by SystemMembersTests.
        let reply = "221 Goodbye."
        Console.WriteLine(reply)
        try Console.WriteLine("{0} bytes", 12)
        Console.Write("")

        do {
            throw TimeoutException("The connection was not opened within 5000 ms.")
        } catch is TimeoutException {
            // caught as the row says
        }

        var got: [string] = []
        let handler: Action<MessageContext?> = { context in got.append(context?.text ?? "null") }
        try handler(MessageContext("open"))
        try handler(nil)
        let ping: Action = { got.append("ping") }
        try ping()
        let pair: Action<int, string> = { i, s in got.append(String(i) + s) }
        try pair(2, "b")
        let parse: Func<string, int> = { try int.Parse($0) }
        #expect(try parse("8091") == 8091)
        #expect(got == ["open", "null", "ping", "2b"])

        let thread = Thread {}
        var notStarted = false
        if thread.ThreadState != ThreadState.Unstarted {} else { notStarted = true }
        #expect(notStarted)
        try thread.Start()
        #expect(try thread.Join(10_000))
        let t = thread
        #expect((t.ThreadState & ThreadState.Stopped) != 0)

        let temp: [byte] = [1, 2]
        let temp_buffer = List<byte>()
        temp_buffer.AddRange(temp.ToArray())
        #expect(temp_buffer.Count == 2)
    }

    @Test func uriRows() throws {
        let address = "tcp://[::1]:8091/"
        let myUri = try Uri(address, UriKind.Absolute)
        let aHost = (try myUri.HostNameType == UriHostNameType.IPv6) ? "IPv6" : "IPv4"
        #expect(aHost == "IPv6")
        #expect(try myUri.Host == "[::1]")
        #expect(try myUri.Port == 8091)
        let s = "http://example.com/x?y=1"
        let web = try Uri(s)
        #expect(try web.Scheme == "http")
        #expect(try web.AbsolutePath == "/x")
        #expect(try web.PathAndQuery == "/x?y=1")
        #expect(try web.Query == "?y=1")
        #expect(try web.AbsoluteUri == "http://example.com/x?y=1")
        #expect(try web.IsDefaultPort)
        #expect(web.ToString() == "http://example.com/x?y=1")
        let host = "10.0.0.1"
        #expect(Uri.CheckHostName(host) == UriHostNameType.IPv4)
        #expect(throws: UriFormatException.self) { try Uri("not a uri", UriKind.Absolute) }
    }
}
