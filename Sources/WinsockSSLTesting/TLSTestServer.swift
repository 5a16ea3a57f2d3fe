internal import COpenSSL
import Foundation
import WinsockSSL

/// A TLS protocol version a `TLSTestServer` may negotiate.
public enum TLSServerVersion: Int, Sendable, Comparable, CaseIterable {
    case tls1, tls1_1, tls1_2, tls1_3

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    var openSSLValue: Int32 {
        switch self {
        case .tls1: TLS1_VERSION
        case .tls1_1: TLS1_1_VERSION
        case .tls1_2: TLS1_2_VERSION
        case .tls1_3: TLS1_3_VERSION
        }
    }
}

/// What a `TLSTestServer` presents and accepts. Certificates and keys are PEM text, usually made at run time.
public struct TLSServerConfiguration: Sendable {
    /// The leaf certificate, then any intermediates, as PEM.
    public var certificateChainPEM: String
    /// The leaf's private key as PEM (PKCS#8 or a traditional format).
    public var privateKeyPEM: String
    /// Below TLS 1.2 the server also drops OpenSSL's security level to 0 (`@SECLEVEL=0`), without which
    /// OpenSSL 3 refuses TLS 1.0 and 1.1 whatever the version range says.
    public var minimumVersion: TLSServerVersion = .tls1_2
    public var maximumVersion: TLSServerVersion = .tls1_3
    /// TLS 1.3 suites, OpenSSL syntax (`TLS_AES_128_GCM_SHA256:…`). Maps to `SSL_CTX_set_ciphersuites`.
    public var cipherSuites: String?
    /// TLS 1.2 and older ciphers, OpenSSL syntax. Maps to `SSL_CTX_set_cipher_list`.
    public var ciphers: String?
    /// Bounds every single receive and send on a connection, so a silent client cannot hang a test.
    public var ioTimeout: Duration = .seconds(10)

    public init(certificateChainPEM: String, privateKeyPEM: String,
                minimumVersion: TLSServerVersion = .tls1_2, maximumVersion: TLSServerVersion = .tls1_3,
                cipherSuites: String? = nil, ciphers: String? = nil, ioTimeout: Duration = .seconds(10)) {
        self.certificateChainPEM = certificateChainPEM
        self.privateKeyPEM = privateKeyPEM
        self.minimumVersion = minimumVersion
        self.maximumVersion = maximumVersion
        self.cipherSuites = cipherSuites
        self.ciphers = ciphers
        self.ioTimeout = ioTimeout
    }
}

/// A failure inside a test server, with OpenSSL's error queue text where OpenSSL failed.
public struct TLSTestServerError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The configuration was rejected (bad PEM, mismatched key, unknown cipher).
        case configuration
        /// The TLS handshake failed or the peer left during it.
        case handshake
        /// A TLS read or write failed after the handshake.
        case tls
        /// The peer closed the connection before the expected data arrived.
        case unexpectedEndOfStream
        /// A method was called in the wrong phase (plain-text call after `startTLS`, or the reverse).
        case misuse
        /// The client started a TLS handshake where the server expected plain text.
        case unexpectedTLS
    }

    public var kind: Kind
    public var message: String
    public var description: String { message }

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}

/// An in-process TLS server on loopback, for tests.
///
/// Each accepted connection gets its own thread running the handler, starting in plain text (see
/// `TLSServerConnection`). `stop()` ends everything; it also runs when the server is released.
public final class TLSTestServer: Sendable {
    public typealias Handler = @Sendable (TLSServerConnection) throws -> Void

    /// The port the server listens on (picked by the system).
    public let port: UInt16
    /// The address and port to connect to.
    public let endpoint: SocketEndpoint

    private let listener: ListeningSocket
    private let registry: ConnectionRegistry
    private let threads = DispatchGroup()
    /// Routes made by `route(host:port:)`, undone by `stop()`; nil once stopped.
    private let routes = Locked<[LoopbackRoute]?>([])

    /// Longest `stop()` waits for handler threads, which a handler that is not blocked in I/O can outlast.
    private static let stopTimeout: DispatchTimeInterval = .seconds(10)

