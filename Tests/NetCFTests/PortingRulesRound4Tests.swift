import NetCF
import Testing

// The Swift side of MIGRATION rows added after the fourth validation port (a socket tunnel library and a
// Go-server client for Windows Mobile): compiling this file is half the check.

/// `public interface IDataLogger { void LogData(byte[] data, int offset, int length); string Name { get; } }`
private protocol IDataLogger: AnyObject {
    func LogData(_ data: [byte]!, _ offset: int, _ length: int) throws
    var Name: string! { get }
}

/// `public delegate void DataCallback(byte[] data, int offset, int length);`
private typealias DataCallback = (_ data: [byte]?, _ offset: int, _ length: int) throws -> Void

/// `public abstract class MessageLogger { public abstract void Log(string message); public void Log(string format, params object[] args) { … } }`
private class MessageLogger {
    func Log(_ message: string!) throws { fatalError("abstract: MessageLogger.Log is overridden") }
    func Log(_ format: string!, _ args: Any...) throws {
        try Log(String.Format(format, args))
    }
}

private final class CallbackLogger: MessageLogger, IDataLogger {
    nonisolated(unsafe) static let Null = CallbackLogger(nil)  // public static readonly CallbackLogger Null = new CallbackLogger(null);
    private var callback: DataCallback!
    private let sync: object = Object()
    var lines: [string] = []
    var bytes = int()

    init(_ callback: DataCallback!) {                          // public CallbackLogger(DataCallback callback)
        self.callback = callback
    }

    var Name: string! { "callback" }

    override func Log(_ message: string!) throws {
        try lock(sync) { lines.append(message) }
    }

    func LogData(_ data: [byte]!, _ offset: int, _ length: int) throws {
        if callback == nil { return }                          // if (callback == null) return;
        try callback(data, offset, length)
        bytes += length
    }
}

@Suite struct PortingRulesRound4Tests {
    @Test func paramsArraysForwardedToStringFormatAreSpreadAsInCSharp() throws {
        let logger = CallbackLogger({ _, _, _ in })
        try logger.Log("{0} -> {1}", "A", 5)
        #expect(logger.lines == ["A -> 5"])
        let bytes: [byte] = [1, 2]
        #expect(throws: FormatException.self) { try String.Format("{1}", bytes) }  // a byte[] stays one argument
        let objects: [Any] = ["x", 1]
        #expect(try String.Format("{0}{1}", objects) == "x1")
    }

    @Test func interfacesDelegatesAndStaticReadonlyReferencesPort() throws {
        let seen = Recorder<int>()
        let logger: IDataLogger = CallbackLogger({ _, _, length in seen.append(length) })
        try logger.LogData([1, 2, 3], 0, 3)
        #expect(seen.values == [3] && logger.Name == "callback")
        try CallbackLogger.Null.LogData([1], 0, 1)  // a null callback: nothing called
        #expect(CallbackLogger.Null.bytes == 0)
    }

    @Test func charArithmeticIsOnUTF16Codes() {
        let numberChar: char = "7"
        let zero: char = "0"
        #expect(numberChar - zero == 7)                         // numberChar - '0'
        let digit: int = 3
        #expect(zero + digit == 51)                              // '0' + 3 is the int 51 in C#
        #expect(char(zero + digit) == "3")                       // (char)('0' + 3)
        #expect(10 * 4 + (numberChar - zero) == 47)
    }

    @Test func systemExceptionCatchesTheLibrarysExceptionsButNotTheProgramsOwn() {
        func classify(_ error: any Error) -> String {
            do { throw error } catch let e as SystemException { return "system: " + e.Message } catch { return "other" }
        }
        #expect(classify(IOException("gone")) == "system: gone")
        #expect(classify(ArgumentNullException("host")).hasPrefix("system: "))
        #expect(classify(Exception("mine")) == "other")
    }

    @Test func convertAndEncodingMembers() throws {
        #expect(Convert.ToInt32(true) == 1 && Convert.ToInt32(false) == 0)
        #expect(try Encoding.ASCII.GetMaxByteCount(10) == 11)
        #expect(try Encoding.UTF8.GetMaxByteCount(10) == 33)
        #expect(try Encoding.Unicode.GetMaxByteCount(10) == 22)
        #expect(throws: ArgumentOutOfRangeException.self) { _ = try Encoding.UTF8.GetMaxByteCount(-1) }
    }

    @Test func lockOnAnImplicitlyUnwrappedFieldLocksItsObject() throws {
        final class Holder { var logger: CallbackLogger! = CallbackLogger(nil) }
        let holder = Holder()
        try lock(holder.logger) { try holder.logger.Log("inside") }   // lock (dataLogger) { … }
        #expect(holder.logger.lines == ["inside"])
        try Monitor.Enter(holder.logger)                                 // Monitor.Enter(dataLogger);
        try Monitor.Exit(holder.logger)
        holder.logger = nil
        #expect(throws: ArgumentNullException.self) { try lock(holder.logger) {} }  // lock (null) throws in C#
    }
}

