import CWinsockCE
import Foundation
import Testing
import WinsockSSL
import WinsockSSLTesting

/// Winsock semantics of the C interface: handles, errors, bad input.
@Suite struct WinsockCESocketTests {
    init() { startWinsock() }

    @Test func startupReportsTheVersionTheProgramAskedFor() {
        var data = WSADATA()
        #expect(WinsockCE_WSAStartup(0x0101, &data) == 0)
        #expect(data.wVersion == 0x0101)
        #expect(data.wHighVersion == 0x0202)
        #expect(WinsockCE_WSAStartup(0x0303, &data) == 0)
        #expect(data.wVersion == 0x0202)
        #expect(WinsockCE_WSAStartup(0x0202, nil) == WSAEFAULT)
        #expect(WinsockCE_WSAStartup(0x0001, &data) == WSAVERNOTSUPPORTED)
    }

    @Test func socketHandlesAreNonZeroUnsignedAndNeverReused() throws {
        let first = WinsockCE_socket(2, 1, 6)
        let second = WinsockCE_socket(2, 1, 0)
        #expect(first != 0 && first != invalidSocket && second != invalidSocket && first != second)
        #expect(WinsockCE_closesocket(first) == 0)
        #expect(WinsockCE_closesocket(first) == socketError)
        #expect(lastError == WSAENOTSOCK)
        let third = WinsockCE_socket(2, 1, 6)
        #expect(third != first)
        #expect(WinsockCE_closesocket(second) == 0 && WinsockCE_closesocket(third) == 0)
    }

    @Test func unsupportedSocketKindsAreRefusedWithTheirCodes() {
        #expect(WinsockCE_socket(2, 2, 17) == invalidSocket)
        #expect(lastError == WSAESOCKTNOSUPPORT)
        #expect(WinsockCE_socket(99, 1, 6) == invalidSocket)
        #expect(lastError == WSAEAFNOSUPPORT)
        #expect(WinsockCE_socket(2, 1, 17) == invalidSocket)
        #expect(lastError == WSAEPROTONOSUPPORT)
    }

    @Test func unknownHandleIsNotASocketForEveryCall() {
        let bogus: SOCKET = 0x4242
        var buffer = [CChar](repeating: 0, count: 8)
        var value = DWORD(0)
        var length = Int32(4)
        var nonBlocking = WinsockCE_u_long(1)
        let results: [Int32] = [
            WinsockCE_send(bogus, &buffer, 8, 0), WinsockCE_recv(bogus, &buffer, 8, 0), WinsockCE_shutdown(bogus, 2),
            WinsockCE_closesocket(bogus), WinsockCE_ioctlsocket(bogus, Int(CWinsockCE.FIONBIO), &nonBlocking),
            withUnsafeMutableBytes(of: &value) { WinsockCE_getsockopt(bogus, 0xffff, 0x2001, $0.baseAddress!.assumingMemoryBound(to: CChar.self), &length) },
            ioctl(bogus, WinsockSSL.SO_SSL_GET_FLAGS, output: &value, 4),
        ]
        for result in results {
            #expect(result == socketError)
        }
        #expect(lastError == WSAENOTSOCK)
        #expect(lastErrorText.contains("0x00004242"), "\(lastErrorText)")
    }

    @Test func nullPointersAreFaults() {
        let s = WinsockCE_socket(2, 1, 6)
        defer { _ = WinsockCE_closesocket(s) }
        #expect(WinsockCE_connect(s, nil, 16) == socketError)
        #expect(lastError == WSAEFAULT)
        #expect(WinsockCE_send(s, nil, 4, 0) == socketError)
        #expect(lastError == WSAEFAULT)
        #expect(WinsockCE_recv(s, nil, 4, 0) == socketError)
        #expect(lastError == WSAEFAULT)
        #expect(WinsockCE_setsockopt(s, 0xffff, 0x2001, nil, 4) == socketError)
        #expect(lastError == WSAEFAULT)
        #expect(ioctl(s, WinsockSSL.SO_SSL_SET_FLAGS, input: nil, 4) == socketError)
        #expect(lastError == WSAEFAULT)
        #expect(ioctl(s, WinsockSSL.SO_SSL_GET_FLAGS, output: nil, 4) == socketError)
        #expect(lastError == WSAEFAULT)
        #expect(WinsockCE_ioctlsocket(s, Int(CWinsockCE.FIONBIO), nil) == socketError)
        #expect(lastError == WSAEFAULT)
        #expect(WinsockCE_gethostbyname(nil) == nil)
        #expect(lastError == WSAEFAULT)
    }

