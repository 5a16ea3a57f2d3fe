// Port of TelemetryLink.cs, line for line (MIGRATION.md); scripts/port-diff checks that every line is the
// mechanical rewrite.
import NetCF

private let SO_SECURE: ushort = 0x2001
private let SO_SEC_NONE: ushort = 0x2002
private let SO_SEC_SSL: ushort = 0x2004
private let IOC_VOID: uint = 0x20000000
private let IOC_OUT: uint = 0x40000000
private let IOC_IN: uint = 0x80000000
private let SO_SSL_FAMILY: long = 0x00730000
private let _SO_SSL: long = ((2 << 27) | SO_SSL_FAMILY)
private let _SO_SSL_CAPABILITIES: int = 0x01
private let _SO_SSL_FLAGS: int = 0x02
private let _SO_SSL_PROTOCOLS: int = 0x03
private let _SO_SSL_CIPHERS: int = 0x04
private let _SO_SSL_CLIENT_OPTS: int = 0x05
private let _SO_SSL_SERVER_OPTS: int = 0x06
private let _SO_SSL_CLIENT_AUTH_OPTS: int = 0x07
private let _SO_SSL_VALIDATE_CERT_HOOK: int = 0x08
private let _SO_SSL_AUTH_REQUEST_HOOK: int = 0x09
private let _SO_SSL_KEY_EXCH_HOOK: int = 0x0a
private let _SO_SSL_SIGNATURE_HOOK: int = 0x0b
private let _SO_SSL_PERFORM_HANDSHAKE: int = 0x0d
private let _SO_SSL_CONNECTION_INFO: int = 0x0e
private let _SO_SSL_PEERNAME: int = 0x0f
private let SO_SSL_GET_CAPABILITIES: long = (IOC_OUT | _SO_SSL | _SO_SSL_CAPABILITIES)
private let SO_SSL_SET_FLAGS: long = (IOC_IN | _SO_SSL | _SO_SSL_FLAGS)
private let SO_SSL_GET_FLAGS: long = (IOC_OUT | _SO_SSL | _SO_SSL_FLAGS)
private let SO_SSL_SET_PROTOCOLS: long = (IOC_IN | _SO_SSL | _SO_SSL_PROTOCOLS)
private let SO_SSL_GET_PROTOCOLS: long = (IOC_OUT | _SO_SSL | _SO_SSL_PROTOCOLS)
private let SO_SSL_SET_VALIDATE_CERT_HOOK: long = (IOC_IN | _SO_SSL | _SO_SSL_VALIDATE_CERT_HOOK)
private let SO_SSL_GET_VALIDATE_CERT_HOOK: long = (IOC_OUT | _SO_SSL | _SO_SSL_VALIDATE_CERT_HOOK)
private let SO_SSL_PERFORM_HANDSHAKE: long = (_SO_SSL | _SO_SSL_PERFORM_HANDSHAKE)
private let SO_SSL_GET_CONNECTION_INFO: long = (IOC_OUT | _SO_SSL | _SO_SSL_CONNECTION_INFO)
private let SO_SSL_SET_PEERNAME: long = (IOC_IN | _SO_SSL | _SO_SSL_PEERNAME)
private let SSL_CAP_CLIENT: uint = 0x1
private let SSL_CAP_SERVER: uint = 0x2
private let SSL_FLAG_SERVER: int = 0x2
private let SSL_FLAG_AUTH_CLIENT: int = 0x4
private let SSL_FLAG_DEFER_HANDSHAKE: int = 0x8
private let SSL_ERR_OKAY: int = 0
private let SSL_ERR_FAILED: int = 2
private let SSL_ERR_BAD_LEN: int = 3
private let SSL_ERR_BAD_TYPE: int = 4
private let SSL_ERR_BAD_DATA: int = 5
private let SSL_ERR_CERT_EXPIRED: int = 8
private let SSL_ERR_CERT_UNKNOWN: int = 10
private let SSL_CERT_X509: uint = 0x0001
private let SSL_CERT_FLAG_ISSUER_UNKNOWN: int = 0x0001

public class TelemetryLink: IDisposable {
    public static let FRAME_HELLO: byte = 1
    public static let FRAME_ACK: byte = 2
    public static let FRAME_READING: byte = 3

    private typealias SSLVALIDATECERTFUNC = (_ dwType: uint, _ pvArg: IntPtr, _ dwChainLen: uint, _ pCertChain: IntPtr, _ dwFlags: uint) throws -> int

    private var socket: Socket!
    private var host: string!
    private var port = int()
    private var hostBstr = IntPtr()
    private var hookFunc = IntPtr()
    private var validateCert: SSLVALIDATECERTFUNC!
    private var receiver: Thread!
    private var frames: Queue = Queue()
    private var frameArrived: AutoResetEvent = AutoResetEvent(false)
    private var closed = bool()

    public init(_ host: string!, _ port: int) {
        self.host = host
        self.port = port
    }

