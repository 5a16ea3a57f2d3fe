internal import CWinsockCE
import WinsockSSL

/// How a Winsock call reports failure: the WSA number in this thread's last error (`WSAGetLastError`),
/// the words in `WinsockCE_GetLastErrorText`, and `SOCKET_ERROR` (or `INVALID_SOCKET`, or NULL) returned.
enum LastError {
    static func set(_ error: WinsockError) {
        WinsockCE_setLastError(error.code.rawValue, error.detail)
    }

    /// Runs `body`; on failure records the error and returns `SOCKET_ERROR`.
    static func reporting(_ body: () throws(WinsockError) -> Int32) -> Int32 {
        do {
            return try body()
        } catch {
            set(error)
            return SOCKET_ERROR
        }
    }

    /// `WSANOTINITIALISED` unless `WSAStartup` has succeeded.
    static func requireStartup(_ call: String) throws(WinsockError) {
        guard WinsockCE_isStarted() != 0 else {
            throw WinsockError(.init(rawValue: WSANOTINITIALISED), "\(call) before WSAStartup")
        }
    }

    static func fault(_ call: String, _ what: String) -> WinsockError {
        WinsockError(.badAddress, "\(call): \(what)")
    }
}
