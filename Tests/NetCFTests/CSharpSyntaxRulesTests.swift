import NetCF
import Testing

// MIGRATION.md sections 1.1–1.2a, the Swift side of every row that a validation port of three public CF files
// (an OpenNETCF TCP client, an MQTT client, a VNC viewer's connection class) found missing. The declarations
// below are written exactly as the rows say, so this file compiling (Swift 6, no warnings) is the check that
// the rows type-check; the tests check that they behave as the C#.

// `public enum MessageType : byte { CONNECT = 1, CONNACK = 2, PUBLISH = 3 }` (values read from the network).
struct MessageType: CSharpEnum {
    let rawValue: byte
    static let CONNECT = MessageType(1)
    static let CONNACK = MessageType(2)
    static let PUBLISH = MessageType(3)
}

// `enum RfbAuthScheme { Invalid, NoAuth, VncAuth }`: no underlying type is `int`; members without a value
// count on from the previous one (from 0).
// The program calls its ToString(), so it lists its names.
struct RfbAuthScheme: CSharpEnum, CSharpEnumNames {
    let rawValue: int
    static let Invalid = RfbAuthScheme(0)
    static let NoAuth = RfbAuthScheme(1)
    static let VncAuth = RfbAuthScheme(2)
    static let Names: [int: String] = [0: "Invalid", 1: "NoAuth", 2: "VncAuth"]
}

// `public const int DefaultPort = 1883;` read as `MqttLink.DefaultPort` by other classes: a static let, used
// as `Self.DefaultPort` inside the class (1.2).
private let KeepAlive: ushort = 60

// public enum Direction { In, Out }   (public: the struct, its rawValue, init and members are public)
public struct Direction: CSharpEnum {
    public let rawValue: int
    public init(rawValue: int) { self.rawValue = rawValue }
    public static let In = Direction(0)
    public static let Out = Direction(1)
}

private final class MqttLink {
    public static let DefaultPort: int = 1883

    // public bool UseSSL { get; private set; }
    public private(set) var UseSSL = bool()
    // public string BrokerHostName { get; private set; }
    public private(set) var BrokerHostName: string!
    // public int ReconnectPeriod { get; set; }
    public var ReconnectPeriod = int()
    // private MessageType m_lastType;    (a field of the program's own enum: its zero)
    private var m_lastType = MessageType(0)
    private var m_state = RfbAuthScheme(0)
    private var m_last: object? = nil
    var trace: [string] = []

    // public MqttLink(string brokerHostName, bool useSSL)      (no `: base(...)`; the body uses members)
    public init(_ brokerHostName: string!, _ useSSL: bool) {
        BrokerHostName = brokerHostName
        UseSSL = useSSL
        ConnectionState = RfbAuthScheme.NoAuth
    }

    // public MqttLink(string brokerHostName) : this(brokerHostName, false) { }   with a bare DefaultPort use
    public convenience init(_ brokerHostName: string!) {
        self.init(brokerHostName, false)
        ReconnectPeriod = Self.DefaultPort
    }

    // public RfbAuthScheme ConnectionState { get { return m_state; } private set { m_state = value; Trace("State: " + (int)value); } }
    public private(set) var ConnectionState: RfbAuthScheme {
        get {
            return m_state
        }
        set(value) {
            m_state = value
            Trace("State: " + int(value).ToString())
        }
    }

    // public IPEndPoint LastEndPoint { get { return (IPEndPoint)m_last; } }    (a reference that may be null)
    public var LastEndPoint: IPEndPoint! {
        if m_last == nil {
            return nil
        }
        return (m_last as! IPEndPoint)
    }

    // public bool IsConnected { get { … } private set { … SendQueued(); } }  — the setter calls a throwing member
    public var IsConnected: bool { m_connected }
    private var m_connected = bool()
    public func set_IsConnected(_ value: bool) throws {
        m_connected = value
        if value {
            try SendQueued()
        }
    }
    private func SendQueued() throws {
        if ReconnectPeriod < 0 {
            throw InvalidOperationException("negative period")
        }
    }

