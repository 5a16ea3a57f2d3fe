import NetCF
import Testing
import WinsockSSLTesting

private let SSL_ERR_OKAY: int = 0
private let SSL_ERR_FAILED: int = 2
private let SSL_CERT_X59: uint = 1

/// A CE program's helper class as real code writes it: mutable fields, no `Sendable` anything, its
/// instance method as the certificate hook, and a hook body that calls throwing .NET APIs without a
/// `try`/`catch` of its own (C# would simply call them).
private final class CEStyleHelper {
    private var hookFunc = IntPtr()
    var hookCalls = int()
    var lastSubject: string?
    var failWith: (any Error)?

    func Register(_ socket: Socket) throws {
        hookFunc = try Marshal.GetFunctionPointerForDelegate(ValidateCert)
        var inBuffer = [UInt8](repeating: 0, count: 8)
        try Array.Copy(BitConverter.GetBytes(hookFunc.ToInt32()), 0, &inBuffer, 0, 4)
        try socket.IOControl(SO_SSL_SET_VALIDATE_CERT_HOOK, inBuffer, nil)
    }

    func ValidateCert(_ dwType: uint, _ pvArg: IntPtr, _ dwChainLen: uint, _ pCertChain: IntPtr, _ dwFlags: uint) throws -> int {
        hookCalls += 1
        if let failWith { throw failWith }
        if dwType != SSL_CERT_X59 { return 4 }
        let cbSize = try Marshal.ReadInt32(pCertChain)
        let pBlobData = try Marshal.ReadIntPtr(IntPtr(pCertChain.ToInt32() + sizeof(int.self)))
        var certData = [UInt8](repeating: 0, count: Int(cbSize))
        try Marshal.Copy(pBlobData, &certData, 0, cbSize)
        let cert = try X509Certificate2(certData)
        lastSubject = cert.Subject
        return SSL_ERR_OKAY
    }
}

/// MIGRATION.md section 1, "Delegates": hooks written as C# writes them.
@Suite struct DelegatePortingTests {
    let authority: TestCertificateAuthority

    init() throws {
        authority = try TestCertificateAuthority()
    }

    func server() throws -> TLSTestServer {
        try lineEchoServer(TLSServerConfiguration(serving: authority.issue(dnsNames: ["mail.example.test"])))
    }

    @Test func instanceMethodOfANonSendableClassIsTheHook() throws {
        let server = try server()
        defer { server.stop() }
        let helper = CEStyleHelper()
        let s = try SecureSockets.make(trusting: authority.root, deferred: false)
        defer { s.Close() }
        try helper.Register(s)
        try s.Connect(SecureSockets.loopback(server.port))
        #expect(s.core.phase.isSecure)
        #expect(helper.hookCalls == 1)
        #expect(helper.lastSubject == "O=WinsockSSL Testing")
    }

    @Test func hookThatThrowsRejectsTheCertificateWithSSLErrFailed() throws {
        let server = try server()
        defer { server.stop() }
        let helper = CEStyleHelper()
        helper.failWith = CryptographicException("bad certificate data")
        let s = try SecureSockets.make(trusting: authority.root, deferred: false)
        defer { s.Close() }
        try helper.Register(s)
        let error = try #require(throws: SocketException.self) { try s.Connect(SecureSockets.loopback(server.port)) }
        #expect(error.ErrorCode == 10053)
        #expect(error.CertificateHookResult == SSL_ERR_FAILED)
        #expect(error.Message.contains("the hook threw System.Security.Cryptography.CryptographicException: bad certificate data"), "\(error.Message)")
        #expect(helper.hookCalls == 1)
        #expect(server.handshakesCompleted == 0)
    }

    @Test func hookDeclaredWithCSharpIntParametersIsAccepted() throws {
        let server = try server()
        defer { server.stop() }
        let calls = Recorder<int>()
        let hook = try Marshal.GetFunctionPointerForDelegate({ (dwType: int, pvArg: IntPtr, dwChainLen: int, pCertChain: IntPtr, dwFlags: int) -> int in
            calls.append(dwType)
            return 0
        })
        let s = try SecureSockets.make(trusting: authority.root, deferred: false)
        defer { s.Close() }
        try s.IOControl(SO_SSL_SET_VALIDATE_CERT_HOOK, SecureSockets.hookStructure(hook, .Zero), nil)
        try s.Connect(SecureSockets.loopback(server.port))
        #expect(calls.values == [1])
    }

