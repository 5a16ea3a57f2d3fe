import Foundation
import WinsockSSL
import WinsockSSLTesting

/// `openssl s_server` for one connection, on a loopback address of its own, choosing its certificate by the
/// server name the client sends (SNI): `named` for `name`, `fallback` for any other name or none — what a host
/// that serves several names on one address does.
///
/// Each server gets an address no other server in this process uses (127.213.x.y), so the name a test
/// resolves to it (`ResolvedNames`) is that test's alone, however many tests run at once.
final class SNISelectingServer: Sendable {
    let name: String
    private let server: OpenSSLServer

    private static let nextAddress = Locked(0)

    /// A loopback address no earlier call in this process returned.
    static func uniqueLoopbackAddress() -> String {
        let index = nextAddress.withLock { value in
            value += 1
            return value
        }
        return "127.213.\(index / 250).\(index % 250 + 2)"
    }

    /// Starts the server on `address` (from `uniqueLoopbackAddress`).
    init(name: String, address: String, named: IssuedCertificate, fallback: IssuedCertificate) throws {
        self.name = name
        server = try OpenSSLServer(address: address, certificates: ["fallback": fallback, "named": named]) { files in
            ["-cert", files + "/fallback.pem", "-key", files + "/fallback.key", "-servername", name,
             "-cert2", files + "/named.pem", "-key2", files + "/named.key"]
        }
    }

    var address: String { server.address }
    var port: UInt16 { server.port }
    /// Where the server listens.
    var endpoint: SocketEndpoint { server.endpoint }

    /// The server names the client sent, as s_server printed them ("Hostname in TLS extension: "…""), once
    /// the connection is over: waits (bounded) for the server to end after its one connection.
    func sentServerNames() throws -> [String] {
        let prefix = "Hostname in TLS extension: \""
        return try server.outputAfterExit().split(separator: "\n").compactMap { line in
            guard line.hasPrefix(prefix), line.hasSuffix("\"") else { return nil }
            return String(line.dropFirst(prefix.count).dropLast())
        }
    }

    func stop() { server.stop() }
}
