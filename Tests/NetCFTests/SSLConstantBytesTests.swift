import NetCF
import Testing

/// The bytes ported code builds from the CE constants with `BitConverter`, as the blog's helper sends them.
@Suite struct SSLConstantBytesTests {
    @Test func deferHandshakeFlagIsSentAsFourLittleEndianBytes() {
        #expect(BitConverter.GetBytes(SSL_FLAG_DEFER_HANDSHAKE) == [8, 0, 0, 0])
        #expect(BitConverter.GetBytes(Int32(0x0008)) == [8, 0, 0, 0])
    }

    @Test func controlCodesAreTheIntsTheBlogCastsTo() {
        // The blog: `unchecked { socket.IOControl((int)SO_SSL_SET_VALIDATE_CERT_HOOK, inBuffer, null); }`
        let IOC_IN_csharp: UInt32 = 0x8000_0000
        let _SO_SSL_csharp: Int64 = (2 << 27) | 0x0073_0000
        #expect(Int32(truncatingIfNeeded: Int64(IOC_IN_csharp) | _SO_SSL_csharp | 0x08) == SO_SSL_SET_VALIDATE_CERT_HOOK)
        #expect(Int32(truncatingIfNeeded: Int64(IOC_IN_csharp) | _SO_SSL_csharp | 0x02) == SO_SSL_SET_FLAGS)
        #expect(Int32(truncatingIfNeeded: _SO_SSL_csharp | 0x0d) == SO_SSL_PERFORM_HANDSHAKE)
    }
}
