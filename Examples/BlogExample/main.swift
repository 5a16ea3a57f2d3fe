import Foundation
import NetCF
import WinsockSSL
import WinsockSSLTesting

// blog-example: runs the 2009 blog's SMTP STARTTLS example (BlogPost.swift, untouched) and shows the
// conversation. Without arguments it talks to an embedded server on loopback that replays the blog's
// transcript byte for byte, with a certificate for smtp.live.com from a throw-away CA; no network needed.
//
//   blog-example [--server HOST:PORT] [--ca FILE] [--timeout SECONDS]
//
// With --server, the same code talks to a real server: smtp.live.com:587 is mapped to HOST:PORT, and the
// server must present a certificate for smtp.live.com that chains to the system roots or to --ca FILE.

struct Options {
    var server: (host: String, port: UInt16)?
    var caFile: String?
    var timeout: Duration = .seconds(20)
}

func usage(_ problem: String) -> Never {
    FileHandle.standardError.write(Data("blog-example: \(problem)\nusage: blog-example [--server HOST:PORT] [--ca FILE] [--timeout SECONDS]\n".utf8))
    exit(64)
}

func parseOptions(_ arguments: [String]) -> Options {
    var options = Options()
    var rest = arguments[...]
    while let flag = rest.popFirst() {
        guard let value = rest.popFirst() else { usage("\(flag) needs a value") }
        switch flag {
        case "--server":
            guard let colon = value.lastIndex(of: ":"), let port = UInt16(value[value.index(after: colon)...]), port > 0 else {
                usage("--server takes HOST:PORT, got \"\(value)\"")
            }
            var host = String(value[..<colon])
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            guard !host.isEmpty else { usage("--server takes HOST:PORT, got \"\(value)\"") }
            options.server = (host, port)
        case "--ca":
            options.caFile = value
        case "--timeout":
            guard let seconds = Double(value), seconds > 0 else { usage("--timeout takes a positive number of seconds") }
            options.timeout = .milliseconds(Int(seconds * 1000))
        default:
            usage("unknown option \(flag)")
        }
    }
    return options
}

let options = parseOptions(Array(CommandLine.arguments.dropFirst()))
let blogName = "smtp.live.com"
let blogPort: UInt16 = 587
var embeddedServer: ScriptedSTARTTLSServer?

do {
    if let caFile = options.caFile {
        let pem = try String(contentsOfFile: caFile, encoding: .utf8)
        try TrustStore.process.add(pemEncoded: pem)
    }
    if let (host, port) = options.server {
        let addresses = try NameResolver.resolve(host)
        HostsTable.shared.set(blogName, to: addresses)
        for address in addresses {
            EndpointRedirects.shared.redirect(SocketEndpoint(address: address, port: blogPort), to: SocketEndpoint(address: address, port: port))
        }
        print("blog-example: running the 2009 blog's code against \(host):\(port)")
        print("   \(blogName) resolves to \(addresses.map(\.description).joined(separator: ", ")) (HostsTable.shared), port \(blogPort) is redirected to \(port) (EndpointRedirects.shared)")
    } else {
        let authority = try TestCertificateAuthority(commonName: "blog-example throw-away CA")
        let issued = try authority.issue(dnsNames: [blogName], commonName: blogName)
        TrustStore.process.add(authority.root)
        let server = try ScriptedSTARTTLSServer(transcript: .blog2009, certificateChainPEM: issued.certificateChainPEM,
                                                privateKeyPEM: issued.privateKey.pemEncoded)
        embeddedServer = server
        HostsTable.shared.set(blogName, to: [.loopbackIPv4])
        EndpointRedirects.shared.redirect(SocketEndpoint(address: .loopbackIPv4, port: blogPort), to: server.endpoint)
        print("blog-example: replaying the 2009 conversation with \(blogName) on an embedded server (no network needed)")
        print("   \(blogName) resolves to 127.0.0.1 (HostsTable.shared), 127.0.0.1:\(blogPort) is redirected to \(server.endpoint) (EndpointRedirects.shared)")
        print("   the server's certificate for \(blogName) is issued by a throw-away CA trusted for this run (TrustStore.process)")
    }
} catch {
    FileHandle.standardError.write(Data("blog-example: set-up failed: \(error)\n".utf8))
    exit(1)
}
print("")

let conversation = SocketConversation()
SocketTrace.install { event in
    for line in conversation.lines(for: event) { print(line) }
}

// The blog's loops wait for exact lines and spin forever on a closed connection (ReadLine returns null),
// so the code runs on its own thread and this one bounds it.
enum Outcome: Sendable { case success, failure(String) }
let finished = DispatchSemaphore(value: 0)
let outcome = Locked<Outcome?>(nil)
let worker = Thread {
    do {
        try blogPost()
        outcome.withLock { $0 = .success }
    } catch let error as any DotNetException {
        outcome.withLock { $0 = .failure(error.description) }
    } catch {
        outcome.withLock { $0 = .failure("\(error)") }
    }
    finished.signal()
}
worker.start()

let deadline = ContinuousClock.now.advanced(by: options.timeout)
var closedSince: ContinuousClock.Instant?
while finished.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
    if conversation.serverClosed {
        closedSince = closedSince ?? .now
        // Give the code a moment to finish on its own after the close before calling it stuck.
        if ContinuousClock.now - closedSince! < .seconds(1) { continue }
    } else if ContinuousClock.now < deadline {
        continue
    }
    let waitedFor = conversation.recentServerLines.contains { $0.hasPrefix("250") } ? "\"250 OK\" or a \"220\" reply" : "\"250 OK\""
    let reason = conversation.serverClosed
        ? "the server closed the connection, and the blog's loop would call ReadLine() forever (it returns null at the end of the stream)"
        : "no progress for \(options.timeout): the blog's loop is still waiting for \(waitedFor)"
    var message = "\nblog-example: stopped: \(reason).\n"
    message += "   The 2009 code sends a bare \"EHLO\" and waits for a line that is exactly \"250 OK\". Modern servers refuse a bare EHLO\n"
    message += "   (Postfix answers \"501 5.5.2 Syntax: EHLO hostname\") and end their EHLO reply with another line, so it never comes.\n"
    let recent = conversation.recentServerLines
    if !recent.isEmpty { message += "   Last lines from the server:\n" + recent.map { "     \($0)\n" }.joined() }
    FileHandle.standardError.write(Data(message.utf8))
    exit(2)
}

SocketTrace.remove()
embeddedServer?.stop()
switch outcome.withLock({ $0 }) {
case .success?:
    exit(0)
case .failure(let message)?:
    FileHandle.standardError.write(Data("\nblog-example: the blog's code failed: \(message)\n".utf8))
    exit(1)
case nil:
    exit(1)
}