    /// Starts listening on `address` and `port` (0: one the system picks) and serves each accepted connection
    /// on its own thread with `handler`.
    public init(configuration: TLSServerConfiguration, address: String = "127.0.0.1", port: UInt16 = 0,
                handler: @escaping Handler) throws {
        guard let internetAddress = InternetAddress(parsing: address) else {
            throw TLSTestServerError(.configuration, "'\(address)' is not an IP address")
        }
        let context = try ServerContext(configuration)
        listener = try ListeningSocket(on: SocketEndpoint(address: internetAddress, port: port))
        endpoint = listener.localEndpoint
        self.port = endpoint.port
        registry = ConnectionRegistry()

        let listener = self.listener, registry = self.registry, threads = self.threads
        let timeout = configuration.ioTimeout
        threads.enter()
        let acceptThread = Thread {
            defer { threads.leave() }
            while !registry.isStopped {
                let socket: StreamSocket
                do throws(WinsockError) {
                    // The timeout is only a safety net: closing the listener wakes `accept` at once.
                    socket = try listener.accept(timeout: .milliseconds(250))
                } catch {
                    if error.code == .timedOut { continue }
                    registry.record("accept failed: \(error)")
                    return
                }
                socket.receiveTimeout = timeout
                socket.sendTimeout = timeout
                let connection = TLSServerConnection(socket: socket, context: context, registry: registry)
                guard registry.add(connection) else {
                    connection.reset()
                    return
                }
                threads.enter()
                let handlerThread = Thread {
                    defer {
                        connection.close()
                        registry.remove(connection)
                        threads.leave()
                    }
                    do {
                        try handler(connection)
                    } catch let error as TLSTestServerError where error.kind == .handshake {
                        // Already recorded by startTLS.
                    } catch {
                        registry.record("handler threw: \(error)")
                    }
                }
                handlerThread.name = "TLSTestServer connection from \(connection.remoteEndpoint.map { "\($0)" } ?? "?")"
                handlerThread.start()
            }
        }
        acceptThread.name = "TLSTestServer accept on \(endpoint)"
        acceptThread.start()
    }

    deinit {
        stop()
    }

    /// Undoes the routes, closes the listener and every open connection, then waits (at most 10 s) for the
    /// handler threads.
    ///
    /// Handlers blocked in I/O fail at once; what they throw after `stop()` is not recorded in `errors`.
    /// Calling `stop()` again only waits again.
    public func stop() {
        for route in routes.withLock({ routes in defer { routes = nil }; return routes ?? [] }) {
            LoopbackRoutes.remove(route)
        }
        let open = registry.stop()
        listener.close()
        for connection in open { connection.close() }
        if threads.wait(timeout: .now() + Self.stopTimeout) == .timedOut {
            registry.record("stop(): a handler thread was still running after \(Self.stopTimeout)", evenIfStopped: true)
        }
    }

    /// Sends a ported program that connects to `host` on `port` to this server, until `stop()`.
    ///
    /// `host` gets a loopback address that no other route in this process has had (127.x.y.z) in
    /// `HostsTable.shared`, and connections to that address and `port` are redirected to this server
    /// (`EndpointRedirects.shared`); `stop()` undoes both. Tests that each route their own server therefore
    /// run in parallel without reaching each other's servers, even on the same port. One name has one
    /// `HostsTable` entry per process: while another server holds a route for `host`, this call waits for it
    /// (at most `bound`, then throws). An IPv4 literal as `host` is redirected as it is, leased the same way.
    ///
    /// ```swift
    /// let server = try ScriptedSTARTTLSServer(transcript: .blog2009, configuration: .init(serving: certificate))
    /// defer { server.stop() }
    /// try server.route(host: "smtp.live.com", port: 587)
    /// try runThePortedCode()    // resolves smtp.live.com and connects to port 587, unchanged
    /// ```
    @discardableResult
    public func route(host: String, port: UInt16, waitingAtMost bound: Duration = .seconds(60)) throws -> LoopbackRoute {
        guard routes.withLock({ $0 != nil }) else {
            throw TLSTestServerError(.misuse, "route(host:port:) after stop()")
        }
        let route = try LoopbackRoutes.add(host: host, port: port, destination: endpoint, bound: bound)
        let kept = routes.withLock { routes -> Bool in
            guard routes != nil else { return false }
            routes!.append(route)
            return true
        }
        if !kept {
            LoopbackRoutes.remove(route)
            throw TLSTestServerError(.misuse, "the server was stopped while route(host:port:) waited")
        }
        return route
    }

