public import CWinsockCE
import WinsockSSL

/// `WSAIoctl` for the secure-socket codes of `sslsock.h` (and `FIONREAD`/`FIONBIO`).
///
/// The input is copied at the call (`SSLVALIDATECERTHOOK` included: the socket keeps the hook, not a pointer
/// to the structure). `lpcbBytesReturned` may be NULL; the output buffer is ignored for SET codes;
/// overlapped arguments must be NULL (`WSAEINVAL`: this provider has no overlapped I/O). Returns 0, or
/// `SOCKET_ERROR` with the error set; a rejected certificate fails `SO_SSL_PERFORM_HANDSHAKE` with
/// `WSAECONNABORTED` (10053).
@_cdecl("WinsockCE_WSAIoctl")
public func winsockWSAIoctl(_ s: SOCKET, _ code: DWORD, _ inBuffer: UnsafeMutableRawPointer?, _ inLength: DWORD,
                     _ outBuffer: UnsafeMutableRawPointer?, _ outLength: DWORD, _ bytesReturned: UnsafeMutablePointer<DWORD>?,
                     _ overlapped: OpaquePointer?, _ completion: LPWSAOVERLAPPED_COMPLETION_ROUTINE?) -> Int32 {
    LastError.reporting { () throws(WinsockError) in
        let open = try SocketTable.shared.socket(s, for: "WSAIoctl")
        let name = SSLControlRequest.codeName(Int32(bitPattern: code))
        guard overlapped == nil, completion == nil else {
            throw WinsockError(.invalidArgument, "WSAIoctl(\(name)): overlapped I/O is not supported; pass NULL for lpOverlapped and lpCompletionRoutine")
        }
        if inLength > 0 && inBuffer == nil { throw LastError.fault("WSAIoctl(\(name))", "lpvInBuffer is NULL but cbInBuffer is \(inLength)") }
        let input: [UInt8]? = inBuffer.map { Array(UnsafeRawBufferPointer(start: $0, count: Int(inLength))) }
        let isSet = code & WinsockSSL.IOC_IN != 0 || code == UInt32(bitPattern: SO_SSL_PERFORM_HANDSHAKE)
        if code == UInt32(FIONBIO) {
            guard let input, input.count >= 4 else { throw LastError.fault("WSAIoctl(FIONBIO)", "needs a u_long of input") }
            open.isBlocking = input.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) } == 0
            bytesReturned?.pointee = 0
            return 0
        }
        if !isSet && outLength > 0 && outBuffer == nil {
            throw LastError.fault("WSAIoctl(\(name))", "lpvOutBuffer is NULL but cbOutBuffer is \(outLength)")
        }
        let capacity = isSet || outBuffer == nil ? 0 : Int(outLength)
        let answer = try open.socket.ioControl(Int32(bitPattern: code), input: input, outputCapacity: capacity, in: NativeAddressSpace())
        if let outBuffer, !answer.isEmpty {
            answer.withUnsafeBytes { outBuffer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        }
        bytesReturned?.pointee = DWORD(answer.count)
        return 0
    }
}
