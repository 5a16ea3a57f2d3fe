internal import COpenSSL

/// Owns one `SSL_CTX`.
final class ContextHandle {
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }
    deinit { SSL_CTX_free(pointer) }
}

/// A configured OpenSSL client context, shared by every connection with the same trust and versions.
///
/// Building a context reads the system trust file, which costs far more than a handshake, so contexts
/// are cached by what they depend on: versions, which trust sources are used, and the generation of
/// `TrustStore.process`.
final class TLSContext: Sendable {
    private let handle: Locked<ContextHandle>

    private struct Key: Hashable {
        var minimum: TLSVersion
        var maximum: TLSVersion
        var system: Bool
        var processGeneration: Int?
        var additional: [Certificate]
    }

    private struct Cache {
        var contexts: [Key: TLSContext] = [:]
        /// The context handed out last: a program connects with one configuration again and again, and
        /// comparing keys is cheaper than hashing one (the trust roots' DER). Arrays that share storage,
        /// as copies of one configuration do, compare without reading their elements.
        var last: (key: Key, context: TLSContext)?
    }

    private static let cache = Locked(Cache())
    private static let cacheLimit = 32

    /// The context for `configuration`, from the cache when possible.
    static func context(for configuration: TLSConfiguration) throws(WinsockError) -> TLSContext {
        let process = configuration.trustsProcessRoots ? TrustStore.process.snapshot : nil
        let key = Key(minimum: configuration.minimumVersion, maximum: configuration.maximumVersion,
                      system: configuration.trustsSystemRoots, processGeneration: process?.generation,
                      additional: configuration.additionalTrustRoots)
        let cached = cache.withLock { cache -> TLSContext? in
            if let last = cache.last, last.key == key { return last.context }
            guard let found = cache.contexts[key] else { return nil }
            cache.last = (key, found)
            return found
        }
        if let cached { return cached }
        let roots = (process?.roots ?? []) + configuration.additionalTrustRoots
        let context = try TLSContext(configuration: configuration, roots: roots)
        cache.withLock {
            if $0.contexts.count >= cacheLimit { $0.contexts.removeAll() }
            $0.contexts[key] = context
            $0.last = (key, context)
        }
        return context
    }

    private init(configuration: TLSConfiguration, roots: [Certificate]) throws(WinsockError) {
        guard configuration.minimumVersion <= configuration.maximumVersion else {
            throw WinsockError(.invalidArgument, "minimum TLS version \(configuration.minimumVersion) is above the maximum \(configuration.maximumVersion)")
        }
        OpenSSLErrorQueue.clear()
        guard let pointer = SSL_CTX_new(TLS_client_method()) else {
            throw Self.failure("SSL_CTX_new")
        }
        let context = ContextHandle(pointer)
        guard shim_SSL_CTX_set_min_proto_version(pointer, configuration.minimumVersion.openSSLValue) == 1,
              shim_SSL_CTX_set_max_proto_version(pointer, configuration.maximumVersion.openSSLValue) == 1 else {
            throw Self.failure("SSL_CTX_set_min/max_proto_version")
        }
        _ = SSL_CTX_set_options(pointer, shim_SSL_OP_NO_COMPRESSION() | shim_SSL_OP_NO_RENEGOTIATION())
        // Partial writes let a blocked writer resume where the kernel stopped; the moving-buffer mode lets
        // a retry pass the same bytes from a different address.
        _ = shim_SSL_CTX_set_mode(pointer, Int(SSL_MODE_ENABLE_PARTIAL_WRITE) | Int(SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER) | Int(SSL_MODE_RELEASE_BUFFERS))
        // Read ahead: one recv per record instead of two (header, then body). A larger read buffer cut the
        // calls further but cost more: OpenSSL 3.0 moves the unread rest of its buffer to the front before
        // each record, so a 64 KiB buffer copied about 1.5 times the data (callgrind, line workload).
        // Released buffers keep an idle connection from holding one; `TLSSession.bytesAvailable` counts
        // records read ahead but not yet decrypted.
        shim_SSL_CTX_set_read_ahead(pointer, 1)
        if configuration.trustsSystemRoots {
            // Honours SSL_CERT_FILE and SSL_CERT_DIR.
            guard SSL_CTX_set_default_verify_paths(pointer) == 1 else {
                throw Self.failure("SSL_CTX_set_default_verify_paths")
            }
        }
        let store = SSL_CTX_get_cert_store(pointer)
        for root in roots {
            guard let x509 = root.makeX509() else {
                throw WinsockError(.invalidArgument, "a trusted root could not be loaded: \(root)")
            }
            defer { X509_free(x509) }
            // A root that is already present is not an error.
            if X509_STORE_add_cert(store, x509) != 1 { OpenSSLErrorQueue.clear() }
        }
        // Verification runs through one callback that can consult a CE hook or a Swift closure
        // instead of failing the handshake at the first error.
        SSL_CTX_set_verify(pointer, SSL_VERIFY_PEER, nil)
        SSL_CTX_set_cert_verify_callback(pointer, certificateVerifyCallback, nil)
        handle = Locked(context)
    }

    /// A new `SSL` object for one connection; the caller owns it.
    func makeConnection() throws(WinsockError) -> SSLHandle {
        let pointer: OpaquePointer? = handle.withLock { context in
            OpenSSLErrorQueue.clear()
            return SSL_new(context.pointer)
        }
        guard let pointer else { throw Self.failure("SSL_new") }
        return SSLHandle(pointer)
    }

    static func failure(_ call: String) -> WinsockError {
        let errors = OpenSSLErrorQueue.drain()
        let detail = errors.isEmpty ? "" : ": " + errors.joined(separator: "; ")
        return WinsockError(.noBufferSpace, "\(call) failed\(detail)")
    }
}

/// Owns one `SSL`.
final class SSLHandle {
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }
    deinit { SSL_free(pointer) }
}

extension Certificate {
    /// A new `X509` for this certificate; the caller frees it.
    func makeX509() -> OpaquePointer? {
        derEncoded.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_X509(nil, &cursor, buffer.count)
        }
    }
}
