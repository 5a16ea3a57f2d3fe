public import CWinsockCE
import WinsockSSL

// The Winsock socket calls of `winsock.h`, exported under their `WinsockCE_` names (the header maps each
// Winsock name to one). Each returns what Winsock returns and sets this thread's last error on failure.

/// `socket(af, type, protocol)`: TCP stream sockets over IPv4 or IPv6. Other types fail with
/// `WSAESOCKTNOSUPPORT`, other families with `WSAEAFNOSUPPORT`.
@_cdecl("WinsockCE_socket")
public func winsockSocket(_ af: Int32, _ type: Int32, _ proto: Int32) -> SOCKET {
    do throws(WinsockError) {
        try LastError.requireStartup("socket")
        let family: InternetAddress.Family
        switch af {
        case WinsockFamily.inet: family = .ipv4
        case WinsockFamily.inet6: family = .ipv6
        default: throw WinsockError(.addressFamilyNotSupported, "socket: address family \(af) is not AF_INET (2) or AF_INET6 (23)")
        }
        guard type == 1 else {  // SOCK_STREAM
            throw WinsockError(.socketTypeNotSupported, "socket: only SOCK_STREAM (1) is supported, not type \(type)")
        }
        guard proto == 0 || proto == 6 else {  // IPPROTO_TCP
            throw WinsockError(.protocolNotSupported, "socket: a stream socket takes protocol 0 or IPPROTO_TCP (6), not \(proto)")
        }
        return SocketTable.shared.add(try WinsockSocket(family: family))
    } catch {
        LastError.set(error)
        return SOCKET(bitPattern: -1)
    }
}

/// `closesocket`: sends TLS close_notify on a secure socket, closes it, and wakes any thread blocked on it
/// (its call fails with `WSAEINTR`).
@_cdecl("WinsockCE_closesocket")
public func winsockCloseSocket(_ s: SOCKET) -> Int32 {
    LastError.reporting { () throws(WinsockError) in
        try SocketTable.shared.remove(s, for: "closesocket").socket.close()
        return 0
    }
}

/// `connect`: the TCP connect and, on a secure socket without `SSL_FLAG_DEFER_HANDSHAKE`, the handshake with
/// the certificate hook. An address that `gethostbyname` returned carries its host name to the provider.
@_cdecl("WinsockCE_connect")
public func winsockConnect(_ s: SOCKET, _ name: UnsafePointer<WinsockCE_sockaddr>?, _ namelen: Int32) -> Int32 {
    LastError.reporting { () throws(WinsockError) in
        let open = try SocketTable.shared.socket(s, for: "connect")
        let endpoint = try SocketAddress.endpoint(name, namelen, for: "connect")
        if open.socket.isConnected { throw WinsockError(.isConnected, "connect: the socket is already connected") }
        try open.socket.connect(to: endpoint, hostName: ResolvedNames.shared.name(for: endpoint.address))
        return 0
    }
}

/// `send`: every byte, encrypted once the socket is secure. Blocks (bounded by `SO_SNDTIMEO`) even on a
/// non-blocking socket: a send never ends with `WSAEWOULDBLOCK` (a project decision, see MIGRATION.md).
@_cdecl("WinsockCE_send")
public func winsockSend(_ s: SOCKET, _ buf: UnsafePointer<CChar>?, _ len: Int32, _ flags: Int32) -> Int32 {
    LastError.reporting { () throws(WinsockError) in
        let open = try SocketTable.shared.socket(s, for: "send")
        guard len >= 0 else { throw WinsockError(.invalidArgument, "send: negative length \(len)") }
        guard flags == 0 else { throw WinsockError(.operationNotSupported, "send: flags \(flags) are not supported (only 0)") }
        guard len > 0 else { return 0 }
        guard let buf else { throw LastError.fault("send", "buf is NULL") }
        do throws(WinsockError) {
            return Int32(try open.socket.send(UnsafeRawBufferPointer(start: buf, count: Int(len))))
        } catch {
            throw interrupted(open, error, "send")
        }
    }
}

