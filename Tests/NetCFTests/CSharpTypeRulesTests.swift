import NetCF
import Testing
import WinsockSSLTesting

// The `sslsock.h` block as a CE program declares it in its class, ported by the rule for class constants:
// file-scope `private let`s with the C# types, referring to each other, shadowing the package's globals.
private let SO_SECURE: ushort = 0x2001
private let SO_SEC_SSL: int = 0x2004
private let IOC_IN: uint = 0x80000000
private let IOC_OUT: uint = 0x40000000
private let SO_SSL_FAMILY: long = 0x00730000
private let _SO_SSL: long = ((long(2) << 27) | SO_SSL_FAMILY)
private let _SO_SSL_BARE: long = ((2 << 27) | SO_SSL_FAMILY)
private let _SO_SSL_FLAGS: long = 0x02
private let _SO_SSL_VALIDATE_CERT_HOOK: long = 0x08
private let _SO_SSL_PERFORM_HANDSHAKE: long = 0x0d
private let SO_SSL_SET_FLAGS: long = (IOC_IN | _SO_SSL | _SO_SSL_FLAGS)
private let SO_SSL_GET_FLAGS: long = (IOC_OUT | _SO_SSL | _SO_SSL_FLAGS)
private let SO_SSL_SET_VALIDATE_CERT_HOOK: long = (IOC_IN | _SO_SSL | _SO_SSL_VALIDATE_CERT_HOOK)
private let SO_SSL_PERFORM_HANDSHAKE: long = _SO_SSL | _SO_SSL_PERFORM_HANDSHAKE
private let SSL_FLAG_DEFER_HANDSHAKE: int = 0x0008
private let SSL_CERT_FLAG_ISSUER_UNKNOWN: int = 0x0001

/// A C# class using its constants bare from an instance method and a static method, and fields C# would
/// zero-initialise.
private final class ConstantUser {
    private var ptrHost = IntPtr()
    private var count = int()
    private var done = bool()
    private var socket: Socket!

    func instanceCode() -> int { int(truncatingIfNeeded: SO_SSL_SET_FLAGS) }
    static func staticCode() -> int { int(truncatingIfNeeded: SO_SSL_GET_FLAGS) }
    func defaults() -> (IntPtr, int, bool, Bool) { (ptrHost, count, done, socket == nil) }
}

/// MIGRATION.md section 1, "C# types": the rules under which a CE program's declarations port mechanically.
@Suite struct CSharpTypeRulesTests {
    @Test func csharpTypeNamesAreTheDotNetWidths() {
        #expect(int.bitWidth == 32 && uint.bitWidth == 32 && long.bitWidth == 64 && ulong.bitWidth == 64)
        #expect(short.bitWidth == 16 && ushort.bitWidth == 16 && byte.bitWidth == 8 && sbyte.bitWidth == 8)
        #expect(!int.isSigned == false && !uint.isSigned && byte.isSigned == false && sbyte.isSigned)
        let s: string = "x", b: bool = true, c: char = "a"
        #expect(s == "x" && b && c == "a")
        #expect(sizeof(int.self) == 4 && sizeof(long.self) == 8 && sizeof(ushort.self) == 2 && sizeof(byte.self) == 1)
        #expect(sizeof(bool.self) == 1 && sizeof(char.self) == 2)
        #expect(Marshal.SizeOf(int.self) == 4 && Marshal.SizeOf(IntPtr.self) == 4 && Marshal.SizeOf(long.self) == 8)
    }

    @Test func sslsockConstantBlockHasTheCEValues() {
        #expect(_SO_SSL == 0x1073_0000 && _SO_SSL_BARE == _SO_SSL)
        #expect(int(truncatingIfNeeded: SO_SSL_SET_FLAGS) == -1871511550)
        #expect(int(truncatingIfNeeded: SO_SSL_GET_FLAGS) == 1349713922)
        #expect(int(truncatingIfNeeded: SO_SSL_SET_VALIDATE_CERT_HOOK) == -1871511544)
        #expect(int(truncatingIfNeeded: SO_SSL_PERFORM_HANDSHAKE) == 275972109)
        // The file-scope constants shadow the package's globals of the same name, with their own types.
        #expect(type(of: SO_SECURE) == UInt16.self && type(of: NetCF.SO_SECURE) == Int32.self)
        #expect(ConstantUser().instanceCode() == NetCF.SO_SSL_SET_FLAGS)
        #expect(ConstantUser.staticCode() == NetCF.SO_SSL_GET_FLAGS)
    }

    @Test func mixedWidthOperatorsFollowCSharpPromotion() {
        let u: uint = 0x8000_0000, i: int = -1, l: long = 2, us: ushort = 3, by: byte = 4
        #expect(type(of: u | l) == Int64.self && (u | l) == 0x8000_0002)
        #expect(type(of: u & i) == Int64.self && (u & i) == 0x8000_0000)   // C#: uint & int is long, -1 sign-extends
        #expect(type(of: us | i) == Int32.self && (us | i) == -1)
        #expect(type(of: by + i) == Int32.self && (by + i) == 3)
        #expect(type(of: us + by) == Int32.self && (us + by) == 7)
        #expect(type(of: u + us) == UInt32.self)
        #expect(type(of: i * l) == Int64.self && (i * l) == -2)
        var total: long = 10
        total += i
        #expect(total == 9)
        // Same-type arithmetic and literals are untouched.
        #expect(type(of: i + 1) == Int32.self && type(of: u | 1) == UInt32.self && type(of: 2 << 27) == Int.self)
        let dwFlags: uint = 1
        #expect((dwFlags & SSL_CERT_FLAG_ISSUER_UNKNOWN) != 0)
    }

