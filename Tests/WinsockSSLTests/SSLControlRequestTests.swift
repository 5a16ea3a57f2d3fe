import Testing
import WinsockSSL

/// The ioctl decoder: what each control code accepts as input, before any socket is involved.
@Suite struct SSLControlRequestTests {
    func decodeError(_ code: Int32, _ input: [UInt8]?) -> WinsockError? {
        do {
            _ = try SSLControlRequest.decode(code: code, input: input)
            return nil
        } catch {
            return error
        }
    }

    func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }

    // MARK: Input lengths

    /// Each code with an input it must refuse: every refusal is WSAEINVAL and names the code.
    @Test(arguments: [
        (SO_SSL_SET_FLAGS, nil), (SO_SSL_SET_FLAGS, []), (SO_SSL_SET_FLAGS, [8, 0, 0]), (SO_SSL_SET_FLAGS, [8, 0, 0, 0, 0]),
        (SO_SSL_SET_VALIDATE_CERT_HOOK, nil), (SO_SSL_SET_VALIDATE_CERT_HOOK, [1, 2, 3, 4]),
        (SO_SSL_SET_VALIDATE_CERT_HOOK, [1, 2, 3, 4, 5, 6, 7, 8, 9]),
        (SO_SSL_GET_CAPABILITIES, [0]), (SO_SSL_GET_FLAGS, [0, 0, 0, 0]), (SO_SSL_GET_PROTOCOLS, [1]),
        (SO_SSL_GET_VALIDATE_CERT_HOOK, [0, 0, 0, 0, 0, 0, 0, 0]), (SO_SSL_GET_CONNECTION_INFO, [0]),
        (SO_SSL_SET_PEERNAME, nil), (SO_SSL_SET_PEERNAME, []), (SO_SSL_SET_PEERNAME, [0]),
        (SO_SSL_SET_PEERNAME_IN, nil), (SO_SSL_SET_PEERNAME_IN, [0]),
        (SSLControlRequest.FIONREAD, [0, 0, 0, 0]),
    ] as [(Int32, [UInt8]?)])
    func wrongInputLengthIsInvalidArgumentNamingTheCode(code: Int32, input: [UInt8]?) throws {
        let error = try #require(decodeError(code, input))
        #expect(error.code == .invalidArgument)
        let name = SSLControlRequest.codeName(code)
        #expect(name.hasPrefix("SO_SSL_") || name == "FIONREAD")
        #expect(error.detail.contains(name), "\(error.detail)")
    }

    @Test func getCodesTakeNoInputOrAnEmptyOne() throws {
        #expect(try SSLControlRequest.decode(code: SO_SSL_GET_CAPABILITIES, input: nil) == .getCapabilities)
        #expect(try SSLControlRequest.decode(code: SO_SSL_GET_FLAGS, input: []) == .getFlags)
        #expect(try SSLControlRequest.decode(code: SO_SSL_GET_PROTOCOLS, input: nil) == .getProtocols)
        #expect(try SSLControlRequest.decode(code: SO_SSL_GET_VALIDATE_CERT_HOOK, input: nil) == .getValidateCertificateHook)
        #expect(try SSLControlRequest.decode(code: SO_SSL_GET_CONNECTION_INFO, input: []) == .getConnectionInfo)
        #expect(try SSLControlRequest.decode(code: SSLControlRequest.FIONREAD, input: nil) == .bytesAvailable)
    }

    @Test func setFlagsReadsALittleEndianDword() throws {
        #expect(try SSLControlRequest.decode(code: SO_SSL_SET_FLAGS, input: [8, 0, 0, 0]) == .setFlags(SSL_FLAG_DEFER_HANDSHAKE))
        #expect(try SSLControlRequest.decode(code: SO_SSL_SET_FLAGS, input: [0x01, 0x02, 0x03, 0x04]) == .setFlags(0x0403_0201))
    }

    @Test func certificateHookStructureIsFunctionThenArgument() throws {
        let request = try SSLControlRequest.decode(code: SO_SSL_SET_VALIDATE_CERT_HOOK, input: [0x10, 0, 1, 0, 0x20, 0, 0, 0x10])
        #expect(request == .setValidateCertificateHook(function: 0x0001_0010, argument: 0x1000_0020))
    }

    @Test func setProtocolsPassesItsStructureOnForTheSocketToParse() throws {
        let structure: [UInt8] = [1, 0, 0, 0, 0x04, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        #expect(try SSLControlRequest.decode(code: SO_SSL_SET_PROTOCOLS, input: structure) == .setProtocols(structure))
    }

    @Test(arguments: [SO_SSL_SET_PEERNAME, SO_SSL_SET_PEERNAME_IN])
    func setPeerNameAcceptsBothDirectionBitSpellings(code: Int32) throws {
        #expect(try SSLControlRequest.decode(code: code, input: ascii("mail.example.test\0")) == .setPeerName("mail.example.test"))
        #expect(try SSLControlRequest.decode(code: code, input: ascii("mail.example.test")) == .setPeerName("mail.example.test"))
    }

    // MARK: Codes

    /// Codes that `sslsock.h` defines and this provider does not implement.
    @Test(arguments: [
        SO_SSL_SET_CIPHERS, SO_SSL_GET_CIPHERS, SO_SSL_SET_CLIENT_OPTS, SO_SSL_GET_CLIENT_OPTS,
        SO_SSL_SET_SERVER_OPTS, SO_SSL_GET_SERVER_OPTS, SO_SSL_SET_CLIENT_AUTH_OPTS, SO_SSL_GET_CLIENT_AUTH_OPTS,
        SO_SSL_SET_AUTH_REQUEST_HOOK, SO_SSL_GET_AUTH_REQUEST_HOOK, SO_SSL_SET_KEY_EXCH_HOOK, SO_SSL_GET_KEY_EXCH_HOOK,
        SO_SSL_SET_SIGNATURE_HOOK, SO_SSL_GET_SIGNATURE_HOOK,
    ])
    func unsupportedCECodeIsOperationNotSupported(code: Int32) throws {
        let error = try #require(decodeError(code, nil))
        #expect(error.code == .operationNotSupported)
        #expect(error.detail.contains(SSLControlRequest.codeName(code)), "\(error.detail)")
    }

    /// Codes no header defines, including made-up codes in the SSL family (unused tags, a direction bit
    /// the header does not give): WSAEINVAL, not "not supported", which would suggest a real feature.
    @Test(arguments: [
        Int32(0), Int32(0x1234_5678), Int32(bitPattern: 0xFFFF_FFFF),
        Int32(bitPattern: IOC_OUT | _SO_SSL | 0x0c), Int32(bitPattern: IOC_OUT | _SO_SSL | 0x10),
        Int32(bitPattern: IOC_IN | _SO_SSL | 0x7f), Int32(bitPattern: IOC_OUT | _SO_SSL),
        Int32(bitPattern: IOC_IN | _SO_SSL | _SO_SSL_CAPABILITIES),
        Int32(bitPattern: IOC_IN | _SO_SSL | _SO_SSL_CONNECTION_INFO),
    ])
    func unknownCodeIsInvalidArgument(code: Int32) throws {
        let error = try #require(decodeError(code, nil))
        #expect(error.code == .invalidArgument, "\(SSLControlRequest.codeName(code)): \(error)")
    }

    // MARK: SO_SSL_PERFORM_HANDSHAKE

    @Test func performHandshakeWithoutInputHasNoName() throws {
        #expect(try SSLControlRequest.decode(code: SO_SSL_PERFORM_HANDSHAKE, input: nil) == .performHandshake(name: nil))
        #expect(try SSLControlRequest.decode(code: SO_SSL_PERFORM_HANDSHAKE, input: []) == .performHandshake(name: nil))
    }

    @Test func performHandshakeTakesTheNameWithOrWithoutNul() throws {
        #expect(try SSLControlRequest.decode(code: SO_SSL_PERFORM_HANDSHAKE, input: ascii("smtp.live.com")) == .performHandshake(name: "smtp.live.com"))
        #expect(try SSLControlRequest.decode(code: SO_SSL_PERFORM_HANDSHAKE, input: ascii("smtp.live.com\0")) == .performHandshake(name: "smtp.live.com"))
    }

    /// The blog's `DoHandshake` passes `BitConverter.GetBytes(ptrHost.ToInt32())`.
    @Test func performHandshakeFollowsAFourBytePointerToTheName() throws {
        let heap = UnmanagedHeap.shared
        let host = try heap.allocate(5)
        defer { try? heap.free(host) }
        try heap.write(host, ascii("host\0"))
        let pointer = [UInt8(truncatingIfNeeded: host), UInt8(truncatingIfNeeded: host >> 8),
                       UInt8(truncatingIfNeeded: host >> 16), UInt8(truncatingIfNeeded: host >> 24)]
        #expect(try SSLControlRequest.decode(code: SO_SSL_PERFORM_HANDSHAKE, input: pointer) == .performHandshake(name: "host"))
    }

    @Test func pointedToNameMustBeAHostNameToo() throws {
        let heap = UnmanagedHeap.shared
        let host = try heap.allocate(6)
        defer { try? heap.free(host) }
        try heap.write(host, [0x68, 0x6f, 0x07, 0x73, 0x74, 0])
        let pointer = [UInt8(truncatingIfNeeded: host), UInt8(truncatingIfNeeded: host >> 8),
                       UInt8(truncatingIfNeeded: host >> 16), UInt8(truncatingIfNeeded: host >> 24)]
        let error = try #require(decodeError(SO_SSL_PERFORM_HANDSHAKE, pointer))
        #expect(error.code == .invalidArgument)
        #expect(error.detail.contains("SO_SSL_PERFORM_HANDSHAKE"), "\(error.detail)")
    }

    /// "mail" read as a little-endian address is 0x6C69616D, inside the data range; it is a name because
    /// no live block starts there.
    @Test func fourLetterNameThatIsNoBlockStartIsAName() throws {
        let input = ascii("mail")
        let address = UInt32(input[0]) | UInt32(input[1]) << 8 | UInt32(input[2]) << 16 | UInt32(input[3]) << 24
        #expect(UnmanagedHeap.shared.block(containing: address)?.start != address)
        #expect(try SSLControlRequest.decode(code: SO_SSL_PERFORM_HANDSHAKE, input: input) == .performHandshake(name: "mail"))
    }

    @Test(arguments: [
        Array("ho\0st".utf8), Array("host\0\0".utf8), [0x68, 0x6f, 0x07, 0x73, 0x74], Array("mail host".utf8),
        [0x6d, 0xe4, 0x69, 0x6c], Array(String(repeating: "a", count: 254).utf8),
    ] as [[UInt8]])
    func malformedHandshakeNameIsInvalidArgumentNamingTheCode(input: [UInt8]) throws {
        let error = try #require(decodeError(SO_SSL_PERFORM_HANDSHAKE, input))
        #expect(error.code == .invalidArgument)
        #expect(error.detail.contains("SO_SSL_PERFORM_HANDSHAKE"), "\(error.detail)")
    }

    @Test func nameOf253CharactersIsAccepted() throws {
        let name = String(repeating: "a", count: 253)
        #expect(try SSLControlRequest.decode(code: SO_SSL_PERFORM_HANDSHAKE, input: ascii(name)) == .performHandshake(name: name))
    }

    @Test func malformedPeerNameIsInvalidArgument() throws {
        for input in [ascii("ho\0st\0"), [0x68, 0x0a, 0x00], ascii(String(repeating: "b", count: 254) + "\0")] {
            let error = try #require(decodeError(SO_SSL_SET_PEERNAME, input))
            #expect(error.code == .invalidArgument)
            #expect(error.detail.contains("SO_SSL_SET_PEERNAME"), "\(error.detail)")
        }
    }
}
