// Port of FtpsClient.cs, line for line (MIGRATION.md); scripts/port-diff checks that every line is the
// mechanical rewrite.
import NetCF

private let SO_SECURE: int = 0x2001
private let SO_SEC_SSL: int = 0x2004
private let IOC_IN: uint = 0x80000000
private let SO_SSL_FAMILY: long = 0x00730000
private let _SO_SSL: long = ((2 << 27) | SO_SSL_FAMILY)
private let _SO_SSL_FLAGS: long = 0x02
private let _SO_SSL_VALIDATE_CERT_HOOK: long = 0x08
private let _SO_SSL_PERFORM_HANDSHAKE: long = 0x0d
private let SO_SSL_SET_FLAGS: long = (IOC_IN | _SO_SSL | _SO_SSL_FLAGS)
private let SO_SSL_SET_VALIDATE_CERT_HOOK: long = (IOC_IN | _SO_SSL | _SO_SSL_VALIDATE_CERT_HOOK)
private let SO_SSL_PERFORM_HANDSHAKE: long = (_SO_SSL | _SO_SSL_PERFORM_HANDSHAKE)
private let SSL_FLAG_DEFER_HANDSHAKE: int = 0x0008
private let SSL_ERR_OKAY: int = 0
private let SSL_ERR_FAILED: int = 2
private let SSL_ERR_BAD_TYPE: int = 4
private let SSL_ERR_CERT_UNKNOWN: int = 10
private let SSL_CERT_X509: uint = 1
private let SSL_CERT_FLAG_ISSUER_UNKNOWN: uint = 1

public class FtpsClient: IDisposable {
    private typealias SSLVALIDATECERTFUNC = (_ dwType: uint, _ pvArg: IntPtr, _ dwChainLen: uint, _ pCertChain: IntPtr, _ dwFlags: uint) throws -> int

    private var control: Socket!
    private var reader: StreamReader!
    private var writer: StreamWriter!
    private var ptrHost = IntPtr()
    private var hookFunc = IntPtr()
    private var host: string!

    public var ServerSubject: string!
    public var ServerIssuer: string!

    public init(_ host: string!) {
        self.host = host
    }

    public func Connect(_ port: int) throws {
        control = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        try control.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName(SO_SECURE), SO_SEC_SSL)
        hookFunc = try Marshal.GetFunctionPointerForDelegate(ValidateServer)
        ptrHost = try Marshal.StringToHGlobalAnsi(host)
        var inBuffer: [byte] = [byte](repeating: 0, count: 8)
        try Array.Copy(BitConverter.GetBytes(hookFunc.ToInt32()), 0, &inBuffer, 0, 4)
        try Array.Copy(BitConverter.GetBytes(ptrHost.ToInt32()), 0, &inBuffer, 4, 4)
        try control.IOControl(int(truncatingIfNeeded: SO_SSL_SET_VALIDATE_CERT_HOOK), inBuffer, nil)
        try control.IOControl(int(truncatingIfNeeded: SO_SSL_SET_FLAGS), BitConverter.GetBytes(SSL_FLAG_DEFER_HANDSHAKE), nil)
        try control.Connect(host, port)
        let stream: NetworkStream = try NetworkStream(control)
        reader = StreamReader(stream, Encoding.ASCII)
        writer = StreamWriter(stream, Encoding.ASCII)
        writer.NewLine = "\r\n"
        writer.AutoFlush = true
        try ExpectReply("220")
        try SendCommand("AUTH TLS", "234")
        try control.IOControl(int(truncatingIfNeeded: SO_SSL_PERFORM_HANDSHAKE), BitConverter.GetBytes(ptrHost.ToInt32()), nil)
    }

    public func Login(_ user: string!, _ password: string!) throws {
        let reply: string! = try SendCommand("USER " + user, nil)
        if try reply.StartsWith("331") {
            try SendCommand("PASS " + password, "230")
        } else if try !reply.StartsWith("230") {
            throw IOException("login refused: " + reply)
        }
        try SendCommand("PBSZ 0", "200")
        try SendCommand("PROT P", "200")
    }

    public func PrintWorkingDirectory() throws -> string! {
        let reply: string! = try SendCommand("PWD", "257")
        let start: int = try reply.IndexOf("\"")
        let end: int = try reply.IndexOf("\" ")
        if start < 0 || end <= start {
            return reply
        }
        return try reply.Substring(start + 1, end - start - 1)
    }

    @discardableResult
    private func SendCommand(_ command: string!, _ expected: string!) throws -> string! {
        try writer.WriteLine(command)
        return try ExpectReply(expected)
    }

    @discardableResult
    private func ExpectReply(_ expected: string!) throws -> string! {
        var line: string! = try reader.ReadLine()
        if try line == nil || line.Length < 4 {
            throw IOException("connection closed or reply too short")
        }
        let code: string! = try line.Substring(0, 3)
        if try line.Substring(3, 1) == "-" {
            let last: string = code + " "
            repeat {
                line = try reader.ReadLine()
                if line == nil {
                    throw IOException("connection closed in a multi-line reply")
                }
            } while try !line.StartsWith(last)
        }
        if expected != nil && code != expected {
            throw IOException(try String.Format("expected {0}, got: {1}", expected, line))
        }
        return line
    }

    private func ValidateServer(_ dwType: uint, _ pvArg: IntPtr, _ dwChainLen: uint, _ pCertChain: IntPtr, _ dwFlags: uint) throws -> int {
        if dwType != SSL_CERT_X509 {
            return SSL_ERR_BAD_TYPE
        }
        if (dwFlags & SSL_CERT_FLAG_ISSUER_UNKNOWN) != 0 {
            return SSL_ERR_CERT_UNKNOWN
        }
        var certData: [byte] = try [byte](repeating: 0, count: Marshal.ReadInt32(pCertChain))
        let pData: IntPtr = try Marshal.ReadIntPtr(IntPtr(pCertChain.ToInt32() + 4))
        for i in 0..<certData.Length {
            certData[i] = try Marshal.ReadByte(pData, i)
        }
        let cert: X509Certificate = try X509Certificate(certData)
        ServerSubject = cert.GetName()
        ServerIssuer = cert.GetIssuerName()
        let expected: string! = try Marshal.PtrToStringAnsi(pvArg)
        if !cert.MatchesHostName(expected) {
            return SSL_ERR_FAILED
        }
        return SSL_ERR_OKAY
    }

    public func Dispose() {
        do {
            if control != nil && control.Connected {
                try SendCommand("QUIT", "221")
            }
        } catch {
        }
        if control != nil {
            control.Close()
        }
        if ptrHost != IntPtr.Zero {
            try? Marshal.FreeHGlobal(ptrHost)
        }
        ptrHost = IntPtr.Zero
    }
}
