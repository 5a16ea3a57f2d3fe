import BenchSupport
import Glibc
import WinsockSSL

/// The Swift-native path: `StreamSocket` + `SecureConnection`, with the CA in the configuration.
struct NativePeer {
    let address: InternetAddress
    let configuration: TLSConfiguration

    init(host: String, caPEM: String) throws {
        guard let parsed = InternetAddress(parsing: host) else { fail("not an address: \(host)") }
        address = parsed
        var configuration = TLSConfiguration(peerName: "localhost")
        configuration.trustsSystemRoots = false
        configuration.additionalTrustRoots = try Certificate.certificates(pemEncoded: caPEM)
        self.configuration = configuration
    }

    func tcp(_ port: Int) throws -> StreamSocket {
        let socket = try StreamSocket(family: .ipv4)
        try socket.setOption(.noDelay, 1)
        try socket.connect(to: SocketEndpoint(address: address, port: UInt16(port)))
        return socket
    }

    func connect(_ port: Int) throws -> SecureConnection {
        try SecureConnection.upgrade(tcp(port), configuration: configuration)
    }

    func run(_ workload: String, size: Int, tlsPort: Int, smtpPort: Int) throws {
        switch workload {
        case "bulk":
            let connection = try connect(tlsPort)
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
            defer { buffer.deallocate() }
            buffer.initializeMemory(as: UInt8.self, repeating: 0x79)
            let c0 = cpuSeconds(), t0 = now()
            try connection.write(Array("BULK \(size)\n".utf8))
            var sent = 0
            while sent < size {
                let n = min(chunk, size - sent)
                try connection.write(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                sent += n
            }
            var received = 0
            while received < size {
                let n = try connection.read(into: buffer)
                if n == 0 { fail("closed early") }
                received += n
            }
            let seconds = now() - t0, cpu = cpuSeconds() - c0
            connection.close()
            emit([("seconds", "\(seconds)"), ("cpu", "\(cpu)"), ("bytes", "\(2 * size)")])
        case "handshakes":
            try connect(tlsPort).close()
            let t0 = now()
            for _ in 0..<size { try connect(tlsPort).close() }
            emit([("seconds", "\(now() - t0)"), ("count", "\(size)")])
        case "starttls":
            try connect(tlsPort).close()
            let t0 = now()
            for _ in 0..<size {
                let socket = try tcp(smtpPort)
                let plain = LineReader { buffer throws(WinsockError) in try socket.receive(into: buffer) }
                guard try plain.reply() == 220 else { fail("banner") }
                try send(socket, "EHLO client.localhost\r\n")
                guard try plain.reply() == 250 else { fail("EHLO") }
                try send(socket, "STARTTLS\r\n")
                guard try plain.reply() == 220 else { fail("STARTTLS") }
                guard plain.isEmpty else { fail("plain text after the STARTTLS reply") }
                let connection = try SecureConnection.upgrade(socket, configuration: configuration)
                let secure = LineReader { buffer throws(WinsockError) in try connection.read(into: buffer) }
                try connection.write(Array("EHLO client.localhost\r\n".utf8))
                guard try secure.reply() == 250 else { fail("EHLO over TLS") }
                try connection.write(Array("QUIT\r\n".utf8))
                guard try secure.reply() == 221 else { fail("QUIT") }
                connection.close()
            }
            emit([("seconds", "\(now() - t0)"), ("count", "\(size)")])
        case "lines":
            let connection = try connect(tlsPort)
            let reader = LineReader { buffer throws(WinsockError) in try connection.read(into: buffer) }
            let t0 = now()
            try connection.write(Array("LINES \(size)\n".utf8))
            var bytes = 0, lines = 0, check = 0
            while let line = try reader.nextLine() {
                bytes += line.count + 2
                lines += 1
                if line.count > 4 { check += Int(line[4]) }
            }
            let seconds = now() - t0
            connection.close()
            emit([("seconds", "\(seconds)"), ("bytes", "\(bytes)"), ("lines", "\(lines)"), ("check", "\(check)")])
        case "idle":
            try connect(tlsPort).close()
            let before = residentKB()
            var connections: [SecureConnection] = []
            connections.reserveCapacity(size)
            for _ in 0..<size {
                let connection = try connect(tlsPort)
                try connection.write(Array("IDLE\n".utf8))
                connections.append(connection)
            }
            let after = residentKB()
            for connection in connections { connection.close() }
            emit([("rss_before_kb", "\(before)"), ("rss_after_kb", "\(after)"), ("count", "\(size)")])
        default:
            fail("unknown workload \(workload)")
        }
    }

    private func send(_ socket: StreamSocket, _ text: String) throws {
        try Array(text.utf8).withUnsafeBytes { raw in
            Result { () throws(WinsockError) in try socket.sendAll(raw) }
        }.get()
    }
}

/// A memchr line reader over any read function, as the C peer's: lines are borrowed from the buffer.
final class LineReader {
    let read: (UnsafeMutableRawBufferPointer) throws(WinsockError) -> Int
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 16)
    private var start = 0
    private var end = 0

    init(read: @escaping (UnsafeMutableRawBufferPointer) throws(WinsockError) -> Int) {
        self.read = read
    }

    deinit { buffer.deallocate() }

    var isEmpty: Bool { start == end }

    /// The next line without its terminator (valid until the next call), nil at the end of the stream.
    func nextLine() throws(WinsockError) -> UnsafeBufferPointer<UInt8>? {
        let base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        while true {
            if let newline = memchr(base + start, 0x0a, end - start) {
                let lineStart = base + start
                var length = UnsafeRawPointer(newline) - UnsafeRawPointer(lineStart)
                start += length + 1
                if length > 0 && lineStart[length - 1] == 0x0d { length -= 1 }
                return UnsafeBufferPointer(start: lineStart, count: length)
            }
            if start > 0 {
                memmove(base, base + start, end - start)
                end -= start
                start = 0
            }
            if end == buffer.count { fail("line too long") }
            let n = try read(UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
            if n == 0 { return nil }
            end += n
        }
    }

    /// Reads an SMTP reply through its last line; returns the code.
    func reply() throws(WinsockError) -> Int {
        while let line = try nextLine() {
            guard line.count >= 4 else { fail("short reply") }
            if line[3] == 0x20 { return Int(line[0] - 48) * 100 + Int(line[1] - 48) * 10 + Int(line[2] - 48) }
        }
        fail("connection closed during a reply")
    }
}
