import Synchronization

/// A test seam in `SystemCall`: faults queued for one descriptor, produced by the next matching calls.
///
/// A fault either fails the call with an `errno` without making it (`EINTR`, which the funnel retries;
/// `EAGAIN`, which the caller waits out with `poll`; `ECONNRESET`, which ends the connection), or makes
/// the call with fewer bytes than asked (a short read or write). Faults are keyed by descriptor so tests
/// running in parallel on other sockets are not touched; with no fault queued anywhere the funnel pays one
/// atomic load per call.
package enum SystemCallFaults {
    /// The system calls a fault can be queued for.
    package enum Call: Sendable, Hashable {
        case socket, shutdown, connect, bind, listen, accept, getName, poll, receive, send, ioctl, setOption, getOption
    }

    package enum Fault: Sendable, Equatable {
        /// The call is not made; it fails with this `errno`.
        case fail(errno: Int32)
        /// The call is made, moving at most this many bytes (`receive` and `send`; ignored by the others).
        case shorten(to: Int)
    }

    private struct Key: Hashable {
        var call: Call
        var descriptor: Int32
    }

    private static let active = Atomic<Bool>(false)
    private static let queued = Locked<[Key: [Fault]]>([:])

    static var isActive: Bool { active.load(ordering: .acquiring) }

    /// Queues `faults` for the next `call`s on `socket`'s descriptor, in order. Throws when the socket is closed.
    package static func inject(_ faults: [Fault], into call: Call, on socket: StreamSocket) throws(WinsockError) {
        try socket.withDescriptor { descriptor throws(WinsockError) in
            queued.withLock {
                $0[Key(call: call, descriptor: descriptor), default: []] += faults
                active.store(true, ordering: .releasing)
            }
        }
    }

    /// How many of the faults queued for `call` on `socket` have not happened yet.
    package static func remaining(_ call: Call, on socket: StreamSocket) -> Int {
        (try? socket.withDescriptor { descriptor throws(WinsockError) in
            queued.withLock { $0[Key(call: call, descriptor: descriptor)]?.count ?? 0 }
        }) ?? 0
    }

    /// Forgets every fault still queued for `socket`. Call it before the socket is closed: a queue left
    /// behind would hit the next socket given the same descriptor number.
    package static func clear(_ socket: StreamSocket) {
        try? socket.withDescriptor { descriptor throws(WinsockError) in
            queued.withLock { queue in
                queue = queue.filter { $0.key.descriptor != descriptor }
                if queue.isEmpty { active.store(false, ordering: .releasing) }
            }
        }
    }

    /// The next fault for `call` on `descriptor`, removed from its queue.
    static func next(_ call: Call, on descriptor: Int32) -> Fault? {
        queued.withLock { queue in
            let key = Key(call: call, descriptor: descriptor)
            guard var faults = queue[key], !faults.isEmpty else { return nil }
            let fault = faults.removeFirst()
            queue[key] = faults.isEmpty ? nil : faults
            return fault
        }
    }
}
