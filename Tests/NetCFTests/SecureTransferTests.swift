import Foundation
import NetCF
import Testing
import WinsockSSLTesting

/// Bulk data through a secure socket: every byte arrives, in order, in both directions, also when one
/// thread reads while another writes.
@Suite struct SecureTransferTests {
    static let size = 64 * 1024 * 1024
    static let chunk = 1024 * 1024
    /// Socket timeouts for these tests: a deadlock ends as WSAETIMEDOUT instead of hanging the run.
    static let timeoutMilliseconds: int = 60_000

    let authority: TestCertificateAuthority

    init() throws {
        authority = try TestCertificateAuthority()
    }

    /// `count` bytes of xorshift64* output, a pattern in which a lost, repeated or reordered chunk shows.
    static func pattern(seed: UInt64, count: Int) -> [UInt8] {
        var state = seed
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { raw in
            for offset in stride(from: 0, to: count - 7, by: 8) {
                state ^= state >> 12
                state ^= state << 25
                state ^= state >> 27
                raw.storeBytes(of: (state &* 0x2545_F491_4F6C_DD1D).littleEndian, toByteOffset: offset, as: UInt64.self)
            }
        }
        return bytes
    }

    /// True when `received` equals `expected` from `offset` on.
    static func matches(_ received: ArraySlice<UInt8>, _ expected: [UInt8], at offset: Int) -> Bool {
        guard offset + received.count <= expected.count else { return false }
        return received.withUnsafeBytes { r in
            expected.withUnsafeBytes { e in memcmp(r.baseAddress!, e.baseAddress! + offset, r.count) == 0 }
        }
    }

    func secureSocket(_ server: TLSTestServer) throws -> Socket {
        let s = try SecureSockets.handshake(port: server.port, name: "mail.example.test", trusting: authority.root)
        s.ReceiveTimeout = Self.timeoutMilliseconds
        s.SendTimeout = Self.timeoutMilliseconds
        return s
    }

    /// Receives `expected.count` bytes and checks them; returns the offset of the first difference, or nil.
    static func receiveAndCompare(_ s: Socket, _ expected: [UInt8]) throws -> Int? {
        var buffer = [UInt8](repeating: 0, count: chunk)
        var offset = 0
        while offset < expected.count {
            let count = try s.Receive(&buffer, 0, min(chunk, expected.count - offset), SocketFlags.None)
            guard count > 0 else { return offset }
            guard matches(buffer[0..<count], expected, at: offset) else { return offset }
            offset += Int(count)
        }
        return nil
    }

    static func sendAll(_ s: Socket, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            offset += Int(try s.Send(bytes, offset, min(chunk, bytes.count - offset), SocketFlags.None))
        }
    }

    @Test func sixtyFourMebibytesEachWayArriveIntact() throws {
        let upload = Self.pattern(seed: 0x5eed_0001, count: Self.size)
        let download = Self.pattern(seed: 0x5eed_0002, count: Self.size)
        // The server checks the upload completely before it sends, so neither side's buffers can fill both ways.
        let server = try TLSTestServer(configuration: TLSServerConfiguration(serving: authority.issue(dnsNames: ["mail.example.test"]))) { connection in
            try connection.startTLS()
            var offset = 0
            while offset < upload.count {
                let bytes = try connection.read(max: upload.count - offset)
                guard !bytes.isEmpty else { throw TransferMismatch("the client closed after \(offset) bytes") }
                guard Self.matches(bytes[...], upload, at: offset) else { throw TransferMismatch("upload differs at or after byte \(offset)") }
                offset += bytes.count
            }
            for start in stride(from: 0, to: download.count, by: Self.chunk) {
                try connection.write(Array(download[start..<min(start + Self.chunk, download.count)]))
            }
            _ = try connection.read(max: 1)
        }
        defer { server.stop() }
        let s = try secureSocket(server)
        defer { s.Close() }

        try Self.sendAll(s, upload)
        let difference = try Self.receiveAndCompare(s, download)
        #expect(difference == nil, "download differs at or after byte \(difference ?? -1)")
        s.Close()
        server.stop()
        #expect(server.errors.isEmpty, "\(server.errors)")
    }

    @Test func readerAndWriterThreadsShareOneSecureSocket() throws {
        let data = Self.pattern(seed: 0x5eed_0003, count: Self.size)
        let server = try TLSTestServer(configuration: TLSServerConfiguration(serving: authority.issue(dnsNames: ["mail.example.test"])),
                                       handler: TLSTestServer.echo)
        defer { server.stop() }
        let s = try secureSocket(server)
        defer { s.Close() }

        let failures = Recorder<String>()
        let received = Recorder<Int>()
        let group = DispatchGroup()
        group.enter()
        Thread {
            defer { group.leave() }
            do { try Self.sendAll(s, data) } catch { failures.append("writer: \(error)") }
        }.start()
        group.enter()
        Thread {
            defer { group.leave() }
            do {
                if let difference = try Self.receiveAndCompare(s, data) { failures.append("echo differs at or after byte \(difference)") }
                received.append(data.count)
            } catch {
                failures.append("reader: \(error)")
            }
        }.start()

        // The socket timeouts already end a deadlock; this only makes sure the test returns whatever happens.
        if group.wait(timeout: .now() + .seconds(600)) == .timedOut {
            s.Close()
            group.wait()
            Issue.record("the transfer did not finish")
        }
        #expect(failures.values.isEmpty, "\(failures.values)")
        #expect(received.values == [data.count])
    }
}

struct TransferMismatch: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
