import Testing
import WinsockSSL

// Each test uses its own `HostsTable` (or names only it uses), so tests running in parallel do not see each other's entries.

private let documentationAddress = InternetAddress(parsing: "192.0.2.7")!

@Suite struct NameResolverTests {
    @Test func numericIPv4AddressResolvesToItself() throws {
        #expect(try NameResolver.resolve("127.0.0.1", hosts: HostsTable()) == [.loopbackIPv4])
        #expect(try NameResolver.resolve("192.0.2.7", hosts: HostsTable()) == [documentationAddress])
    }

    @Test func numericIPv6AddressResolvesToItself() throws {
        #expect(try NameResolver.resolve("::1", hosts: HostsTable()) == [.loopbackIPv6])
        #expect(try NameResolver.resolve("[::1]", hosts: HostsTable()) == [.loopbackIPv6])
    }

    @Test func numericAddressIsNotLookedUpInTheHostsTable() throws {
        let hosts = HostsTable()
        hosts.set("127.0.0.1", to: [documentationAddress])
        #expect(try NameResolver.resolve("127.0.0.1", hosts: hosts) == [.loopbackIPv4])
    }

    @Test func localhostResolvesToLoopback() throws {
        let addresses = try NameResolver.resolve("localhost", hosts: HostsTable())
        #expect(!addresses.isEmpty)
        #expect(addresses.allSatisfy { $0 == .loopbackIPv4 || $0 == .loopbackIPv6 })
    }

    @Test func hostsTableEntryWinsOverTheSystemResolver() throws {
        let hosts = HostsTable()
        hosts.set("localhost", to: [documentationAddress])
        #expect(try NameResolver.resolve("localhost", hosts: hosts) == [documentationAddress])
        hosts.remove("localhost")
        #expect(try NameResolver.resolve("localhost", hosts: hosts) != [documentationAddress])
    }

    @Test func hostsTableKeepsTheOrderOfTheAddressesGiven() throws {
        let hosts = HostsTable()
        hosts.set("smtp.example.test", to: [.loopbackIPv6, .loopbackIPv4])
        #expect(try NameResolver.resolve("smtp.example.test", hosts: hosts) == [.loopbackIPv6, .loopbackIPv4])
    }

    @Test func hostsTableMatchesNamesCaseInsensitively() throws {
        let hosts = HostsTable()
        hosts.set("SMTP.Live.COM", to: [documentationAddress])
        #expect(try NameResolver.resolve("smtp.live.com", hosts: hosts) == [documentationAddress])
        #expect(try NameResolver.resolve("Smtp.LIVE.com", hosts: hosts) == [documentationAddress])
    }

    @Test func hostsTableIgnoresATrailingDot() throws {
        let hosts = HostsTable()
        hosts.set("smtp.live.com.", to: [documentationAddress])
        #expect(try NameResolver.resolve("smtp.live.com", hosts: hosts) == [documentationAddress])
        #expect(try NameResolver.resolve("smtp.live.com.", hosts: hosts) == [documentationAddress])
    }

    @Test func settingANameAgainReplacesItsAddresses() {
        let hosts = HostsTable()
        hosts.set("mail.example.test", to: [.loopbackIPv4])
        hosts.set("MAIL.example.test", to: [documentationAddress])
        #expect(hosts.addresses(for: "mail.example.test") == [documentationAddress])
        hosts.removeAll()
        #expect(hosts.addresses(for: "mail.example.test") == nil)
    }

    @Test func unresolvableNameThrowsHostNotFound() {
        // `.invalid` is reserved (RFC 6761): no resolver may answer it.
        let error = #expect(throws: WinsockError.self) { try NameResolver.resolve("no-such-host.invalid", hosts: HostsTable()) }
        #expect(error?.code == .hostNotFound)
        #expect(error?.code.rawValue == 11001)
        #expect(error?.detail.contains("no-such-host.invalid") == true)
    }

    @Test func emptyNameThrowsSayingItIsEmpty() {
        let error = #expect(throws: WinsockError.self) { try NameResolver.resolve("", hosts: HostsTable()) }
        #expect(error?.code == .hostNotFound)
        #expect(error?.detail.contains("empty") == true)
    }

    @Test func nameWithANulCharacterIsRefused() {
        let error = #expect(throws: WinsockError.self) { try NameResolver.resolve("localhost\0.evil.test", hosts: HostsTable()) }
        #expect(error?.detail.contains("NUL") == true)
    }
}

@Suite struct EndpointRedirectsTests {
    @Test func redirectSendsTheConnectionElsewhereButRemoteEndpointReportsTheOriginal() throws {
        let listener = try ListeningSocket()
        defer { listener.close() }
        // A documentation address that nothing else in the test run connects to.
        let original = SocketEndpoint(address: InternetAddress(parsing: "192.0.2.45")!, port: 587)
        EndpointRedirects.shared.redirect(original, to: listener.localEndpoint)
        defer { EndpointRedirects.shared.remove(original) }

        let client = try StreamSocket(family: .ipv4)
        defer { client.close() }
        try client.connect(to: original, timeout: hangBound)
        let server = try listener.accept(timeout: hangBound)
        defer { server.close() }

        #expect(client.remoteEndpoint == original)
        #expect(server.remoteEndpoint == client.localEndpoint)
        try send([1, 2, 3], to: client)
        #expect(try receive(3, from: server) == [1, 2, 3])
    }

    @Test func destinationIsTheEndpointItselfWithoutARedirect() {
        let redirects = EndpointRedirects()
        let endpoint = SocketEndpoint(address: .loopbackIPv4, port: 25)
        let elsewhere = SocketEndpoint(address: .loopbackIPv4, port: 2525)
        #expect(redirects.destination(for: endpoint) == endpoint)
        redirects.redirect(endpoint, to: elsewhere)
        #expect(redirects.destination(for: endpoint) == elsewhere)
        redirects.remove(endpoint)
        #expect(redirects.destination(for: endpoint) == endpoint)
    }
}
