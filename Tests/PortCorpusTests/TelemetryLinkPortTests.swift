import NetCF
import Testing
import WinsockSSLTesting
@testable import PortCorpus

/// TelemetryLink.cs's port (the sslsock.h constant block, SO_SSL_SET_PEERNAME, a BSTR host for the hook,
/// a receive thread reading length-prefixed frames) against real peers.
@Suite struct TelemetryLinkPortTests {
    static let host = "telemetry.corpus.test"

    /// A frame as TelemetryLink.cs writes it: type, little-endian Int32 length, payload.
    static func frame(_ type: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [type] + withUnsafeBytes(of: Int32(payload.count).littleEndian, Array.init) + payload
    }

    static let script = PeerScript([
        .tls,
        .expect(frame(1, Array("logger-7".utf8))),
        .send(frame(2, Array("ok".utf8))),
        .expect(frame(3, [0xa5, 0x01, 0x00, 0x00])),
        .send(frame(3, [0x4a, 0x03, 0x00, 0x00])),
    ])

    @Test(arguments: PeerKind.allCases)
    func exchangesFramesWithAPeerWhoseCertificateIsValid(_ kind: PeerKind) throws {
        let peer = try kind.start(serving: CorpusCertificates.shared().issue(.valid, for: Self.host), Self.script)
        defer { peer.stop() }
        let link = TelemetryLink(Self.host, int(peer.port))
        defer { link.Dispose() }
        try link.Open("logger-7")
        #expect(try link.ReceiveFrame(TelemetryLink.FRAME_ACK, 15_000) == Array("ok".utf8))
        try link.SendFrame(TelemetryLink.FRAME_READING, BitConverter.GetBytes(int(421)))
        let reading = try #require(try link.ReceiveFrame(TelemetryLink.FRAME_READING, 15_000))
        #expect(try BitConverter.ToInt32(reading, 0) == 842)
        try peer.finish(within: hangBound)
    }

    /// With the peer name set, a wrong name reaches the hook as `SSL_CERT_FLAG_ISSUER_UNKNOWN`, like an
    /// unknown issuer or an expired certificate; the hook answers `SSL_ERR_CERT_UNKNOWN`.
    @Test(arguments: PeerKind.allCases, [CertificateCase.wrongName, .expired, .unknownAuthority])
    func refusesABadCertificateInOpen(_ kind: PeerKind, _ certificate: CertificateCase) throws {
        let peer = try kind.start(serving: CorpusCertificates.shared().issue(certificate, for: Self.host), Self.script)
        defer { peer.stop() }
        let link = TelemetryLink(Self.host, int(peer.port))
        defer { link.Dispose() }
        let error = try #require(throws: SocketException.self) { try link.Open("logger-7") }
        #expect(error.ErrorCode == 10053)
        #expect(error.CertificateHookResult == SSL_ERR_CERT_UNKNOWN)
    }
}
