/// The host name each address was most recently resolved from in this process: what a secure socket
/// connected to a bare address sends as its TLS server name (SNI) when it knows no other name.
///
/// A CE program typically resolves a name with `Dns.GetHostEntry` (or `gethostbyname`), connects to
/// `new IPEndPoint(address, port)` and passes the name only to its certificate hook, so the provider never
/// learns it; servers that host several names on one address then present the wrong certificate.
/// `NameResolver.resolve` records every name it resolves here (names from `HostsTable` included, numeric
/// addresses never), and `WinsockSocket.connect` looks the connected address up.
///
/// A name learned this way is only a hint for the server's choice of certificate. It is never the name the
/// certificate is verified against: the table is shared by the whole process and the last resolution wins,
/// so it cannot say which of several names on one address this connection meant (see MIGRATION.md).
///
/// Bounded: the oldest entries are forgotten beyond `capacity` addresses. Safe to use from several threads.
public final class ResolvedNames: Sendable {
    /// The table `NameResolver.resolve` records into and `WinsockSocket.connect` reads.
    public static let shared = ResolvedNames()

    /// How many addresses are remembered at most.
    public let capacity: Int

    private struct Entries {
        var names: [InternetAddress: String] = [:]
        /// Addresses from the least to the most recently recorded.
        var order: [InternetAddress] = []
    }

    private let entries = Locked(Entries())

    public init(capacity: Int = 256) {
        precondition(capacity > 0, "ResolvedNames needs room for at least one address")
        self.capacity = capacity
    }

    /// Records that `name` resolved to `addresses`. Names that are addresses in text form (and empty
    /// names) are ignored: an address is never a server name. A trailing dot is dropped.
    public func record(_ name: String, resolvedTo addresses: [InternetAddress]) {
        guard let serverName = TLSEngine.sniName(name) else { return }
        entries.withLock { entries in
            for address in addresses {
                if entries.names.updateValue(serverName, forKey: address) != nil {
                    entries.order.removeAll { $0 == address }
                }
                entries.order.append(address)
            }
            while entries.order.count > capacity {
                entries.names.removeValue(forKey: entries.order.removeFirst())
            }
        }
    }

    /// The name `address` was most recently resolved from, or nil when none is remembered.
    public func name(for address: InternetAddress) -> String? {
        entries.withLock { $0.names[address] }
    }

    /// Forgets every name.
    public func removeAll() {
        entries.withLock { $0 = Entries() }
    }
}
