public import CWinsockCE
import WinsockSSL

// `bind`, `listen` and `accept`. Accepted sockets are plain (this provider is a TLS client); `listen` on a
// socket with `SO_SECURE` fails with `WSAEOPNOTSUPP`.

@_cdecl("WinsockCE_bind")
public func winsockBind(_ s: SOCKET, _ name: UnsafePointer<WinsockCE_sockaddr>?, _ namelen: Int32) -> Int32 {
    LastError.reporting { () throws(WinsockError) in
        let open = try SocketTable.shared.socket(s, for: "bind")
        try open.socket.bind(to: try SocketAddress.endpoint(name, namelen, for: "bind"))
        return 0
    }
}

@_cdecl("WinsockCE_listen")
public func winsockListen(_ s: SOCKET, _ backlog: Int32) -> Int32 {
    LastError.reporting { () throws(WinsockError) in
        try SocketTable.shared.socket(s, for: "listen").socket.listen(backlog: backlog)
        return 0
    }
}

/// `accept`: blocks until a connection arrives (`WSAEWOULDBLOCK` at once on a non-blocking socket); `addr`
/// and `addrlen` may both be NULL.
@_cdecl("WinsockCE_accept")
public func winsockAccept(_ s: SOCKET, _ addr: UnsafeMutablePointer<WinsockCE_sockaddr>?, _ addrlen: UnsafeMutablePointer<Int32>?) -> SOCKET {
    do throws(WinsockError) {
        let open = try SocketTable.shared.socket(s, for: "accept")
        if (addr == nil) != (addrlen == nil) { throw LastError.fault("accept", "addr and addrlen must both be NULL or both be set") }
        if let addrlen, addrlen.pointee < Int32(SocketAddress.ipv4Length) {
            throw LastError.fault("accept", "*addrlen \(addrlen.pointee) is smaller than a sockaddr_in (16)")
        }
        let accepted: WinsockSocket
        do throws(WinsockError) {
            accepted = try open.socket.accept(deadline: open.isBlocking ? nil : .now)
        } catch {
            if open.isClosing { throw WinsockError(.interrupted, "accept: closesocket was called on this socket while the call waited") }
            throw error
        }
        if let addr, let remote = accepted.stream.remoteEndpoint {
            try SocketAddress.write(remote, to: addr, addrlen, for: "accept")
        }
        return SocketTable.shared.add(accepted)
    } catch {
        LastError.set(error)
        return SOCKET(bitPattern: -1)
    }
}
