import Foundation
import WinsockSSL

/// Where a test server's `route(host:port:)` sends a ported program: the program connects to `host` (or to
/// `address`) on `port` as it always did, and reaches the test server instead.
///
/// The address is a loopback address no other route in this process has had (127.x.y.z; the whole of
/// 127.0.0.0/8 reaches this machine on Linux), so tests running in parallel never share a redirect, even when
/// they all route the same well-known port.
public struct LoopbackRoute: Sendable, Hashable, CustomStringConvertible {
    /// The name the program resolves (mapped in `HostsTable.shared`), or the IP literal it connects to.
    public let host: String
    /// The address `host` resolves to while the route is in place.
    public let address: InternetAddress
    /// The port the program connects to.
    public let port: UInt16
    /// The server's own listening endpoint, where the connection really goes.
    public let destination: SocketEndpoint

    /// `address`:`port`: the endpoint the program believes it connects to.
    public var endpoint: SocketEndpoint { SocketEndpoint(address: address, port: port) }

    public var description: String { "\(host) (\(endpoint)) → \(destination)" }
}

/// The routes of this process: loopback addresses handed out so far, and the names in use.
///
/// A host name has one `HostsTable` entry per process, so two routes for the same name cannot be in place
/// at once; the second waits until the first is undone. Tests that route different names run in parallel.
enum LoopbackRoutes {
    private struct State {
        /// 127.1.0.1 onwards; 127.0.0.0/16 is left alone (127.0.0.1, systemd-resolved's 127.0.0.53).
        var nextAddress: UInt32 = 0x7F01_0001
        var namesInUse: Set<String> = []
    }

    private static let state = Locked(State())

    /// Puts a route in place: a fresh loopback address, the `HostsTable` entry for a name, the redirect.
    /// Waits (at most `bound`) while another route holds the same name.
    static func add(host: String, port: UInt16, destination: SocketEndpoint, bound: Duration) throws -> LoopbackRoute {
        let literal = InternetAddress(parsing: host)
        guard !host.isEmpty else { throw TLSTestServerError(.configuration, "route(host:port:) needs a host name, not an empty string") }
        if let literal, literal.family != .ipv4 {
            throw TLSTestServerError(.configuration, "route(host:port:) routes IPv4 only; \(host) is an IPv6 address")
        }
        // An IP literal cannot get an address of its own, so its redirect key (literal:port) is what is leased.
        let key = literal.map { "\($0):\(port)" } ?? leaseKey(host)
        let deadline = ContinuousClock.now.advanced(by: bound)
        var address: InternetAddress?
        while address == nil {
            address = state.withLock { state -> InternetAddress? in
                guard !state.namesInUse.contains(key) else { return nil }
                state.namesInUse.insert(key)
                if let literal { return literal }
                return nextAddress(&state)
            }
            if address == nil {
                guard ContinuousClock.now < deadline else {
                    throw TLSTestServerError(
                        .configuration,
                        "route(host: \(quoted(host)), port: \(port)): another test server in this process has routed \(quoted(host)) "
                            + "for longer than \(bound); stop that server (or give this test its own host name)")
                }
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
        let route = LoopbackRoute(host: host, address: address!, port: port, destination: destination)
        if literal == nil { HostsTable.shared.set(host, to: [route.address]) }
        EndpointRedirects.shared.redirect(route.endpoint, to: destination)
        return route
    }

    /// Undoes `add`: the redirect, the `HostsTable` entry, the lease on the name. The address is never reused.
    static func remove(_ route: LoopbackRoute) {
        EndpointRedirects.shared.remove(route.endpoint)
        let isLiteral = InternetAddress(parsing: route.host) != nil
        if !isLiteral { HostsTable.shared.remove(route.host) }
        let key = isLiteral ? "\(route.address):\(route.port)" : leaseKey(route.host)
        _ = state.withLock { $0.namesInUse.remove(key) }
    }

    /// The next 127.x.y.z, skipping y.z host parts that end in 0 or 255.
    private static func nextAddress(_ state: inout State) -> InternetAddress {
        while true {
            let value = state.nextAddress
            state.nextAddress = value == 0x7FFF_FFFE ? 0x7F01_0001 : value + 1
            let last = UInt8(value & 0xFF)
            if last == 0 || last == 255 { continue }
            return InternetAddress(bytes: [127, UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), last])!
        }
    }

    /// Names as `HostsTable` matches them: case-insensitive, without a trailing dot.
    private static func leaseKey(_ host: String) -> String {
        var key = host.lowercased()
        if key.hasSuffix(".") { key.removeLast() }
        return key
    }
}
