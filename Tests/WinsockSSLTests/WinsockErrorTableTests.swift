import Glibc
import Testing
import WinsockSSL

// The errno → WSA translation is what turns a Linux failure into the number a CE program tested for.

@Suite struct WinsockErrorTableTests {
    @Test(arguments: [
        (ECONNREFUSED, 10061, "WSAECONNREFUSED"),
        (ETIMEDOUT, 10060, "WSAETIMEDOUT"),
        (ECONNRESET, 10054, "WSAECONNRESET"),
        (ECONNABORTED, 10053, "WSAECONNABORTED"),
        (EHOSTUNREACH, 10065, "WSAEHOSTUNREACH"),
        (ENETUNREACH, 10051, "WSAENETUNREACH"),
        (ENOTCONN, 10057, "WSAENOTCONN"),
        (EINVAL, 10022, "WSAEINVAL"),
        (ESHUTDOWN, 10058, "WSAESHUTDOWN"),
    ] as [(Int32, Int32, String)])
    func errnoMapsToTheWinsockNumberAndName(errno value: Int32, wsa: Int32, name: String) {
        let code = WinsockError.Code(errno: value)
        #expect(code.rawValue == wsa)
        #expect(code.name == name)
    }

    @Test func brokenPipeIsReportedAsAConnectionReset() {
        // Winsock has no EPIPE; a send on a connection the peer reset fails with WSAECONNRESET there.
        #expect(WinsockError.Code(errno: EPIPE) == .connectionReset)
    }

    @Test func addressInfoNoNameMapsToHostNotFound() {
        let code = WinsockError.Code(addressInfoError: EAI_NONAME)
        #expect(code.rawValue == 11001)
        #expect(code.name == "WSAHOST_NOT_FOUND")
    }

    @Test func addressInfoTryAgainMapsToTryAgain() {
        let code = WinsockError.Code(addressInfoError: EAI_AGAIN)
        #expect(code.rawValue == 11002)
        #expect(code.name == "WSATRY_AGAIN")
    }

    @Test func namedCodesCarryTheirWinsockNumbers() {
        #expect(WinsockError.Code.connectionRefused.rawValue == 10061)
        #expect(WinsockError.Code.timedOut.rawValue == 10060)
        #expect(WinsockError.Code.hostNotFound.rawValue == 11001)
        #expect(WinsockError.Code.notSocket.rawValue == 10038)
    }

    @Test func unknownNumberHasAGenericName() {
        #expect(WinsockError.Code(rawValue: 12345).name == "WSA error")
    }

    @Test func descriptionNamesTheCodeTheNumberAndTheDetail() {
        let error = WinsockError(.connectionRefused, "connect to 127.0.0.1:1 failed")
        #expect(error.description == "WSAECONNREFUSED (10061): connect to 127.0.0.1:1 failed")
        #expect(WinsockError.Code.timedOut.description == "WSAETIMEDOUT (10060)")
    }
}