    @Test func shortAddressLengthIsAFault() {
        let s = WinsockCE_socket(2, 1, 6)
        defer { _ = WinsockCE_closesocket(s) }
        var address = socketAddress(SocketEndpoint(address: .loopbackIPv4, port: 9))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: WinsockCE_sockaddr.self, capacity: 1) { WinsockCE_connect(s, $0, 8) }
        }
        #expect(result == socketError)
        #expect(lastError == WSAEFAULT)
    }

    @Test func connectionRefusedHasItsWinsockCode() throws {
        let listener = try ListeningSocket(on: SocketEndpoint(address: .loopbackIPv4, port: 0))
        let endpoint = listener.localEndpoint
        listener.close()
        let s = WinsockCE_socket(2, 1, 6)
        defer { _ = WinsockCE_closesocket(s) }
        #expect(connect(s, to: endpoint) == socketError)
        #expect(lastError == WSAECONNREFUSED)
    }

    @Test func socketOptionsUseWinsockNumbersAndMilliseconds() {
        let s = WinsockCE_socket(2, 1, 6)
        defer { _ = WinsockCE_closesocket(s) }
        var timeout = DWORD(1500)
        let set = withUnsafeBytes(of: &timeout) { WinsockCE_setsockopt(s, 0xffff, 0x1006, $0.baseAddress!.assumingMemoryBound(to: CChar.self), 4) }
        #expect(set == 0)
        var value = DWORD(0)
        var length = Int32(4)
        let get = withUnsafeMutableBytes(of: &value) { WinsockCE_getsockopt(s, 0xffff, 0x1006, $0.baseAddress!.assumingMemoryBound(to: CChar.self), &length) }
        #expect(get == 0 && value == 1500 && length == 4)
        #expect(setSecure(s) == 0)
        _ = withUnsafeMutableBytes(of: &value) { WinsockCE_getsockopt(s, 0xffff, 0x2001, $0.baseAddress!.assumingMemoryBound(to: CChar.self), &length) }
        #expect(value == 0x2004)
        var nothing = DWORD(1)
        let unknown = withUnsafeBytes(of: &nothing) { WinsockCE_setsockopt(s, 0xffff, 0x7777, $0.baseAddress!.assumingMemoryBound(to: CChar.self), 4) }
        #expect(unknown == socketError)
        #expect(lastError == WSAENOPROTOOPT)
    }

    @Test func gethostbynameHonoursTheHostsTableAndReportsUnknownHosts() throws {
        HostsTable.shared.set("ce-hosts-test.example", to: [InternetAddress(parsing: "10.1.2.3")!])
        defer { HostsTable.shared.remove("ce-hosts-test.example") }
        let entry = try #require(WinsockCE_gethostbyname("ce-hosts-test.example"))
        #expect(entry.pointee.h_addrtype == 2 && entry.pointee.h_length == 4)
        #expect(String(cString: entry.pointee.h_name) == "ce-hosts-test.example")
        let first = try #require(entry.pointee.h_addr_list[0])
        #expect(Array(UnsafeRawBufferPointer(start: first, count: 4)) == [10, 1, 2, 3])
        #expect(entry.pointee.h_addr_list[1] == nil)
        #expect(WinsockCE_gethostbyname("no-such-host.invalid") == nil)
        #expect(lastError == WSAHOST_NOT_FOUND || lastError == WSANO_DATA || lastError == WSATRY_AGAIN)
    }

    @Test func gethostbyaddrNamesLoopbackAndRefusesBadInput() throws {
        let loopback: [CChar] = [127, 0, 0, 1]
        let entry = try #require(WinsockCE_gethostbyaddr(loopback, 4, 2), "\(lastErrorText)")
        #expect(!String(cString: entry.pointee.h_name).isEmpty)
        #expect(entry.pointee.h_addrtype == 2 && entry.pointee.h_length == 4)
        let first = try #require(entry.pointee.h_addr_list[0])
        #expect(Array(UnsafeRawBufferPointer(start: first, count: 4)) == [127, 0, 0, 1])
        #expect(WinsockCE_gethostbyaddr(nil, 4, 2) == nil)
        #expect(lastError == WSAEFAULT)
        #expect(WinsockCE_gethostbyaddr(loopback, 4, 23) == nil)
        #expect(lastError == WSAEAFNOSUPPORT)
    }

    @Test func addressTextConversions() {
        #expect(WinsockCE_inet_addr("192.168.1.20") == UInt(UInt32(bigEndian: 0xC0A8_0114)))
        #expect(WinsockCE_inet_addr("not an address") == UInt(UInt32.max))
        var address = WinsockCE_in_addr()
        address.S_un.S_addr = UInt32(bigEndian: 0x7F00_0001)
        #expect(String(cString: WinsockCE_inet_ntoa(address)) == "127.0.0.1")
    }

    @Test func selectRefusesOversizedSetsAndEmptyCalls() {
        let s = WinsockCE_socket(2, 1, 6)
        defer { _ = WinsockCE_closesocket(s) }
        var set = WinsockCE_fd_set()
        set.fd_count = 65
        #expect(WinsockCE_select(0, &set, nil, nil, nil) == socketError)
        #expect(lastError == WSAEINVAL)
        #expect(WinsockCE_select(0, nil, nil, nil, nil) == socketError)
        #expect(lastError == WSAEINVAL)
        set.fd_count = 1
        set.fd_array.0 = 0x9999
        var zero = timeval(tv_sec: 0, tv_usec: 0)
        #expect(WinsockCE_select(0, &set, nil, nil, &zero) == socketError)
        #expect(lastError == WSAENOTSOCK)
        var negative = timeval(tv_sec: -1, tv_usec: 0)
        set.fd_array.0 = s
        #expect(WinsockCE_select(0, &set, nil, nil, &negative) == socketError)
        #expect(lastError == WSAEINVAL)
    }

    @Test func fdIsSetReadsTheWinsockArray() {
        var set = WinsockCE_fd_set()
        set.fd_count = 2
        set.fd_array.0 = 0x104
        set.fd_array.1 = 0x108
        #expect(WinsockCE___WSAFDIsSet(0x108, &set) == 1)
        #expect(WinsockCE___WSAFDIsSet(0x10c, &set) == 0)
    }

    @Test func lastErrorIsPerThread() {
        WinsockCE_WSASetLastError(WSAEWOULDBLOCK)
        let other = Locked<Int32>(-1)
        let thread = Thread {
            WinsockCE_WSASetLastError(WSAETIMEDOUT)
            other.withLock { $0 = WinsockCE_WSAGetLastError() }
        }
        thread.start()
        let deadline = Date().addingTimeInterval(10)
        while other.withLock({ $0 }) == -1 && Date() < deadline { usleep(1000) }
        #expect(other.withLock { $0 } == WSAETIMEDOUT)
        #expect(WinsockCE_WSAGetLastError() == WSAEWOULDBLOCK)
        #expect(WinsockCE_GetLastError() == DWORD(WSAEWOULDBLOCK))
    }
}

