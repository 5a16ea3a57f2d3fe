/// How a TLS client connection is set up and how it decides to trust the server.
public struct TLSConfiguration: Sendable {
    /// The name the server certificate must carry (RFC 6125: DNS names in the subject alternative names,
    /// wildcards in the left-most label only; IP addresses as IP entries). Also sent as SNI unless it is an
    /// IP address. With `.standard` verification and no peer name, the handshake is refused before it starts.
    public var peerName: String?
    /// Trust the operating system's roots (`/etc/ssl/certs`, or `SSL_CERT_FILE` / `SSL_CERT_DIR` when set).
    public var trustsSystemRoots = true
    /// Trust the roots in `TrustStore.process`.
    public var trustsProcessRoots = true
    /// Roots trusted by this connection only.
    public var additionalTrustRoots: [Certificate] = []
    public var minimumVersion: TLSVersion = .tls1_2
    public var maximumVersion: TLSVersion = .tls1_3
    /// Who decides whether the server's certificate is accepted.
    public var verification: CertificateVerification = .standard
    /// How long the whole handshake may take when neither the socket's send nor receive timeout is set.
    public var defaultHandshakeTimeout: Duration? = .seconds(30)

    public init(peerName: String? = nil) {
        self.peerName = peerName
    }
}

/// Who decides whether a server certificate is accepted.
public enum CertificateVerification: Sendable {
    /// The chain must lead to a trusted root and be valid now, and the certificate must match `peerName`.
    case standard
    /// `decide` sees the certificates and OpenSSL's verdict and has the last word.
    case custom(@Sendable (CertificateVerificationContext) -> CertificateVerdict)
}

/// What a verification closure learns about the server's certificate.
public struct CertificateVerificationContext: Sendable {
    /// The certificates the server sent, its own first.
    public let presentedChain: [Certificate]
    /// The server's certificate.
    public var leaf: Certificate { presentedChain[0] }
    /// Why OpenSSL could not verify the chain against the trusted roots (for example
    /// "certificate has expired", "unable to get local issuer certificate"); nil when it verified.
    public let chainFailure: String?
    /// The name checked, if one was known.
    public let peerName: String?
    /// Whether the certificate matches `peerName` under RFC 6125; nil when no name was known.
    public let peerNameMatches: Bool?

    /// True when the chain verified and the name, if any, matched: what `.standard` verification requires.
    public var isTrusted: Bool { chainFailure == nil && peerNameMatches != false }
}

/// The decision of a verification closure.
public enum CertificateVerdict: Sendable, Equatable {
    case accept
    /// Refuse the certificate; `reason` goes into the error, and `hookResult` carries a Windows CE
    /// `SSL_ERR_*` value when the decision came from a CE certificate hook.
    case reject(reason: String, hookResult: Int32? = nil)
}
