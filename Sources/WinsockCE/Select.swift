public import CWinsockCE
internal import Glibc
import WinsockSSL

/// Winsock's `select`, over `poll`: `nfds` is ignored, the sets are Winsock's `{ fd_count; fd_array[64] }`,
/// and a secure socket counts as readable only when `recv` would return at once (decrypted data, end of
/// stream or an error), never for a partial TLS record. A socket that was never connected (nor listening) is
/// in no set, as in Winsock, though Linux `poll` reports it hung up (`WinsockSocket.kernelSignalsReadable`).
/// Returns the number of (socket, set) pairs ready,
/// 0 when `timeout` passed, `SOCKET_ERROR` with `WSAEINVAL` for an `fd_count` above 64, a negative timeout
/// or no socket at all, `WSAENOTSOCK` for a handle that is not an open socket.
@_cdecl("WinsockCE_select")
public func winsockSelect(_ nfds: Int32, _ readfds: UnsafeMutablePointer<WinsockCE_fd_set>?, _ writefds: UnsafeMutablePointer<WinsockCE_fd_set>?,
                   _ exceptfds: UnsafeMutablePointer<WinsockCE_fd_set>?, _ timeout: UnsafePointer<timeval>?) -> Int32 {
    LastError.reporting { () throws(WinsockError) in
        try LastError.requireStartup("select")
        let sets = [readfds, writefds, exceptfds]
        var handles: [[SOCKET]] = []
        for set in sets {
            guard let set else { handles.append([]); continue }
            let count = Int(set.pointee.fd_count)
            guard count <= 64 else {
                throw WinsockError(.invalidArgument, "select: fd_count \(count) is larger than FD_SETSIZE (64)")
            }
            handles.append(withUnsafeBytes(of: set.pointee.fd_array) { Array($0.bindMemory(to: SOCKET.self).prefix(count)) })
        }
        guard handles.contains(where: { !$0.isEmpty }) else {
            throw WinsockError(.invalidArgument, "select: no socket in any of the three sets")
        }
        var wait: Duration?
        if let timeout {
            guard timeout.pointee.tv_sec >= 0, timeout.pointee.tv_usec >= 0 else {
                throw WinsockError(.invalidArgument, "select: the timeout is negative")
            }
            wait = .seconds(timeout.pointee.tv_sec) + .microseconds(timeout.pointee.tv_usec)
        }
        var sockets: [SocketTable.OpenSocket] = []
        for handle in handles.joined() where !sockets.contains(where: { $0.handle == handle }) {
            sockets.append(try SocketTable.shared.socket(handle, for: "select"))
        }
        let ready = try Readiness.wait(sockets, read: Set(handles[0]), write: Set(handles[1]), except: Set(handles[2]), timeout: wait)
        var total: Int32 = 0
        for (index, set) in sets.enumerated() {
            guard let set else { continue }
            let kept = handles[index].filter { ready[index].contains($0) }
            set.pointee.fd_count = u_int(kept.count)
            withUnsafeMutableBytes(of: &set.pointee.fd_array) { bytes in
                let array = bytes.bindMemory(to: SOCKET.self)
                for (position, handle) in kept.enumerated() { array[position] = handle }
            }
            total += Int32(kept.count)
        }
        return total
    }
}

/// Waiting for sockets with `poll`, with the secure socket's own idea of readable.
enum Readiness {
    /// The handles among `sockets` that `recv` would not block on, after waiting at most `timeout`.
    static func readable(_ sockets: [SocketTable.OpenSocket], timeout: Duration?) throws(WinsockError) -> Set<SOCKET> {
        try wait(sockets, read: Set(sockets.map(\.handle)), write: [], except: [], timeout: timeout)[0]
    }

    /// The ready handles of each set (read, write, except), once at least one is ready or `timeout` passed.
    static func wait(_ sockets: [SocketTable.OpenSocket], read: Set<SOCKET>, write: Set<SOCKET>, except: Set<SOCKET>,
                     timeout: Duration?) throws(WinsockError) -> [Set<SOCKET>] {
        let deadline = timeout.map { ContinuousClock.now.advanced(by: $0) }
        return try withDescriptors(sockets[...], []) { descriptors throws(WinsockError) -> [Set<SOCKET>] in
            // Sockets that are not connected and that the last `poll` answered for at once with what `select`
            // ignores (`POLLHUP`): left out of the next `poll` (a negative descriptor is skipped), which then
            // waits at most 10 ms before they are looked at again, instead of returning at once forever.
            var quiet: Set<SOCKET> = []
            while true {
                let entries = zip(sockets, descriptors).map { open, descriptor in
                    var events: Int32 = 0
                    if read.contains(open.handle) { events |= POLLIN }
                    if write.contains(open.handle) { events |= POLLOUT }
                    if except.contains(open.handle) { events |= POLLPRI }
                    return (descriptor: quiet.contains(open.handle) ? -1 : descriptor, events: Int16(events))
                }
                // Decrypted bytes already buffered make a secure socket readable without the kernel's say.
                let buffered = sockets.contains { read.contains($0.handle) && $0.socket.isReadable(kernelSignalled: false) }
                var milliseconds: Int32 = -1
                if buffered {
                    milliseconds = 0
                } else if let deadline {
                    let remaining = max(deadline - ContinuousClock.now, .zero)
                    let (seconds, attoseconds) = remaining.components
                    milliseconds = Int32(clamping: seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
                }
                if !quiet.isEmpty {
                    let interval = WinsockSocket.unconnectedPollMilliseconds
                    milliseconds = milliseconds < 0 ? interval : min(milliseconds, interval)
                }
                let returned = try SystemCall.poll(entries, milliseconds: milliseconds)
                var ready: [Set<SOCKET>] = [[], [], []]
                quiet = []
                for (open, events) in zip(sockets, returned) {
                    if read.contains(open.handle), open.socket.isReadable(kernelSignalled: open.socket.kernelSignalsReadable(events)) {
                        ready[0].insert(open.handle)
                    }
                    if write.contains(open.handle), open.socket.kernelSignalsWritable(events) { ready[1].insert(open.handle) }
                    if except.contains(open.handle), Int32(events) & POLLPRI != 0 { ready[2].insert(open.handle) }
                    if open.socket.isQuietWhileUnconnected(events) { quiet.insert(open.handle) }
                }
                if ready.contains(where: { !$0.isEmpty }) { return ready }
                if let deadline, ContinuousClock.now >= deadline { return ready }
            }
        }
    }

    /// Keeps every socket's descriptor open while `body` polls them.
    private static func withDescriptors<Result>(_ sockets: ArraySlice<SocketTable.OpenSocket>, _ held: [Int32],
                                                _ body: ([Int32]) throws(WinsockError) -> Result) throws(WinsockError) -> Result {
        guard let first = sockets.first else { return try body(held) }
        return try first.socket.withPollDescriptor { descriptor throws(WinsockError) in
            try withDescriptors(sockets.dropFirst(), held + [descriptor], body)
        }
    }
}
