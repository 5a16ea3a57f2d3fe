import Dispatch
import Testing
import WinsockSSL

// Each test uses its own `ResolvedNames` and `HostsTable`, so tests running in parallel do not see each other's entries.

private let first = InternetAddress(parsing: "192.0.2.1")!
private let second = InternetAddress(parsing: "192.0.2.2")!
private let third = InternetAddress(parsing: "192.0.2.3")!
private let fourth = InternetAddress(parsing: "192.0.2.4")!

/// The name each address was last resolved from: what a socket connected by address sends as SNI.
@Suite struct ResolvedNamesTests {
    @Test func nameIsRememberedForEachOfItsAddresses() {
        let names = ResolvedNames()
        names.record("mail.example.test", resolvedTo: [first, second])
        #expect(names.name(for: first) == "mail.example.test")
        #expect(names.name(for: second) == "mail.example.test")
        #expect(names.name(for: third) == nil)
    }

    @Test func theLastResolutionOfAnAddressWins() {
        let names = ResolvedNames()
        names.record("a.example.test", resolvedTo: [first])
        names.record("b.example.test", resolvedTo: [first])
        #expect(names.name(for: first) == "b.example.test")
    }

    @Test func aTrailingDotIsDropped() {
        let names = ResolvedNames()
        names.record("mail.example.test.", resolvedTo: [first])
        #expect(names.name(for: first) == "mail.example.test")
    }

    /// Every form `getaddrinfo` takes as an address, and nothing at all, is never remembered as a name.
    @Test(arguments: ["127.0.0.1", "127.0.0.1.", "127.1", "2130706433", "0x7f.1", "0x7f000001", "::1", "[::1]",
                      "fe80::1%lo", "", "."])
    func addressesAreNeverNames(text: String) {
        let names = ResolvedNames()
        names.record(text, resolvedTo: [first])
        #expect(names.name(for: first) == nil)
    }

    @Test func namesThatMerelyContainDigitsAreNames() {
        let names = ResolvedNames()
        names.record("smtp2.example.test", resolvedTo: [first])
        names.record("123.example.test", resolvedTo: [second])
        #expect(names.name(for: first) == "smtp2.example.test")
        #expect(names.name(for: second) == "123.example.test")
    }

    @Test func theOldestAddressIsForgottenBeyondTheCapacity() {
        let names = ResolvedNames(capacity: 3)
        names.record("a.example.test", resolvedTo: [first, second, third])
        // Recording the first again makes it the most recent.
        names.record("a2.example.test", resolvedTo: [first])
        names.record("b.example.test", resolvedTo: [fourth])
        #expect(names.name(for: second) == nil)
        #expect(names.name(for: third) == "a.example.test")
        #expect(names.name(for: first) == "a2.example.test")
        #expect(names.name(for: fourth) == "b.example.test")
    }

    @Test func removeAllForgetsEverything() {
        let names = ResolvedNames()
        names.record("a.example.test", resolvedTo: [first])
        names.removeAll()
        #expect(names.name(for: first) == nil)
    }

    @Test func recordingFromManyThreadsKeepsTheBoundAndOneOfTheNames() {
        let names = ResolvedNames(capacity: 8)
        let addresses = (1...32).map { InternetAddress(parsing: "198.51.100.\($0)")! }
        DispatchQueue.concurrentPerform(iterations: 64) { index in
            names.record("host\(index).example.test", resolvedTo: [addresses[index % 32]])
            _ = names.name(for: addresses[(index + 1) % 32])
        }
        let remembered = addresses.compactMap { names.name(for: $0) }
        #expect(remembered.count == 8)
        #expect(remembered.allSatisfy { $0.hasPrefix("host") && $0.hasSuffix(".example.test") })
    }

    // MARK: Recorded by the resolver

    @Test func resolvingANameThroughTheHostsTableRecordsIt() throws {
        let hosts = HostsTable(), names = ResolvedNames()
        hosts.set("mail.example.test", to: [first, second])
        #expect(try NameResolver.resolve("mail.example.test", hosts: hosts, names: names) == [first, second])
        #expect(names.name(for: first) == "mail.example.test")
        #expect(names.name(for: second) == "mail.example.test")
    }

    @Test func resolvingAnAddressRecordsNothing() throws {
        let names = ResolvedNames()
        #expect(try NameResolver.resolve("192.0.2.1", hosts: HostsTable(), names: names) == [first])
        #expect(names.name(for: first) == nil)
    }
}
