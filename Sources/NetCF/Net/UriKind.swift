/// Whether a `Uri` string must be absolute, relative, or may be either.
///
/// The corresponding .NET type is `System.UriKind`.
public enum UriKind: Int32, Sendable {
    case RelativeOrAbsolute = 0
    case Absolute = 1
    case Relative = 2
}

/// What kind of host name a `Uri` has, or `Uri.CheckHostName` finds.
///
/// The corresponding .NET type is `System.UriHostNameType`.
public enum UriHostNameType: Int32, Sendable {
    /// Not a host name (empty, or characters no host may have).
    case Unknown = 0
    /// A host a URI allows that is neither a DNS name nor an address (never returned by `CheckHostName`).
    case Basic = 1
    case Dns = 2
    case IPv4 = 3
    case IPv6 = 4
}

/// A string that is not a URI of the kind asked for.
///
/// The corresponding .NET type is `System.UriFormatException`.
public struct UriFormatException: DotNetException, Hashable {
    public static let dotNetTypeName = "System.UriFormatException"
    /// The corresponding .NET member is `Exception.Message`.
    public let Message: String

    public init(_ message: String = "Invalid URI: The format of the URI could not be determined.") {
        self.Message = message
    }
}
