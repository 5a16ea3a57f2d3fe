import Foundation
import NetCF
import Testing
import WinsockSSL
import WinsockSSLTesting

/// The client side of "NO STARTTLS" (USENIX Security 2021), as a matrix: what is injected after the server's
/// `220` go-ahead × where it lands × which reader the program uses. In every cell the deferred handshake
/// must fail with 10053 naming plain text, and no injected byte may reach the program after that — each
/// later read throws.
///
/// The `Receive` and `NetworkStream.Read` programs read the go-ahead a byte at a time, as a careful line
/// reader does: whatever a program pulls into its own array before the handshake is out of the provider's
/// reach. The `StreamReader` program reads with `ReadLine`, whose read-ahead buffer is the dangerous case.
extension Robustness {
    @Suite struct STARTTLSInjection {
        enum Reader: String, CaseIterable, Sendable, CustomTestStringConvertible {
            case receive = "Socket.Receive"
            case networkStreamRead = "NetworkStream.Read"
            case streamReaderReadLine = "StreamReader.ReadLine"
            var testDescription: String { rawValue }
        }

        enum Injection: String, CaseIterable, Sendable, CustomTestStringConvertible {
            /// One plausible line.
            case line = "250 OK\r\n"
            /// A complete fake reply to the EHLO the client sends after TLS, without AUTH's protection.
            case fakeReply = "250-mail.example.test Hello\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n"
            /// A line without its terminator.
            case partialLine = "250 AUTH PLA"
            var bytes: [UInt8] { Array(rawValue.utf8) }
            var testDescription: String {
                switch self {
                case .line: "one line"
                case .fakeReply: "a complete fake 250 reply"
                case .partialLine: "a partial line"
                }
            }
        }

        enum Position: String, CaseIterable, Sendable, CustomTestStringConvertible {
            /// In the same TCP segment (one write) as the `220`.
            case sameSegment = "in the same segment as the 220"
            /// In a later segment that is waiting when the program starts the handshake.
            case separateSegment = "in a separate segment before the ClientHello"
            /// After the server has read the ClientHello, where the ServerHello is due: the downgrade attempt.
            case afterClientHello = "after the ClientHello (downgrade)"
            var testDescription: String { rawValue }
        }

        static let goAhead = "220 2.0.0 Ready to start TLS\r\n"

        // MARK: Servers

        /// A STARTTLS server that injects `injection` at `position` and then, where it can, performs the real
        /// handshake and sends a genuine post-TLS line: with the guard gone, the attack would succeed.
        final class InjectingServer: Sendable {
            private let tls: TLSTestServer?
            private let raw: RawServer?
            let clientHelloFirstBytes = Recorder<UInt8>()
            let port: UInt16

            init(_ injection: Injection?, at position: Position) throws {
                let bytes = injection?.bytes ?? []
                if position == .afterClientHello {
                    let seen = clientHelloFirstBytes
                    let raw = try RawServer { socket in
                        try socket.send("220 mail.example.test ESMTP\r\n")
                        _ = try socket.receiveLine()
                        try socket.send("250 mail.example.test\r\n")
                        _ = try socket.receiveLine()
                        try socket.send(goAhead)
                        guard let hello = try socket.receiveTLSRecord() else { return }
                        seen.append(hello[0])
                        try socket.send(bytes)
                        socket.drain()
                    }
                    self.raw = raw
                    self.tls = nil
                    port = raw.port
                } else {
                    let tls = try TLSTestServer(configuration: Fixtures.serverConfiguration()) { connection in
                        try connection.writePlain("220 mail.example.test ESMTP\r\n")
                        _ = try connection.readLine()
                        try connection.writePlain("250 mail.example.test\r\n")
                        _ = try connection.readLine()
                        if position == .sameSegment {
                            try connection.writePlain(Array(goAhead.utf8) + bytes)
                        } else {
                            try connection.writePlain(goAhead)
                            sleep(.milliseconds(30))
                            if !bytes.isEmpty { try connection.writePlain(bytes) }
                        }
                        try connection.startTLS()
                        try connection.write("250 genuine\r\n")
                        while try connection.readTLSLine() != nil {}
                    }
                    self.tls = tls
                    self.raw = nil
                    port = tls.port
                }
            }

            func stop() {
                tls?.stop()
                raw?.stop()
            }

            var handshakesCompleted: Int { tls?.handshakesCompleted ?? 0 }
        }

        // MARK: The program

        /// The blog's client up to the go-ahead, reading with one kind of reader.
        final class Program {
            let s: Socket
            let helper: SslHelper
            let stream: NetworkStream
            let reader: StreamReader?
            let kind: Reader

            init(port: UInt16, reader kind: Reader) throws {
                s = try Fixtures.socket()
                helper = try SslHelper(s, serverName, true)
                try s.Connect(Fixtures.loopback(port))
                stream = try NetworkStream(s)
                self.kind = kind
                reader = kind == .streamReaderReadLine ? StreamReader(stream, Encoding.ASCII) : nil
            }

