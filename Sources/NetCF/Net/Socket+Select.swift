import WinsockSSL

extension Socket {
    // MARK: Select

    /// Waits until at least one of the sockets is ready, then leaves in each list only the ready ones, as
    /// .NET does. `microSeconds` below 0 waits forever. Readiness is each socket's `Poll`, so a secure socket
    /// counts as readable for application data, end of stream or an error.
    ///
    /// The lists are `inout`; a C# `null` list is `nil`. The sockets are polled in turns of at most 10 ms
    /// (there is no kernel `select` across TLS sessions), so a ready socket is seen within 10 ms.
    ///
    /// The corresponding .NET member is `Socket.Select(IList, IList, IList, int)`.
    public static func Select(_ checkRead: inout [Socket], _ checkWrite: inout [Socket], _ checkError: inout [Socket], _ microSeconds: some BinaryInteger) throws {
        let ready = try select(checkRead, checkWrite, checkError, try CSharpInteger.int(microSeconds, "microSeconds"))
        checkRead = ready.read
        checkWrite = ready.write
        checkError = ready.error
    }

    /// `Socket.Select(checkRead, null, null, microSeconds)`.
    public static func Select(_ checkRead: inout [Socket], _ checkWrite: NullArray, _ checkError: NullArray, _ microSeconds: some BinaryInteger) throws {
        checkRead = try select(checkRead, [], [], try CSharpInteger.int(microSeconds, "microSeconds")).read
    }

    /// `Socket.Select(null, checkWrite, null, microSeconds)`.
    public static func Select(_ checkRead: NullArray, _ checkWrite: inout [Socket], _ checkError: NullArray, _ microSeconds: some BinaryInteger) throws {
        checkWrite = try select([], checkWrite, [], try CSharpInteger.int(microSeconds, "microSeconds")).write
    }

    /// `Socket.Select(checkRead, checkWrite, null, microSeconds)`.
    public static func Select(_ checkRead: inout [Socket], _ checkWrite: inout [Socket], _ checkError: NullArray, _ microSeconds: some BinaryInteger) throws {
        let ready = try select(checkRead, checkWrite, [], try CSharpInteger.int(microSeconds, "microSeconds"))
        checkRead = ready.read
        checkWrite = ready.write
    }

    /// `Socket.Select(checkRead, null, checkError, microSeconds)`.
    public static func Select(_ checkRead: inout [Socket], _ checkWrite: NullArray, _ checkError: inout [Socket], _ microSeconds: some BinaryInteger) throws {
        let ready = try select(checkRead, [], checkError, try CSharpInteger.int(microSeconds, "microSeconds"))
        checkRead = ready.read
        checkError = ready.error
    }

    private static func select(_ read: [Socket], _ write: [Socket], _ error: [Socket], _ microSeconds: Int) throws
        -> (read: [Socket], write: [Socket], error: [Socket]) {
        guard !(read.isEmpty && write.isEmpty && error.isEmpty) else {
            throw ArgumentNullException("checkRead", "All lists are either null or empty.")
        }
        // Errors are reported by the calls themselves here, so no socket is ever in the error set, and an
        // error-only Select has nothing to wait for.
        if read.isEmpty && write.isEmpty { return ([], [], []) }
        let deadline: ContinuousClock.Instant? = microSeconds < 0 ? nil : .now + .microseconds(microSeconds)
        let slice = 10_000
        while true {
            let readable = try read.filter { try $0.Poll(0, .SelectRead) }
            let writable = try write.filter { try $0.Poll(0, .SelectWrite) }
            if !readable.isEmpty || !writable.isEmpty { return (readable, writable, []) }
            var wait = slice
            if let deadline {
                let remaining = deadline - .now
                if remaining <= .zero { return ([], [], []) }
                let (seconds, attoseconds) = remaining.components
                wait = min(slice, Int(seconds) * 1_000_000 + Int(attoseconds / 1_000_000_000_000) + 1)
            }
            if let first = read.first {
                _ = try first.Poll(wait, .SelectRead)
            } else {
                _ = try write[0].Poll(wait, .SelectWrite)
            }
        }
    }
}
