internal import Glibc

/// A URI, parsed into the parts ported code reads (`Scheme`, `Host`, `Port`, `AbsolutePath`, `Query` …).
///
/// This is the subset of .NET's `Uri` that networking code uses: `scheme://[user@]host[:port][/path][?query]
/// [#fragment]` and `scheme:rest` (`mailto:`), absolute or relative. The scheme and a DNS host are lower-cased,
/// an empty path of a URI with a host is `/`, and `Port` is the scheme's default port when none is written
/// (http 80, https 443, ftp 21, …; -1 for a scheme without one). Not done (MIGRATION.md 7.2): resolving a
/// relative URI against a base, removing `.` and `..` path segments, implicit file paths (`c:\x`), IDN hosts.
///
/// The members of an absolute URI's parts throw `InvalidOperationException` on a relative `Uri`, as in .NET,
/// so reading them takes `try`.
///
/// The corresponding .NET type is `System.Uri`.
public final class Uri: CustomStringConvertible, Hashable, Sendable {
    private struct Parts: Hashable {
        var scheme: String
        var userInfo: String
        var host: String
        var hostType: UriHostNameType
        var port: Int32
        var path: String
        var query: String
        var fragment: String
        var hasAuthority: Bool
    }

    /// The string as given.
    ///
    /// The corresponding .NET member is `Uri.OriginalString`.
    public let OriginalString: String
    private let parts: Parts?

    /// An absolute URI.
    ///
    /// - Throws: `ArgumentNullException` for `nil`, `UriFormatException` for a string that is not an absolute URI.
    ///
    /// The corresponding .NET member is `Uri(String)`.
    public convenience init(_ uriString: String?) throws {
        try self.init(uriString, UriKind.Absolute)
    }

    /// - Throws: `UriFormatException` when the string is not of `uriKind` (a relative string for `Absolute`, an
    ///   absolute one for `Relative`) or its host or port is invalid.
    ///
    /// The corresponding .NET member is `Uri(String, UriKind)`.
    public init(_ uriString: String?, _ uriKind: UriKind) throws {
        guard let uriString else { throw ArgumentNullException("uriString") }
        let trimmed = uriString.Trim()
        let parsed = try Self.parseAbsolute(trimmed)
        switch uriKind {
        case .Absolute:
            guard parsed != nil else {
                throw UriFormatException(
                    trimmed.isEmpty ? "Invalid URI: The URI is empty." : "Invalid URI: The format of the URI could not be determined.")
            }
        case .Relative:
            if parsed != nil { throw UriFormatException("A relative URI cannot be created because the 'uriString' parameter represents an absolute URI.") }
        case .RelativeOrAbsolute:
            break
        }
        self.OriginalString = uriString
        self.parts = parsed
    }

    /// The corresponding .NET member is `Uri.IsAbsoluteUri`.
    public var IsAbsoluteUri: Bool { parts != nil }

    private func absolute() throws -> Parts {
        guard let parts else { throw InvalidOperationException("This operation is not supported for a relative URI.") }
        return parts
    }

    /// Lower case, without the colon: "http".
    ///
    /// The corresponding .NET member is `Uri.Scheme`.
    public var Scheme: String { get throws { try absolute().scheme } }

    /// The host as written (a DNS name lower-cased; an IPv6 address in brackets); "" when there is none.
    ///
    /// The corresponding .NET member is `Uri.Host`.
    public var Host: String { get throws { try absolute().host } }

    /// The corresponding .NET member is `Uri.HostNameType`.
    public var HostNameType: UriHostNameType { get throws { try absolute().hostType } }

    /// The port written, or the scheme's default (-1 when it has none).
    ///
    /// The corresponding .NET member is `Uri.Port`.
    public var Port: int { get throws { try absolute().port } }

    /// Whether `Port` is the scheme's default port.
    ///
    /// The corresponding .NET member is `Uri.IsDefaultPort`.
    public var IsDefaultPort: Bool {
        get throws {
            let parts = try absolute()
            return parts.port == Self.defaultPort(parts.scheme)
        }
    }

    /// The path, percent-escaped ("/a%20b").
    ///
    /// The corresponding .NET member is `Uri.AbsolutePath`.
    public var AbsolutePath: String { get throws { Self.escaped(try absolute().path) } }

