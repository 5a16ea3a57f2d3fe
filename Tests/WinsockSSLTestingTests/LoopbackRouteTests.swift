import Foundation
import NetCF
import Testing
import WinsockSSL
import WinsockSSLTesting

// `route(host:port:)`: a test server reached by a ported program under the name and port it always used,
// with tests running in parallel (Swift Testing's default) never reaching each other's servers.

/// A POP3 client ported from CE, unchanged: STLS with a deferred handshake, then USER and QUIT. Returns the
/// banner it read.
private func portedPOP3Login(host: String, user: String) throws -> String {
    let IPhst = try Dns.GetHostEntry(host)
    let endPt = IPEndPoint(IPhst.AddressList[0], 110)
    let s = try Socket(endPt.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
    s.ReceiveTimeout = 10_000
    defer { s.Close() }
    return try using(SslHelper(s, host, true)) { helper in
        try s.Connect(endPt)
        let sr = try StreamReader(NetworkStream(s), Encoding.ASCII)
        let banner = try sr.ReadLine() ?? ""
        try s.Send(Encoding.ASCII.GetBytes("STLS\r\n"))
        guard try sr.ReadLine()?.StartsWith("+OK") == true else { return banner }
        try helper.DoHandshake()
        try s.Send(Encoding.ASCII.GetBytes("USER \(user)\r\n"))
        _ = try sr.ReadLine()
        try s.Send(Encoding.ASCII.GetBytes("QUIT\r\n"))
        _ = try sr.ReadLine()
        return banner
    }
}

/// The server side of `portedPOP3Login`, with `number` in the banner so a client can tell whose server it reached.
private func pop3Transcript(number: Int) -> Transcript {
    Transcript([
        .send("+OK POP3 server \(number) ready\r\n"),
        .expect("STLS"),
        .send("+OK Begin TLS negotiation\r\n"),
        .startTLS,
        .expect("USER user\(number)"),
        .send("+OK\r\n"),
        .expect("QUIT"),
        .send("+OK bye\r\n"),
        .expectClose,
    ])
}

/// 24 tests at once, all on port 110, 8 names shared by 3 tests each: every client must reach its own server.
@Test(arguments: 0..<24)
func parallelTestsEachReachTheirOwnRoutedServer(number: Int) throws {
    let host = "pop\(number % 8).parallel.example"
    let authority = try TestCertificateAuthority()
    let certificate = try authority.issue(dnsNames: [host])
    TrustStore.process.add(authority.root)
    defer { TrustStore.process.remove(authority.root) }
    let server = try ScriptedSTARTTLSServer(transcript: pop3Transcript(number: number),
                                            configuration: TLSServerConfiguration(serving: certificate))
    defer { server.stop() }
    try server.route(host: host, port: 110)

    let banner = try portedPOP3Login(host: host, user: "user\(number)")

    #expect(banner == "+OK POP3 server \(number) ready")
    #expect(server.waitForClients(1, timeout: .seconds(10)))
    #expect(server.recordings.count == 1)
    #expect(server.recordings.first?.followedScript == true, "\(server.conversationLog)")
}

/// Swift Testing runs only as many tests at once as there are cores; here 16 threads hold their routes at
/// the same moment (a barrier between routing and connecting), so a shared redirect could not go unnoticed.
@Test func sixteenRoutedServersInUseAtOnceEachGetTheirOwnClient() throws {
    let routed = LockedValue(0)
    let failures = LockedValue<[String]>([])
    let threads = (0..<16).map { number in
        BackgroundThread {
            let host = "pop\(number).threads.example"
            let authority = try TestCertificateAuthority()
            let certificate = try authority.issue(dnsNames: [host])
            TrustStore.process.add(authority.root)
            defer { TrustStore.process.remove(authority.root) }
            let server = try ScriptedSTARTTLSServer(transcript: pop3Transcript(number: number),
                                                    configuration: TLSServerConfiguration(serving: certificate))
            defer { server.stop() }
            try server.route(host: host, port: 110)
            routed.withLock { $0 += 1 }
            _ = ProcessResources.settle(within: .seconds(20)) { routed.value == 16 }

            let banner = try portedPOP3Login(host: host, user: "user\(number)")
            if banner != "+OK POP3 server \(number) ready" { failures.withLock { $0.append("client \(number) read \(banner)") } }
            if !server.waitForClients(1, timeout: .seconds(10)) || server.recordings.first?.followedScript != true {
                failures.withLock { $0.append("server \(number): \(server.conversationLog)") }
            }
        }
    }
    for thread in threads { try thread.finish(within: .seconds(60)) }
    #expect(routed.value == 16)
    #expect(failures.value.isEmpty, "\(failures.value)")
}

@Test func routeMapsTheNameToAFreshLoopbackAddressAndRedirectsThePort() throws {
    let server = try TLSTestServer(configuration: try plainConfiguration()) { _ in }
    defer { server.stop() }
    let route = try server.route(host: "Mail.Route.Example.", port: 587)

    #expect(route.address.bytes[0] == 127)
    #expect(route.address != .loopbackIPv4)
    #expect(HostsTable.shared.addresses(for: "mail.route.example") == [route.address])
    #expect(EndpointRedirects.shared.destination(for: route.endpoint) == server.endpoint)
    #expect(route.destination == server.endpoint)
    #expect(server.activeRoutes == [route])

    server.stop()
    #expect(HostsTable.shared.addresses(for: "mail.route.example") == nil)
    #expect(EndpointRedirects.shared.destination(for: route.endpoint) == route.endpoint)
    #expect(server.activeRoutes.isEmpty)
}

@Test func everyRouteGetsAnAddressOfItsOwn() throws {
    let server = try TLSTestServer(configuration: try plainConfiguration()) { _ in }
    defer { server.stop() }
    let routes = try (0..<50).map { try server.route(host: "n\($0).distinct.example", port: 25) }
    #expect(Set(routes.map(\.address)).count == 50)
    #expect(routes.allSatisfy { $0.address.bytes.last != 0 && $0.address.bytes.last != 255 })
}

@Test func aSecondRouteForTheSameNameWaitsUntilTheFirstServerStops() throws {
    let first = try TLSTestServer(configuration: try plainConfiguration()) { _ in }
    defer { first.stop() }
    let second = try TLSTestServer(configuration: try plainConfiguration()) { _ in }
    defer { second.stop() }
    try first.route(host: "shared.route.example", port: 143)

    let error = #expect(throws: TLSTestServerError.self) {
        try second.route(host: "shared.route.example", port: 143, waitingAtMost: .milliseconds(100))
    }
    #expect(error?.message.contains("another test server in this process has routed \"shared.route.example\"") == true, "\(String(describing: error))")

    let stopper = BackgroundThread {
        Thread.sleep(forTimeInterval: 0.2)
        first.stop()
    }
    let route = try second.route(host: "shared.route.example", port: 143, waitingAtMost: .seconds(10))
    try stopper.finish()
    #expect(EndpointRedirects.shared.destination(for: route.endpoint) == second.endpoint)
}

