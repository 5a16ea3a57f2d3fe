internal import Glibc

/// Names that resolve locally, before the system resolver is asked.
///
/// Windows CE kept such a table in the registry (`HKEY_LOCAL_MACHINE\Comm\Tcpip\Hosts`); ported programs
/// and their tests use this one to make a real-world name such as `smtp.live.com` reach a server on
/// loopback without touching `/etc/hosts`. Names are matched case-insensitively and without a trailing dot.
public final class HostsTable: Sendable {
    /// The table every resolution in this process consults.
    public static let shared = HostsTable()

    private let entries = Locked<[String: [InternetAddress]]>([:])

    public init() {}

    /// Makes `name` resolve to `addresses`, replacing any earlier entry.
    public func set(_ name: String, to addresses: [InternetAddress]) {
        let key = Self.key(name)
        entries.withLock { $0[key] = addresses }
    }

    /// Removes the entry for `name`; later look-ups go to the system resolver again.
    public func remove(_ name: String) {
        let key = Self.key(name)
        entries.withLock { _ = $0.removeValue(forKey: key) }
    }

    /// Removes every entry.
    public func removeAll() {
        entries.withLock { $0.removeAll() }
    }

    /// The addresses recorded for `name`, or nil when the table has no entry for it.
    public func addresses(for name: String) -> [InternetAddress]? {
        let key = Self.key(name)
        return entries.withLock { $0[key] }
    }

    private static func key(_ name: String) -> String {
        var lowered = name.lowercased()
        if lowered.hasSuffix(".") { lowered.removeLast() }
        return lowered
    }
}

/// Connections to one endpoint that are sent to another.
///
/// A test or an example that replays a conversation with `smtp.live.com:587` runs its server on an
/// ephemeral loopback port (binding 587 needs root); a redirect from `127.0.0.1:587` to that port lets
/// the ported code keep connecting to port 587 unchanged. The socket reports the endpoint the program
/// asked for as its remote end point; the redirect is visible only here and in the socket trace.
public final class EndpointRedirects: Sendable {
    /// The redirects every connection in this process consults.
    public static let shared = EndpointRedirects()

    private let table = Locked<[SocketEndpoint: SocketEndpoint]>([:])

    public init() {}

    /// Sends every later connection to `original` to `replacement` instead.
    public func redirect(_ original: SocketEndpoint, to replacement: SocketEndpoint) {
        table.withLock { $0[original] = replacement }
    }

    public func remove(_ original: SocketEndpoint) {
        table.withLock { _ = $0.removeValue(forKey: original) }
    }

    public func removeAll() {
        table.withLock { $0.removeAll() }
    }

    /// Where a connection to `endpoint` really goes.
    public func destination(for endpoint: SocketEndpoint) -> SocketEndpoint {
        table.withLock { $0[endpoint] } ?? endpoint
    }
}

/// Resolves host names to addresses: numeric addresses directly, then the hosts table, then `getaddrinfo`.
public enum NameResolver {
    /// Resolves `host`, returning its addresses in the resolver's order without duplicates.
    ///
    /// A name (not a numeric address) that resolves is recorded in `names` for each of its addresses, so a
    /// secure socket later connected to one of them by address can send the name as SNI (`ResolvedNames`).
    ///
    /// Blocks while the system resolver works; its own timeouts bound it (see `resolv.conf(5)`).
    /// Maps to `getaddrinfo`; failures carry `WSAHOST_NOT_FOUND` (11001), `WSATRY_AGAIN` (11002) and the like.
    public static func resolve(_ host: String, hosts: HostsTable = .shared,
                               names: ResolvedNames = .shared) throws(WinsockError) -> [InternetAddress] {
        let addresses = try lookUp(host, hosts: hosts)
        names.record(host, resolvedTo: addresses)
        return addresses
    }

    private static func lookUp(_ host: String, hosts: HostsTable) throws(WinsockError) -> [InternetAddress] {
        guard !host.isEmpty else {
            throw WinsockError(.hostNotFound, "cannot resolve an empty host name")
        }
        guard !host.utf8.contains(0) else {
            throw WinsockError(.hostNotFound, "host name contains a NUL character")
        }
        if let numeric = InternetAddress(parsing: host) { return [numeric] }
        if let local = hosts.addresses(for: host) { return local }

        let status: Int32
        var addresses: [InternetAddress] = []
        switch SystemCall.resolve(host, onlyConfiguredFamilies: true) {
        case .success(let found): (status, addresses) = (0, found)
        case .failure(let code) where code == EAI_NONAME || code == glibcEAI_ADDRFAMILY || code == glibcEAI_NODATA:
            // AI_ADDRCONFIG hides loopback-only answers on hosts without a configured address; ask once more without it.
            switch SystemCall.resolve(host, onlyConfiguredFamilies: false) {
            case .success(let found): (status, addresses) = (0, found)
            case .failure(let code): status = code
            }
        case .failure(let code): status = code
        }
        guard status == 0 else {
            if status == EAI_SYSTEM {
                throw WinsockError.lastSystemError("getaddrinfo(\"\(host)\")", errno: errno)
            }
            let reason = String(cString: gai_strerror(status))
            throw WinsockError(WinsockError.Code(addressInfoError: status), "cannot resolve host \"\(host)\": \(reason)")
        }
        guard !addresses.isEmpty else {
            throw WinsockError(.noData, "host \"\(host)\" has no IPv4 or IPv6 address")
        }
        return addresses
    }
}