    /// The query with its "?", or "" (escaped).
    ///
    /// The corresponding .NET member is `Uri.Query`.
    public var Query: String { get throws { Self.escaped(try absolute().query) } }

    /// The fragment with its "#", or "" (escaped).
    ///
    /// The corresponding .NET member is `Uri.Fragment`.
    public var Fragment: String { get throws { Self.escaped(try absolute().fragment) } }

    /// `AbsolutePath` and `Query`.
    ///
    /// The corresponding .NET member is `Uri.PathAndQuery`.
    public var PathAndQuery: String { get throws { try AbsolutePath + Query } }

    /// The corresponding .NET member is `Uri.UserInfo`.
    public var UserInfo: String { get throws { try absolute().userInfo } }

    /// The whole URI in canonical form, escaped: scheme and host lower-cased, a default port left out.
    ///
    /// The corresponding .NET member is `Uri.AbsoluteUri`.
    public var AbsoluteUri: String { get throws { Self.escaped(Self.canonical(try absolute())) } }

    /// The canonical form unescaped (an absolute URI), or the string as given (a relative one).
    ///
    /// The corresponding .NET member is `Uri.ToString()`.
    public func ToString() -> String {
        guard let parts else { return OriginalString }
        return Self.canonical(parts)
    }

    public var description: String { ToString() }

    public static func == (lhs: Uri, rhs: Uri) -> Bool {
        lhs.parts == rhs.parts && (lhs.parts != nil || lhs.OriginalString == rhs.OriginalString)
    }

    public func hash(into hasher: inout Hasher) {
        if let parts { hasher.combine(parts) } else { hasher.combine(OriginalString) }
    }

    // MARK: Host names

    /// What kind of host name `name` is: `IPv4` (dotted decimal), `IPv6` (with or without brackets), `Dns`
    /// (labels of letters, digits, `-` and `_`), otherwise `Unknown` (also for `nil` and "").
    ///
    /// The corresponding .NET member is `Uri.CheckHostName(String)`.
    public static func CheckHostName(_ name: String?) -> UriHostNameType {
        guard let name, !name.isEmpty else { return .Unknown }
        if isIPv4(name) { return .IPv4 }
        var bare = name
        if bare.hasPrefix("["), bare.hasSuffix("]") { bare = String(bare.dropFirst().dropLast()) }
        if isIPv6(bare) { return .IPv6 }
        if isDnsName(name) { return .Dns }
        return .Unknown
    }