    public func Remember(_ endPoint: object!) {
        m_last = endPoint
    }

    func Trace(_ message: string!) {
        trace.append("[" + message + "]")
    }

    // private Message Decode(byte[] header)   (returns null for an unknown type)
    func Decode(_ header: [byte]!) -> string! {
        // var messageType = (MessageType)(header[0] >> 4);
        let messageType = MessageType(header[0] >> 4)
        m_lastType = messageType
        switch messageType {
        case MessageType.CONNECT:
            return "CONNECT"
        case MessageType.CONNACK, MessageType.PUBLISH:
            return "ACK or PUBLISH"
        default:
            return nil
        }
    }

    // switch (ConnectionState) { case NoAuth: case VncAuth: return; }  (no default in the C#)
    func Describe() -> string {
        switch ConnectionState {
        case RfbAuthScheme.NoAuth, RfbAuthScheme.VncAuth:
            return "known"
        default: break
        }
        return "unknown " + ConnectionState.ToInt32().ToString()
    }

    // case SocketError.ConnectionReset:  stacked on  default:
    func Classify(_ e: SocketError) -> int {
        switch e {
        case SocketError.ConnectionRefused:
            return 1
        case SocketError.ConnectionReset: fallthrough
        default:
            return 2
        }
    }
}

/// The report's probe for reference parameters declared `T!` (1.2a): every use compiles unchanged (compiling
/// this file is the check).
private func UseReferenceParameters(_ host: IPAddress!, _ name: string!, _ data: [byte]!, _ s: Socket!, _ port: int) throws -> string {
    let endPoint = IPEndPoint(host, port)
    _ = try Dns.GetHostEntry(name)
    try s.Connect(endPoint)
    _ = try s.Send(data)
    _ = Encoding.UTF8.GetBytes(name)
    var buffer: [byte]! = nil
    buffer = [byte](repeating: 0, count: 4)
    let stream = try NetworkStream(s)
    _ = try stream.Read(&buffer!, 0, 4)
    return "host " + name
}

// class Channel : Base { public Channel(string name) { Name = name; Open(); } }   (no `: base(…)`)
class ChannelBase {
    init() {}
}

private final class Channel: ChannelBase {
    private var m_name: string!
    private(set) var Opened = bool()
    var Name: string! {
        get {
            return m_name
        }
        set(value) {
            m_name = value
        }
    }

    init(_ name: string!) {
        super.init()
        Name = name
        Open()
    }

    private func Open() {
        Opened = Name != nil
    }
}

/// The program's own method with an `int` parameter, called with a `ushort` (C# widens implicitly).
private func ReadBytes(_ count: int) -> [byte] {
    [byte](repeating: 0, count: count)
}

@Suite struct CSharpSyntaxRulesTests {
    // MARK: The program's own enums (1.2a)

    @Test func ownEnumCastFromAnyIntegerNeverFails() {
        let byte0: int = 0x35
        // (MessageType)(byte0 >> 4)
        #expect(MessageType(byte0 >> 4) == MessageType.PUBLISH)
        // A value with no member is kept, as in C#, and reaches the switch's default.
        let unknown = MessageType(15)
        #expect(unknown.rawValue == 15 && unknown != MessageType.CONNECT)
        #expect(MqttLink("h").Decode([0xF0]) == nil)
        #expect(MqttLink("h").Decode([0x10]) == "CONNECT")
        // (RfbAuthScheme)ReadUInt32() of a value no member has: the low bits, as C#'s unchecked cast.
        let scheme = RfbAuthScheme(uint(0xFFFF_FFFF))
        #expect(scheme.rawValue == -1)
        #expect(RfbAuthScheme(long(1) << 32 | 2) == RfbAuthScheme.VncAuth)
        // (MessageType)300 keeps the low byte, as C# does for an enum over byte.
        #expect(MessageType(300).rawValue == 44)
    }

