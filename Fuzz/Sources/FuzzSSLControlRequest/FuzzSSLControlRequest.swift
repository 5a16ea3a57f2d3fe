import WinsockSSL

/// The ioctl decoder on arbitrary input: the first 4 bytes choose the control code (half the time mapped
/// onto a code the provider knows, so the decoder's branches are reached), the rest is the input buffer.
/// Decoding must return a request or throw a `WinsockError`; anything else is a crash libFuzzer reports.
///
/// A 4-byte input to `SO_SSL_PERFORM_HANDSHAKE` may be a heap pointer, so a few blocks are allocated once,
/// one of them holding a host name, for the pointer branch to find.
private let heap: UnmanagedHeap = {
    let heap = UnmanagedHeap()
    let name = Array("mail.example.test".utf8) + [0]
    if let block = try? heap.allocate(name.count) { try? heap.write(block, name) }
    if let block = try? heap.allocate(4) { try? heap.write(block, [0x41, 0x42, 0x43, 0x44]) }
    return heap
}()

private let knownCodes: [Int32] = [
    SO_SSL_GET_CAPABILITIES, SO_SSL_SET_FLAGS, SO_SSL_GET_FLAGS, SO_SSL_SET_PROTOCOLS, SO_SSL_GET_PROTOCOLS,
    SO_SSL_SET_VALIDATE_CERT_HOOK, SO_SSL_GET_VALIDATE_CERT_HOOK, SO_SSL_PERFORM_HANDSHAKE,
    SO_SSL_GET_CONNECTION_INFO, SO_SSL_SET_PEERNAME, SO_SSL_SET_PEERNAME_IN, SSLControlRequest.FIONREAD,
    SO_SSL_SET_CIPHERS, SO_SSL_GET_SIGNATURE_HOOK,
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSSLControlRequest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard bytes.count >= 4 else { return 0 }
    let raw = UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24
    let code = raw & 0x8000_0000 == 0 ? knownCodes[Int(raw % UInt32(knownCodes.count))] : Int32(bitPattern: raw)
    var input: [UInt8]? = Array(bytes[4...])
    if input?.first == 0xff && input?.count == 1 { input = nil }
    // A pointer-sized input pointing at the heap's first block, to reach the pointer branch.
    if input?.count == 4 && input?[3] == 0xfe { input = [0x00, 0x00, 0x00, 0x10] }
    do {
        _ = try SSLControlRequest.decode(code: code, input: input, heap: heap)
    } catch {
        precondition(!error.detail.isEmpty, "an ioctl failure without a message")
    }
    _ = SSLControlRequest.codeName(code)
    return 0
}
