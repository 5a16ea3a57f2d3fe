public import CWinsockCE
import WinsockSSL

// `setsockopt` and `getsockopt` with Winsock's levels, names and value types: `SOL_SOCKET` is 0xffff,
// `SO_RCVTIMEO`/`SO_SNDTIMEO` are a DWORD of milliseconds (0 waits forever), `SO_SECURE` takes
// `SO_SEC_SSL` or `SO_SEC_NONE`, `SO_LINGER` is Winsock's `{ u_short l_onoff; u_short l_linger; }`.

private enum OptionName {
    static let solSocket: Int32 = 0xffff
    static let ipprotoTCP: Int32 = 6
    static let reuseAddress: Int32 = 0x0004
    static let keepAlive: Int32 = 0x0008
    static let linger: Int32 = 0x0080
    static let dontLinger: Int32 = ~0x0080
    static let sendBuffer: Int32 = 0x1001
    static let receiveBuffer: Int32 = 0x1002
    static let sendTimeout: Int32 = 0x1005
    static let receiveTimeout: Int32 = 0x1006
    static let error: Int32 = 0x1007
    static let type: Int32 = 0x1008
    static let secure: Int32 = 0x2001
    static let noDelay: Int32 = 0x0001

    static func describe(_ level: Int32, _ name: Int32) -> String {
        "option \(HexFormat.dword(UInt32(bitPattern: name))) at level \(HexFormat.dword(UInt32(bitPattern: level)))"
    }
}

private func milliseconds(_ duration: Duration?) -> UInt32 {
    guard let duration else { return 0 }
    let (seconds, attoseconds) = duration.components
    return UInt32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
}

@_cdecl("WinsockCE_setsockopt")
public func winsockSetSockOpt(_ s: SOCKET, _ level: Int32, _ optname: Int32, _ optval: UnsafePointer<CChar>?, _ optlen: Int32) -> Int32 {
    LastError.reporting { () throws(WinsockError) in
        let open = try SocketTable.shared.socket(s, for: "setsockopt")
        guard let optval else { throw LastError.fault("setsockopt", "optval is NULL") }
        let raw = UnsafeRawPointer(optval)
        func dword() throws(WinsockError) -> UInt32 {
            guard optlen >= 4 else { throw LastError.fault("setsockopt", "optlen \(optlen) is smaller than a DWORD (4)") }
            return raw.loadUnaligned(as: UInt32.self)
        }
        let socket = open.socket
        switch (level, optname) {
        case (OptionName.solSocket, OptionName.secure):
            try socket.setSecurity(Int32(bitPattern: try dword()))
        case (OptionName.solSocket, OptionName.receiveTimeout):
            let value = try dword()
            socket.stream.receiveTimeout = value == 0 ? nil : .milliseconds(Int64(value))
        case (OptionName.solSocket, OptionName.sendTimeout):
            let value = try dword()
            socket.stream.sendTimeout = value == 0 ? nil : .milliseconds(Int64(value))
        case (OptionName.solSocket, OptionName.reuseAddress):
            try socket.stream.setOption(.reuseAddress, try dword() == 0 ? 0 : 1)
        case (OptionName.solSocket, OptionName.keepAlive):
            try socket.stream.setOption(.keepAlive, try dword() == 0 ? 0 : 1)
        case (OptionName.solSocket, OptionName.receiveBuffer):
            try socket.stream.setOption(.receiveBufferSize, Int32(clamping: try dword()))
        case (OptionName.solSocket, OptionName.sendBuffer):
            try socket.stream.setOption(.sendBufferSize, Int32(clamping: try dword()))
        case (OptionName.solSocket, OptionName.linger):
            guard optlen >= 4 else { throw LastError.fault("setsockopt", "optlen \(optlen) is smaller than a LINGER (4)") }
            let onOff = raw.loadUnaligned(as: UInt16.self)
            let seconds = raw.loadUnaligned(fromByteOffset: 2, as: UInt16.self)
            try socket.stream.setOption(.lingerSeconds, onOff == 0 ? -1 : Int32(seconds))
        case (OptionName.solSocket, OptionName.dontLinger):
            if try dword() != 0 { try socket.stream.setOption(.lingerSeconds, -1) }
        case (OptionName.ipprotoTCP, OptionName.noDelay):
            try socket.stream.setOption(.noDelay, try dword() == 0 ? 0 : 1)
        default:
            throw WinsockError(.protocolOption, "setsockopt: \(OptionName.describe(level, optname)) is not supported")
        }
        return 0
    }
}

@_cdecl("WinsockCE_getsockopt")
public func winsockGetSockOpt(_ s: SOCKET, _ level: Int32, _ optname: Int32, _ optval: UnsafeMutablePointer<CChar>?,
                       _ optlen: UnsafeMutablePointer<Int32>?) -> Int32 {
    LastError.reporting { () throws(WinsockError) in
        let open = try SocketTable.shared.socket(s, for: "getsockopt")
        guard let optval, let optlen else { throw LastError.fault("getsockopt", "optval or optlen is NULL") }
        guard optlen.pointee >= 4 else { throw LastError.fault("getsockopt", "*optlen \(optlen.pointee) is smaller than 4") }
        let socket = open.socket
        let value: UInt32
        switch (level, optname) {
        case (OptionName.solSocket, OptionName.secure): value = UInt32(bitPattern: socket.securityOption)
        case (OptionName.solSocket, OptionName.receiveTimeout): value = milliseconds(socket.stream.receiveTimeout)
        case (OptionName.solSocket, OptionName.sendTimeout): value = milliseconds(socket.stream.sendTimeout)
        case (OptionName.solSocket, OptionName.reuseAddress): value = UInt32(bitPattern: try socket.stream.option(.reuseAddress))
        case (OptionName.solSocket, OptionName.keepAlive): value = UInt32(bitPattern: try socket.stream.option(.keepAlive))
        case (OptionName.solSocket, OptionName.receiveBuffer): value = UInt32(bitPattern: try socket.stream.option(.receiveBufferSize))
        case (OptionName.solSocket, OptionName.sendBuffer): value = UInt32(bitPattern: try socket.stream.option(.sendBufferSize))
        case (OptionName.solSocket, OptionName.error): value = 0
        case (OptionName.solSocket, OptionName.type): value = 1 // SOCK_STREAM
        case (OptionName.ipprotoTCP, OptionName.noDelay): value = UInt32(bitPattern: try socket.stream.option(.noDelay))
        default:
            throw WinsockError(.protocolOption, "getsockopt: \(OptionName.describe(level, optname)) is not supported")
        }
        UnsafeMutableRawPointer(optval).storeBytes(of: value, as: UInt32.self)
        optlen.pointee = 4
        return 0
    }
}
