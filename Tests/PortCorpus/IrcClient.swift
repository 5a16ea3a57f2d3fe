// Port of IrcClient.cs, line for line (MIGRATION.md); scripts/port-diff checks that every line is the
// mechanical rewrite.
import NetCF

private let SO_SECURE: int = 0x2001
private let SO_SEC_SSL: int = 0x2004
private let IOC_IN: uint = 0x80000000
private let SO_SSL_FAMILY: long = 0x00730000
private let _SO_SSL: long = ((2 << 27) | SO_SSL_FAMILY)
private let _SO_SSL_VALIDATE_CERT_HOOK: long = 0x08
private let SO_SSL_SET_VALIDATE_CERT_HOOK: long = (IOC_IN | _SO_SSL | _SO_SSL_VALIDATE_CERT_HOOK)
private let SSL_ERR_OKAY: int = 0
private let SSL_ERR_FAILED: int = 2
private let SSL_ERR_BAD_TYPE: int = 4
private let SSL_ERR_CERT_UNKNOWN: int = 10
private let SSL_CERT_X509: uint = 1
private let SSL_CERT_FLAG_ISSUER_UNKNOWN: int = 0x0001

public class IrcConnection: IDisposable {
    private typealias SSLVALIDATECERTFUNC = (_ dwType: uint, _ pvArg: IntPtr, _ dwChainLen: uint, _ pCertChain: IntPtr, _ dwFlags: uint) throws -> int

    private var socket: Socket!
    private var server: string!
    private var port = int()
    private var nick: string!
    private var hookFunc = IntPtr()
    private var reader: Thread!
    private var writer: Thread!
    @Volatile private var running = bool()
    private var connectErrorCode = int()
    private var pending: string = ""
    private var outgoing: Queue = Queue()
    private var received: Queue = Queue()
    private var connectDone: ManualResetEvent = ManualResetEvent(false)
    private var outgoingReady: AutoResetEvent = AutoResetEvent(false)
    private var lineArrived: AutoResetEvent = AutoResetEvent(false)

    public init(_ server: string!, _ port: int, _ nick: string!) {
        self.server = server
        self.port = port
        self.nick = nick
    }

    public func Connect(_ timeoutMilliseconds: int) throws {
        let entry: IPHostEntry = try Dns.GetHostEntry(server)
        let endPoint: IPEndPoint = IPEndPoint(entry.AddressList[0], port)
        socket = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        try socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName(SO_SECURE), SO_SEC_SSL)
        hookFunc = try Marshal.GetFunctionPointerForDelegate(ValidateCert)
        var hook: [byte] = [byte](repeating: 0, count: 8)
        try Array.Copy(BitConverter.GetBytes(hookFunc.ToInt32()), 0, &hook, 0, 4)
        try socket.IOControl(int(truncatingIfNeeded: SO_SSL_SET_VALIDATE_CERT_HOOK), hook, nil)
        try connectDone.Reset()
        try socket.BeginConnect(endPoint, OnConnected, nil)
        if try !connectDone.WaitOne(timeoutMilliseconds, false) {
            connectErrorCode = 10060
        }
        if connectErrorCode != 0 {
            socket.Close()
            throw SocketException(connectErrorCode)
        }
        running = true
        reader = Thread(ReadLoop)
        reader.IsBackground = true
        try reader.Start()
        writer = Thread(WriteLoop)
        writer.IsBackground = true
        try writer.Start()
        try SendLine("NICK " + nick)
        try SendLine(String.Format("USER {0} 0 * :{1}", nick, "FieldChat CE"))
    }

    private func OnConnected(_ ar: IAsyncResult) throws {
        do {
            try socket.EndConnect(ar)
        } catch let e as SocketException {
            connectErrorCode = e.ErrorCode
        }
        try connectDone.Set()
    }

    public func SendLine(_ line: string!) throws {
        lock(outgoing) {
            outgoing.Enqueue(line as Any)
        }
        try outgoingReady.Set()
    }

    public func ReadLine(_ timeoutMilliseconds: int) throws -> string? {
        while true {
            var line: string! = nil
            try lock(received) {
                if received.Count > 0 {
                    line = (try received.Dequeue() as! string)
                }
            }
            if line != nil {
                return line
            }
            if try !lineArrived.WaitOne(timeoutMilliseconds, false) {
                return nil
            }
        }
    }

    private func ReadLoop() throws {
        var buffer: [byte] = [byte](repeating: 0, count: 512)
        do {
            while running {
                if try !socket.Poll(100000, SelectMode.SelectRead) {
                    continue
                }
                var n = int()
                try lock(self) {
                    n = try socket.Receive(&buffer)
                }
                if n == 0 {
                    break
                }
                pending += try Encoding.ASCII.GetString(buffer, 0, n)
                var eol = int()
                while assign(&eol, pending.IndexOf("\r\n")) >= 0 {
                    let line: string = try pending.Substring(0, eol)
                    pending = try pending.Substring(eol + 2)
                    if line.StartsWith("PING ") {
                        try SendLine("PONG " + line.Substring(5))
                        continue
                    }
                    lock(received) {
                        received.Enqueue(line)
                    }
                    try lineArrived.Set()
                }
            }
        } catch is SocketException {
        }
        running = false
    }

    private func WriteLoop() throws {
        do {
            while running {
                var line: string! = nil
                try lock(outgoing) {
                    if outgoing.Count > 0 {
                        line = (try outgoing.Dequeue() as! string)
                    }
                }
                if line == nil {
                    try outgoingReady.WaitOne(200, false)
                    continue
                }
                let data: [byte] = Encoding.ASCII.GetBytes(line + "\r\n")
                try lock(self) {
                    _ = try socket.Send(data)
                }
            }
        } catch is SocketException {
        }
    }

    private func ValidateCert(_ dwType: uint, _ pvArg: IntPtr, _ dwChainLen: uint, _ pCertChain: IntPtr, _ dwFlags: uint) throws -> int {
        if dwType != SSL_CERT_X509 {
            return SSL_ERR_BAD_TYPE
        }
        if (dwFlags & SSL_CERT_FLAG_ISSUER_UNKNOWN) != 0 {
            return SSL_ERR_CERT_UNKNOWN
        }
        let cbSize: int = try Marshal.ReadInt32(pCertChain)
        let pData: IntPtr = try Marshal.ReadIntPtr(IntPtr(pCertChain.ToInt32() + sizeof(int.self)))
        var certData: [byte] = [byte](repeating: 0, count: cbSize)
        try Marshal.Copy(pData, &certData, 0, cbSize)
        let cert: X509Certificate = try X509Certificate(certData)
        if !cert.MatchesHostName(server) {
            return SSL_ERR_FAILED
        }
        return SSL_ERR_OKAY
    }

    public func Dispose() {
        running = false
        if writer != nil {
            _ = try? writer.Join(2000)
        }
        if reader != nil {
            _ = try? reader.Join(2000)
        }
        if socket != nil {
            socket.Close()
        }
    }
}
