import Foundation
import WinsockSSL

/// The TLS side of one `TLSServerConnection`: WinsockSSL's `TLSEngine` in its server role, driven over the
/// connection's blocking socket.
///
/// The engine is the one every client socket of the package runs on (the same BIO, buffers and error
/// classification); this type only moves bytes. Each `recv` and `send` is one blocking call bounded by the
/// socket's own timeouts (the server's `ioTimeout`), and `close()` on the socket from another thread wakes it.
///
/// Not `Sendable`: it lives inside its connection's lock.
final class ServerTLSSession {
    enum Outcome {
        /// The step succeeded; for reads and writes, with this many bytes.
        case done(Int)
        /// The client sent close_notify.
        case closedByPeer
        /// The TCP connection ended without close_notify.
        case endOfStream
    }

    private let engine: TLSEngine
    private let socket: StreamSocket
    /// Bytes read from the socket in plain text that belong to the handshake (a ClientHello read together
    /// with the last plain-text line), handed to the engine before anything more is received.
    private var unfedInput: ArraySlice<UInt8>

    /// A server session on `socket` for `context`, starting with `initialBytes` already received.
    init(context: ServerContext, socket: StreamSocket, initialBytes: [UInt8]) throws(TLSTestServerError) {
        do {
            engine = try TLSEngine(serving: context.pointer)
        } catch {
            throw TLSTestServerError(.handshake, error.detail)
        }
        self.socket = socket
        unfedInput = initialBytes[...]
    }

    /// The negotiated protocol name ("TLSv1.3"). Maps to `SSL_get_version`.
    var version: String { engine.protocolName }

    /// The negotiated cipher name. Maps to `SSL_CIPHER_get_name`.
    var cipher: String? { engine.cipherName }

    /// The name the client sent as SNI. Maps to `SSL_get_servername`.
    var serverName: String? { engine.requestedServerName }

    /// Whether received bytes wait in the session, which a `poll` on the socket cannot see.
    var hasBufferedInput: Bool { !unfedInput.isEmpty || engine.hasBufferedInput }

    /// Performs the server handshake. Maps to `SSL_do_handshake` in accept state.
    func handshake() throws -> Outcome {
        try perform("SSL_accept") { $0.handshake() }
    }

    /// Decrypts into `buffer`, receiving until at least one byte is decrypted. Maps to `SSL_read_ex`.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Outcome {
        try perform("SSL_read") { $0.read(into: buffer) }
    }

    /// Encrypts and sends some of `bytes` (a few records); `.done` says how many. Maps to `SSL_write_ex`.
    func write(_ bytes: UnsafeRawBufferPointer) throws -> Outcome {
        try perform("SSL_write") { $0.write(bytes) }
    }

    /// Sends close_notify without waiting for the client's. Maps to `SSL_shutdown`.
    func sendCloseNotify() throws {
        engine.shutdown()
        try flush()
    }

    /// Steps the engine with `step` until it completes: sends what it wrote, receives what it wants to read.
    private func perform(_ name: String, _ step: (TLSEngine) -> TLSEngine.Status) throws -> Outcome {
        while true {
            let status = step(engine)
            if case .failed(let failure) = status {
                // A fatal error still leaves an alert in the output side, which the client should get.
                try? flush()
                if case .endOfStream = failure { return .endOfStream }
                throw TLSTestServerError(.tls, "\(name) failed: \(Self.describe(failure))")
            }
            try flush()
            switch status {
            case .complete(let count): return .done(count)
            case .closed: return .closedByPeer
            case .needsInput: try receive()
            case .needsOutputSpace, .failed: continue
            }
        }
    }

    /// Sends everything the engine has written for the client.
    private func flush() throws {
        while engine.hasOutput {
            let output = engine.pendingOutput()
            try socket.sendAll(output)
            engine.consumeOutput(output.count)
        }
    }

    /// Gives the engine the bytes kept from the plain-text phase, else what one `recv` brings (end of stream
    /// when the client closed).
    private func receive() throws {
        let space = engine.inputSpace()
        // Empty only when the buffer could not be allocated; the engine has then failed, and says so next step.
        guard space.count > 0 else { return }
        if !unfedInput.isEmpty {
            let count = min(space.count, unfedInput.count)
            space.copyBytes(from: unfedInput.prefix(count))
            unfedInput.removeFirst(count)
            _ = engine.commitInput(count)
            return
        }
        let count: Int
        do {
            count = try socket.receive(into: space)
        } catch {
            _ = engine.commitInput(0)
            throw error
        }
        if count == 0 {
            _ = engine.commitInput(0)
            engine.endInput()
        } else {
            _ = engine.commitInput(count)
        }
    }

    /// OpenSSL's queued errors as one line, as in every message of the test servers.
    private static func describe(_ failure: TLSEngine.Failure) -> String {
        switch failure {
        case .openSSL(_, let errors) where errors.isEmpty: "no OpenSSL error"
        case .openSSL(_, let errors): errors.map(\.text).joined(separator: "; ")
        case .transport(let error): String(cString: strerror(error))
        case .endOfStream: "the client closed the connection without a TLS close_notify alert"
        case .plaintext(let bytes): "the client sent \(bytes.count) bytes that are not TLS"
        }
    }
}