    /// The control for the two compile-time refusals below: the same code, written correctly, compiles.
    @Test func correctlyWrittenHookAndOutputArrayCompile() throws {
        let result = try CompileCheck.typecheck("""
            import NetCF
            final class Helper {
                func ValidateCert(_ dwType: uint, _ pvArg: IntPtr, _ dwChainLen: uint, _ pCertChain: IntPtr, _ dwFlags: uint) -> int { 0 }
                func go(_ s: Socket) throws {
                    var outBuf = [UInt8](repeating: 0, count: 4)
                    _ = try Marshal.GetFunctionPointerForDelegate(ValidateCert)
                    try s.IOControl(SO_SSL_GET_FLAGS, nil, &outBuf)
                    try s.IOControl(SO_SSL_PERFORM_HANDSHAKE, nil, nil)
                }
            }
            """)
        #expect(result.compiled, "\(result.diagnostics)")
    }

    /// C#'s `int ValidateCert(uint dwType, string host, …)` registered with a null `pvArg`, as real code does:
    /// the `string?` port gets `nil` (C#'s `host == null`).
    @Test func hookWithAStringPvArgGetsNilForANullPointer() throws {
        let server = try server()
        defer { server.stop() }
        let hosts = Recorder<string?>()
        let hook = try Marshal.GetFunctionPointerForDelegate({ (dwType: uint, host: string?, dwChainLen: uint, pCertChain: IntPtr, dwFlags: uint) -> int in
            hosts.append(host)
            return host == nil ? SSL_ERR_OKAY : SSL_ERR_FAILED
        })
        let s = try SecureSockets.make(trusting: authority.root, deferred: false)
        defer { s.Close() }
        try s.IOControl(SO_SSL_SET_VALIDATE_CERT_HOOK, SecureSockets.hookStructure(hook, .Zero), nil)
        try s.Connect(SecureSockets.loopback(server.port))
        #expect(hosts.values == [nil])
        #expect(s.core.phase.isSecure)
    }

    /// The same hook registered with an ANSI host string on the heap gets that string.
    @Test func hookWithAStringPvArgReadsTheAnsiHostName() throws {
        let server = try server()
        defer { server.stop() }
        let hosts = Recorder<string?>()
        let hook = try Marshal.GetFunctionPointerForDelegate({ (dwType: uint, host: string?, dwChainLen: uint, pCertChain: IntPtr, dwFlags: uint) -> int in
            hosts.append(host)
            return SSL_ERR_OKAY
        })
        let ptrHost = try Marshal.StringToHGlobalAnsi("mail.example.test")
        defer { try? Marshal.FreeHGlobal(ptrHost) }
        let s = try SecureSockets.make(trusting: authority.root, deferred: false)
        defer { s.Close() }
        try s.IOControl(SO_SSL_SET_VALIDATE_CERT_HOOK, SecureSockets.hookStructure(hook, ptrHost), nil)
        try s.Connect(SecureSockets.loopback(server.port))
        #expect(hosts.values == ["mail.example.test"])
    }

    /// A non-optional `string` cannot hold the null real code passes: refused at compile time with the fix;
    /// the `string?` form compiles.
    @Test func hookWithANonOptionalStringPvArgIsACompileTimeError() throws {
        let refused = try CompileCheck.typecheck("""
            import NetCF
            final class Helper {
                func ValidateCert(_ dwType: uint, _ pvArg: string, _ dwChainLen: uint, _ pCertChain: IntPtr, _ dwFlags: uint) -> int { 0 }
                func go() throws { _ = try Marshal.GetFunctionPointerForDelegate(ValidateCert) }
            }
            """)
        #expect(!refused.compiled)
        #expect(refused.diagnostics.contains("declare pvArg as string?"), "\(refused.diagnostics)")
        let accepted = try CompileCheck.typecheck("""
            import NetCF
            final class Helper {
                func ValidateCert(_ dwType: uint, _ host: string?, _ dwChainLen: uint, _ pCertChain: IntPtr, _ dwFlags: uint) -> int {
                    host == nil ? 0 : 2
                }
                func go() throws { _ = try Marshal.GetFunctionPointerForDelegate(ValidateCert) }
            }
            """)
        #expect(accepted.compiled, "\(accepted.diagnostics)")
    }

    @Test func outputArrayWithoutAmpersandIsACompileTimeError() throws {
        let result = try CompileCheck.typecheck("""
            import NetCF
            func go(_ s: Socket) throws {
                let outBuf = [UInt8](repeating: 0, count: 4)
                try s.IOControl(SO_SSL_GET_FLAGS, nil, outBuf)
            }
            """)
        #expect(!result.compiled)
        #expect(result.diagnostics.contains("pass it with &"), "\(result.diagnostics)")
    }
}
