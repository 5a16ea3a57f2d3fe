import NetCF
import Testing

/// The API that a line-for-line port of three public CE C# files (two SslHelper variants and an FTP client)
/// found missing: MIGRATION.md section 1, "System types and members".
@Suite struct PortingGapsTests {
    // MARK: Exception

    @Test func throwNewExceptionIsCaughtAsException() {
        func fail() throws { throw Exception("Handshake failed") }
        do {
            try fail()
            Issue.record("nothing was thrown")
        } catch let e as Exception {
            #expect(e.Message == "Handshake failed")
            #expect(e.ToString() == "System.Exception: Handshake failed")
        } catch {
            Issue.record("not caught as Exception: \(error)")
        }
        #expect(Exception().Message == "Exception of type 'System.Exception' was thrown.")
        let inner = FormatException("bad")
        #expect(Exception("outer", inner).InnerException as? FormatException == inner)
    }

    /// `catch let e as Exception` still catches every other .NET exception, beside the constructed one.
    @Test func exceptionStillCatchesEveryDotNetException() {
        let throwers: [() throws -> Void] = [
            { throw Exception("plain") },
            { _ = try int.Parse("x") },
            { _ = try "abc".Replace("", "x") },
            { throw SocketException(10061) },
        ]
        var caught = 0
        for body in throwers {
            do { try body() } catch let e as Exception {
                #expect(!e.Message.isEmpty)
                caught += 1
            } catch {
                Issue.record("not an Exception: \(error)")
            }
        }
        #expect(caught == throwers.count)
    }

    // MARK: Parsing and formatting integers

    @Test func parseAcceptsWhatNetAccepts() throws {
        #expect(try int.Parse("220") == 220)
        #expect(try Int32.Parse(" -17\r\n") == -17)
        #expect(try Int32.Parse("+5") == 5)
        #expect(try int.Parse("-2147483648") == int.min)
        #expect(try Int64.Parse("9223372036854775807") == Int64.max)
        #expect(try uint.Parse("-0") == 0)
        #expect(try Convert.ToInt32("21") == 21)
        #expect(try Convert.ToInt32(nil as String?) == 0)
        #expect(try Convert.ToInt32(long(7)) == 7)
    }

    @Test func parseRefusesAsNetDoes() {
        for text in ["", " ", "12a", "0x10", "1 2", "--1", "+"] {
            #expect(throws: FormatException("Input string was not in a correct format.")) { try int.Parse(text) }
        }
        #expect(throws: OverflowException("Value was either too large or too small for an Int32.")) { try int.Parse("2147483648") }
        #expect(throws: OverflowException("Value was either too large or too small for an Int64.")) { try long.Parse("-9223372036854775809") }
        #expect(throws: OverflowException("Value was either too large or too small for a UInt32.")) { try uint.Parse("-1") }
        #expect(throws: OverflowException("Value was either too large or too small for an unsigned byte.")) { try byte.Parse("256") }
        #expect(throws: ArgumentNullException.self) { try int.Parse(nil) }
        #expect(throws: OverflowException.self) { try Convert.ToInt32(long(1) << 40) }
    }

    @Test func numericToString() throws {
        #expect(int(-42).ToString() == "-42")
        #expect(long(1) << 40 == 1_099_511_627_776)
        #expect((long(1) << 40).ToString() == "1099511627776")
        #expect(try byte(10).ToString("X2") == "0A")
        #expect(try byte(255).ToString("x") == "ff")
        #expect(try int(-1).ToString("X") == "FFFFFFFF")
        #expect(try int(7).ToString("D3") == "007")
        #expect(try int(-7).ToString("D3") == "-007")
        #expect(throws: FormatException.self) { try int(1).ToString("Q") }
        #expect(Convert.ToString(uint(3)) == "3")
    }

    // MARK: Strings and characters

    @Test func stringReplaceLastIndexOfAndToCharArray() throws {
        #expect(try "a.b.c".Replace(".", "::") == "a::b::c")
        #expect(try "aaa".Replace("aa", "b") == "ba")
        #expect(try "a-b".Replace("-", nil) == "ab")
        #expect(throws: ArgumentException("String cannot be of zero length.", "oldValue")) { try "a".Replace("", "b") }
        #expect(throws: ArgumentNullException("oldValue")) { try "a".Replace(nil, "b") }
        #expect("a,b".Replace(Character(","), Character(";")) == "a;b")
        #expect("/pub/file.txt".LastIndexOf("/") == 4)
        #expect("/pub/file.txt".LastIndexOf(Character("/")) == 4)
        #expect("abc".LastIndexOf("z") == -1)
        #expect("abc".IndexOf(Character("c")) == 2)
        let name: string? = nil
        #expect(throws: NullReferenceException.self) { try name.LastIndexOf(Character("/")) }
        #expect(throws: NullReferenceException.self) { try name.Replace("a", "b") }
        let chars = "USER x\r\n".ToCharArray()
        #expect(chars.Length == "USER x\r\n".Length)
        #expect(chars[4] == " ")
        #expect(Encoding.ASCII.GetBytes(chars) == Array("USER x\r\n".utf8))
    }

