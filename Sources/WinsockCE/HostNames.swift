internal import CWinsockCE
import WinsockSSL

/// The host names `gethostbyname` resolved, by address, so that `connect` to one of those addresses tells
/// the SSL provider the name (for the certificate's name check and SNI) as the .NET surface's
/// `Connect(host, port)` does. The latest name resolved to an address wins.
final class ResolvedNames: Sendable {
    static let shared = ResolvedNames()
    private let names = Locked<[InternetAddress: String]>([:])

    func remember(_ name: String, for addresses: [InternetAddress]) {
        names.withLock { table in
            for address in addresses { table[address] = name }
        }
    }

    func name(for address: InternetAddress) -> String? {
        names.withLock { $0[address] }
    }
}

/// What `gethostbyname` (in C) asks: the IPv4 addresses of `name`, `HostsTable.shared` first, in network
/// byte order; at most `capacity`. Returns the count, or -1 with the last error set.
@_cdecl("WinsockCE_resolveIPv4")
public func winsockResolveIPv4(_ name: UnsafePointer<CChar>, _ addresses: UnsafeMutablePointer<UInt32>, _ capacity: Int32) -> Int32 {
    do throws(WinsockError) {
        let host = String(cString: name)
        let found = try NameResolver.resolve(host).filter { $0.family == .ipv4 }
        guard !found.isEmpty else { throw WinsockError(.noData, "gethostbyname: \"\(host)\" has no IPv4 address") }
        let kept = Array(found.prefix(Int(capacity)))
        ResolvedNames.shared.remember(host, for: kept)
        for (index, address) in kept.enumerated() {
            addresses[index] = address.bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
        }
        return Int32(kept.count)
    } catch {
        LastError.set(error)
        return -1
    }
}
