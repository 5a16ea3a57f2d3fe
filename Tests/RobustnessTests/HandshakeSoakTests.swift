import Foundation
import NetCF
import Testing
import WinsockSSLTesting

/// 10,000 handshakes one after another leave resident memory flat. Slow, so it runs only with
/// `ROBUSTNESS_SOAK=1` (see `scripts/handshake-soak`).
extension Robustness {
    @Suite(.enabled(if: ProcessInfo.processInfo.environment["ROBUSTNESS_SOAK"] == "1", "set ROBUSTNESS_SOAK=1 to run"))
    struct HandshakeSoak {
        static let handshakes = Int(ProcessInfo.processInfo.environment["ROBUSTNESS_SOAK_HANDSHAKES"] ?? "") ?? 10_000

        @Test func tenThousandHandshakesLeaveResidentMemoryFlat() throws {
            let server = try TLSTestServer(configuration: Fixtures.serverConfiguration()) { connection in
                try connection.startTLS()
                while try !connection.read(max: 4096).isEmpty {}
            }
            defer { server.stop() }
            let clock = ContinuousClock()
            let started = clock.now
            let residentAtStart = ProcessResources.residentBytes
            let descriptorsAtStart = ProcessResources.openDescriptors
            var residentAfterThousand = 0
            for handshake in 1...Self.handshakes {
                let s = try Fixtures.connectedSecureSocket(port: server.port)
                #expect(s.core.phase.isSecure)
                s.Close()
                if handshake == 1_000 { residentAfterThousand = ProcessResources.residentBytes }
            }
            let residentAtEnd = ProcessResources.residentBytes
            let growth = residentAtEnd - residentAfterThousand
            print("Handshake soak: \(Self.handshakes) handshakes in \(clock.now - started); resident at start "
                  + "\(ProcessResources.mebibytes(residentAtStart)), after 1,000 \(ProcessResources.mebibytes(residentAfterThousand)), "
                  + "after \(Self.handshakes) \(ProcessResources.mebibytes(residentAtEnd)) (growth \(ProcessResources.mebibytes(growth)) "
                  + "after the first 1,000); descriptors \(descriptorsAtStart) → \(ProcessResources.openDescriptors)")
            #expect(ProcessResources.underSanitizer || growth < 10 * 1024 * 1024, "resident memory grew by \(ProcessResources.mebibytes(growth)) between 1,000 and \(Self.handshakes) handshakes")
        }
    }
}