    @Test func ownEnumToIntegerAndZero() {
        #expect(int(RfbAuthScheme.VncAuth) == 2)
        #expect(byte(MessageType.CONNACK) == 2)
        #expect(RfbAuthScheme.NoAuth.ToInt32() == 1)
        // new RfbAuthScheme[3]: zero-filled, as C# does
        let schemes = [RfbAuthScheme](repeating: RfbAuthScheme(0), count: 3)
        #expect(schemes == [RfbAuthScheme.Invalid, RfbAuthScheme.Invalid, RfbAuthScheme.Invalid])
        // .NET's enums are the same kind of type
        #expect(SocketError(10054) == SocketError.ConnectionReset)
        #expect(int(SocketError.ConnectionReset) == 10054)
        #expect(Direction(1) == Direction.Out && Direction(0) != Direction.Out)
    }

    @Test func ownEnumToStringPrintsTheNameOrTheNumber() {
        // "State: " + state.ToString()
        #expect("State: " + RfbAuthScheme.VncAuth.ToString() == "State: VncAuth")
        #expect(RfbAuthScheme(7).ToString() == "7")
        #expect(RfbAuthScheme(-1).ToString() == "-1")
    }

    @Test func switchWithoutDefaultAndDefaultStackedLabel() {
        let link = MqttLink("h")
        #expect(link.Describe() == "known")
        #expect(link.Classify(SocketError.ConnectionRefused) == 1)
        #expect(link.Classify(SocketError.ConnectionReset) == 2)
        #expect(link.Classify(SocketError.TimedOut) == 2)
    }

    // MARK: Properties and constructors (1.2a)

    @Test func autoPropertiesSettersAndConstructorOrder() throws {
        let link = MqttLink("broker.example", true)
        #expect(link.UseSSL && link.BrokerHostName == "broker.example" && link.ReconnectPeriod == 0)
        #expect(link.trace == ["[State: 1]"])
        let chained = MqttLink("b")
        #expect(!chained.UseSSL && chained.ReconnectPeriod == 1883)
        // The throwing setter is the method C# compiles it to, and its exception reaches the caller.
        try link.set_IsConnected(true)
        #expect(link.IsConnected)
        link.ReconnectPeriod = -1
        #expect(throws: InvalidOperationException.self) { try link.set_IsConnected(true) }
    }

    @Test func derivedConstructorCallsSuperInitFirst() {
        let channel = Channel("ctl")
        #expect(channel.Opened && channel.Name == "ctl")
        #expect(!Channel(nil).Opened)
    }

    @Test func referenceResultsAndCasts() throws {
        let link = MqttLink(nil)
        #expect(link.LastEndPoint == nil)
        let endPoint = IPEndPoint(IPAddress.Loopback, 25)
        link.Remember(endPoint)
        #expect(link.LastEndPoint === endPoint)
        // (message as Connect).UserName  →  (message as? T)!.M ; message as T  →  message as? T
        let any: object = endPoint
        #expect((any as? IPEndPoint)!.Port == 25)
        let notASocket: Socket? = any as? Socket
        #expect(notASocket == nil)
    }

    // MARK: Numbers (1.1)

    @Test func csharpCastsAreUncheckedByDefault() {
        // (byte)m_stream.ReadByte() at the end of the stream: -1 is 255 in C#
        let endOfStream: int = -1
        #expect(byte(truncatingIfNeeded: endOfStream) == 255)
        // (short)0x18000 → -32768 ; (uint)-1 → 4294967295
        #expect(short(truncatingIfNeeded: 0x18000 as int) == -32768)
        #expect(uint(truncatingIfNeeded: -1 as int) == 4_294_967_295)
        // a widening cast: T(x), which cannot fail
        #expect(long(endOfStream) == -1)
        // the program's own int parameter given a ushort
        let verMsg: ushort = 12
        #expect(ReadBytes(int(verMsg)).Length == 12)
    }

