internal import Glibc

/// An IPv4 or IPv6 address.
public struct InternetAddress: Hashable, Sendable, CustomStringConvertible {
    public enum Family: Sendable, Hashable {
        case ipv4
        case ipv6
    }

    /// The address in network byte order: 4 bytes for IPv4, 16 for IPv6.
    public let bytes: [UInt8]
    /// The IPv6 scope (interface index); 0 for IPv4 and for global addresses.
    public let scopeID: UInt32

    public var family: Family { bytes.count == 4 ? .ipv4 : .ipv6 }

    /// Creates an address from 4 (IPv4) or 16 (IPv6) bytes in network order; nil for any other length.
    public init?(bytes: [UInt8], scopeID: UInt32 = 0) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
        self.scopeID = bytes.count == 16 ? scopeID : 0
    }

    /// Parses a numeric address: dotted IPv4 (`127.0.0.1`) or IPv6 (`::1`, `fe80::1%2`). Names are not resolved.
    ///
    /// Maps to `inet_pton`.
    public init?(parsing text: String) {
        // `inet_pton` takes IPv4 only as digits and dots (here possibly bracketed); every other form has a
        // colon (IPv6) or a `%zone`. So a host name such as "localhost" fails here, before any copy: the
        // TLS handshake asks this of its peer name twice per connection.
        guard text.utf8.contains(where: { $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "%") })
            || text.utf8.allSatisfy({ $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "]")
                || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) }) else {
            return nil
        }
        var scope: UInt32 = 0
        var addressText = Substring(text)
        if addressText.hasPrefix("[") && addressText.hasSuffix("]") {
            addressText = addressText.dropFirst().dropLast()
        }
        if let percent = addressText.firstIndex(of: "%") {
            let zone = String(addressText[addressText.index(after: percent)...])
            addressText = addressText[..<percent]
            if let number = UInt32(zone) {
                scope = number
            } else {
                scope = if_nametoindex(zone)
                if scope == 0 { return nil }
            }
        }
        let plain = String(addressText)
        if !plain.utf8.contains(UInt8(ascii: ":")) {
            var v4 = in_addr()
            guard scope == 0, inet_pton(AF_INET, plain, &v4) == 1 else { return nil }
            self.bytes = withUnsafeBytes(of: &v4) { Array($0) }
            self.scopeID = 0
        } else {
            var v6 = in6_addr()
            guard inet_pton(AF_INET6, plain, &v6) == 1 else { return nil }
            self.bytes = withUnsafeBytes(of: &v6) { Array($0) }
            self.scopeID = scope
        }
    }

    public static let loopbackIPv4 = InternetAddress(bytes: [127, 0, 0, 1])!
    public static let anyIPv4 = InternetAddress(bytes: [0, 0, 0, 0])!
    public static let loopbackIPv6 = InternetAddress(bytes: Array(repeating: 0, count: 15) + [1])!
    public static let anyIPv6 = InternetAddress(bytes: Array(repeating: 0, count: 16))!

    /// The conventional text form (`inet_ntop`), with `%scope` for scoped IPv6 addresses.
    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let family = self.family == .ipv4 ? AF_INET : AF_INET6
        let text: String = bytes.withUnsafeBytes { raw in
            guard inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return scopeID == 0 ? text : "\(text)%\(scopeID)"
    }
}

/// An address and a TCP port.
public struct SocketEndpoint: Hashable, Sendable, CustomStringConvertible {
    public var address: InternetAddress
    public var port: UInt16

    public init(address: InternetAddress, port: UInt16) {
        self.address = address
        self.port = port
    }

    public var description: String {
        address.family == .ipv4 ? "\(address):\(port)" : "[\(address)]:\(port)"
    }

    /// Calls `body` with this endpoint as a C `sockaddr`.
    func withSocketAddress<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        switch address.family {
        case .ipv4:
            var storage = sockaddr_in()
            storage.sin_family = sa_family_t(AF_INET)
            storage.sin_port = port.bigEndian
            withUnsafeMutableBytes(of: &storage.sin_addr) { $0.copyBytes(from: address.bytes) }
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        case .ipv6:
            var storage = sockaddr_in6()
            storage.sin6_family = sa_family_t(AF_INET6)
            storage.sin6_port = port.bigEndian
            storage.sin6_scope_id = address.scopeID
            withUnsafeMutableBytes(of: &storage.sin6_addr) { $0.copyBytes(from: address.bytes) }
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
    }

    /// Reads an endpoint from a C socket address; nil for families other than IPv4 and IPv6.
    init?(_ address: UnsafePointer<sockaddr>) {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            let v4 = UnsafeRawPointer(address).loadUnaligned(as: sockaddr_in.self)
            let bytes = withUnsafeBytes(of: v4.sin_addr) { Array($0) }
            self.init(address: InternetAddress(bytes: bytes)!, port: UInt16(bigEndian: v4.sin_port))
        case AF_INET6:
            let v6 = UnsafeRawPointer(address).loadUnaligned(as: sockaddr_in6.self)
            let bytes = withUnsafeBytes(of: v6.sin6_addr) { Array($0) }
            self.init(address: InternetAddress(bytes: bytes, scopeID: v6.sin6_scope_id)!, port: UInt16(bigEndian: v6.sin6_port))
        default:
            return nil
        }
    }
}
