import Glibc
import NetCF
import BenchSupport
import WinsockSSL

// This package's peers in the benchmark (see ../../BENCHMARKS.md):
//
//   BenchWinsockSSL netcf|native HOST TLS_PORT SMTP_PORT CA.pem WORKLOAD SIZE
//
// netcf: the .NET surface as ported CE code uses it: Socket + SslHelper (certificate hook), Send/Receive,
//        StreamReader(NetworkStream).ReadLine. The CA goes into TrustStore.process, CE's "CA database".
// native: the Swift-native API: StreamSocket + SecureConnection, with the CA in TLSConfiguration.
// Same workloads and JSON output as C/client.c.

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