@Test func anIPv4LiteralIsRedirectedAsItIs() throws {
    let server = try TLSTestServer(configuration: try plainConfiguration()) { _ in }
    defer { server.stop() }
    let route = try server.route(host: "192.0.2.7", port: 993)
    #expect(route.endpoint == SocketEndpoint(address: InternetAddress(parsing: "192.0.2.7")!, port: 993))
    #expect(EndpointRedirects.shared.destination(for: route.endpoint) == server.endpoint)
    server.stop()
    #expect(EndpointRedirects.shared.destination(for: route.endpoint) == route.endpoint)
}

@Test func routeRefusesWhatItCannotRoute() throws {
    let server = try TLSTestServer(configuration: try plainConfiguration()) { _ in }
    #expect(throws: TLSTestServerError.self) { try server.route(host: "", port: 25) }
    #expect(throws: TLSTestServerError.self) { try server.route(host: "::1", port: 25) }
    server.stop()
    let error = #expect(throws: TLSTestServerError.self) { try server.route(host: "late.route.example", port: 25) }
    #expect(error?.kind == .misuse)
    #expect(HostsTable.shared.addresses(for: "late.route.example") == nil)
}

/// A configuration for servers whose handlers never start TLS.
private func plainConfiguration() throws -> TLSServerConfiguration {
    let authority = try TestCertificateAuthority()
    return TLSServerConfiguration(serving: try authority.issue(dnsNames: ["unused.example"]))
}
