import NetCF
import Testing

// The Swift side of MIGRATION rows added after the third validation port (real CF FTP, messaging and
// device code): compiling this file is half the check; the tests check the C# behaviour.

private final class Probe {
    static let BLOCK_SIZE: int = 512                         // public const int BLOCK_SIZE = 512;
    var buffer = [byte](repeating: 0, count: Probe.BLOCK_SIZE)  // byte[] buffer = new byte[BLOCK_SIZE];
    private var address: IPAddress! = try! IPAddress.Parse("192.168.56.1")  // IPAddress address = IPAddress.Parse("192.168.56.1");
    private let separators: [char] = ["\r", "\n"]             // char[] separators = { '\r', '\n' };
    private var m_data: string!
    private var items = Hashtable()

    func set_DataToSend(_ value: string!) { m_data = value }  // public string DataToSend { set { m_data = value; } }
    var DataToSend: string! { m_data }                         // (read by the test only)

    subscript(_ name: string!) -> object? {                   // public object this[string name] {
        get { return items[name] }                            //     get { return items[name]; }
        set(value) { items[name] = value }                    //     set { items[name] = value; }
    }

    func Parse(_ `import`: string!) -> int {                  // int Parse(string import)
        return int(`import`.count)
    }

    private var count = int()
    var Count: int { lock(self) { return count } }           // int Count { get { lock (this) { return count; } } }
    func Next() -> int {
        return lock(self) { return count + 1 }              // lock (this) { return count + 1; }
    }

    var Address: IPAddress! { address }
    var Separators: [char] { separators }
}

/// `class FtpException : Exception` with the three constructors C# code declares.
private struct FtpException: Exception {
    let Message: String
    let InnerException: (any Error)?
    init() { self.init("Exception of type 'FtpException' was thrown.") }  // public FtpException() { }
    init(_ message: string!) { self.init(message, nil) }                  // : base(message)
    init(_ message: string!, _ inner: Exception!) {                       // : base(message, inner)
        Message = message
        InnerException = inner
    }
}

@Suite struct PortingRulesRound3Tests {
    @Test func fieldInitialisersSetOnlyPropertiesIndexersAndKeywordNamesPort() throws {
        let p = Probe()
        #expect(p.buffer.Length == 512)
        #expect(p.Address == (try IPAddress.Parse("192.168.56.1")))
        #expect(p.Separators == ["\r", "\n"])
        p.set_DataToSend("x")                              // p.DataToSend = "x";
        #expect(p.DataToSend == "x")
        p["port"] = 21
        #expect(p["port"] as? Int == 21)
        #expect(p["user"] == nil)
        #expect(p.Parse("abc") == 3)
        #expect(p.Count == 0 && p.Next() == 1)
    }

    @Test func anOwnExceptionKeepsDotNetsDefaultMessageAndItsInnerException() {
        #expect(FtpException().ToString() == "FtpException: Exception of type 'FtpException' was thrown.")
        let inner = IOException("Unable to read data from the transport connection.")
        let wrapped = FtpException("transfer failed", inner)
        #expect(wrapped.ToString() == "FtpException: transfer failed ---> System.IO.IOException: Unable to read data from the transport connection.")
        #expect(wrapped.InnerException is IOException)
    }

    @Test func rethrowInsideACatchIsThrowError() throws {
        func step() throws { throw IOException("gone") }
        var logged = false
        #expect(throws: IOException.self) {
            do {
                try step()
            } catch {          // catch (Exception e) { log; throw; }
                logged = true
                throw error
            }
        }
        #expect(logged)
    }

    @Test func assignIntoANilVariableDoesNotReadIt() throws {
        var reply: string! = nil                             // string reply;
        #expect(assign(&reply, "220 ready").StartsWith("220"))  // (reply = ReadReply()).StartsWith("220")
        #expect(reply == "220 ready")
    }

    @Test func aThreadAbortCatchClauseCompilesAndNeverRuns() throws {
        var aborted = false
        do {
            try Thread.Sleep(0)
        } catch is ThreadAbortException {                   // catch (ThreadAbortException) { … }
            aborted = true
        }
        #expect(!aborted)
        #expect(ThreadAbortException().Message == "Thread was being aborted.")
    }

    @Test func theObsoletePortOnlyListenerListensOnEveryAddress() throws {
        let listener = try TcpListener(0)                   // new TcpListener(port)
        try listener.Start()
        defer { try? listener.Stop() }
        let bound = listener.LocalEndpoint as! IPEndPoint
        #expect(bound.Address == IPAddress.Any && bound.Port != 0)
        let client = try TcpClient("127.0.0.1", bound.Port)
        defer { client.Close() }
        #expect(client.Connected)
    }
}