/// `bind`, `listen`, `accept`: a plain server and client in one process, through the C interface only.
@Suite struct WinsockCEServerTests {
    init() { startWinsock() }

    @Test func acceptedConnectionCarriesDataBothWays() throws {
        let server = WinsockCE_socket(2, 1, 6)
        defer { _ = WinsockCE_closesocket(server) }
        var address = socketAddress(SocketEndpoint(address: .loopbackIPv4, port: 0))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: WinsockCE_sockaddr.self, capacity: 1) { WinsockCE_bind(server, $0, 16) }
        }
        #expect(bound == 0)
        #expect(WinsockCE_listen(server, 5) == 0)
        var local = WinsockCE_sockaddr_in()
        var length = Int32(16)
        _ = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: WinsockCE_sockaddr.self, capacity: 1) { WinsockCE_getsockname(server, $0, &length) }
        }
        let port = UInt16(bigEndian: local.sin_port)
        #expect(port != 0)

        var on = WinsockCE_u_long(1)
        #expect(WinsockCE_ioctlsocket(server, Int(CWinsockCE.FIONBIO), &on) == 0)
        #expect(WinsockCE_accept(server, nil, nil) == invalidSocket)
        #expect(lastError == WSAEWOULDBLOCK)

        let client = WinsockCE_socket(2, 1, 6)
        defer { _ = WinsockCE_closesocket(client) }
        #expect(connect(client, to: SocketEndpoint(address: .loopbackIPv4, port: port)) == 0)
        var set = WinsockCE_fd_set()
        set.fd_count = 1
        set.fd_array.0 = server
        var wait = timeval(tv_sec: 10, tv_usec: 0)
        #expect(WinsockCE_select(0, &set, nil, nil, &wait) == 1, "a pending connection makes the listener readable")
        var peer = WinsockCE_sockaddr_in()
        var peerLength = Int32(16)
        let accepted = withUnsafeMutablePointer(to: &peer) {
            $0.withMemoryRebound(to: WinsockCE_sockaddr.self, capacity: 1) { WinsockCE_accept(server, $0, &peerLength) }
        }
        #expect(accepted != invalidSocket)
        defer { _ = WinsockCE_closesocket(accepted) }
        #expect(peer.sin_family == 2 && peerLength == 16)
        #expect(send(client, "hello") == 5)
        #expect(receive(accepted).1 == "hello")
        #expect(send(accepted, "back") == 4)
        #expect(receive(client).1 == "back")
    }

    @Test func listenOnASecureSocketIsNotSupported() {
        let s = WinsockCE_socket(2, 1, 6)
        defer { _ = WinsockCE_closesocket(s) }
        #expect(setSecure(s) == 0)
        #expect(WinsockCE_listen(s, 5) == socketError)
        #expect(lastError == WSAEOPNOTSUPP)
    }
}

