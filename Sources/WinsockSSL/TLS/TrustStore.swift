/// Certificate authorities trusted by this process in addition to the system's: the Windows CE "CA database".
///
/// On CE, trusted roots lived in the device's certificate store; programs and their test rigs added a
/// private CA there. Here `TrustStore.process` plays that part: roots added to it are trusted by every
/// later handshake in the process, next to the system roots (which honour `SSL_CERT_FILE` and
/// `SSL_CERT_DIR`). A single connection can add roots of its own through `TLSConfiguration`.
public final class TrustStore: Sendable {
    /// The roots every connection in this process trusts.
    public static let process = TrustStore()

    private struct State {
        var roots: [Certificate] = []
        var generation = 0
    }

    private let state = Locked(State())

    public init() {}

    /// Trusts `root` from now on.
    public func add(_ root: Certificate) {
        state.withLock {
            guard !$0.roots.contains(root) else { return }
            $0.roots.append(root)
            $0.generation += 1
        }
    }

    /// Trusts every certificate in `pem`. Throws when the text holds no certificate.
    public func add(pemEncoded pem: String) throws(CertificateError) {
        for root in try Certificate.certificates(pemEncoded: pem) { add(root) }
    }

    /// Stops trusting `root`.
    public func remove(_ root: Certificate) {
        state.withLock {
            let before = $0.roots.count
            $0.roots.removeAll { $0 == root }
            if $0.roots.count != before { $0.generation += 1 }
        }
    }

    /// Stops trusting every added root (the system's stay trusted).
    public func removeAll() {
        state.withLock {
            if !$0.roots.isEmpty { $0.generation += 1 }
            $0.roots.removeAll()
        }
    }

    /// The added roots.
    public var roots: [Certificate] { state.withLock { $0.roots } }

    /// Changes each time the set of roots changes, so cached OpenSSL contexts know when to rebuild.
    var snapshot: (roots: [Certificate], generation: Int) { state.withLock { ($0.roots, $0.generation) } }
}
