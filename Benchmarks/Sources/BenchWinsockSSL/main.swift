import Glibc
import NetCF
import WinsockSSL

// This package's peers in the benchmark (see ../../BENCHMARKS.md):
//
//   BenchWinsockSSL netcf|native HOST TLS_PORT SMTP_PORT CA.pem WORKLOAD SIZE
//
// netcf: the .NET surface as ported CE code uses it: Socket + SslHelper (certificate hook), Send/Receive,
//        StreamReader(NetworkStream).ReadLine. The CA goes into TrustStore.process, CE's "CA database".
// native: the Swift-native API: StreamSocket + SecureConnection, with the CA in TLSConfiguration.
// Same workloads and JSON output as C/client.c.

let chunk = 64 * 1024

func fail(_ message: String) -> Never {
    let text = "BenchWinsockSSL: \(message)\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
    exit(1)
}

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func cpuSeconds() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
}

func residentKB() -> Int {
    guard let file = fopen("/proc/self/statm", "r") else { fail("statm") }
    defer { fclose(file) }
    var pages = 0, resident = 0
    guard withUnsafeMutablePointer(to: &pages, { p in withUnsafeMutablePointer(to: &resident) { r in
        withVaList([p, r]) { vfscanf(file, "%ld %ld", $0) } } }) == 2 else { fail("statm") }
    return resident * sysconf(Int32(_SC_PAGESIZE)) / 1024
}

func readFile(_ path: String) -> String {
    guard let file = fopen(path, "r") else { fail("cannot open \(path)") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = fread(&buffer, 1, buffer.count, file)
        if n <= 0 { break }
        bytes += buffer[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
}

func emit(_ fields: [(String, String)]) {
    print("{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
}

let arguments = CommandLine.arguments
guard arguments.count == 8 else {
    fail("usage: BenchWinsockSSL netcf|native HOST TLS_PORT SMTP_PORT CA.pem WORKLOAD SIZE")
}
let api = arguments[1]
let host = arguments[2]
let tlsPort = Int(arguments[3])!
let smtpPort = Int(arguments[4])!
let caPEM = readFile(arguments[5])
let workload = arguments[6]
let size = Int(arguments[7])!

do {
    switch api {
    case "netcf": try NetCFPeer(host: host, caPEM: caPEM).run(workload, size: size, tlsPort: tlsPort, smtpPort: smtpPort)
    case "native": try NativePeer(host: host, caPEM: caPEM).run(workload, size: size, tlsPort: tlsPort, smtpPort: smtpPort)
    default: fail("unknown api \(api)")
    }
} catch {
    fail("\(error)")
}