// The fifth validation port's rows: `base.M()`, instance `readonly` fields, a delegate returning a reference,
// a `T!` parameter the method assigns to.

private typealias ClientAction = (_ name: string?) throws -> object?   // delegate object ClientAction(string name);

private class BaseSocket {
    var events: [string] = []
    func Connect() throws { events.append("base") }                 // public virtual void Connect()
}

private final class ClientSocket: BaseSocket {
    private let port: int = 5222                                   // private readonly int port = 5222;
    override func Connect() throws {
        try super.Connect()                                        // base.Connect();
        events.append("client " + port.ToString())
    }

    func Compress(_ data: [byte]!) -> [byte]! {
        var data: [byte]! = data                                   // (the method assigns its parameter)
        if data.Length > 2 { data = [byte](data[0..<2]) }
        return data
    }

    func Call(_ action: ClientAction!, _ name: string!) throws -> object? {
        return try action(name)
    }
}

@Suite struct PortingRulesRound5Tests {
    @Test func baseCallsReadonlyFieldsDelegatesAndAssignedParametersPort() throws {
        let socket = ClientSocket()
        try socket.Connect()
        #expect(socket.events == ["base", "client 5222"])
        #expect(socket.Compress([1, 2, 3]) == [1, 2])
        let result = try socket.Call({ name in "hello " + name! }, "x")
        #expect(result as? String == "hello x")
    }
}

@Suite struct DoubleTextTests {
    /// The Compact Framework is the .NET Framework: `double.ToString()` is "G" with 15 significant digits.
    @Test func doublesPrintWithFifteenSignificantDigitsAsTheFrameworkDid() throws {
        #expect(try String.Format("{0}", 0.1 + 0.2) == "0.3")
        #expect(try String.Format("{0}", 2.0) == "2")
        #expect(try String.Format("{0}", 1e20) == "1E+20")
        #expect(try String.Format("{0}", 0.00001) == "1E-05")
        #expect(try String.Format("{0}", -1.5) == "-1.5")
        #expect(try String.Format("{0}", 123456789012345678.0) == "1.23456789012346E+17")
        #expect(try String.Format("{0}", Float(0.1)) == "0.1")
        #expect(try String.Format("{0}", 1.0 / 3.0) == "0.333333333333333")
    }
}

// The sixth validation port's rows (log4net's TelnetAppender, BinaryNotes MQ's transports).

private final class Transport: Object, @unchecked Sendable {          // public class Transport
    private var listeners = List<IDataLogger>()                        // IList<IListener> listeners
    private var clients = ArrayList()
    private var server: Socket!

    func Add(_ listener: IDataLogger!) { listeners.Add(listener) }
    func RemoveListener(_ listener: IDataLogger!) -> bool { return listeners.Remove(listener) }
    func Count() -> int { return listeners.Count }
    func Describe() -> string { return "transport " + self.ToString() }   // "transport " + this

    func Snapshot() -> ArrayList { return (clients.Clone() as! ArrayList) }  // (ArrayList)clients.Clone()
    func AddClient(_ name: string!) { clients.Add(name) }
    func Names() -> [string] {
        var names: [string] = []
        for name in AsSequence(clients, String.self) { names.append(name) }  // foreach (string name in clients)
        return names
    }

    func Accepted() throws -> string {
        guard server != nil else { throw NullReferenceException() }   // the field Close() nulled
        return try server.RemoteEndPoint.ToString()
    }
}

@Suite struct PortingRulesRound6Tests {
    @Test func listsOfInterfacesRemoveByIdentityAndClassesPrintTheirName() throws {
        let transport = Transport()
        let a = CallbackLogger(nil), b = CallbackLogger(nil)
        transport.Add(a)
        transport.Add(b)
        #expect(transport.RemoveListener(a) && !transport.RemoveListener(a))
        #expect(transport.Count() == 1)
        #expect(transport.Describe().hasSuffix("Transport"))
        transport.AddClient("x")
        let copy = transport.Snapshot()
        transport.AddClient("y")
        #expect(copy.Count == 1 && transport.Names() == ["x", "y"])
        #expect(throws: NullReferenceException.self) { _ = try transport.Accepted() }
    }

    @Test func formatProvidersResolveAndEndPoints() throws {
        let port: int = 23
        #expect(port.ToString(NumberFormatInfo.InvariantInfo) == "23")   // port.ToString(NumberFormatInfo.InvariantInfo)
        #expect(try port.ToString("D4", CultureInfo.InvariantCulture) == "0023")
        let entry = try Dns.Resolve("127.0.0.1")                        // Dns.Resolve(host)
        #expect(entry.AddressList.Length >= 1)
        let s = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        defer { s.Close() }
        #expect(try s.RemoteEndPoint == nil)                           // null before Connect, as in .NET
        let value: object = 5
        let boxed: object = value                                      // object boxed = (object)value;
        #expect(boxed as? Int == 5)
    }
}
