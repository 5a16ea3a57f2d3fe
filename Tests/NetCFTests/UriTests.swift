import NetCF
import Testing

@Suite struct UriTests {
    @Test func theConnectorsAddressParses() throws {
        // myUri = new Uri(ipAddressAndPort, UriKind.Absolute);
        let myUri = try Uri("tcp://127.0.0.1:8091/", UriKind.Absolute)
        #expect(try myUri.Scheme == "tcp")
        #expect(try myUri.Host == "127.0.0.1")
        #expect(try myUri.Port == 8091)
        #expect(try myUri.HostNameType == UriHostNameType.IPv4)
        #expect(try myUri.AbsolutePath == "/")
        #expect(try !myUri.IsDefaultPort)
    }

    @Test func partsOfAnHttpUri() throws {
        let uri = try Uri("HTTP://User@WWW.Example.COM/a b/c.aspx?x=1&y=2#top")
        #expect(try uri.Scheme == "http")
        #expect(try uri.Host == "www.example.com")
        #expect(try uri.HostNameType == UriHostNameType.Dns)
        #expect(try uri.Port == 80)
        #expect(try uri.IsDefaultPort)
        #expect(try uri.UserInfo == "User")
        #expect(try uri.AbsolutePath == "/a%20b/c.aspx")
        #expect(try uri.Query == "?x=1&y=2")
        #expect(try uri.PathAndQuery == "/a%20b/c.aspx?x=1&y=2")
        #expect(try uri.Fragment == "#top")
        #expect(try uri.AbsoluteUri == "http://User@www.example.com/a%20b/c.aspx?x=1&y=2#top")
        #expect(uri.ToString() == "http://User@www.example.com/a b/c.aspx?x=1&y=2#top")
    }

    @Test func defaultPortsPerScheme() throws {
        #expect(try Uri("https://h").Port == 443)
        #expect(try Uri("ftp://h/").Port == 21)
        #expect(try Uri("https://h:443/").IsDefaultPort)
        #expect(try Uri("https://h:8443/").AbsoluteUri == "https://h:8443/")
        #expect(try Uri("https://h:443/").AbsoluteUri == "https://h/")
        #expect(try Uri("tcp://h/").Port == -1)
        #expect(try Uri("http://h").AbsolutePath == "/")
    }

    @Test func ipv6Hosts() throws {
        let uri = try Uri("tcp://[::1]:8091/")
        #expect(try uri.Host == "[::1]")
        #expect(try uri.HostNameType == UriHostNameType.IPv6)
        #expect(try uri.Port == 8091)
        #expect(throws: UriFormatException.self) { try Uri("tcp://[::zz]:1/") }
    }

    @Test func badUrisAreRefused() throws {
        #expect(throws: UriFormatException.self) { try Uri("127.0.0.1:8091") }
        #expect(throws: UriFormatException.self) { try Uri("no scheme here") }
        #expect(throws: UriFormatException.self) { try Uri("") }
        #expect(throws: UriFormatException.self) { try Uri("http://h:99999/") }
        #expect(throws: UriFormatException.self) { try Uri("http://h:8x/") }
        #expect(throws: UriFormatException.self) { try Uri("http:///path") }
        #expect(throws: UriFormatException.self) { try Uri("http://a b/") }
        #expect(throws: ArgumentNullException.self) { try Uri(nil) }
        do {
            _ = try Uri("127.0.0.1:8091", UriKind.Absolute)
            Issue.record("accepted an address without a scheme")
        } catch let e as UriFormatException {
            #expect(e.Message == "Invalid URI: The format of the URI could not be determined.")
        }
    }

    @Test func relativeUris() throws {
        let relative = try Uri("/index.html?q=1", UriKind.Relative)
        #expect(!relative.IsAbsoluteUri)
        #expect(relative.ToString() == "/index.html?q=1")
        #expect(throws: InvalidOperationException.self) { try relative.Host }
        #expect(throws: UriFormatException.self) { try Uri("http://h/", UriKind.Relative) }
        #expect(try !Uri("a/b", UriKind.RelativeOrAbsolute).IsAbsoluteUri)
        #expect(try Uri("http://h/", UriKind.RelativeOrAbsolute).IsAbsoluteUri)
    }

    @Test func checkHostName() {
        #expect(Uri.CheckHostName("192.168.1.10") == UriHostNameType.IPv4)
        #expect(Uri.CheckHostName("fe80::1") == UriHostNameType.IPv6)
        #expect(Uri.CheckHostName("[::1]") == UriHostNameType.IPv6)
        #expect(Uri.CheckHostName("mail.example.com") == UriHostNameType.Dns)
        #expect(Uri.CheckHostName("localhost") == UriHostNameType.Dns)
        #expect(Uri.CheckHostName("256.1.1.1") == UriHostNameType.Dns)  // not an address; valid labels, as in .NET
        #expect(Uri.CheckHostName("bad host") == UriHostNameType.Unknown)
        #expect(Uri.CheckHostName("") == UriHostNameType.Unknown)
        #expect(Uri.CheckHostName(nil) == UriHostNameType.Unknown)
    }

    @Test func equalUrisCompareEqual() throws {
        #expect(try Uri("HTTP://Example.com/") == Uri("http://example.com:80/"))
        #expect(try Uri("http://example.com/a") != Uri("http://example.com/b"))
    }
}