    @Test func bytesKeepTheirDeclaredWidth() {
        #expect(BitConverter.GetBytes(SSL_FLAG_DEFER_HANDSHAKE) == [8, 0, 0, 0])
        #expect(BitConverter.GetBytes(SO_SECURE) == [0x01, 0x20])
        #expect(BitConverter.GetBytes(_SO_SSL) == [0, 0, 0x73, 0x10, 0, 0, 0, 0])
        #expect(BitConverter.GetBytes(8) == [8, 0, 0, 0])
    }

    @Test func arraysAndStringsAreMeasuredAndIndexedWithInt() throws {
        let cbSize: int = 3
        let certData = [byte](repeating: 0, count: cbSize)          // byte[] certData = new byte[cbSize];
        let frame = [byte](repeating: 0, count: 5 + certData.Length)  // new byte[5 + payload.Length]
        #expect(certData.count == 3 && frame.count == 8)
        var buffer = [UInt8](repeating: 7, count: 6)
        let n: int = 2
        #expect(buffer.Length == 6 && type(of: buffer.Length) == Int32.self)
        buffer[n] = 9
        #expect(buffer[n] == 9 && Array(buffer[0..<n]) == [7, 7] && Array(buffer[n...]).count == 4)
        let host = "mail.example.com"
        #expect(type(of: host.Length) == Int32.self)
        var bytes: [UInt8] = []
        for i in 0..<host.Length { bytes.append(byte(try host[i])) }
        #expect(bytes == Array(host.utf8))
        #expect(int(try host[0]) == 0x6d)
        #expect(throws: IndexOutOfRangeException.self) { try host[host.Length] }
    }

    @Test func fieldsStartAtTheCSharpDefaults() {
        let (pointer, count, done, socketIsNull) = ConstantUser().defaults()
        #expect(pointer == IntPtr.Zero && count == 0 && !done && socketIsNull)
    }

    @Test func enumCastsFromAnyIntegerAndLiteralZeroFlags() throws {
        #expect(SocketOptionName(SO_SECURE) == SocketOptionName(rawValue: 0x2001))
        #expect(AddressFamily(int(2)) == .InterNetwork && SocketType(long(1)) == .Stream)
        #expect(int(SocketOptionName.KeepAlive) == 8)
        let flags: SocketFlags = 0
        #expect(flags == .None)
        try withConnectedSocket { s, server in
            let payload = Encoding.ASCII.GetBytes("flags")
            let sent: int = try s.Send(payload, 0, payload.Length, 0)
            #expect(sent == 5)
            #expect(try server.receive(5) == payload)
            try server.send("back")
            var buffer = [UInt8](repeating: 0, count: 4)
            var total: int = 0
            while total < 4 { total += try s.Receive(&buffer, total, buffer.Length - total, 0) }
            #expect(Encoding.ASCII.GetString(buffer) == "back")
        }
    }

    @Test func integerParametersAcceptWhatCSharpWidens() throws {
        let s = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        defer { s.Close() }
        // `private const ushort SO_SECURE = 0x2001;` passed to SetSocketOption(…, int).
        try s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName(SO_SECURE), SO_SEC_SSL)
        #expect(try s.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName(SO_SECURE)) == SO_SEC_SSL)
        let port: ushort = 25
        #expect(IPEndPoint(IPAddress.Loopback, port).Port == 25)
        let p = try Marshal.AllocHGlobal(byte(8))
        defer { try? Marshal.FreeHGlobal(p) }
        try Marshal.WriteByte(p, short(3), 0x42)
        #expect(try Marshal.ReadByte(p, long(3)) == 0x42)
        // A value the .NET `int` parameter could not hold is refused, naming the parameter.
        let error = #expect(throws: ArgumentOutOfRangeException.self) {
            try s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReceiveTimeout, long(1) << 40)
        }
        #expect(error?.ParamName == "optionValue")
    }

    @Test func dateTimeAndIntPtrTakeAndGiveCSharpIntegers() throws {
        let year: int = 2009, month: short = 9, day: byte = 14
        let date = try DateTime(year, month, day)
        let (y, m, d): (int, int, int) = (date.Year, date.Month, date.Day)
        #expect((y, m, d) == (2009, 9, 14) && date.DayOfYear == 257)
        #expect(IntPtr(long(0x1000)) == IntPtr(int(0x1000)) && IntPtr.Size == sizeof(int.self))
        let offset: int = 4
        #expect(IntPtr(int(0x1000)) + offset == IntPtr(int(0x1004)) && IntPtr.Add(IntPtr(int(0x1000)), offset) == IntPtr(int(0x1004)))
        #expect(IntPtr(int(0x1000)) + 4 == IntPtr(int(0x1004)))
    }

    @Test func returnValuesHaveTheDotNetTypes() throws {
        try withConnectedSocket { s, server in
            try server.send("abc")
            var buffer = [UInt8](repeating: 0, count: 8)
            let received = try s.Receive(&buffer)
            let available = try s.Available
            #expect(type(of: received) == Int32.self && type(of: available) == Int32.self)
            let timeout: int = s.ReceiveTimeout
            #expect(timeout == 0)
        }
    }
}
