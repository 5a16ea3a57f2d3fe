import Foundation
import NetCF
import Testing
import WinsockSSLTesting

/// `ReadLine` on an 8 MiB line: the whole line comes back, nothing is lost at the buffer boundaries, and
/// the reader goes on with the next line.
extension Robustness {
    @Suite struct LongLines {
        static let length = 8 * 1024 * 1024

        /// A line whose bytes say where they are, so a lost or repeated buffer shows.
        static let line: [UInt8] = (0..<length).map { UInt8(ascii: "a") + UInt8($0 / 4096 % 26) }

        @Test func anEightMiBLineOverTLSComesBackWhole() throws {
            let server = try TLSTestServer(configuration: Fixtures.serverConfiguration(ioTimeout: .seconds(120))) { connection in
                try connection.startTLS()
                try connection.write(Self.line + Array("\r\nafter\r\n".utf8))
                connection.closeNotify()
            }
            defer { server.stop() }
            // A generous timeout: under ThreadSanitizer encrypting 8 MiB takes the server many seconds.
            let s = try Fixtures.connectedSecureSocket(port: server.port, timeoutMilliseconds: 120_000)
            defer { s.Close() }
            let reader = StreamReader(try NetworkStream(s), Encoding.ASCII)
            let (line, elapsed) = try measure { try reader.ReadLine() }
            let bytes = Array((line ?? "").utf8)
            #expect(bytes.count == Self.length)
            #expect(bytes == Self.line)
            #expect(try reader.ReadLine() == "after")
            #expect(try reader.ReadLine() == nil)
            #expect(elapsed < .seconds(120))
        }

        @Test func anEightMiBLineWithoutTerminatorIsTheLastLine() throws {
            let reader = StreamReader(MemoryStream(Array("first\r\n".utf8) + Self.line), Encoding.UTF8)
            #expect(try reader.ReadLine() == "first")
            #expect(try reader.ReadLine().map { Array($0.utf8) == Self.line } == true)
            #expect(try reader.ReadLine() == nil)
        }

        @Test func eightMiBOfLineBreaksAreEightMiBOfEmptyLines() throws {
            let reader = StreamReader(MemoryStream([UInt8](repeating: 0x0a, count: Self.length / 8)), Encoding.ASCII)
            var count = 0
            while let line = try reader.ReadLine() {
                #expect(line.isEmpty)
                count += 1
            }
            #expect(count == Self.length / 8)
        }
    }
}