    private static func isIPv4(_ name: String) -> Bool {
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count == 4 else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.count <= 3 && label.allSatisfy(\.isASCII) && label.allSatisfy(\.isNumber)
                && Int(label).map { $0 <= 255 } == true
        }
    }

    private static func isIPv6(_ name: String) -> Bool {
        guard name.contains(":") else { return false }
        var address = in6_addr()
        // A zone ("fe80::1%eth0") is allowed, as in .NET.
        let withoutZone = name.split(separator: "%", maxSplits: 1).first.map(String.init) ?? name
        return inet_pton(AF_INET6, withoutZone, &address) == 1
    }

    private static func isDnsName(_ name: String) -> Bool {
        var labels = name.split(separator: ".", omittingEmptySubsequences: false)
        if labels.count > 1, labels.last?.isEmpty == true { labels.removeLast() }  // a trailing dot
        guard name.utf8.count <= 255 else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && label.first != "-"
                && label.unicodeScalars.allSatisfy { $0.isASCII && (Character($0).isLetter || Character($0).isNumber || $0 == "-" || $0 == "_") }
        }
    }

    // MARK: Parsing

    private static func defaultPort(_ scheme: String) -> Int32 {
        switch scheme {
        case "http", "ws": 80
        case "https", "wss": 443
        case "ftp": 21
        case "gopher": 70
        case "nntp", "news": 119
        case "telnet": 23
        case "ldap": 389
        case "mailto": 25
        case "net.tcp": 808
        default: -1
        }
    }

    /// The parts of an absolute URI; nil when `text` has no scheme (a relative URI).
    private static func parseAbsolute(_ text: String) throws -> Parts? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let scheme = text[..<colon]
        guard let first = scheme.unicodeScalars.first, first.isASCII, Character(first).isLetter,
            scheme.unicodeScalars.allSatisfy({ $0.isASCII && (Character($0).isLetter || Character($0).isNumber || "+-.".unicodeScalars.contains($0)) })
        else { return nil }
        // "c:\dir" (a Windows path) is not a URI here.
        if scheme.count == 1 { return nil }
        var parts = Parts(
            scheme: scheme.lowercased(), userInfo: "", host: "", hostType: .Unknown, port: -1, path: "", query: "",
            fragment: "", hasAuthority: false)
        var rest = text[text.index(after: colon)...]
        if let hash = rest.firstIndex(of: "#") {
            parts.fragment = String(rest[hash...])
            rest = rest[..<hash]
        }
        if let question = rest.firstIndex(of: "?") {
            parts.query = String(rest[question...])
            rest = rest[..<question]
        }
        parts.port = defaultPort(parts.scheme)
        if rest.hasPrefix("//") {
            parts.hasAuthority = true
            rest = rest.dropFirst(2)
            let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
            var authority = rest[..<authorityEnd]
            rest = rest[authorityEnd...]
            if let at = authority.lastIndex(of: "@") {
                parts.userInfo = String(authority[..<at])
                authority = authority[authority.index(after: at)...]
            }
            var hostText = authority
            var portText: Substring?
            if authority.hasPrefix("[") {
                guard let close = authority.firstIndex(of: "]") else {
                    throw UriFormatException("Invalid URI: The hostname could not be parsed.")
                }
                hostText = authority[...close]
                let after = authority[authority.index(after: close)...]
                if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty {
                    throw UriFormatException("Invalid URI: The hostname could not be parsed.")
                }
            } else if let portColon = authority.lastIndex(of: ":") {
                hostText = authority[..<portColon]
                portText = authority[authority.index(after: portColon)...]
            }
            if let portText {
                if !portText.isEmpty {
                    guard portText.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int32(portText), port <= 65535 else {
                        throw UriFormatException("Invalid URI: Invalid port specified.")
                    }
                    parts.port = port
                }
            }
            try parseHost(String(hostText), into: &parts)
            parts.path = rest.isEmpty ? "/" : String(rest)
        } else {
            parts.path = String(rest)
        }
        return parts
    }

    private static func parseHost(_ host: String, into parts: inout Parts) throws {
        if host.isEmpty {
            guard parts.scheme == "file" else { throw UriFormatException("Invalid URI: The hostname could not be parsed.") }
            parts.hostType = .Basic
            return
        }
        if host.hasPrefix("[") {
            guard isIPv6(String(host.dropFirst().dropLast())) else {
                throw UriFormatException("Invalid URI: The hostname could not be parsed.")
            }
            parts.host = host.lowercased()
            parts.hostType = .IPv6
            return
        }
        if isIPv4(host) {
            parts.host = host
            parts.hostType = .IPv4
        } else if isDnsName(host) {
            parts.host = host.lowercased()
            parts.hostType = .Dns
        } else if host.unicodeScalars.allSatisfy({ $0.value > 0x20 && !"<>\"{}|\\^`[]/?#@ ".unicodeScalars.contains($0) }) {
            parts.host = host
            parts.hostType = .Basic
        } else {
            throw UriFormatException("Invalid URI: The hostname could not be parsed.")
        }
    }

    private static func canonical(_ parts: Parts) -> String {
        var text = parts.scheme + ":"
        if parts.hasAuthority {
            text += "//"
            if !parts.userInfo.isEmpty { text += parts.userInfo + "@" }
            text += parts.host
            if parts.port != defaultPort(parts.scheme), parts.port >= 0 { text += ":" + String(parts.port) }
        }
        return text + parts.path + parts.query + parts.fragment
    }

    /// Percent-escapes what a URI may not hold as written: controls, space, `"`, `<`, `>`, the backquote, `{`, `}`, `|`,
    /// `\`, `^` and every non-ASCII character (its UTF-8 bytes), as .NET's `AbsoluteUri` shows them.
    private static func escaped(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            if byte <= 0x20 || byte >= 0x7F || "\"<>`{}|\\^".utf8.contains(byte) {
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(2)
            } else {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return result
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