            func close() {
                reader?.Close()
                stream.Close()
                helper.Dispose()
                s.Close()
            }

            /// One line with the program's reader; nil at the end of the stream.
            func readLine() throws -> String? {
                if let reader { return try reader.ReadLine() }
                var line: [UInt8] = []
                var one = [UInt8](repeating: 0, count: 1)
                while line.last != 0x0a {
                    let count = kind == .receive ? try s.Receive(&one) : try stream.Read(&one, 0, 1)
                    if count == 0 { return line.isEmpty ? nil : String(decoding: line, as: UTF8.self) }
                    line += one
                }
                return String(decoding: line.dropLast(line.suffix(2) == [0x0d, 0x0a] ? 2 : 1), as: UTF8.self)
            }

            func command(_ text: String) throws {
                _ = try s.Send(Encoding.ASCII.GetBytes(text + "\r\n"))
            }

            /// Banner, EHLO, STARTTLS, go-ahead.
            func negotiateSTARTTLS() throws {
                #expect(try readLine()?.hasPrefix("220 ") == true)
                try command("EHLO client")
                #expect(try readLine() == "250 mail.example.test")
                try command("STARTTLS")
                #expect(try readLine() == String(goAhead.dropLast()))
            }

            /// What every read path hands out after the failed handshake: each must throw, none may return data.
            func readsAfterFailure() -> [String] {
                var leaks: [String] = []
                for _ in 0..<3 {
                    do {
                        let line = try readLine()
                        leaks.append("\(kind) returned \(line.map { "\"\($0)\"" } ?? "the end of the stream")")
                    } catch {}
                }
                var buffer = [UInt8](repeating: 0, count: 256)
                do {
                    let count = try s.Receive(&buffer)
                    leaks.append("Socket.Receive returned \(count) bytes: \(Array(buffer[0..<count]))")
                } catch {
                    if (error as? SocketException)?.ErrorCode != 10053 { leaks.append("Socket.Receive threw \(error)") }
                }
                do {
                    let count = try stream.Read(&buffer, 0, buffer.count)
                    leaks.append("NetworkStream.Read returned \(count) bytes: \(Array(buffer[0..<count]))")
                } catch {
                    if !(error is IOException) { leaks.append("NetworkStream.Read threw \(error)") }
                }
                return leaks
            }
        }

        // MARK: Tests

        @Test(arguments: Injection.allCases, Position.allCases)
        func injectionFailsTheHandshakeAndNeverReachesAnyReader(injection: Injection, position: Position) throws {
            for kind in Reader.allCases {
                try expectRefused(injection, at: position, reader: kind)
            }
        }

        func expectRefused(_ injection: Injection, at position: Position, reader kind: Reader) throws {
            let server = try InjectingServer(injection, at: position)
            defer { server.stop() }
            let program = try Program(port: server.port, reader: kind)
            defer { program.close() }
            try program.negotiateSTARTTLS()
            if position == .separateSegment {
                // The injected segment must be waiting when the handshake starts (bounded wait).
                #expect(try program.s.Poll(10_000_000, SelectMode.SelectRead), "the injected segment never arrived")
            }

            let context = "\(injection.testDescription) \(position.rawValue), read with \(kind.rawValue)"
            let (error, _) = failure { try program.helper.DoHandshake() }
            let exception = try #require(error as? SocketException, "the handshake did not fail: \(context)")
            #expect(exception.ErrorCode == 10053, "\(context): \(exception.Message)")
            #expect(exception.Message.contains("plain text"), "\(context): \(exception.Message)")
            // Plain text already waiting is refused before the ClientHello goes out; plain text where the
            // ServerHello is due is caught by the check of the server's first bytes.
            let place = position == .afterClientHello ? "instead of the server's TLS handshake" : "before the handshake"
            #expect(exception.Message.contains(place), "\(context): \(exception.Message)")
            #expect(!program.s.core.phase.isSecure, "\(context)")
            #expect(program.readsAfterFailure() == [], "\(context)")
            if position == .afterClientHello {
                #expect(server.clientHelloFirstBytes.values == [22], "the client sent no ClientHello: \(context)")
            }
            program.close()
            server.stop()
            #expect(server.handshakesCompleted == 0, "\(context)")
        }

        /// Without an injection the same programs complete the handshake and read the genuine post-TLS line,
        /// so the failures above come from the injection and nothing else.
        @Test(arguments: Reader.allCases)
        func withoutInjectionTheSameProgramReadsTheGenuineReply(reader kind: Reader) throws {
            let server = try InjectingServer(nil, at: .separateSegment)
            defer { server.stop() }
            let program = try Program(port: server.port, reader: kind)
            defer { program.close() }
            try program.negotiateSTARTTLS()
            try program.helper.DoHandshake()
            #expect(program.s.core.phase.isSecure)
            #expect(try program.readLine() == "250 genuine")
        }
    }
}
