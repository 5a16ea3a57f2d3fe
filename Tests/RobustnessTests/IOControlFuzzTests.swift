import Foundation
import NetCF
import Testing
import WinsockSSL
import WinsockSSLTesting

/// Random control codes with random input and output buffers of every length, on sockets in every state.
/// Each call must end in success, a `SocketException` with a Winsock number, or `ObjectDisposedException`
/// for a closed socket — never a crash, a hang, or another error. The seed is fixed, so a failure repeats.
extension Robustness {
    @Suite struct IOControlFuzz {
        static let calls = 100_000
        /// A connected socket whose state a call may have changed (a handshake, flags) is replaced this often.
        static let rotation = 4_000

        static let knownCodes: [Int32] = [
            SO_SSL_GET_CAPABILITIES, SO_SSL_SET_FLAGS, SO_SSL_GET_FLAGS, SO_SSL_SET_PROTOCOLS, SO_SSL_GET_PROTOCOLS,
            SO_SSL_SET_CIPHERS, SO_SSL_GET_CIPHERS, SO_SSL_SET_CLIENT_OPTS, SO_SSL_GET_CLIENT_OPTS,
            SO_SSL_SET_SERVER_OPTS, SO_SSL_GET_SERVER_OPTS, SO_SSL_SET_CLIENT_AUTH_OPTS, SO_SSL_GET_CLIENT_AUTH_OPTS,
            SO_SSL_SET_VALIDATE_CERT_HOOK, SO_SSL_GET_VALIDATE_CERT_HOOK, SO_SSL_SET_AUTH_REQUEST_HOOK,
            SO_SSL_GET_AUTH_REQUEST_HOOK, SO_SSL_SET_KEY_EXCH_HOOK, SO_SSL_GET_KEY_EXCH_HOOK,
            SO_SSL_SET_SIGNATURE_HOOK, SO_SSL_GET_SIGNATURE_HOOK, SO_SSL_PERFORM_HANDSHAKE, SO_SSL_GET_CONNECTION_INFO,
            SO_SSL_SET_PEERNAME, SO_SSL_SET_PEERNAME_IN, SSLControlRequest.FIONREAD,
        ]

        /// Winsock numbers a control call may legitimately fail with.
        static let expectedCodes: Set<Int32> = [10022, 10045, 10057, 10053, 10054, 10060, 10036]

        enum Kind: CaseIterable {
            case unconnectedPlain, unconnectedSecure, unconnectedDeferred
            case connectedPlain, connectedDeferred, connectedSecure, closed
        }

        /// One socket per kind; the connected ones talk to a TLS echo server.
        final class Sockets {
            let port: UInt16
            var sockets: [Kind: Socket] = [:]

            init(port: UInt16) throws {
                self.port = port
                for kind in Kind.allCases { try renew(kind) }
            }

            func renew(_ kind: Kind) throws {
                sockets[kind]?.Close()
                let s: Socket
                switch kind {
                case .unconnectedPlain: s = try Fixtures.socket()
                case .unconnectedSecure: s = try Fixtures.secureSocket(deferred: false)
                case .unconnectedDeferred: s = try Fixtures.secureSocket(deferred: true)
                case .connectedPlain:
                    s = try Fixtures.socket()
                    try s.Connect(Fixtures.loopback(port))
                case .connectedDeferred:
                    s = try Fixtures.secureSocket(deferred: true)
                    try s.Connect(Fixtures.loopback(port))
                case .connectedSecure: s = try Fixtures.connectedSecureSocket(port: port)
                case .closed:
                    s = try Fixtures.secureSocket(deferred: true)
                    s.Close()
                }
                // A handshake the fuzzer starts must not wait long for a peer that will not answer it.
                s.ReceiveTimeout = 2_000
                s.SendTimeout = 2_000
                sockets[kind] = s
            }

            func closeAll() { sockets.values.forEach { $0.Close() } }
        }

        static func code(_ generator: inout SeededGenerator) -> Int32 {
            switch Int.random(in: 0..<10, using: &generator) {
            case 0..<4: return knownCodes.randomElement(using: &generator)!
            case 4..<6: return knownCodes.randomElement(using: &generator)! ^ (1 << Int32.random(in: 0..<32, using: &generator))
            case 6: return Int32(bitPattern: 0x1073_0000 | [0, 0x4000_0000, 0x8000_0000, 0xc000_0000].randomElement(using: &generator)!
                                 | UInt32.random(in: 0...0xff, using: &generator))
            default: return Int32.random(in: .min ... .max, using: &generator)
            }
        }

