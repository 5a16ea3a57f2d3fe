import Testing
import WinsockSSL

/// Every value of WINCE_SSL_REFERENCE.md sections 1–3, pinned: ported code passes these numbers to the
/// provider, so a changed value would silently turn a working program into one that gets WSAEINVAL.
@Suite struct SSLConstantsTests {
    @Test func winsockSecurityOptionValuesMatchCEWinsockHeader() {
        #expect(SOL_SOCKET == 0xffff)
        #expect(SO_SECURE == 0x2001)
        #expect(SO_SEC_NONE == 0x2002)
        #expect(SO_SEC_SSL == 0x2004)
    }

    @Test func ioctlDirectionBitsMatchCEWinsockHeader() {
        #expect(IOC_VOID == 0x2000_0000)
        #expect(IOC_OUT == 0x4000_0000)
        #expect(IOC_IN == 0x8000_0000)
    }

    @Test func sslFamilyIsTwoShiftedBy27OrFamily() {
        #expect(SO_SSL_FAMILY == 0x0073_0000)
        #expect(_SO_SSL == 0x1073_0000)
        #expect(_SO_SSL == (2 << 27) | SO_SSL_FAMILY)
    }

    @Test func controlCodeTagsMatchSslsockHeader() {
        #expect(_SO_SSL_CAPABILITIES == 0x01)
        #expect(_SO_SSL_FLAGS == 0x02)
        #expect(_SO_SSL_PROTOCOLS == 0x03)
        #expect(_SO_SSL_CIPHERS == 0x04)
        #expect(_SO_SSL_CLIENT_OPTS == 0x05)
        #expect(_SO_SSL_SERVER_OPTS == 0x06)
        #expect(_SO_SSL_CLIENT_AUTH_OPTS == 0x07)
        #expect(_SO_SSL_VALIDATE_CERT_HOOK == 0x08)
        #expect(_SO_SSL_AUTH_REQUEST_HOOK == 0x09)
        #expect(_SO_SSL_KEY_EXCH_HOOK == 0x0a)
        #expect(_SO_SSL_SIGNATURE_HOOK == 0x0b)
        #expect(_SO_SSL_PERFORM_HANDSHAKE == 0x0d)
        #expect(_SO_SSL_CONNECTION_INFO == 0x0e)
        #expect(_SO_SSL_PEERNAME == 0x0f)
    }

    /// The table of section 2: the hexadecimal value and what C#'s `unchecked((int)code)` makes of it.
    @Test(arguments: [
        ("SO_SSL_GET_CAPABILITIES", SO_SSL_GET_CAPABILITIES, 0x5073_0001, 1_349_713_921),
        ("SO_SSL_SET_FLAGS", SO_SSL_SET_FLAGS, 0x9073_0002, -1_871_511_550),
        ("SO_SSL_GET_FLAGS", SO_SSL_GET_FLAGS, 0x5073_0002, 1_349_713_922),
        ("SO_SSL_SET_PROTOCOLS", SO_SSL_SET_PROTOCOLS, 0x9073_0003, -1_871_511_549),
        ("SO_SSL_GET_PROTOCOLS", SO_SSL_GET_PROTOCOLS, 0x5073_0003, 1_349_713_923),
        ("SO_SSL_SET_VALIDATE_CERT_HOOK", SO_SSL_SET_VALIDATE_CERT_HOOK, 0x9073_0008, -1_871_511_544),
        ("SO_SSL_GET_VALIDATE_CERT_HOOK", SO_SSL_GET_VALIDATE_CERT_HOOK, 0x5073_0008, 1_349_713_928),
        // The reference table gives 276758541 here, which is 0x107F000D: a typo for 0x1073000D = 275972109.
        ("SO_SSL_PERFORM_HANDSHAKE", SO_SSL_PERFORM_HANDSHAKE, 0x1073_000D, 275_972_109),
        ("SO_SSL_GET_CONNECTION_INFO", SO_SSL_GET_CONNECTION_INFO, 0x5073_000E, 1_349_713_934),
        ("SO_SSL_SET_PEERNAME", SO_SSL_SET_PEERNAME, 0x5073_000F, 1_349_713_935),
        ("SO_SSL_SET_PEERNAME_IN", SO_SSL_SET_PEERNAME_IN, 0x9073_000F, -1_871_511_537),
    ] as [(String, Int32, UInt32, Int32)])
    func controlCodeHasItsHeaderValueAndCSharpIntValue(name: String, code: Int32, hex: UInt32, csharp: Int32) {
        #expect(UInt32(bitPattern: code) == hex, "\(name)")
        #expect(code == csharp, "\(name)")
    }

    @Test func unsupportedControlCodesHaveTheirHeaderValues() {
        #expect(UInt32(bitPattern: SO_SSL_SET_CIPHERS) == 0x9073_0004)
        #expect(UInt32(bitPattern: SO_SSL_GET_CIPHERS) == 0x5073_0004)
        #expect(UInt32(bitPattern: SO_SSL_SET_CLIENT_OPTS) == 0x9073_0005)
        #expect(UInt32(bitPattern: SO_SSL_GET_CLIENT_OPTS) == 0x5073_0005)
        #expect(UInt32(bitPattern: SO_SSL_SET_SERVER_OPTS) == 0x9073_0006)
        #expect(UInt32(bitPattern: SO_SSL_GET_SERVER_OPTS) == 0x5073_0006)
        #expect(UInt32(bitPattern: SO_SSL_SET_CLIENT_AUTH_OPTS) == 0x9073_0007)
        #expect(UInt32(bitPattern: SO_SSL_GET_CLIENT_AUTH_OPTS) == 0x5073_0007)
        #expect(UInt32(bitPattern: SO_SSL_SET_AUTH_REQUEST_HOOK) == 0x9073_0009)
        #expect(UInt32(bitPattern: SO_SSL_GET_AUTH_REQUEST_HOOK) == 0x5073_0009)
        #expect(UInt32(bitPattern: SO_SSL_SET_KEY_EXCH_HOOK) == 0x9073_000A)
        #expect(UInt32(bitPattern: SO_SSL_GET_KEY_EXCH_HOOK) == 0x5073_000A)
        #expect(UInt32(bitPattern: SO_SSL_SET_SIGNATURE_HOOK) == 0x9073_000B)
        #expect(UInt32(bitPattern: SO_SSL_GET_SIGNATURE_HOOK) == 0x5073_000B)
    }