    // MARK: Strings (1.2a): C#'s + converts the other operand

    @Test func stringConcatenationWithNullAndToString() {
        let id: ushort = 7
        let n: int = -3
        let big: ulong = 18_446_744_073_709_551_615
        let flag = true
        let c: char = "x"
        var topic: string? = nil
        let name: string! = nil
        // "MessageID=" + id  →  "MessageID=" + id.ToString()  (and bool, char)
        #expect("MessageID=" + id.ToString() == "MessageID=7")
        #expect("n=" + n.ToString() + ", " + big.ToString() == "n=-3, 18446744073709551615")
        #expect("ok: " + flag.ToString() + "/" + false.ToString() == "ok: True/False")
        #expect("c=" + c.ToString() == "c=x")
        // a string that may be null reads as "", also a nil string! (not force-unwrapped)
        #expect("topic=" + topic + "." == "topic=.")
        #expect(topic + "!" == "!")
        #expect("name=" + name == "name=")
        topic = "a/b"
        #expect("topic=" + topic == "topic=a/b")
        var text = "x"
        text += topic
        text += nil as string?
        text += name
        #expect(text == "xa/b")
        #expect("a" + "b" == "ab")
    }

    // MARK: Lambdas, object initialisers, try/finally, unused results (1.2a)

    @Test func lambdasAndAnonymousDelegates() throws {
        let addresses = [try IPAddress.Parse("::1"), IPAddress.Loopback]
        // addresses.First(a => a.AddressFamily == AddressFamily.InterNetwork)  (Enumerable.First: netcf13e/d)
        let first = addresses.first(where: { a in a.AddressFamily == AddressFamily.InterNetwork })
        #expect(first == IPAddress.Loopback)
        // (a, b) => { return a + b; }
        let add: (int, int) -> int = { a, b in
            return a + b
        }
        // delegate (int x) { return x * 2; }
        let twice: (int) -> int = { (x: int) in
            return x * 2
        }
        #expect(add(2, 3) == 5 && twice(4) == 8)
    }

    @Test func objectInitialiserBecomesAssignments() {
        // new Thread(Work) { IsBackground = true, Name = "rx" }
        let t = Thread(work)
        t.IsBackground = true
        t.Name = "rx"
        #expect(t.IsBackground && t.Name == "rx")
    }

    private func work() {}

    @Test func tryFinallyRunsTheCleanupAndLetsItsExceptionThrough() throws {
        var log: [string] = []
        // try { log.Add("body"); } finally { log.Add("cleanup"); }  — a cleanup that cannot throw: defer
        do {
            defer {
                log.append("cleanup")
            }
            log.append("body")
        }
        #expect(log == ["body", "cleanup"])
        // a cleanup that throws: tryFinally; its exception propagates, as from C#'s finally
        log = []
        #expect(throws: SocketException.self) {
            try tryFinally {
                log.append("body")
            } finally: {
                log.append("cleanup")
                throw SocketException(10054)
            }
        }
        #expect(log == ["body", "cleanup"])
        // the body's exception, after the cleanup ran
        log = []
        #expect(throws: FormatException.self) {
            try tryFinally {
                _ = try int.Parse("x")
            } finally: {
                log.append("cleanup")
            }
        }
        #expect(log == ["cleanup"])
        let value = try tryFinally {
            return 42
        } finally: {
            log.append("again")
        }
        #expect(value == 42 && log == ["cleanup", "again"])
    }

    @Test func unusedLocalsAndResults() throws {
        // var response = Decode(header);  never read  →  _ = Decode(header)
        let link = MqttLink("h")
        _ = link.Decode([0x20])
        let _ = KeepAlive
        #expect(link.Decode([0x20]) == "ACK or PUBLISH" && link.trace == ["[State: 1]"])
    }
}
