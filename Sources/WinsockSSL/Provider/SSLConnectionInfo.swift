/// `SSLCONNECTIONINFO`, what `SO_SSL_GET_CONNECTION_INFO` returns: seven `DWORD`s.
///
/// Values CE never defined (TLS 1.2/1.3, ChaCha20) use the later SChannel/wincrypt numbers where one
/// exists and 0 where none does.
public struct SSLConnectionInfo: Sendable, Equatable {
    public var dwProtocol: UInt32
    public var aiCipher: UInt32
    public var dwCipherStrength: UInt32
    public var aiHash: UInt32
    public var dwHashStrength: UInt32
    public var aiExch: UInt32
    public var dwExchStrength: UInt32

    init(_ info: TLSSessionInfo) {
        dwProtocol = info.version == .tls1_3 ? SSL_PROT_TLS1_3_CLIENT : SSL_PROT_TLS1_2_CLIENT
        aiCipher = switch info.bulkCipher {
        case .aes128: CALG_AES_128
        case .aes256: CALG_AES_256
        case .chacha20Poly1305, .other: 0
        }
        dwCipherStrength = UInt32(info.cipherBits)
        (aiHash, dwHashStrength) = switch info.hash {
        case .sha256: (CALG_SHA_256, 256)
        case .sha384: (CALG_SHA_384, 384)
        case .other: (0, 0)
        }
        aiExch = switch info.keyExchange {
        case .ecdhe: CALG_ECDH_EPHEM
        case .dhe: CALG_DH_EPHEM
        case .rsa: CALG_RSA_KEYX
        case .other: 0
        }
        dwExchStrength = UInt32(info.keyExchangeBits)
    }

    /// The structure's 28 bytes, in field order.
    public var structure: [UInt8] {
        [dwProtocol, aiCipher, dwCipherStrength, aiHash, dwHashStrength, aiExch, dwExchStrength].flatMap(LittleEndian.bytes)
    }
}
