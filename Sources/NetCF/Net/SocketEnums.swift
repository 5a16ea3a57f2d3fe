// The .NET `System.Net.Sockets` enumerations, as raw-value structs so that a C# cast such as
// `(SocketOptionName)0x2001` has the direct Swift form `SocketOptionName(0x2001)` (from any integer type).
// Member names and values are .NET's.

/// The corresponding .NET type is `System.Net.Sockets.AddressFamily`.
public struct AddressFamily: CSharpEnum, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
    public static let Unknown = AddressFamily(rawValue: -1)
    public static let Unspecified = AddressFamily(rawValue: 0)
    public static let InterNetwork = AddressFamily(rawValue: 2)
    public static let InterNetworkV6 = AddressFamily(rawValue: 23)
    public var description: String {
        switch self {
        case .InterNetwork: "InterNetwork"
        case .InterNetworkV6: "InterNetworkV6"
        case .Unspecified: "Unspecified"
        default: "\(rawValue)"
        }
    }
}

/// The corresponding .NET type is `System.Net.Sockets.SocketType`.
public struct SocketType: CSharpEnum, Hashable, Sendable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
    public static let Unknown = SocketType(rawValue: -1)
    public static let Stream = SocketType(rawValue: 1)
    public static let Dgram = SocketType(rawValue: 2)
    public static let Raw = SocketType(rawValue: 3)
}

/// The corresponding .NET type is `System.Net.Sockets.ProtocolType`.
public struct ProtocolType: CSharpEnum, Hashable, Sendable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
    public static let Unknown = ProtocolType(rawValue: -1)
    public static let Unspecified = ProtocolType(rawValue: 0)
    public static let IP = ProtocolType(rawValue: 0)
    public static let Tcp = ProtocolType(rawValue: 6)
    public static let Udp = ProtocolType(rawValue: 17)
}

/// The corresponding .NET type is `System.Net.Sockets.SocketOptionLevel`.
public struct SocketOptionLevel: CSharpEnum, Hashable, Sendable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
    public static let IP = SocketOptionLevel(rawValue: 0)
    public static let Tcp = SocketOptionLevel(rawValue: 6)
    public static let Udp = SocketOptionLevel(rawValue: 17)
    public static let IPv6 = SocketOptionLevel(rawValue: 41)
    public static let Socket = SocketOptionLevel(rawValue: 0xffff)
}

/// The corresponding .NET type is `System.Net.Sockets.SocketOptionName`. It has no member for CE's
/// `SO_SECURE` (0x2001); C# code casts the number, and so does Swift: `SocketOptionName(SO_SECURE)`.
public struct SocketOptionName: CSharpEnum, Hashable, Sendable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
    public static let NoDelay = SocketOptionName(rawValue: 1)
    public static let ReuseAddress = SocketOptionName(rawValue: 4)
    public static let KeepAlive = SocketOptionName(rawValue: 8)
    public static let Linger = SocketOptionName(rawValue: 0x80)
    public static let DontLinger = SocketOptionName(rawValue: ~0x80)
    public static let SendBuffer = SocketOptionName(rawValue: 0x1001)
    public static let ReceiveBuffer = SocketOptionName(rawValue: 0x1002)
    public static let SendTimeout = SocketOptionName(rawValue: 0x1005)
    public static let ReceiveTimeout = SocketOptionName(rawValue: 0x1006)
    public static let Error = SocketOptionName(rawValue: 0x1007)
    public static let `Type` = SocketOptionName(rawValue: 0x1008)
}

/// The corresponding .NET type is `System.Net.Sockets.SocketShutdown`.
public enum SocketShutdown: Int32, Sendable {
    case Receive = 0
    case Send = 1
    case Both = 2
}

/// The corresponding .NET type is `System.Net.Sockets.SelectMode`.
public enum SelectMode: Int32, Sendable {
    case SelectRead = 0
    case SelectWrite = 1
    case SelectError = 2
}

/// The corresponding .NET type is `System.Net.Sockets.SocketFlags`.
public struct SocketFlags: OptionSet, CSharpEnum, ExpressibleByIntegerLiteral, Hashable, Sendable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
    /// C# passes a literal `0` where `SocketFlags` is expected (`s.Send(buf, 0, n, 0)`); any literal is
    /// taken as the flag bits, as `(SocketFlags)n` would be.
    public init(integerLiteral value: Int32) { self.init(rawValue: value) }
    public static let None = SocketFlags([])
    public static let OutOfBand = SocketFlags(rawValue: 0x1)
    public static let Peek = SocketFlags(rawValue: 0x2)
    public static let DontRoute = SocketFlags(rawValue: 0x4)
}

/// The corresponding .NET type is `System.Net.Sockets.SocketError`: Winsock error numbers with .NET names.
public struct SocketError: CSharpEnum, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
    public static let Success = Self(rawValue: 0)
    public static let SocketError = Self(rawValue: -1)
    public static let Interrupted = Self(rawValue: 10004)
    public static let AccessDenied = Self(rawValue: 10013)
    public static let Fault = Self(rawValue: 10014)
    public static let InvalidArgument = Self(rawValue: 10022)
    public static let TooManyOpenSockets = Self(rawValue: 10024)
    public static let WouldBlock = Self(rawValue: 10035)
    public static let InProgress = Self(rawValue: 10036)
    public static let AlreadyInProgress = Self(rawValue: 10037)
    public static let NotSocket = Self(rawValue: 10038)
    public static let DestinationAddressRequired = Self(rawValue: 10039)
    public static let MessageSize = Self(rawValue: 10040)
    public static let ProtocolType = Self(rawValue: 10041)
    public static let ProtocolOption = Self(rawValue: 10042)
    public static let ProtocolNotSupported = Self(rawValue: 10043)
    public static let SocketNotSupported = Self(rawValue: 10044)
    public static let OperationNotSupported = Self(rawValue: 10045)
    public static let AddressFamilyNotSupported = Self(rawValue: 10047)
    public static let AddressAlreadyInUse = Self(rawValue: 10048)
    public static let AddressNotAvailable = Self(rawValue: 10049)
    public static let NetworkDown = Self(rawValue: 10050)
    public static let NetworkUnreachable = Self(rawValue: 10051)
    public static let NetworkReset = Self(rawValue: 10052)
    public static let ConnectionAborted = Self(rawValue: 10053)
    public static let ConnectionReset = Self(rawValue: 10054)
    public static let NoBufferSpaceAvailable = Self(rawValue: 10055)
    public static let IsConnected = Self(rawValue: 10056)
    public static let NotConnected = Self(rawValue: 10057)
    public static let Shutdown = Self(rawValue: 10058)
    public static let TimedOut = Self(rawValue: 10060)
    public static let ConnectionRefused = Self(rawValue: 10061)
    public static let HostDown = Self(rawValue: 10064)
    public static let HostUnreachable = Self(rawValue: 10065)
    public static let HostNotFound = Self(rawValue: 11001)
    public static let TryAgain = Self(rawValue: 11002)
    public static let NoRecovery = Self(rawValue: 11003)
    public static let NoData = Self(rawValue: 11004)

    public var description: String { WinsockError.Code(rawValue: rawValue).name }
}