    /// The routes in place, in the order they were made.
    public var activeRoutes: [LoopbackRoute] { routes.withLock { $0 ?? [] } }

    /// Errors thrown by handlers and handshake failures, in the order they happened.
    public var errors: [String] { registry.errors }

    /// How many `startTLS()` calls completed a handshake.
    public var handshakesCompleted: Int { registry.handshakesCompleted }

    // MARK: Ready-made handlers

    /// Performs the handshake at once, then echoes decrypted bytes until the client closes, then sends close_notify.
    public static func echo(_ connection: TLSServerConnection) throws {
        try connection.startTLS()
        while true {
            let bytes = try connection.read(max: 16 * 1024)
            if bytes.isEmpty { break }
            try connection.write(bytes)
        }
        connection.closeNotify()
    }

    /// Wraps `body` so that it runs after an immediate handshake, for servers without a plain-text prelude.
    public static func immediateTLS(_ body: @escaping Handler) -> Handler {
        { connection in
            try connection.startTLS()
            try body(connection)
        }
    }
}

/// The state shared by a server, its accept thread and its connections.
final class ConnectionRegistry: Sendable {
    private struct State {
        var isStopped = false
        var connections: [ObjectIdentifier: TLSServerConnection] = [:]
        var errors: [String] = []
        var handshakesCompleted = 0
    }

    private let state = Locked(State())

    var isStopped: Bool { state.withLock { $0.isStopped } }
    var errors: [String] { state.withLock { $0.errors } }
    var handshakesCompleted: Int { state.withLock { $0.handshakesCompleted } }

    /// False when the server has stopped; the caller then owns closing `connection`.
    func add(_ connection: TLSServerConnection) -> Bool {
        state.withLock {
            guard !$0.isStopped else { return false }
            $0.connections[ObjectIdentifier(connection)] = connection
            return true
        }
    }

    func remove(_ connection: TLSServerConnection) {
        _ = state.withLock { $0.connections.removeValue(forKey: ObjectIdentifier(connection)) }
    }

    /// Marks the server stopped and hands back the connections still open.
    func stop() -> [TLSServerConnection] {
        state.withLock { state in
            state.isStopped = true
            defer { state.connections.removeAll() }
            return Array(state.connections.values)
        }
    }

    /// Errors after `stop()` are usually the stop itself (a closed socket), so they are dropped.
    func record(_ message: String, evenIfStopped: Bool = false) {
        state.withLock {
            if !$0.isStopped || evenIfStopped { $0.errors.append(message) }
        }
    }

    func recordHandshake() {
        state.withLock { $0.handshakesCompleted += 1 }
    }
}

/// An `SSL_CTX` configured for serving; each connection's `TLSEngine` is made from it (`ServerTLSSession`).
///
/// `@unchecked Sendable` is safe because the context is configured completely in `init` and afterwards only
/// passed to `SSL_new`, which OpenSSL allows from several threads at once.
final class ServerContext: @unchecked Sendable {
    let pointer: OpaquePointer

    init(_ configuration: TLSServerConfiguration) throws(TLSTestServerError) {
        OpenSSLErrors.clear()
        guard let context = SSL_CTX_new(TLS_server_method()) else {
            throw TLSTestServerError(.configuration, "SSL_CTX_new failed: \(OpenSSLErrors.drain())")
        }
        do {
            try Self.configure(context, configuration)
        } catch {
            SSL_CTX_free(context)
            throw error
        }
        pointer = context
    }

    deinit {
        SSL_CTX_free(pointer)
    }

