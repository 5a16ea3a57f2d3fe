internal import CWinsockCE
import WinsockSSL

/// Winsock's `sockaddr_in` and `sockaddr_in6` to and from the core's endpoints. The port and address are in
/// network byte order in both. Winsock's `AF_INET6` is 23 and its `sockaddr_in6` is 28 bytes:
/// family, port, flow info, 16 address bytes, scope id.
enum SocketAddress {
    static let ipv4Length = 16
    static let ipv6Length = 28

    static func endpoint(_ name: UnsafePointer<WinsockCE_sockaddr>?, _ namelen: Int32, for call: String) throws(WinsockError) -> SocketEndpoint {
        guard let name else { throw LastError.fault(call, "the address is NULL") }
        let raw = UnsafeRawPointer(name)
        let family = Int32(raw.loadUnaligned(as: UInt16.self))
        let port = UInt16(bigEndian: raw.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
        switch family {
        case WinsockFamily.inet:
            guard namelen >= ipv4Length else { throw LastError.fault(call, "namelen \(namelen) is smaller than a sockaddr_in (16)") }
            let bytes = Array(UnsafeRawBufferPointer(start: raw + 4, count: 4))
            return SocketEndpoint(address: InternetAddress(bytes: bytes)!, port: port)
        case WinsockFamily.inet6:
            guard namelen >= ipv6Length else { throw LastError.fault(call, "namelen \(namelen) is smaller than a sockaddr_in6 (28)") }
            let bytes = Array(UnsafeRawBufferPointer(start: raw + 8, count: 16))
            let scope = raw.loadUnaligned(fromByteOffset: 24, as: UInt32.self)
            return SocketEndpoint(address: InternetAddress(bytes: bytes, scopeID: scope)!, port: port)
        default:
            throw WinsockError(.addressFamilyNotSupported, "\(call): address family \(family) is not AF_INET (2) or AF_INET6 (23)")
        }
    }

    static func write(_ endpoint: SocketEndpoint, to name: UnsafeMutablePointer<WinsockCE_sockaddr>?,
                      _ namelen: UnsafeMutablePointer<Int32>?, for call: String) throws(WinsockError) {
        guard let name, let namelen else { throw LastError.fault(call, "name or namelen is NULL") }
        let isIPv4 = endpoint.address.family == .ipv4
        let length = isIPv4 ? ipv4Length : ipv6Length
        guard namelen.pointee >= length else {
            throw LastError.fault(call, "*namelen \(namelen.pointee) is smaller than the \(length)-byte address")
        }
        let raw = UnsafeMutableRawPointer(name)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: length)
        raw.storeBytes(of: UInt16(isIPv4 ? WinsockFamily.inet : WinsockFamily.inet6), as: UInt16.self)
        raw.storeBytes(of: endpoint.port.bigEndian, toByteOffset: 2, as: UInt16.self)
        let offset = isIPv4 ? 4 : 8
        for (index, byte) in endpoint.address.bytes.enumerated() { raw.storeBytes(of: byte, toByteOffset: offset + index, as: UInt8.self) }
        if !isIPv4 { raw.storeBytes(of: endpoint.address.scopeID, toByteOffset: 24, as: UInt32.self) }
        namelen.pointee = Int32(length)
    }
}

/// Winsock's address family numbers (`AF_INET6` is 23 in Winsock, 10 on Linux).
enum WinsockFamily {
    static let inet: Int32 = 2
    static let inet6: Int32 = 23
}
