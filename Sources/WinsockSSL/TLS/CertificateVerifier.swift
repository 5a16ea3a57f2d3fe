internal import COpenSSL

/// Decides, during one handshake, whether the server's certificate is accepted.
///
/// OpenSSL calls `certificateVerifyCallback` once per handshake instead of its own chain check; the
/// callback runs the chain check itself, then the name check, then hands both verdicts to the
/// configured decision (standard rules, a Swift closure, or a Windows CE certificate hook). A rejection
/// is recorded here with its reason so the handshake error can say exactly why.
final class CertificateVerifier: Sendable {
    let peerName: String?
    let verification: CertificateVerification
    private let rejection = Locked<WinsockError?>(nil)

    /// Why the certificate was rejected, if it was.
    var failure: WinsockError? { rejection.withLock { $0 } }

    init(peerName: String?, verification: CertificateVerification) {
        self.peerName = peerName
        self.verification = verification
    }

    /// Runs the checks for the chain in `store`; true accepts the certificate.
    func verify(_ store: OpaquePointer) -> Bool {
        let chainVerified = X509_verify_cert(store) == 1
        let errorNumber = X509_STORE_CTX_get_error(store)
        let chainFailure: String? = chainVerified ? nil : String(cString: X509_verify_cert_error_string(Int(errorNumber)))
        OpenSSLErrorQueue.clear()

        let untrusted = X509_STORE_CTX_get0_untrusted(store)
        let leaf = untrusted.flatMap { shim_sk_X509_num($0) > 0 ? shim_sk_X509_value($0, 0) : nil } ?? X509_STORE_CTX_get0_cert(store)
        // Standard verification that accepts needs no copy of the chain: the name is checked on OpenSSL's
        // own parse of the leaf. Copying it (`i2d_X509` and reading every field) cost about 65 K
        // instructions per handshake, about 1 % of a whole client handshake (callgrind).
        if case .standard = verification, chainVerified, let leaf, peerName.map({ Certificate.matches(leaf, hostName: $0) }) ?? true {
            return true
        }

        var presented: [Certificate] = []
        if let untrusted {
            for index in 0..<shim_sk_X509_num(untrusted) {
                if let x509 = shim_sk_X509_value(untrusted, index), let certificate = try? Certificate(borrowing: x509) {
                    presented.append(certificate)
                }
            }
        }
        if presented.isEmpty, let leaf = X509_STORE_CTX_get0_cert(store), let certificate = try? Certificate(borrowing: leaf) {
            presented.append(certificate)
        }
        guard !presented.isEmpty else {
            rejection.withLock { $0 = WinsockError(.connectionAborted, "the server presented no readable certificate") }
            return false
        }
        let nameMatches = peerName.map { presented[0].matches(hostName: $0) }
        let context = CertificateVerificationContext(presentedChain: presented, chainFailure: chainFailure,
                                                     peerName: peerName, peerNameMatches: nameMatches)

        let verdict: CertificateVerdict
        switch verification {
        case .standard:
            if let chainFailure {
                verdict = .reject(reason: chainFailure)
            } else if nameMatches == false {
                verdict = .reject(reason: "the certificate does not match the name \"\(peerName ?? "")\"")
            } else {
                verdict = .accept
            }
        case .custom(let decide):
            verdict = decide(context)
        }

        switch verdict {
        case .accept:
            if !chainVerified { X509_STORE_CTX_set_error(store, X509_V_OK) }
            return true
        case .reject(let reason, let hookResult):
            var detail = "the server certificate (\(presented[0])) was rejected: \(reason)"
            if let chainFailure, !reason.contains(chainFailure) { detail += " (chain verification: \(chainFailure))" }
            let failure = WinsockError(.connectionAborted, detail, certificateHookResult: hookResult,
                                       verificationFailure: chainFailure ?? (nameMatches == false ? "host name mismatch" : nil))
            rejection.withLock { $0 = failure }
            if chainVerified { X509_STORE_CTX_set_error(store, X509_V_ERR_APPLICATION_VERIFICATION) }
            return false
        }
    }
}

/// The ex-data slot of an `SSL` that points to its `CertificateVerifier` during a handshake.
let verifierSlot: Int32 = shim_SSL_get_ex_new_index()

/// Installed on every context by `TLSContext`; finds the handshake's verifier through the `SSL` it belongs to.
let certificateVerifyCallback: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Int32 = { store, _ in
    guard let store,
          let ssl = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()),
          let verifier = SSL_get_ex_data(OpaquePointer(ssl), verifierSlot) else {
        return 0
    }
    return Unmanaged<CertificateVerifier>.fromOpaque(verifier).takeUnretainedValue().verify(store) ? 1 : 0
}
