internal import COpenSSL

/// What a completed handshake negotiated.
public struct TLSSessionInfo: Sendable, Hashable, CustomStringConvertible {
    public let version: TLSVersion
    /// The IANA/OpenSSL name of the cipher suite, such as `TLS_AES_256_GCM_SHA384` or `ECDHE-ECDSA-AES128-GCM-SHA256`.
    public let cipherSuite: String
    public let bulkCipher: BulkCipher
    /// The cipher's key size in bits.
    public let cipherBits: Int
    /// The hash of the handshake (the PRF / HKDF hash).
    public let hash: Hash
    public let keyExchange: KeyExchange
    /// Size of the key exchange group in bits (for example 253 for X25519, 256 for P-256).
    public let keyExchangeBits: Int
    /// The server's certificate.
    public let peerCertificate: Certificate?

    public enum BulkCipher: Sendable, Hashable { case aes128, aes256, chacha20Poly1305, other(String) }
    public enum Hash: Sendable, Hashable { case sha256, sha384, other(String) }
    public enum KeyExchange: Sendable, Hashable { case ecdhe, dhe, rsa, other(String) }

    public var description: String { "\(version), \(cipherSuite)" }

    init?(handle: SSLHandle) {
        let ssl = handle.pointer
        guard SSL_is_init_finished(ssl) == 1, let cipher = SSL_get_current_cipher(ssl) else { return nil }
        switch SSL_version(ssl) {
        case TLS1_3_VERSION: version = .tls1_3
        case TLS1_2_VERSION: version = .tls1_2
        default: return nil
        }
        cipherSuite = String(cString: SSL_CIPHER_get_name(cipher))
        cipherBits = Int(SSL_CIPHER_get_bits(cipher, nil))
        switch SSL_CIPHER_get_cipher_nid(cipher) {
        case NID_aes_128_gcm, NID_aes_128_cbc, NID_aes_128_ccm: bulkCipher = .aes128
        case NID_aes_256_gcm, NID_aes_256_cbc, NID_aes_256_ccm: bulkCipher = .aes256
        case NID_chacha20_poly1305: bulkCipher = .chacha20Poly1305
        case let nid: bulkCipher = .other(String(cString: OBJ_nid2sn(nid)))
        }
        if let digest = SSL_CIPHER_get_handshake_digest(cipher) {
            switch EVP_MD_get_type(digest) {
            case NID_sha256: hash = .sha256
            case NID_sha384: hash = .sha384
            case let nid: hash = .other(String(cString: OBJ_nid2sn(nid)))
            }
        } else {
            hash = .other("none")
        }
        switch SSL_CIPHER_get_kx_nid(cipher) {
        case NID_kx_ecdhe, NID_kx_ecdhe_psk: keyExchange = .ecdhe
        case NID_kx_dhe, NID_kx_dhe_psk: keyExchange = .dhe
        case NID_kx_rsa: keyExchange = .rsa
        case NID_kx_any:
            // TLS 1.3 suites do not name the exchange; it is always (EC)DHE, told apart by the group.
            keyExchange = .ecdhe
        case let nid: keyExchange = .other(String(cString: OBJ_nid2sn(nid)))
        }
        var key: OpaquePointer?
        if shim_SSL_get_peer_tmp_key(ssl, &key) == 1, let key {
            keyExchangeBits = Int(EVP_PKEY_get_bits(key))
            EVP_PKEY_free(key)
        } else {
            keyExchangeBits = 0
        }
        if let x509 = SSL_get1_peer_certificate(ssl) {
            peerCertificate = try? Certificate(borrowing: x509)
            X509_free(x509)
        } else {
            peerCertificate = nil
        }
        OpenSSLErrorQueue.clear()
    }
}