    @Test func hookReturnCodesMatchSslsockHeaderAndSkipOne() {
        #expect(SSL_ERR_OKAY == 0)
        #expect(SSL_ERR_FAILED == 2)
        #expect(SSL_ERR_BAD_LEN == 3)
        #expect(SSL_ERR_BAD_TYPE == 4)
        #expect(SSL_ERR_BAD_DATA == 5)
        #expect(SSL_ERR_NO_CERT == 6)
        #expect(SSL_ERR_BAD_SIG == 7)
        #expect(SSL_ERR_CERT_EXPIRED == 8)
        #expect(SSL_ERR_CERT_REVOKED == 9)
        #expect(SSL_ERR_CERT_UNKNOWN == 10)
        #expect(SSL_ERR_SIGNATURE == 11)
        #expect(sslErrorName(1) == "unknown SSL_ERR value")
    }

    @Test func hookReturnCodesHaveTheirHeaderNames() {
        let named: [(Int32, String)] = [
            (SSL_ERR_OKAY, "SSL_ERR_OKAY"), (SSL_ERR_FAILED, "SSL_ERR_FAILED"), (SSL_ERR_BAD_LEN, "SSL_ERR_BAD_LEN"),
            (SSL_ERR_BAD_TYPE, "SSL_ERR_BAD_TYPE"), (SSL_ERR_BAD_DATA, "SSL_ERR_BAD_DATA"), (SSL_ERR_NO_CERT, "SSL_ERR_NO_CERT"),
            (SSL_ERR_BAD_SIG, "SSL_ERR_BAD_SIG"), (SSL_ERR_CERT_EXPIRED, "SSL_ERR_CERT_EXPIRED"),
            (SSL_ERR_CERT_REVOKED, "SSL_ERR_CERT_REVOKED"), (SSL_ERR_CERT_UNKNOWN, "SSL_ERR_CERT_UNKNOWN"),
            (SSL_ERR_SIGNATURE, "SSL_ERR_SIGNATURE"),
        ]
        for (value, name) in named { #expect(sslErrorName(value) == name) }
    }

    @Test func capabilityBitsMatchSslsockHeader() {
        #expect(SSL_CAP_CLIENT == 0x1)
        #expect(SSL_CAP_SERVER == 0x2)
        #expect(SSL_CAP_CLIENT_AUTH == 0x4)
        #expect(SSL_CAP_CRYPTOAPI == 0x8)
    }

    @Test func flagBitsMatchSslsockHeader() {
        #expect(SSL_FLAG_SERVER == 0x2)
        #expect(SSL_FLAG_AUTH_CLIENT == 0x4)
        #expect(SSL_FLAG_DEFER_HANDSHAKE == 0x8)
    }

    /// PCT1/SSL2/SSL3 come from the header; TLS1 (4) is the project's reading of an unconfirmed value and
    /// TLS1_2/TLS1_3 are project extensions (the wire versions).
    @Test func protocolValuesMatchSslsockHeaderAndProjectExtensions() {
        #expect(SSL_PROTOCOL_PCT1 == 1)
        #expect(SSL_PROTOCOL_SSL2 == 2)
        #expect(SSL_PROTOCOL_SSL3 == 3)
        #expect(SSL_PROTOCOL_TLS1 == 4)
        #expect(SSL_PROTOCOL_TLS1_2 == 0x0303)
        #expect(SSL_PROTOCOL_TLS1_3 == 0x0304)
    }

    @Test func connectionInfoProtocolBitsMatchSslsockHeaderAndSChannel() {
        #expect(SSL_PROT_PCT1_SERVER == 0x1)
        #expect(SSL_PROT_PCT1_CLIENT == 0x2)
        #expect(SSL_PROT_SSL2_SERVER == 0x4)
        #expect(SSL_PROT_SSL2_CLIENT == 0x8)
        #expect(SSL_PROT_SSL3_SERVER == 0x10)
        #expect(SSL_PROT_SSL3_CLIENT == 0x20)
        #expect(SSL_PROT_TLS1_2_CLIENT == 0x800)
        #expect(SSL_PROT_TLS1_3_CLIENT == 0x2000)
    }

    @Test func certificateTypeAndFlagMatchSslsockHeader() {
        #expect(SSL_CERT_X509 == 0x0001)
        #expect(SSL_CERT_FLAG_ISSUER_UNKNOWN == 0x0001)
    }

    @Test func algorithmIdentifiersMatchWincryptHeader() {
        #expect(CALG_AES_128 == 0x660e)
        #expect(CALG_AES_256 == 0x6610)
        #expect(CALG_SHA_256 == 0x800c)
        #expect(CALG_SHA_384 == 0x800d)
        #expect(CALG_RSA_KEYX == 0xa400)
        #expect(CALG_DH_EPHEM == 0xaa02)
        #expect(CALG_ECDH_EPHEM == 0xae06)
    }
}
