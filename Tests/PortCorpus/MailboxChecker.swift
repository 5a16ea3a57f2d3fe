// Port of MailboxChecker.cs, line for line (MIGRATION.md); scripts/port-diff checks that every line is the
// mechanical rewrite.
import NetCF

public typealias SSLVALIDATECERTFUNC = (_ dwType: uint, _ pvArg: IntPtr, _ dwChainLen: uint, _ pCertChain: IntPtr, _ dwFlags: uint) throws -> int

private let SO_SECURE: int = 0x2001
private let SO_SEC_SSL: int = 0x2004
private let IOC_IN: uint = 0x80000000
private let IOC_OUT: uint = 0x40000000
private let SO_SSL_FAMILY: long = 0x00730000
private let _SO_SSL: long = ((2 << 27) | SO_SSL_FAMILY)
private let SO_SSL_SET_FLAGS: long = (IOC_IN | _SO_SSL | 0x02)
private let SO_SSL_SET_VALIDATE_CERT_HOOK: long = (IOC_IN | _SO_SSL | 0x08)
private let SO_SSL_PERFORM_HANDSHAKE: long = (_SO_SSL | 0x0d)
private let SO_SSL_GET_CONNECTION_INFO: long = (IOC_OUT | _SO_SSL | 0x0e)
private let SSL_FLAG_DEFER_HANDSHAKE: int = 0x0008

public enum SecureSocketUtil {
    public static func SetSslSocket(_ socket: Socket!, _ callback: @escaping SSLVALIDATECERTFUNC, _ deferHandshake: bool) throws {
        try socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName(SO_SECURE), SO_SEC_SSL)
        let hookFunc: IntPtr = try Marshal.GetFunctionPointerForDelegate(callback)
        var inBuffer: [byte] = [byte](repeating: 0, count: 8)
        try Array.Copy(BitConverter.GetBytes(hookFunc.ToInt32()), &inBuffer, 4)
        try socket.IOControl(int(truncatingIfNeeded: SO_SSL_SET_VALIDATE_CERT_HOOK), inBuffer, nil)
        if deferHandshake {
            try socket.IOControl(int(truncatingIfNeeded: SO_SSL_SET_FLAGS), BitConverter.GetBytes(SSL_FLAG_DEFER_HANDSHAKE), nil)
        }
    }

    public static func DoHandshake(_ socket: Socket!) throws {
        try socket.IOControl(int(truncatingIfNeeded: SO_SSL_PERFORM_HANDSHAKE), nil, nil)
    }

    public static func GetProtocol(_ socket: Socket!) throws -> int {
        var info: [byte] = [byte](repeating: 0, count: 28)
        try socket.IOControl(int(truncatingIfNeeded: SO_SSL_GET_CONNECTION_INFO), nil, &info)
        return try BitConverter.ToInt32(info, 0)
    }
}

private let SSL_ERR_OKAY: int = 0
private let SSL_ERR_FAILED: int = 2
private let SSL_ERR_BAD_TYPE: int = 4
private let SSL_ERR_CERT_UNKNOWN: int = 10
private let SSL_CERT_X509: uint = 1
private let SSL_CERT_FLAG_ISSUER_UNKNOWN: uint = 1

public class MailboxChecker {
    nonisolated(unsafe) private static var expectedHost: string!
    private var host: string!
    private var port = int()
    private var socket: Socket!
    private var reader: StreamReader!

    public var NegotiatedProtocol = int()

    public init(_ host: string!, _ port: int) {
        self.host = host
        self.port = port
    }

    public func Check(_ user: string!, _ password: string!) throws -> string {
        Self.expectedHost = host
        let entry: IPHostEntry = try Dns.GetHostEntry(host)
        socket = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        do {
            defer {
                socket.Close()
            }
            try SecureSocketUtil.SetSslSocket(socket, Self.CheckCertificate, true)
            try socket.Connect(IPEndPoint(entry.AddressList[0], port))
            reader = try StreamReader(NetworkStream(socket), Encoding.ASCII)
            try Expect("+OK")
            try Command("STLS")
            try SecureSocketUtil.DoHandshake(socket)
            NegotiatedProtocol = try SecureSocketUtil.GetProtocol(socket)
            try Command("USER " + user)
            try Command("PASS " + password)
            let stat: string = try Command("STAT")
            try Command("QUIT")
            return stat
        }
    }

    @discardableResult
    private func Command(_ command: string!) throws -> string {
        try socket.Send(Encoding.ASCII.GetBytes(command + "\r\n"))
        return try Expect("+OK")
    }

    @discardableResult
    private func Expect(_ prefix: string!) throws -> string {
        let line: string! = try reader.ReadLine()
        if line == nil {
            throw IOException("the server closed the connection")
        }
        if try !line.StartsWith(prefix) {
            throw IOException("unexpected reply: " + line)
        }
        return line
    }

    private static func CheckCertificate(_ dwType: uint, _ pvArg: IntPtr, _ dwChainLen: uint, _ pCertChain: IntPtr, _ dwFlags: uint) throws -> int {
        if dwType != SSL_CERT_X509 {
            return SSL_ERR_BAD_TYPE
        }
        if (dwFlags & SSL_CERT_FLAG_ISSUER_UNKNOWN) != 0 {
            return SSL_ERR_CERT_UNKNOWN
        }
        var certData: [byte] = try [byte](repeating: 0, count: Marshal.ReadInt32(pCertChain))
        try Marshal.Copy(Marshal.ReadIntPtr(pCertChain, 4), &certData, 0, certData.Length)
        let cert: X509Certificate = try X509Certificate(certData)
        if !cert.MatchesHostName(expectedHost) {
            return SSL_ERR_FAILED
        }
        return SSL_ERR_OKAY
    }
}