/// `recv`: at least one byte, 0 when the peer has closed; decrypted once the socket is secure. On a
/// non-blocking socket with nothing to read it fails with `WSAEWOULDBLOCK`.
@_cdecl("WinsockCE_recv")
public func winsockRecv(_ s: SOCKET, _ buf: UnsafeMutablePointer<CChar>?, _ len: Int32, _ flags: Int32) -> Int32 {
    LastError.reporting { () throws(WinsockError) in
        let open = try SocketTable.shared.socket(s, for: "recv")
        guard len >= 0 else { throw WinsockError(.invalidArgument, "recv: negative length \(len)") }
        guard flags == 0 else { throw WinsockError(.operationNotSupported, "recv: flags \(flags) are not supported (only 0)") }
        guard let buf else { throw LastError.fault("recv", "buf is NULL") }
        guard len > 0 else { return 0 }
        if !open.isBlocking, !(try Readiness.readable([open], timeout: .zero).contains(open.handle)) {
            throw WinsockError(.wouldBlock, "recv: nothing to read on a non-blocking socket")
        }
        do throws(WinsockError) {
            let count = try open.socket.receive(into: UnsafeMutableRawBufferPointer(start: buf, count: Int(len)))
            // closesocket on another thread shuts the connection down, which a waiting read sees as its end.
            if count == 0 && open.isClosing { throw interrupted(open, WinsockError(.notSocket, "recv: closed"), "recv") }
            return Int32(count)
        } catch {
            throw interrupted(open, error, "recv")
        }
    }
}

/// A call that failed because another thread closed the socket reports `WSAEINTR`, as Winsock's blocking
/// calls do when `closesocket` cancels them.
private func interrupted(_ open: SocketTable.OpenSocket, _ error: WinsockError, _ call: String) -> WinsockError {
    guard open.isClosing else { return error }
    return WinsockError(.interrupted, "\(call): closesocket was called on this socket while the call waited")
}

/// `shutdown(s, SD_RECEIVE | SD_SEND | SD_BOTH)`.
@_cdecl("WinsockCE_shutdown")
public func winsockShutdown(_ s: SOCKET, _ how: Int32) -> Int32 {
    LastError.reporting { () throws(WinsockError) in
        let open = try SocketTable.shared.socket(s, for: "shutdown")
        let direction: StreamSocket.ShutdownDirection
        switch how {
        case 0: direction = .receive
        case 1: direction = .send
        case 2: direction = .both
        default: throw WinsockError(.invalidArgument, "shutdown: how must be SD_RECEIVE (0), SD_SEND (1) or SD_BOTH (2), not \(how)")
        }
        guard open.socket.isConnected else { throw WinsockError(.notConnected, "shutdown: the socket is not connected") }
        try open.socket.shutdown(direction)
        return 0
    }
}

/// `ioctlsocket`: `FIONBIO` (nonzero `*argp` makes `recv` fail with `WSAEWOULDBLOCK` instead of waiting)
/// and `FIONREAD` (bytes `recv` can return now; decrypted bytes on a secure socket).
@_cdecl("WinsockCE_ioctlsocket")
public func winsockIoctlSocket(_ s: SOCKET, _ cmd: Int, _ argp: UnsafeMutablePointer<WinsockCE_u_long>?) -> Int32 {
    LastError.reporting { () throws(WinsockError) in
        let open = try SocketTable.shared.socket(s, for: "ioctlsocket")
        guard let argp else { throw LastError.fault("ioctlsocket", "argp is NULL") }
        switch UInt32(truncatingIfNeeded: cmd) {
        case UInt32(FIONBIO):
            open.isBlocking = argp.pointee == 0
        case UInt32(FIONREAD):
            argp.pointee = UInt32(clamping: try open.socket.bytesAvailable())
        default:
            throw WinsockError(.invalidArgument,
                "ioctlsocket: command \(HexFormat.dword(UInt32(truncatingIfNeeded: cmd))) is not FIONBIO or FIONREAD")
        }
        return 0
    }
}

/// `getsockname`: the local address as a Winsock `sockaddr_in` (or `sockaddr_in6`).
@_cdecl("WinsockCE_getsockname")
public func winsockGetSockName(_ s: SOCKET, _ name: UnsafeMutablePointer<WinsockCE_sockaddr>?, _ namelen: UnsafeMutablePointer<Int32>?) -> Int32 {
    LastError.reporting { () throws(WinsockError) in
        let open = try SocketTable.shared.socket(s, for: "getsockname")
        guard let endpoint = open.socket.stream.localEndpoint else {
            throw WinsockError(.invalidArgument, "getsockname: the socket is not bound (connect it first)")
        }
        try SocketAddress.write(endpoint, to: name, namelen, for: "getsockname")
        return 0
    }
}

/// `getpeername`: the address the program connected to.
@_cdecl("WinsockCE_getpeername")
public func winsockGetPeerName(_ s: SOCKET, _ name: UnsafeMutablePointer<WinsockCE_sockaddr>?, _ namelen: UnsafeMutablePointer<Int32>?) -> Int32 {
    LastError.reporting { () throws(WinsockError) in
        let open = try SocketTable.shared.socket(s, for: "getpeername")
        guard open.socket.isConnected, let endpoint = open.socket.stream.remoteEndpoint else {
            throw WinsockError(.notConnected, "getpeername: the socket is not connected")
        }
        try SocketAddress.write(endpoint, to: name, namelen, for: "getpeername")
        return 0
    }
}
