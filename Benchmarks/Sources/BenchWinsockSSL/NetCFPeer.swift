import BenchSupport
import NetCF
import WinsockSSL

/// The NetCF path, written as the 2009 blog's C# ports: `Socket`, `SslHelper`, `StreamReader`.
struct NetCFPeer {
    let address: IPAddress

    init(host: String, caPEM: String) throws {
        address = try IPAddress.Parse(host)
        try TrustStore.process.add(pemEncoded: caPEM)
    }

    /// A connected socket; the handshake (and the certificate hook) runs inside `Connect` unless deferred.
    func connect(_ port: Int, deferHandshake: Bool = false) throws -> (Socket, SslHelper) {
        let s = try Socket(.InterNetwork, .Stream, .Tcp)
        try s.SetSocketOption(.Tcp, .NoDelay, true)
        let helper = try SslHelper(s, "localhost", deferHandshake)
        try s.Connect(IPEndPoint(address, port))
        return (s, helper)
    }

    func run(_ workload: String, size: Int, tlsPort: Int, smtpPort: Int) throws {
        switch workload {
        case "bulk":
            let (s, helper) = try connect(tlsPort)
            helper.Dispose()
            var buffer = [UInt8](repeating: 0x79, count: chunk)
            let c0 = cpuSeconds(), t0 = now()
            try s.Send(Array("BULK \(size)\n".utf8))
            var sent = 0
            while sent < size {
                let n = min(chunk, size - sent)
                try s.Send(buffer, 0, n, .None)
                sent += n
            }
            var received = 0
            while received < size {
                let n = try s.Receive(&buffer)
                if n == 0 { fail("closed early") }
                received += Int(n)
            }
            let seconds = now() - t0, cpu = cpuSeconds() - c0
            s.Close()
            emit([("seconds", "\(seconds)"), ("cpu", "\(cpu)"), ("bytes", "\(2 * size)")])
        case "handshakes":
            try warmUp(tlsPort)
            let t0 = now()
            for _ in 0..<size {
                let (s, helper) = try connect(tlsPort)
                helper.Dispose()
                s.Close()
            }
            emit([("seconds", "\(now() - t0)"), ("count", "\(size)")])
        case "starttls":
            try warmUp(tlsPort)
            let t0 = now()
            for _ in 0..<size {
                let (s, helper) = try connect(smtpPort, deferHandshake: true)
                let sr = try StreamReader(NetworkStream(s), Encoding.ASCII)
                guard try reply(sr) == 220 else { fail("banner") }
                try s.Send(Encoding.ASCII.GetBytes("EHLO client.localhost\r\n"))
                guard try reply(sr) == 250 else { fail("EHLO") }
                try s.Send(Encoding.ASCII.GetBytes("STARTTLS\r\n"))
                guard try reply(sr) == 220 else { fail("STARTTLS") }
                try helper.DoHandshake()
                try s.Send(Encoding.ASCII.GetBytes("EHLO client.localhost\r\n"))
                guard try reply(sr) == 250 else { fail("EHLO over TLS") }
                try s.Send(Encoding.ASCII.GetBytes("QUIT\r\n"))
                guard try reply(sr) == 221 else { fail("QUIT") }
                helper.Dispose()
                s.Close()
            }
            emit([("seconds", "\(now() - t0)"), ("count", "\(size)")])
        case "lines":
            let (s, helper) = try connect(tlsPort)
            helper.Dispose()
            let sr = try StreamReader(NetworkStream(s), Encoding.ASCII)
            let t0 = now()
            try s.Send(Array("LINES \(size)\n".utf8))
            var bytes = 0, lines = 0, check = 0
            while let line = try sr.ReadLine() {
                let utf8 = line.utf8
                bytes += utf8.count + 2
                lines += 1
                if utf8.count > 4 { check += Int(utf8[utf8.index(utf8.startIndex, offsetBy: 4)]) }
            }
            let seconds = now() - t0
            s.Close()
            emit([("seconds", "\(seconds)"), ("bytes", "\(bytes)"), ("lines", "\(lines)"), ("check", "\(check)")])
        case "idle":
            let (first, firstHelper) = try connect(tlsPort)
            firstHelper.Dispose()
            first.Close()
            let before = residentKB()
            var sockets: [Socket] = []
            sockets.reserveCapacity(size)
            for _ in 0..<size {
                let (s, helper) = try connect(tlsPort)
                helper.Dispose()
                try s.Send(Array("IDLE\n".utf8))
                sockets.append(s)
            }
            let after = residentKB()
            for s in sockets { s.Close() }
            emit([("rss_before_kb", "\(before)"), ("rss_after_kb", "\(after)"), ("count", "\(size)")])
        default:
            fail("unknown workload \(workload)")
        }
    }

    /// One connection outside the timed part: loads the trust stores (system and process) once per process.
    private func warmUp(_ port: Int) throws {
        let (s, helper) = try connect(port)
        helper.Dispose()
        s.Close()
    }

    /// Reads an SMTP reply up to its last line ("250 OK"); returns its code.
    private func reply(_ sr: StreamReader) throws -> Int {
        while let line = try sr.ReadLine() {
            let utf8 = Array(line.utf8)
            guard utf8.count >= 4 else { fail("short reply \(line)") }
            if utf8[3] == 0x20 { return Int(String(decoding: utf8[0..<3], as: UTF8.self)) ?? 0 }
        }
        fail("connection closed during a reply")
    }
}