    public func Open(_ deviceId: string!) throws {
        socket = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        try socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName(SO_SECURE), SO_SEC_SSL)
        hostBstr = try Marshal.StringToBSTR(host)
        validateCert = Self.ValidateCertificate
        hookFunc = try Marshal.GetFunctionPointerForDelegate(validateCert)
        var hook: [byte] = [byte](repeating: 0, count: 8)
        try Array.Copy(BitConverter.GetBytes(hookFunc.ToInt32()), 0, &hook, 0, 4)
        try Array.Copy(BitConverter.GetBytes(hostBstr.ToInt32()), 0, &hook, 4, 4)
        try socket.IOControl(int(truncatingIfNeeded: SO_SSL_SET_VALIDATE_CERT_HOOK), hook, nil)
        try socket.IOControl(int(truncatingIfNeeded: SO_SSL_SET_PEERNAME), Encoding.ASCII.GetBytes(host + "\0"), nil)
        var flags: [byte] = [byte](repeating: 0, count: 4)
        try socket.IOControl(int(truncatingIfNeeded: SO_SSL_GET_FLAGS), nil, &flags)
        if try (BitConverter.ToUInt32(flags, 0) & SSL_FLAG_DEFER_HANDSHAKE) != 0 {
            throw InvalidOperationException("the handshake must not be deferred")
        }
        try socket.Connect(IPEndPoint(Dns.GetHostEntry(host).AddressList[0], port))
        receiver = Thread(ReceiveLoop)
        try receiver.Start()
        try SendFrame(Self.FRAME_HELLO, Encoding.ASCII.GetBytes(deviceId))
    }

    public func SendFrame(_ type: byte, _ payload: [byte]!) throws {
        var frame: [byte] = [byte](repeating: 0, count: 5 + payload.Length)
        frame[0] = type
        try Array.Copy(BitConverter.GetBytes(payload.Length), 0, &frame, 1, 4)
        try Array.Copy(payload, 0, &frame, 5, payload.Length)
        try socket.Send(frame)
    }

    public func ReceiveFrame(_ expectedType: byte, _ timeoutMilliseconds: int) throws -> [byte]? {
        while true {
            do { Monitor.Enter(frames); defer { try? Monitor.Exit(frames) }
                if frames.Count > 0 {
                    let frame: [byte] = try frames.Dequeue() as! [byte]
                    if frame[0] != expectedType {
                        throw InvalidOperationException(try String.Format("frame type {0}, expected {1}", frame[0], expectedType))
                    }
                    var payload: [byte] = [byte](repeating: 0, count: frame.Length - 1)
                    try Array.Copy(frame, 1, &payload, 0, payload.Length)
                    return payload
                }
                if closed {
                    return nil
                }
            }
            if try !frameArrived.WaitOne(timeoutMilliseconds, false) {
                return nil
            }
        }
    }

    private func ReceiveLoop() throws {
        var header: [byte] = [byte](repeating: 0, count: 5)
        do {
            while try ReadExactly(&header, 0, 5) {
                var frame: [byte] = try [byte](repeating: 0, count: 1 + BitConverter.ToInt32(header, 1))
                frame[0] = header[0]
                if try !ReadExactly(&frame, 1, frame.Length - 1) {
                    break
                }
                lock(frames) {
                    frames.Enqueue(frame)
                }
                try frameArrived.Set()
            }
        } catch is SocketException {
        } catch is ObjectDisposedException {
        }
        closed = true
        try frameArrived.Set()
    }

    private func ReadExactly(_ buffer: inout [byte], _ offset: int, _ count: int) throws -> bool {
        var offset = offset
        let end: int = offset + count
        while offset < end {
            let n: int = try socket.Receive(&buffer, offset, end - offset, SocketFlags.None)
            if n == 0 {
                return false
            }
            offset += n
        }
        return true
    }

    private static func ValidateCertificate(_ dwType: uint, _ pvArg: IntPtr, _ dwChainLen: uint, _ pCertChain: IntPtr, _ dwFlags: uint) throws -> int {
        if dwType != SSL_CERT_X509 || dwChainLen != 1 {
            return SSL_ERR_BAD_TYPE
        }
        if (dwFlags & SSL_CERT_FLAG_ISSUER_UNKNOWN) != 0 {
            return SSL_ERR_CERT_UNKNOWN
        }
        let expectedHost: string = try Marshal.PtrToStringBSTR(pvArg)
        let cbSize: int = try Marshal.ReadInt32(pCertChain)
        let pData: IntPtr = try Marshal.ReadIntPtr(pCertChain, sizeof(int.self))
        var certData: [byte] = [byte](repeating: 0, count: cbSize)
        try Marshal.Copy(pData, &certData, 0, cbSize)
        let cert: X509Certificate2 = try X509Certificate2(certData)
        if try DateTime.Now > DateTime.Parse(cert.GetExpirationDateString(), CultureInfo.CurrentCulture) {
            return SSL_ERR_CERT_EXPIRED
        }
        if !cert.MatchesHostName(expectedHost) {
            return SSL_ERR_FAILED
        }
        return SSL_ERR_OKAY
    }

    public func Dispose() {
        if socket != nil {
            socket.Close()
        }
        if receiver != nil {
            _ = try? receiver.Join(2000)
        }
        if hostBstr != IntPtr.Zero {
            try? Marshal.FreeBSTR(hostBstr)
        }
    }
}
