internal import CWinsockCE
import WinsockSSL

/// The sockets C programs hold, by their Winsock handle.
///
/// A `SOCKET` is an unsigned handle, never 0 and never `INVALID_SOCKET`; here handles are multiples of 4
/// from 0x100 upwards (as Windows handles are multiples of 4), not reused while the process runs, so a
/// handle used after `closesocket` fails with `WSAENOTSOCK` instead of reaching a newer socket.
final class SocketTable: Sendable {
    static let shared = SocketTable()

    /// One open socket and what Winsock keeps beside the provider's state.
    final class OpenSocket: Sendable {
        let socket: WinsockSocket
        let handle: SOCKET
        private let blocking = Locked(true)
        private let closing = Locked(false)

        init(socket: WinsockSocket, handle: SOCKET) {
            self.socket = socket
            self.handle = handle
        }

        /// True once `closesocket` has taken the handle, before the socket is shut down, so a call that was
        /// waiting on it can tell that its end came from `closesocket`.
        var isClosing: Bool {
            get { closing.withLock { $0 } }
            set { closing.withLock { $0 = newValue } }
        }

        /// False after `ioctlsocket(FIONBIO)` with a nonzero argument.
        var isBlocking: Bool {
            get { blocking.withLock { $0 } }
            set { blocking.withLock { $0 = newValue } }
        }
    }

    private struct State {
        var sockets: [SOCKET: OpenSocket] = [:]
        var nextHandle: SOCKET = 0x100
    }

    private let state = Locked(State())

    func add(_ socket: WinsockSocket) -> SOCKET {
        state.withLock { state in
            let handle = state.nextHandle
            state.nextHandle += 4
            state.sockets[handle] = OpenSocket(socket: socket, handle: handle)
            return handle
        }
    }

    /// The socket for `handle`; `WSAENOTSOCK` when there is none.
    func socket(_ handle: SOCKET, for call: String) throws(WinsockError) -> OpenSocket {
        guard let open = state.withLock({ $0.sockets[handle] }) else {
            throw WinsockError(.notSocket, "\(call): \(HexFormat.pointer(UInt64(handle))) is not an open socket")
        }
        return open
    }

    /// Removes `handle` and returns its socket; `WSAENOTSOCK` when there is none.
    func remove(_ handle: SOCKET, for call: String) throws(WinsockError) -> OpenSocket {
        guard let open = state.withLock({ $0.sockets.removeValue(forKey: handle) }) else {
            throw WinsockError(.notSocket, "\(call): \(HexFormat.pointer(UInt64(handle))) is not an open socket")
        }
        open.isClosing = true
        return open
    }
}