    private static func configure(_ context: OpaquePointer, _ configuration: TLSServerConfiguration) throws(TLSTestServerError) {
        func check(_ ok: Bool, _ what: String) throws(TLSTestServerError) {
            if !ok { throw TLSTestServerError(.configuration, "\(what) failed: \(OpenSSLErrors.drain())") }
        }
        guard configuration.minimumVersion <= configuration.maximumVersion else {
            throw TLSTestServerError(.configuration, "minimumVersion \(configuration.minimumVersion) is above maximumVersion \(configuration.maximumVersion)")
        }
        try check(shim_SSL_CTX_set_min_proto_version(context, configuration.minimumVersion.openSSLValue) == 1, "SSL_CTX_set_min_proto_version")
        try check(shim_SSL_CTX_set_max_proto_version(context, configuration.maximumVersion.openSSLValue) == 1, "SSL_CTX_set_max_proto_version")
        TLSEngine.prepareServerContext(context)

        var cipherList = configuration.ciphers
        if configuration.minimumVersion < .tls1_2 {
            // OpenSSL 3 keeps TLS 1.0/1.1 (SHA-1 signatures) only at security level 0.
            SSL_CTX_set_security_level(context, 0)
            cipherList = (cipherList ?? "DEFAULT") + ":@SECLEVEL=0"
        }
        if let cipherList {
            try check(SSL_CTX_set_cipher_list(context, cipherList) == 1, "SSL_CTX_set_cipher_list(\(cipherList))")
        }
        if let suites = configuration.cipherSuites {
            try check(SSL_CTX_set_ciphersuites(context, suites) == 1, "SSL_CTX_set_ciphersuites(\(suites))")
        }

        let certificates = try readPEM(configuration.certificateChainPEM, what: "certificate") { PEM_read_bio_X509($0, nil, nil, nil) } free: { X509_free($0) }
        defer { certificates.forEach { X509_free($0) } }
        guard let leaf = certificates.first else {
            throw TLSTestServerError(.configuration, "certificateChainPEM holds no certificate")
        }
        try check(SSL_CTX_use_certificate(context, leaf) == 1, "SSL_CTX_use_certificate")
        for intermediate in certificates.dropFirst() {
            try check(shim_SSL_CTX_add1_chain_cert(context, intermediate) == 1, "SSL_CTX_add1_chain_cert")
        }

        let keys = try readPEM(configuration.privateKeyPEM, what: "private key", limit: 1) { PEM_read_bio_PrivateKey($0, nil, nil, nil) } free: { EVP_PKEY_free($0) }
        defer { keys.forEach { EVP_PKEY_free($0) } }
        guard let key = keys.first else {
            throw TLSTestServerError(.configuration, "privateKeyPEM holds no private key")
        }
        try check(SSL_CTX_use_PrivateKey(context, key) == 1, "SSL_CTX_use_PrivateKey")
        try check(SSL_CTX_check_private_key(context) == 1, "SSL_CTX_check_private_key (key does not match the leaf certificate)")
    }

    /// Reads every PEM object of one kind from `text`; the caller frees them with `free`. Maps to `PEM_read_bio_*`.
    /// At most `limit` objects are read: past the last object, OpenSSL 3's key decoders report "unsupported"
    /// rather than the "no start line" that marks a clean end.
    private static func readPEM(_ text: String, what: String, limit: Int = .max, _ read: (OpaquePointer) -> OpaquePointer?,
                                free: (OpaquePointer) -> Void) throws(TLSTestServerError) -> [OpaquePointer] {
        let bytes = Array(text.utf8)
        let outcome = bytes.withUnsafeBytes { buffer -> Result<[OpaquePointer], TLSTestServerError> in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else {
                return .failure(TLSTestServerError(.configuration, "BIO_new_mem_buf failed: \(OpenSSLErrors.drain())"))
            }
            defer { BIO_free(bio) }
            var objects: [OpaquePointer] = []
            while objects.count < limit, let object = read(bio) { objects.append(object) }
            // The loop ends with "no start line" at the end of the text, which is expected; any other
            // error means a damaged block.
            if let bad = OpenSSLErrors.drainCodes().first(where: { ERR_GET_REASON($0) != PEM_R_NO_START_LINE }) {
                objects.forEach(free)
                return .failure(TLSTestServerError(.configuration, "reading the \(what) PEM failed: \(OpenSSLErrors.text(bad))"))
            }
            return .success(objects)
        }
        return try outcome.get()
    }
}

/// OpenSSL's per-thread error queue, cleared before each call and drained into error messages.
enum OpenSSLErrors {
    static func clear() { ERR_clear_error() }

    static func drainCodes() -> [UInt] {
        var codes: [UInt] = []
        while case let code = ERR_get_error(), code != 0 { codes.append(code) }
        return codes
    }

    static func text(_ code: UInt) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The queue as one line ("no OpenSSL error" when empty).
    static func drain() -> String {
        let codes = drainCodes()
        return codes.isEmpty ? "no OpenSSL error" : codes.map(text).joined(separator: "; ")
    }
}