    @Test func dotNetTypeNames() {
        let buffer: [Byte] = [byte](repeating: 0, count: 4)
        let flag: Boolean = true
        let c: Char = "a"
        #expect(buffer.Length == 4 && flag && c == "a")
    }

    // MARK: As a port compiles them

    /// The lines the validation port needed, compiled as a user's module with `import NetCF` alone: any
    /// error or warning (an unused `Receive` result) fails.
    @Test func portedLinesCompileWithoutWarnings() throws {
        let result = try CompileCheck.typecheck("""
            import NetCF
            final class FtpClient {
                func Drain(_ s: Socket) throws {
                    var buf: [Byte] = [byte](repeating: 0, count: 512)
                    while try s.Available > 0 {
                        try s.Receive(&buf)
                        try s.Receive(&buf, SocketFlags.None)
                        try s.Receive(&buf, 10, SocketFlags.None)
                        try s.Receive(&buf, 0, buf.Length, SocketFlags.None)
                    }
                }
                func Port(_ reply: string) throws -> int {
                    let start = reply.LastIndexOf(Character(","))
                    if start < 0 { throw Exception("Malformed PORT reply: " + reply) }
                    let code = try int.Parse(reply.Substring(0, 3))
                    let text = try reply.Replace(",", ".")
                    let bytes = Encoding.ASCII.GetBytes(text.ToCharArray())
                    return try code + Convert.ToInt32(bytes.Length.ToString())
                }
                func Check() {
                    do { _ = try Port("227 x") } catch let e as Exception { print(e.Message) } catch {}
                }
            }
            """)
        #expect(result.compiled, "\(result.diagnostics)")
        #expect(!result.diagnostics.contains("warning"), "\(result.diagnostics)")
    }

    /// MIGRATION.md sections 1.2 and 1.2a (the plain C# syntax rules) as a port writes them: a class with
    /// `string!` fields, a static method called from an instance method and an initialiser, a throwing
    /// computed property, the loop, switch and `finally` forms, `try?` in `Dispose`/`deinit`, a final
    /// `catch let e as Exception` plus `catch {}`, its own exception type, and a `string?` pvArg hook.
    /// Any error or warning fails.
    @Test func migrationSyntaxRulesCompileWithoutWarnings() throws {
        let result = try CompileCheck.typecheck("""
            import NetCF
            struct FtpException: Exception {
                let Message: String
                init(_ m: String) { Message = m }
            }
            final class FtpClient: IDisposable {
                private var host: string!
                private var reader: Thread!
                private var s: Socket!
                static func Describe(_ code: int) -> string { "code " + code.ToString() }
                init(_ h: string) { host = h; Debug.WriteLine(Self.Describe(1)) }
                var Banner: string { get throws { try host.Substring(0) } }
                func ValidateCert(_ dwType: uint, _ host: string?, _ dwChainLen: uint, _ pCertChain: IntPtr, _ dwFlags: uint) -> int {
                    host == nil ? 0 : 2
                }
                func ReadReply(_ buf: inout [byte]) throws -> int { try s.Receive(&buf) }
                func Start(_ work: @escaping ThreadStart) { reader = Thread(work) }
                func Check() throws -> Bool {
                    let n = try host.Length
                    let k = try host.IndexOf(Character("x"))
                    var i = int()
                    while try assign(&i, s.Available) > 0 {
                        var b = [byte](repeating: 0, count: 4)
                        try s.Receive(&b)
                    }
                    repeat { i += 1 } while i < 3
                    switch i {
                    case 1, 2: Debug.WriteLine("few")
                    default: break
                    }
                    do {
                        defer { i = 0 }
                        try s.Send([1])
                    }
                    for c in try host.ToCharArray() { _ = c }
                    if n < 0 { throw FtpException("negative") }
                    _ = try Marshal.GetFunctionPointerForDelegate(ValidateCert)
                    return n > k
                }
                func Dispose() {
                    _ = try? reader.Join(2000)
                    try? reader.Start()
                    do { try s.Send([1]) } catch let e as Exception { Debug.WriteLine(e.Message) } catch {}
                }
                deinit { Dispose() }
            }
            """)
        #expect(result.compiled, "\(result.diagnostics)")
        #expect(!result.diagnostics.contains("warning"), "\(result.diagnostics)")
    }
}
