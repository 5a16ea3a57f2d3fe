import Foundation
import NetCF
import Testing
import WinsockSSLTesting

/// Counts the helpers that `deinit` ran for.
private let deinitCount = Recorder<Int>()

/// The blog's helper shape, as real code has it: the socket and the hook pointer in fields, its instance
/// method registered with `GetFunctionPointerForDelegate`, a `Dispose` that frees the host name and never
/// calls `ReleaseFunctionPointer` (real code does not know it exists).
private final class LeakProbeHelper: IDisposable {
    private let socket: Socket
    private var ptrHost = IntPtr()
    private var hookFunc = IntPtr()
    private let serial: Int

    init(_ socket: Socket, _ host: string, _ deferHandshake: bool, serial: Int) throws {
        self.socket = socket
        self.serial = serial
        try socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName(SO_SECURE), SO_SEC_SSL)
        hookFunc = try Marshal.GetFunctionPointerForDelegate(ValidateCert)
        ptrHost = try Marshal.StringToHGlobalAnsi(host)
        var inBuffer = [UInt8](repeating: 0, count: 8)
        try Array.Copy(BitConverter.GetBytes(hookFunc.ToInt32()), 0, &inBuffer, 0, 4)
        try Array.Copy(BitConverter.GetBytes(ptrHost.ToInt32()), 0, &inBuffer, 4, 4)
        try socket.IOControl(SO_SSL_SET_VALIDATE_CERT_HOOK, inBuffer, nil)
        if deferHandshake {
            try socket.IOControl(SO_SSL_SET_FLAGS, BitConverter.GetBytes(SSL_FLAG_DEFER_HANDSHAKE), nil)
        }
    }

    var hookAddress: IntPtr { hookFunc }

    func DoHandshake() throws {
        try socket.IOControl(SO_SSL_PERFORM_HANDSHAKE, BitConverter.GetBytes(ptrHost.ToInt32()), nil)
    }

    func ValidateCert(_ dwType: uint, _ pvArg: IntPtr, _ dwChainLen: uint, _ pCertChain: IntPtr, _ dwFlags: uint) throws -> int {
        (dwFlags & SSL_CERT_FLAG_ISSUER_UNKNOWN) != 0 ? SSL_ERR_CERT_UNKNOWN : SSL_ERR_OKAY
    }

    func Dispose() {
        if ptrHost != IntPtr.Zero {
            try? Marshal.FreeHGlobal(ptrHost)
            ptrHost = IntPtr.Zero
        }
    }

    deinit {
        Dispose()
        deinitCount.append(serial)
    }
}

/// Resident memory of this process, in kilobytes (from /proc/self/statm).
private func residentKilobytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) / 1024 : 0
}

/// Item 7 of issue 13: a hook registration does not keep its owner alive beyond the sockets that use it.
///
/// The default run makes 100 cycles per case; `NETCF_HOOK_LIFETIME_CYCLES=10000 swift test --filter
/// HookLifetimeTests` runs the 10,000 cycles of the issue and prints the resident memory.
@Suite(.serialized) struct HookLifetimeTests {
    let authority: TestCertificateAuthority
    let cycles: Int

    init() throws {
        authority = try TestCertificateAuthority()
        cycles = ProcessInfo.processInfo.environment["NETCF_HOOK_LIFETIME_CYCLES"].flatMap(Int.init) ?? 100
    }

    enum Shape: CaseIterable, Sendable {
        /// Non-deferred: the handshake inside `Connect`; the socket closed after `Dispose`.
        case connectThenClose
        /// Deferred: `Connect`, `DoHandshake`, `Dispose`; the socket is never closed, only dropped.
        case deferredNeverClosed
        /// The socket is closed before it ever connects.
        case closedBeforeConnect
    }

    /// One cycle: create the helper, connect, handshake, dispose, drop. Returns a weak reference to the
    /// helper and its hook address.
    private func cycle(_ shape: Shape, server: TLSTestServer, serial: Int) throws -> (weak: () -> AnyObject?, hook: IntPtr) {
        let s = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        s.ReceiveTimeout = SecureSockets.timeoutMilliseconds
        s.SendTimeout = SecureSockets.timeoutMilliseconds
        s.core.addTrustRoot(authority.root)
        let helper = try LeakProbeHelper(s, "mail.example.test", shape == .deferredNeverClosed, serial: serial)
        weak let weakHelper = helper
        let hook = helper.hookAddress
        switch shape {
        case .connectThenClose:
            try s.Connect(SecureSockets.loopback(server.port))
            #expect(s.core.phase.isSecure)
            helper.Dispose()
            s.Close()
        case .deferredNeverClosed:
            try s.Connect(SecureSockets.loopback(server.port))
            try helper.DoHandshake()
            #expect(s.core.phase.isSecure)
            helper.Dispose()
        case .closedBeforeConnect:
            helper.Dispose()
            s.Close()
        }
        return ({ weakHelper }, hook)
    }

    @Test(arguments: Shape.allCases)
    func everyHelperIsFreedAndItsHookForgotten(shape: Shape) throws {
        let server = try lineEchoServer(TLSServerConfiguration(serving: authority.issue(dnsNames: ["mail.example.test"])))
        defer { server.stop() }
        let base = 1_000_000 * (Shape.allCases.firstIndex(of: shape)! + 1)
        let warmUp = min(cycles, 200)
        var residentAfterWarmUp = 0
        var survivors = 0
        var stillRegistered = 0
        for i in 0..<cycles {
            let (helper, hook) = try cycle(shape, server: server, serial: base + i)
            if helper() != nil { survivors += 1 }
            if UnmanagedHeap.shared.function(at: hook.address) != nil { stillRegistered += 1 }
            if i + 1 == warmUp { residentAfterWarmUp = residentKilobytes() }
        }
        #expect(survivors == 0, "\(survivors) of \(cycles) helpers outlived their sockets")
        #expect(stillRegistered == 0, "\(stillRegistered) of \(cycles) hook addresses stayed registered")
        let ran = deinitCount.values.filter { (base..<(base + cycles)).contains($0) }.count
        #expect(ran == cycles, "deinit ran for \(ran) of \(cycles) helpers")
        print("HookLifetimeTests \(shape): \(cycles) cycles, resident \(residentAfterWarmUp) kB after \(warmUp), \(residentKilobytes()) kB at the end")
    }
}