        static func input(_ call: Int, _ generator: inout SeededGenerator) -> [UInt8]? {
            switch Int.random(in: 0..<10, using: &generator) {
            case 0: return nil
            case 1: // Small integers, as flags and protocol values are.
                return BitConverter.GetBytes(Int32.random(in: -2...0x2004, using: &generator))
            case 2: // Something like a host name, with or without its NUL.
                let name = (0..<Int.random(in: 0...300, using: &generator)).map { _ in UInt8.random(in: 0x21...0x7e, using: &generator) }
                return Bool.random(using: &generator) ? name + [0] : name
            case 3: // An SSLPROTOCOLS structure with a random count.
                let count = Int.random(in: 0...17, using: &generator)
                return BitConverter.GetBytes(Int32(count)) + (0..<(12 * count)).map { _ in UInt8.random(in: 0...5, using: &generator) }
            case 4...6: // Every length in turn, up to 300 bytes of random content.
                return (0..<(call % 301)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            default:
                return (0..<Int.random(in: 0...64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            }
        }

        @Test func randomControlCallsEndInSuccessOrAClearException() throws {
            let server = try TLSTestServer(configuration: Fixtures.serverConfiguration(ioTimeout: .seconds(3)), handler: TLSTestServer.echo)
            let sockets = try Sockets(port: server.port)
            var generator = SeededGenerator(seed: 0x10c7_1f22)
            var outcomes: [String: Int] = [:]
            var unexpected: [String] = []
            let clock = ContinuousClock()
            let started = clock.now
            var slowest: (Duration, String) = (.zero, "")

            for call in 0..<Self.calls {
                let kind = Kind.allCases[call % Kind.allCases.count]
                if call > 0, call % Self.rotation < Kind.allCases.count, kind != .closed { try sockets.renew(kind) }
                let s = sockets.sockets[kind]!
                let code = Self.code(&generator)
                let input = Self.input(call, &generator)
                let capacity = Bool.random(using: &generator) ? Int.random(in: 0...32, using: &generator) : Int.random(in: 0...1024, using: &generator)
                let useNil = Int.random(in: 0..<4, using: &generator) == 0
                var output = [UInt8](repeating: 0xcc, count: capacity)
                let before = clock.now
                do {
                    let count = useNil ? try s.IOControl(code, input, nil) : try s.IOControl(code, input, &output)
                    if !useNil && (count > capacity || output.count != capacity || output[count...].contains { $0 != 0xcc }) {
                        unexpected.append("\(SSLControlRequest.codeName(code)) returned \(count) into \(capacity) bytes")
                    }
                    outcomes["success", default: 0] += 1
                } catch let error as SocketException {
                    outcomes["SocketException \(error.ErrorCode)", default: 0] += 1
                    if !Self.expectedCodes.contains(error.ErrorCode) || error.Message.isEmpty {
                        unexpected.append("\(kind) \(SSLControlRequest.codeName(code)): \(error.Message)")
                    }
                } catch is ObjectDisposedException {
                    outcomes["ObjectDisposedException", default: 0] += 1
                    if kind != .closed { unexpected.append("\(kind) \(SSLControlRequest.codeName(code)): ObjectDisposedException") }
                } catch {
                    unexpected.append("\(kind) \(SSLControlRequest.codeName(code)): \(type(of: error)) \(error)")
                }
                let took = clock.now - before
                if took > slowest.0 { slowest = (took, "\(kind) \(SSLControlRequest.codeName(code))") }
                if unexpected.count > 20 { break }
            }
            sockets.closeAll()
            server.stop()

            #expect(unexpected == [])
            #expect(outcomes.values.reduce(0, +) == Self.calls)
            #expect(outcomes["success", default: 0] > 0 && outcomes["ObjectDisposedException", default: 0] > 0)
            #expect(slowest.0 < .seconds(5), "slowest call: \(slowest)")
            // By port, not a count of all descriptors: other test targets run in this process meanwhile.
            #expect(ProcessResources.settle { ProcessResources.socketDescriptors(port: server.port) == 0 },
                    "sockets left open on the server's port: \(ProcessResources.socketDescriptors(port: server.port))")
            print("IOControl fuzz: \(Self.calls) calls in \(clock.now - started); slowest \(slowest.0) (\(slowest.1)); "
                  + outcomes.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))
        }
    }
}
