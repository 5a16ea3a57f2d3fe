internal import Glibc

/// The one place where this package calls into the C library for sockets.
///
/// Every socket system call the package makes is one of the named functions below; nothing else calls
/// `recv`, `send`, `poll` and the rest. `EINTR` is retried here and nowhere else (except for `close`);
/// every other `errno` is handed back to the caller, which decides whether it means "would block" or a
/// real failure. Because every call passes through here, `SystemCallFaults` can make any of them fail
/// with a chosen `errno`, or move fewer bytes than asked, so tests reach the interrupted, would-block,
/// reset and short-transfer paths deterministically.
package enum SystemCall {
    enum Outcome<Value> {
        case success(Value)
        case failure(errno: Int32)
    }

    /// Runs `body` until it does not fail with `EINTR`, consulting the fault seam before each attempt.
    /// A negative result is a failure whose reason is `errno`. `body` receives the byte limit a
    /// short-transfer fault imposes (nil: none).
    @inline(__always)
    private static func run<Value: BinaryInteger>(_ call: SystemCallFaults.Call, _ descriptor: Int32,
                                                  _ body: (_ limit: Int?) -> Value) -> Outcome<Value> {
        while true {
            var limit: Int?
            if SystemCallFaults.isActive, let fault = SystemCallFaults.next(call, on: descriptor) {
                switch fault {
                case .fail(let error):
                    if error == EINTR { continue }
                    return .failure(errno: error)
                case .shorten(let count):
                    limit = count
                }
            }
            let result = body(limit)
            if result >= 0 { return .success(result) }
            let error = errno
            if error != EINTR { return .failure(errno: error) }
        }
    }

    /// Turns a failure into an error naming `call`.
    static func check<Value>(_ outcome: Outcome<Value>, _ call: String) throws(WinsockError) -> Value {
        switch outcome {
        case .success(let value): return value
        case .failure(let error): throw WinsockError.lastSystemError(call, errno: error)
        }
    }

    // MARK: Creating and closing

    /// A new non-blocking, close-on-exec TCP socket. Maps to `socket`.
    static func socket(family: InternetAddress.Family) -> Outcome<Int32> {
        let domain = family == .ipv4 ? AF_INET : AF_INET6
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        return run(.socket, -1) { _ in Glibc.socket(domain, type, Int32(IPPROTO_TCP)) }
    }

    /// Closes a descriptor exactly once. `close` is never retried: on Linux the descriptor is released
    /// even when `close` reports `EINTR`, and a retry could close a descriptor another thread just opened.
    static func close(_ descriptor: Int32) {
        _ = Glibc.close(descriptor)
    }

    /// Maps to `shutdown`.
    static func shutdown(_ descriptor: Int32, _ how: Int32) -> Outcome<Int32> {
        run(.shutdown, descriptor) { _ in Glibc.shutdown(descriptor, how) }
    }

    // MARK: Connecting and accepting

    /// Starts (or completes) a connection. Maps to `connect`.
    static func connect(_ descriptor: Int32, to endpoint: SocketEndpoint) -> Outcome<Int32> {
        run(.connect, descriptor) { _ in endpoint.withSocketAddress { Glibc.connect(descriptor, $0, $1) } }
    }

    /// The error a non-blocking `connect` ended with (0: connected). Maps to `getsockopt(SO_ERROR)`.
    static func pendingError(_ descriptor: Int32) -> Outcome<Int32> {
        var pending: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        return run(.getOption, descriptor) { _ in getsockopt(descriptor, Glibc.SOL_SOCKET, SO_ERROR, &pending, &length) }.map { _ in pending }
    }

    /// Maps to `bind`.
    static func bind(_ descriptor: Int32, to endpoint: SocketEndpoint) -> Outcome<Int32> {
        run(.bind, descriptor) { _ in endpoint.withSocketAddress { Glibc.bind(descriptor, $0, $1) } }
    }

    /// Maps to `listen`.
    static func listen(_ descriptor: Int32, backlog: Int32) -> Outcome<Int32> {
        run(.listen, descriptor) { _ in Glibc.listen(descriptor, backlog) }
    }

    /// The next connection, made non-blocking and close-on-exec, with the peer's address.
    /// Maps to `accept` and `fcntl` (`accept4` is hidden behind `_GNU_SOURCE`).
    static func accept(_ descriptor: Int32) -> Outcome<(descriptor: Int32, remote: SocketEndpoint?)> {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let accepted = run(.accept, descriptor) { _ in
            withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.accept(descriptor, $0, &length) }
            }
        }
        return accepted.map { client in
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            _ = fcntl(client, F_SETFL, fcntl(client, F_GETFL) | O_NONBLOCK)
            let remote = withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { SocketEndpoint($0) }
            }
            return (client, remote)
        }
    }

    /// The local address. Maps to `getsockname`.
    static func localEndpoint(_ descriptor: Int32) -> Outcome<SocketEndpoint?> {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let status = run(.getName, descriptor) { _ in
            withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
            }
        }
        return status.map { _ in
            withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { SocketEndpoint($0) } }
        }
    }

    // MARK: Waiting and moving bytes

    /// Waits for `events` on one descriptor; the `revents` seen (0 on timeout). Maps to `poll`.
    static func poll(_ descriptor: Int32, for events: Int16, milliseconds: Int32) -> Outcome<Int16> {
        var entry = pollfd(fd: descriptor, events: events, revents: 0)
        return run(.poll, descriptor) { _ in Glibc.poll(&entry, 1, milliseconds) }.map { _ in entry.revents }
    }

    /// Waits for events on several descriptors at once (the C interface's `select`); the `revents` of each
    /// (all 0 on timeout). Maps to `poll`.
    package static func poll(_ entries: [(descriptor: Int32, events: Int16)], milliseconds: Int32) throws(WinsockError) -> [Int16] {
        var table = entries.map { pollfd(fd: $0.descriptor, events: $0.events, revents: 0) }
        let outcome = run(.poll, entries.first?.descriptor ?? -1) { _ in Glibc.poll(&table, nfds_t(table.count), milliseconds) }
        _ = try check(outcome, "poll")
        return table.map(\.revents)
    }

    /// Receives into `buffer`; 0 means the peer closed. Maps to `recv`.
    static func receive(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, peek: Bool = false) -> Outcome<Int> {
        run(.receive, descriptor) { limit in
            Glibc.recv(descriptor, buffer.baseAddress, min(buffer.count, limit ?? .max), peek ? Int32(MSG_PEEK) : 0)
        }
    }

    /// Sends from `bytes`, never raising `SIGPIPE`. Maps to `send` with `MSG_NOSIGNAL`.
    static func send(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Outcome<Int> {
        run(.send, descriptor) { limit in
            Glibc.send(descriptor, bytes.baseAddress, min(bytes.count, limit ?? .max), Int32(MSG_NOSIGNAL))
        }
    }

    /// Bytes the kernel holds for reading. Maps to `ioctl(FIONREAD)`.
    static func bytesReadable(_ descriptor: Int32) -> Outcome<Int> {
        var count: Int32 = 0
        return run(.ioctl, descriptor) { _ in Glibc.ioctl(descriptor, UInt(FIONREAD), &count) }.map { _ in Int(count) }
    }

    // MARK: Names

    /// The distinct addresses `getaddrinfo` gives for `host`, in its order, or its `EAI_*` code (not an `errno`).
    /// `onlyConfiguredFamilies` is `AI_ADDRCONFIG`. Not retried: `getaddrinfo` handles interruptions itself.
    static func resolve(_ host: String, onlyConfiguredFamilies: Bool) -> Outcome<[InternetAddress]> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = onlyConfiguredFamilies ? AI_ADDRCONFIG : 0
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0 else { return .failure(errno: status) }
        defer { freeaddrinfo(list) }
        var addresses: [InternetAddress] = []
        var cursor = list
        while let entry = cursor {
            if let address = entry.pointee.ai_addr, let endpoint = SocketEndpoint(address), !addresses.contains(endpoint.address) {
                addresses.append(endpoint.address)
            }
            cursor = entry.pointee.ai_next
        }
        return .success(addresses)
    }

    // MARK: Options

    /// Maps to `setsockopt`.
    static func setOption<Value: BitwiseCopyable>(_ descriptor: Int32, _ level: Int32, _ name: Int32, _ value: Value) -> Outcome<Int32> {
        var value = value
        return run(.setOption, descriptor) { _ in setsockopt(descriptor, level, name, &value, socklen_t(MemoryLayout<Value>.size)) }
    }

    /// Maps to `getsockopt`.
    static func option<Value: BitwiseCopyable>(_ descriptor: Int32, _ level: Int32, _ name: Int32, as initial: Value) -> Outcome<Value> {
        var value = initial
        var length = socklen_t(MemoryLayout<Value>.size)
        return run(.getOption, descriptor) { _ in getsockopt(descriptor, level, name, &value, &length) }.map { _ in value }
    }
}

extension SystemCall.Outcome {
    func map<Other>(_ transform: (Value) -> Other) -> SystemCall.Outcome<Other> {
        switch self {
        case .success(let value): .success(transform(value))
        case .failure(let error): .failure(errno: error)
        }
    }
}
