/// An IPv4 or IPv6 address.
///
/// The corresponding .NET type is `System.Net.IPAddress`.
public final class IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// The core address.
    public let address: InternetAddress

    public init(_ address: InternetAddress) {
        self.address = address
    }

    /// An address from 4 (IPv4) or 16 (IPv6) bytes in network order.
    /// The corresponding .NET member is `IPAddress(byte[])`.
    public convenience init(_ address: [UInt8]) throws {
        guard let value = InternetAddress(bytes: address) else {
            throw ArgumentException("An invalid IP address was specified.", "address")
        }
        self.init(value)
    }

    /// An IPv4 address from a 32-bit value whose low byte is the first octet (little-endian, as .NET reads it).
    /// The corresponding .NET member is `IPAddress(long)`.
    public convenience init(_ newAddress: Int64) throws {
        guard newAddress >= 0 && newAddress <= 0xFFFF_FFFF else {
            throw ArgumentOutOfRangeException("newAddress")
        }
        let value = UInt32(newAddress)
        self.init(InternetAddress(bytes: [UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8),
                                          UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 24)])!)
    }

    /// The corresponding .NET member is `IPAddress.Parse`. Throws `FormatException` for text that is not an address.
    public static func Parse(_ ipString: String) throws -> IPAddress {
        guard let value = InternetAddress(parsing: ipString) else {
            throw FormatException("An invalid IP address was specified: '\(ipString)'.")
        }
        return IPAddress(value)
    }

    /// The corresponding .NET member is `IPAddress.TryParse(string, out IPAddress)`.
    public static func TryParse(_ ipString: String, _ address: inout IPAddress?) -> Bool {
        address = InternetAddress(parsing: ipString).map(IPAddress.init)
        return address != nil
    }

    public static let Loopback = IPAddress(.loopbackIPv4)
    public static let `Any` = IPAddress(.anyIPv4)
    public static let Broadcast = IPAddress(InternetAddress(bytes: [255, 255, 255, 255])!)
    public static let None = Broadcast
    public static let IPv6Loopback = IPAddress(.loopbackIPv6)
    public static let IPv6Any = IPAddress(.anyIPv6)
    public static let IPv6None = IPv6Any

    /// The corresponding .NET member is `IPAddress.AddressFamily`.
    public var AddressFamily: NetCF.AddressFamily {
        address.family == .ipv4 ? .InterNetwork : .InterNetworkV6
    }

    /// The corresponding .NET member is `IPAddress.GetAddressBytes()`.
    public func GetAddressBytes() -> [UInt8] { address.bytes }

    /// The corresponding .NET member is `IPAddress.ScopeId`.
    public var ScopeId: Int64 { Int64(address.scopeID) }

    /// The corresponding .NET member is `IPAddress.IsLoopback(IPAddress)`.
    public static func IsLoopback(_ address: IPAddress) -> Bool {
        address.address.family == .ipv4 ? address.address.bytes[0] == 127 : address.address == .loopbackIPv6
    }

    /// The corresponding .NET member is `IPAddress.ToString()`.
    public func ToString() -> String { address.description }
    public var description: String { address.description }

    public static func == (lhs: IPAddress, rhs: IPAddress) -> Bool { lhs.address == rhs.address }
    public func hash(into hasher: inout Hasher) { hasher.combine(address) }
}
