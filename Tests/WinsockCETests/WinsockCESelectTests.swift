import CWinsockCE
import Testing
import WinsockSSL

/// `select` on a socket that was created but never connected (nor listening). Winsock's rule (the CE and
/// desktop `select` pages): readfds for a pending connection, data, or a connection closed, reset or
/// terminated; writefds once a connect succeeded or data can be sent; exceptfds for a failed non-blocking
/// connect or out-of-band data. Such a socket has none of these, though Linux `poll` answers `POLLHUP` and
/// `POLLOUT` for it at once.
@Suite struct WinsockCESelectTests {
    init() { startWinsock() }

    @Test func aNeverConnectedSocketIsInNoSet() {
        let s = WinsockCE_socket(2, 1, 6)
        defer { _ = WinsockCE_closesocket(s) }
        var read = WinsockCE_fd_set()
        read.fd_count = 1
        read.fd_array.0 = s
        var write = read
        var except = read
        var wait = timeval(tv_sec: 0, tv_usec: 100_000)

        #expect(WinsockCE_select(0, &read, &write, &except, &wait) == 0)
        #expect(read.fd_count == 0 && write.fd_count == 0 && except.fd_count == 0)
    }

    @Test func aConnectedSocketWhosePeerClosedIsReadableAndRecvReturnsZero() throws {
        let listener = try ListeningSocket(on: SocketEndpoint(address: .loopbackIPv4, port: 0))
        defer { listener.close() }
        let client = WinsockCE_socket(2, 1, 6)
        defer { _ = WinsockCE_closesocket(client) }
        #expect(connect(client, to: listener.localEndpoint) == 0)
        try listener.accept(timeout: hangBound).close()

        var read = WinsockCE_fd_set()
        read.fd_count = 1
        read.fd_array.0 = client
        var wait = timeval(tv_sec: 10, tv_usec: 0)
        #expect(WinsockCE_select(0, &read, nil, nil, &wait) == 1)
        #expect(read.fd_count == 1 && read.fd_array.0 == client)
        #expect(receive(client).0 == 0)
    }

    /// A never-connected socket in the set must not stop `select` from seeing another socket that is ready.
    @Test func aNeverConnectedSocketBesideAReadyOneLeavesOnlyTheReadyOne() throws {
        let listener = try ListeningSocket(on: SocketEndpoint(address: .loopbackIPv4, port: 0))
        defer { listener.close() }
        let idle = WinsockCE_socket(2, 1, 6)
        let client = WinsockCE_socket(2, 1, 6)
        defer { _ = WinsockCE_closesocket(idle); _ = WinsockCE_closesocket(client) }
        #expect(connect(client, to: listener.localEndpoint) == 0)
        let peer = try listener.accept(timeout: hangBound)
        defer { peer.close() }
        try Array("ping".utf8).withUnsafeBytes { try peer.sendAll($0) }

        var read = WinsockCE_fd_set()
        read.fd_count = 2
        read.fd_array.0 = idle
        read.fd_array.1 = client
        var wait = timeval(tv_sec: 10, tv_usec: 0)
        #expect(WinsockCE_select(0, &read, nil, nil, &wait) == 1)
        #expect(read.fd_count == 1 && read.fd_array.0 == client)
    }
}
