import Foundation
import Testing
import TestSupport

/// `scripts/port-diff`: it finds the lines that are not MIGRATION.md's mechanical rewrite, and the corpus
/// stays within the count measured when it was written.
@Suite struct PortDiffTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    func portDiff(_ arguments: [String]) throws -> ProcessResult {
        let python = try #require(findExecutable(["/usr/bin/python3", "/usr/local/bin/python3"]))
        return try runProcess(python, [Self.repository.appendingPathComponent("scripts/port-diff").path] + arguments,
                              bound: .seconds(60))
    }

    /// A pair in a temporary directory.
    func pair(_ csharp: String, _ swift: String) throws -> String {
        let directory = NSTemporaryDirectory() + "port-diff-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try csharp.write(toFile: directory + "/Sample.cs", atomically: true, encoding: .utf8)
        try swift.write(toFile: directory + "/Sample.swift", atomically: true, encoding: .utf8)
        return directory
    }

    @Test func mechanicalRewritesAreNotReported() throws {
        let directory = try pair("""
            using System;
            namespace Sample
            {
                public class Reader : IDisposable
                {
                    private const long _SO_SSL = ((2L << 27) | 0x00730000);
                    private Socket socket;
                    private int count;
                    public int Read(byte[] buffer)
                    {
                        string line = null;
                        if ((count & 1) != 0)
                            socket.IOControl(unchecked((int)_SO_SSL), null, buffer);
                        int n = socket.Receive(buffer);
                        Thread t = new Thread(new ThreadStart(Loop));
                        return n;
                    }
                }
            }
            """, """
            import NetCF

            private let _SO_SSL: long = ((2 << 27) | 0x00730000)

            public class Reader: IDisposable {
                private var socket: Socket!
                private var count = int()
                public func Read(_ buffer: inout [byte]) throws -> int {
                    var line: string? = nil
                    if (count & 1) != 0 {
                        try socket.IOControl(int(truncatingIfNeeded: _SO_SSL), nil, &buffer)
                    }
                    let n: int = try socket.Receive(&buffer)
                    let t = Thread(Loop)
                    return n
                }
            }
            """)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try portDiff([directory])
        #expect(result.status == 0, "\(result.combinedOutput)")
        #expect(result.standardOutput.contains("Sample.cs -> Sample.swift: 11 code lines, 11 mechanical (100.0 %), 0 not"))
    }

    @Test func aLineThatIsNotTheRewriteIsReportedWithItsNumbers() throws {
        let directory = try pair("""
            public class Writer
            {
                private const int SO_SECURE = 0x2001;
                public void Write(byte[] data)
                {
                    socket.Send(data);
                    worker.Abort();
                }
            }
            """, """
            import NetCF
            private let SO_SECURE: long = 0x2001
            public class Writer {
                public func Write(_ data: [byte]) throws {
                    try socket.Send(data, SocketFlags.None)
                }
            }
            """)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try portDiff([directory])
        #expect(result.status == 1, "\(result.combinedOutput)")
        #expect(result.standardOutput.contains("cs    6  socket.Send(data);"))
        #expect(result.standardOutput.contains("swift 5  try socket.Send(data, SocketFlags.None)"))
        #expect(result.standardOutput.contains("const SO_SECURE"))   // declared long, but the C# says int
        #expect(result.standardOutput.contains("documented: Thread.Abort"))
        #expect(result.standardOutput.contains("3 not mechanical: 1 documented as not portable, 2 undocumented"))
    }

    @Test func aDeclaredTypeOtherThanTheCSharpOneIsReported() throws {
        let directory = try pair("""
            public class Counter
            {
                private int count;
                public void Add(int n)
                {
                    long total = count + n;
                }
            }
            """, """
            public class Counter {
                private var count = long()
                public func Add(_ n: int) {
                    let total: long = count + n
                }
            }
            """)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try portDiff([directory])
        #expect(result.status == 1, "\(result.combinedOutput)")
        #expect(result.standardOutput.contains("declared long, the C# says int"))
        #expect(result.standardOutput.contains("4 code lines, 3 mechanical (75.0 %), 1 not"))
    }

    /// `try { … } finally { … }` is one mechanical rule (MIGRATION 1.2a): the finally block's lines move to a
    /// `defer` at the top of the `do` block, or stay in place in `tryFinally`'s `finally:` closure.
    @Test func aFinallyBlockMovedToADeferIsMechanical() throws {
        let directory = try pair("""
            public class Session
            {
                public void Run()
                {
                    try
                    {
                        socket.Send(data);
                    }
                    finally
                    {
                        socket.Close();
                    }
                }
                public void Next()
                {
                    try
                    {
                        socket.Send(data);
                    }
                    finally
                    {
                        socket.BeginReceive(buffer, 0, 4, SocketFlags.None, OnReceive, null);
                    }
                }
            }
            """, """
            public class Session {
                public func Run() throws {
                    do {
                        defer {
                            socket.Close()
                        }
                        try socket.Send(data)
                    }
                }
                public func Next() throws {
                    try tryFinally {
                        try socket.Send(data)
                    } finally: {
                        try socket.BeginReceive(buffer, 0, 4, SocketFlags.None, OnReceive, nil)
                    }
                }
            }
            """)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try portDiff([directory])
        #expect(result.status == 0, "\(result.combinedOutput)")
        #expect(result.standardOutput.contains("0 not (0 documented"), "\(result.standardOutput)")
    }

    /// A cleanup line that is dropped instead of moved is still reported.
    @Test func aFinallyLineThatDoesNotMoveIsReported() throws {
        let directory = try pair("""
            public class Session
            {
                public void Run()
                {
                    try
                    {
                        socket.Send(data);
                    }
                    finally
                    {
                        socket.Close();
                    }
                }
            }
            """, """
            public class Session {
                public func Run() throws {
                    do {
                        defer {
                            socket.Shutdown(SocketShutdown.Both)
                        }
                        try socket.Send(data)
                    }
                }
            }
            """)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try portDiff([directory])
        #expect(result.status == 1, "\(result.combinedOutput)")
        #expect(result.standardOutput.contains("cs   11  socket.Close();"), "\(result.standardOutput)")
    }

    /// The rules the validation port of three CF files asked for (MIGRATION 1.1, 1.2, 1.2a) are mechanical.
    @Test func syntaxRulesOfTheValidationPortAreMechanical() throws {
        let directory = try pair("""
            public enum MessageType : byte
            {
                CONNECT = 1,
                CONNACK,
                PUBLISH = 3
            }
            public class Client : Base
            {
                public bool UseSSL { get; private set; }
                public string Host { get; set; }
                private Thread m_rx;
                private object m_last;
                public Client(string host)
                {
                    Host = host;
                }
                public IPEndPoint Last
                {
                    get
                    {
                        return (IPEndPoint)m_last;
                    }
                    private set
                    {
                        m_last = value;
                    }
                }
                private Message Decode(byte[] header, byte[] buffer)
                {
                    var messageType = (MessageType)(header[0] >> 4);
                    byte lengthByte = (byte)m_stream.ReadByte();
                    int n = unchecked((int)lengthByte);
                    long total = n;
                    var response = Dispatch(header);
                    m_user = (message as Connect).UserName;
                    read += m_stream.Read(buffer, read, n - read);
                    var address = entry.AddressList.First(a => a.AddressFamily == AddressFamily.InterNetwork);
                    m_rx = new Thread(RxThreadProc)
                    {
                        IsBackground = true,
                        Name = "rx"
                    };
                    Trace("Type: " + (int)messageType);
                    m_count++;
                    if (m_count > 10) return null;
            #if WindowsCE
                    m_socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            #endif
                    return null;
                }
            }
            """, """
            struct MessageType: CSharpEnum, CSharpEnumNames {
                let rawValue: byte
                static let CONNECT = MessageType(1)
                static let CONNACK = MessageType(2)
                static let PUBLISH = MessageType(3)
                static let Names: [byte: String] = [1: "CONNECT", 2: "CONNACK", 3: "PUBLISH"]
            }
            public class Client: Base {
                public private(set) var UseSSL = bool()
                public var Host: string!
                private var m_rx: Thread!
                private var m_last: object!
                public init(_ host: string!) {
                    super.init()
                    Host = host
                }
                public private(set) var Last: IPEndPoint! {
                    get {
                        return (m_last as! IPEndPoint)
                    }
                    set(value) {
                        m_last = value
                    }
                }
                private func Decode(_ header: [byte]!, _ buffer: inout [byte]!) throws -> Message! {
                    let messageType = MessageType(header[0] >> 4)
                    let lengthByte: byte = byte(truncatingIfNeeded: try m_stream.ReadByte())
                    let n: int = int(truncatingIfNeeded: lengthByte)
                    let total: long = long(n)
                    _ = try Dispatch(header)
                    m_user = (message as? Connect)!.UserName
                    read += try m_stream.Read(&buffer!, read, n - read)
                    let address = try entry.AddressList.First({ a in a.AddressFamily == AddressFamily.InterNetwork })
                    m_rx = Thread(RxThreadProc)
                    m_rx.IsBackground = true
                    m_rx.Name = "rx"
                    Trace("Type: " + int(messageType).ToString())
                    m_count += 1
                    if m_count > 10 { return nil }
                    m_socket = try Socket(NetCF.AddressFamily.InterNetwork, NetCF.SocketType.Stream, NetCF.ProtocolType.Tcp)
                    return nil
                }
            }
            """)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try portDiff([directory])
        #expect(result.status == 0, "\(result.combinedOutput)")
        #expect(result.standardOutput.contains("0 not (0 documented"), "\(result.standardOutput)")
    }

    /// The rules added after the fifth validation port: `base.M()` is `super.M()`, `abstract` goes, an
    /// interface is a protocol of classes.
    @Test func baseCallsAbstractClassesAndInterfacesAreMechanical() throws {
        let directory = try pair("""
            public interface ITransport
            {
                void Send(byte[] data);
            }
            public abstract class BaseSocket
            {
                public virtual void Connect()
                {
                    Trace("base");
                }
            }
            public class ClientSocket : BaseSocket
            {
                public override void Connect()
                {
                    base.Connect();
                }
            }
            """, """
            public protocol ITransport: AnyObject {
                func Send(_ data: [byte]!) throws
            }
            public class BaseSocket {
                public func Connect() throws {
                    Trace("base")
                }
            }
            public class ClientSocket: BaseSocket {
                public override func Connect() throws {
                    try super.Connect()
                }
            }
            """)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try portDiff([directory])
        #expect(result.status == 0, "\(result.combinedOutput)")
        #expect(result.standardOutput.contains("0 not (0 documented"), "\(result.standardOutput)")
    }

    /// The corpus is mechanical but for the constructs MIGRATION.md names as not portable line for line: a
    /// port or a rule change that adds an undocumented line fails here.
    @Test func theCorpusHasNoUndocumentedNonMechanicalLine() throws {
        let result = try portDiff([])
        #expect(result.status == 0, "\(result.combinedOutput)")
        #expect(result.standardOutput.contains("Total: 478 code lines in 4 ports"))
        #expect(result.standardOutput.contains(", 0 undocumented"), "\(result.standardOutput)")
    }
}