/// `getaddrinfo` / `freeaddrinfo` with Windows' `addrinfo` layout and Winsock error numbers.
@Suite struct WinsockCEAddressInfoTests {
    init() { startWinsock() }

    @Test func resolvesThroughTheHostsTableWithThePortInNetworkOrder() throws {
        HostsTable.shared.set("ce-addrinfo.example", to: [InternetAddress(parsing: "10.9.8.7")!])
        defer { HostsTable.shared.remove("ce-addrinfo.example") }
        var hints = WinsockCE_addrinfo()
        hints.ai_family = 0
        hints.ai_socktype = 1
        hints.ai_flags = 2 // AI_CANONNAME
        var result: UnsafeMutablePointer<WinsockCE_addrinfo>?
        #expect(WinsockCE_getaddrinfo("ce-addrinfo.example", "587", &hints, &result) == 0)
        let first = try #require(result)
        defer { WinsockCE_freeaddrinfo(first) }
        #expect(first.pointee.ai_family == 2 && first.pointee.ai_socktype == 1 && first.pointee.ai_addrlen == 16)
        #expect(String(cString: try #require(first.pointee.ai_canonname)) == "ce-addrinfo.example")
        let address = try #require(first.pointee.ai_addr).withMemoryRebound(to: WinsockCE_sockaddr_in.self, capacity: 1) { $0.pointee }
        #expect(UInt16(bigEndian: address.sin_port) == 587)
        #expect(withUnsafeBytes(of: address.sin_addr.S_un.S_addr) { Array($0) } == [10, 9, 8, 7])
        #expect(first.pointee.ai_next == nil)
    }

    @Test func failuresAreWinsockNumbers() {
        var result: UnsafeMutablePointer<WinsockCE_addrinfo>?
        #expect(WinsockCE_getaddrinfo(nil, nil, nil, &result) == WSAHOST_NOT_FOUND)
        var hints = WinsockCE_addrinfo()
        hints.ai_family = 23
        #expect(WinsockCE_getaddrinfo("localhost", "25", &hints, &result) == WSAEAFNOSUPPORT)
        #expect(WinsockCE_getaddrinfo("localhost", "no-such-service-name", nil, &result) == 10109)
        #expect(WinsockCE_getaddrinfo("localhost", "25", nil, nil) == WSAEFAULT)
        hints.ai_family = 0
        hints.ai_flags = 4 // AI_NUMERICHOST
        #expect(WinsockCE_getaddrinfo("localhost", "25", &hints, &result) == WSAHOST_NOT_FOUND)
        #expect(result == nil)
    }
}
