/// A network address a socket can connect to.
///
/// The corresponding .NET type is `System.Net.EndPoint`.
public class EndPoint: CustomStringConvertible {
    /// The corresponding .NET member is `EndPoint.AddressFamily`.
    public var AddressFamily: NetCF.AddressFamily { .Unspecified }
    public var description: String { "EndPoint" }
    /// The corresponding .NET member is `Object.ToString()`.
    public func ToString() -> String { description }
}

/// An IP address and a port.
///
/// The corresponding .NET type is `System.Net.IPEndPoint`.
public final class IPEndPoint: EndPoint {
    /// The corresponding .NET member is `IPEndPoint.Address`.
    public var Address: IPAddress
    /// The corresponding .NET member is `IPEndPoint.Port`.
    public var Port: int

    /// The corresponding .NET member is `IPEndPoint(IPAddress, int)`. Ports outside 0...65535 are refused
    /// when the end point is used, with `ArgumentOutOfRangeException`.
    public init(_ address: IPAddress, _ port: some BinaryInteger) {
        Address = address
        Port = int(clamping: port)
    }

    /// The corresponding .NET member is `IPEndPoint(long, int)`.
    public convenience init(_ address: Int64, _ port: some BinaryInteger) throws {
        self.init(try IPAddress(address), port)
    }

    public static let MinPort: int = 0
    public static let MaxPort: int = 65535

    public override var AddressFamily: NetCF.AddressFamily { Address.AddressFamily }

    public override var description: String {
        Address.address.family == .ipv4 ? "\(Address):\(Port)" : "[\(Address)]:\(Port)"
    }

    /// The core endpoint; throws when the port is out of range.
    func socketEndpoint() throws -> SocketEndpoint {
        guard (IPEndPoint.MinPort...IPEndPoint.MaxPort).contains(Port) else {
            throw ArgumentOutOfRangeException("port", Port, "The port must be between 0 and 65535.")
        }
        return SocketEndpoint(address: Address.address, port: UInt16(Port))
    }

    convenience init(_ endpoint: SocketEndpoint) {
        self.init(IPAddress(endpoint.address), Int(endpoint.port))
    }
}

/// A host's name and addresses.
///
/// The corresponding .NET type is `System.Net.IPHostEntry`.
public final class IPHostEntry {
    /// The corresponding .NET member is `IPHostEntry.HostName`.
    public var HostName: String
    /// The corresponding .NET member is `IPHostEntry.AddressList`.
    public var AddressList: [IPAddress]
    /// The corresponding .NET member is `IPHostEntry.Aliases`.
    public var Aliases: [String]

    public init(HostName: String = "", AddressList: [IPAddress] = [], Aliases: [String] = []) {
        self.HostName = HostName
        self.AddressList = AddressList
        self.Aliases = Aliases
    }
}

/// Name resolution.
///
/// Names are looked up in `HostsTable.shared` first (CE kept such a table in its registry), then by the
/// system resolver. A program or test makes a name resolve locally with
/// `HostsTable.shared.set("smtp.live.com", to: [.loopbackIPv4])`.
///
/// The corresponding .NET type is `System.Net.Dns`.
public enum Dns {
    /// The corresponding .NET member is `Dns.GetHostEntry(string)`. An address in text form gives an entry
    /// with that address (no reverse lookup is made). Blocks while the resolver works.
    /// The .NET 1.x name of `GetHostEntry(string)`, which Compact Framework code still calls.
    ///
    /// The corresponding .NET member is `Dns.Resolve(String)`.
    public static func Resolve(_ hostName: String) throws -> IPHostEntry {
        try GetHostEntry(hostName)
    }

    public static func GetHostEntry(_ hostNameOrAddress: String) throws -> IPHostEntry {
        let addresses = try GetHostAddresses(hostNameOrAddress)
        return IPHostEntry(HostName: hostNameOrAddress, AddressList: addresses)
    }

    /// The corresponding .NET member is `Dns.GetHostEntry(IPAddress)` (without reverse lookup).
    public static func GetHostEntry(_ address: IPAddress) -> IPHostEntry {
        IPHostEntry(HostName: address.ToString(), AddressList: [address])
    }

    /// The corresponding .NET member is `Dns.GetHostAddresses(string)`. Unknown names throw
    /// `SocketException` 11001 (`HostNotFound`).
    public static func GetHostAddresses(_ hostNameOrAddress: String) throws -> [IPAddress] {
        do {
            return try NameResolver.resolve(hostNameOrAddress).map(IPAddress.init)
        } catch {
            throw SocketException(error)
        }
    }

    /// The corresponding .NET member is `Dns.GetHostName()`.
    public static func GetHostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostnameShim(&buffer) else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
