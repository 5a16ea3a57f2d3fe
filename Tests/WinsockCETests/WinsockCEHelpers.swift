import CWinsockCE
import Foundation
import WinsockSSL
import WinsockSSLTesting

// The C interface is tested through its exported C functions, called from Swift exactly as a C program
// calls them (the CE headers' macros only rename). `Tests/WinsockCECPrograms` does the same from C.

/// Generous bound for anything a test waits on.
let hangBound: Duration = .seconds(10)

func startWinsock() {
    var data = WSADATA()
    precondition(WinsockCE_WSAStartup(0x0202, &data) == 0)
}

/// This thread's last error.
var lastError: Int32 { WinsockCE_WSAGetLastError() }
var lastErrorText: String { String(cString: WinsockCE_GetLastErrorText()) }

let invalidSocket = SOCKET(bitPattern: -1)
let socketError: Int32 = -1

/// A Winsock `sockaddr_in` for `endpoint` (IPv4).
func socketAddress(_ endpoint: SocketEndpoint) -> WinsockCE_sockaddr_in {
    var address = WinsockCE_sockaddr_in()
    address.sin_family = 2
    address.sin_port = endpoint.port.bigEndian
    address.sin_addr.S_un.S_addr = endpoint.address.bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
    return address
}

func connect(_ s: SOCKET, to endpoint: SocketEndpoint) -> Int32 {
    var address = socketAddress(endpoint)
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: WinsockCE_sockaddr.self, capacity: 1) { WinsockCE_connect(s, $0, 16) }
    }
}

func setSecure(_ s: SOCKET) -> Int32 {
    var value = DWORD(0x2004)
    return withUnsafeBytes(of: &value) { WinsockCE_setsockopt(s, 0xffff, 0x2001, $0.baseAddress!.assumingMemoryBound(to: CChar.self), 4) }
}

func ioctl(_ s: SOCKET, _ code: Int32, input: UnsafeMutableRawPointer? = nil, _ inLength: Int = 0,
           output: UnsafeMutableRawPointer? = nil, _ outLength: Int = 0, returned: UnsafeMutablePointer<DWORD>? = nil) -> Int32 {
    WinsockCE_WSAIoctl(s, DWORD(bitPattern: code), input, DWORD(inLength), output, DWORD(outLength), returned, nil, nil)
}

func send(_ s: SOCKET, _ text: String) -> Int32 {
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBytes { WinsockCE_send(s, $0.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(bytes.count), 0) }
}

func receive(_ s: SOCKET, max: Int = 4096) -> (Int32, String) {
    var buffer = [CChar](repeating: 0, count: max)
    let count = WinsockCE_recv(s, &buffer, Int32(max), 0)
    let text = count > 0 ? String(decoding: buffer[0..<Int(count)].map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
    return (count, text)
}

/// What a certificate hook saw, and what it answers. Passed as `pvArg`.
final class HookProbe: @unchecked Sendable {
    let answer: Int32
    private let lock = NSLock()
    private var seen: [(type: DWORD, chainLength: DWORD, der: [UInt8], flags: DWORD, thread: Thread)] = []

    init(answer: Int32) { self.answer = answer }

    func record(_ type: DWORD, _ chainLength: DWORD, _ der: [UInt8], _ flags: DWORD) {
        lock.lock()
        seen.append((type, chainLength, der, flags, Thread.current))
        lock.unlock()
    }

    var calls: [(type: DWORD, chainLength: DWORD, der: [UInt8], flags: DWORD, thread: Thread)] {
        lock.lock()
        defer { lock.unlock() }
        return seen
    }

    var pointer: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }
}

/// The hook, as a C function: records its call in the `HookProbe` that `pvArg` points to.
let probeHook: SSLVALIDATECERTFUNC = { type, argument, chainLength, chain, flags in
    let probe = Unmanaged<HookProbe>.fromOpaque(argument!).takeUnretainedValue()
    let der = chain.map { Array(UnsafeBufferPointer(start: $0.pointee.pBlobData, count: Int($0.pointee.cbSize))) } ?? []
    probe.record(type, chainLength, der, flags)
    return probe.answer
}

/// Installs `probeHook` with `probe` as its argument.
func installHook(_ s: SOCKET, _ probe: HookProbe) -> Int32 {
    var hook = SSLVALIDATECERTHOOK(HookFunc: probeHook, pvArg: probe.pointer)
    return ioctl(s, WinsockSSL.SO_SSL_SET_VALIDATE_CERT_HOOK, input: &hook, MemoryLayout<SSLVALIDATECERTHOOK>.size)
}

func deferHandshake(_ s: SOCKET) -> Int32 {
    var flags = DWORD(8)
    return ioctl(s, WinsockSSL.SO_SSL_SET_FLAGS, input: &flags, 4)
}
