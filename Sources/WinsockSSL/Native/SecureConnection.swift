/// A TLS client connection, for new Swift code that does not need the Windows CE surface.
///
/// ```swift
/// var configuration = TLSConfiguration()
/// configuration.additionalTrustRoots = [privateRoot]
/// let connection = try SecureConnection.connect(to: "mail.example.com", port: 465, configuration: configuration)
/// try connection.write(Array("EHLO me\r\n".utf8))
/// let reply = try connection.read(upTo: 4096)
/// connection.close()
/// ```
///
/// For STARTTLS, connect a `StreamSocket`, talk plain text, then `upgrade` it. Reads and writes may run
/// on two threads at once.
public final class SecureConnection: Sendable {
    /// The TCP socket underneath; its `receiveTimeout` and `sendTimeout` bound reads, writes and the handshake.
    public let socket: StreamSocket
    private let session: TLSSession

    private init(socket: StreamSocket, session: TLSSession) {
        self.socket = socket
        self.session = session
    }

    /// Resolves `host`, connects to the first address that answers, and performs the handshake.
    /// The peer name defaults to `host`. Blocks until the handshake ends.
    public static func connect(to host: String, port: UInt16, configuration: TLSConfiguration = TLSConfiguration(),
                               connectTimeout: Duration? = nil) throws(WinsockError) -> SecureConnection {
        var lastError = WinsockError(.hostNotFound, "no address for \(host)")
        for address in try NameResolver.resolve(host) {
            let socket = try StreamSocket(family: address.family)
            do throws(WinsockError) {
                try socket.connect(to: SocketEndpoint(address: address, port: port), timeout: connectTimeout)
            } catch {
                socket.close()
                lastError = error
                continue
            }
            do throws(WinsockError) {
                return try upgrade(socket, configuration: configuration, connectName: host)
            } catch {
                socket.close()
                throw error
            }
        }
        throw lastError
    }

    /// Performs the TLS handshake on a connected socket that has so far carried plain text (STARTTLS).
    ///
    /// Refuses, before sending anything, when plain text is already waiting on the socket: after a
    /// STARTTLS go-ahead nothing may follow until TLS starts, so such bytes are injected or broken.
    /// With `.standard` verification a peer name is required.
    public static func upgrade(_ socket: StreamSocket, configuration: TLSConfiguration) throws(WinsockError) -> SecureConnection {
        try upgrade(socket, configuration: configuration, connectName: nil)
    }

    /// `upgrade`, with the name the socket was connected by as the last choice of peer name.
    private static func upgrade(_ socket: StreamSocket, configuration: TLSConfiguration, connectName: String?) throws(WinsockError) -> SecureConnection {
        guard socket.isConnected else { throw WinsockError(.notConnected, "the socket must be connected before the TLS handshake") }
        let preparation = try HandshakePreparation(configuration: configuration, connectName: connectName,
                                                   missingName: "no peer name: set TLSConfiguration.peerName or use a custom verification")
        return SecureConnection(socket: socket, session: try preparation.handshake(on: socket))
    }

    /// What the handshake negotiated.
    public var info: TLSSessionInfo? { session.info }

    /// Reads at least one decrypted byte into `buffer`; 0 after the server's close_notify.
    /// Blocks, bounded by `socket.receiveTimeout`.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(WinsockError) -> Int {
        try session.read(into: buffer, deadline: StreamSocket.deadline(after: socket.receiveTimeout))
    }

    /// Reads at least one and at most `maximum` decrypted bytes; empty after the server's close_notify.
    public func read(upTo maximum: Int) throws(WinsockError) -> [UInt8] {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(maximum, 1), alignment: 1)
        defer { buffer.deallocate() }
        let count = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<maximum]))
        return Array(buffer[0..<count])
    }

    /// Encrypts and sends all of `bytes`. Blocks, bounded by `socket.sendTimeout`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(WinsockError) {
        try session.write(bytes, deadline: StreamSocket.deadline(after: socket.sendTimeout))
    }

    /// Encrypts and sends all of `bytes`.
    public func write(_ bytes: [UInt8]) throws(WinsockError) {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(WinsockError) in try write(raw) }
        }.get()
    }

    /// Sends close_notify and closes the socket.
    public func close() {
        session.sendCloseNotify()
        socket.close()
    }
}
