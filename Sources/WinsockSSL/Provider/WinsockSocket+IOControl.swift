extension WinsockSocket {
    /// Carries out one ioctl and returns the bytes for the program's output buffer.
    ///
    /// The pointers in `input` belong to `space`: the emulated heap for .NET programs (the default), native
    /// memory for C programs. A certificate hook is resolved here, at the ioctl, and the socket keeps the
    /// result. `outputCapacity` is the size of the program's output buffer; a request whose answer does not
    /// fit fails with `WSAEINVAL` and changes nothing. Any failure leaves the socket as it was, except a
    /// handshake that started and then failed. The corresponding Winsock call is `WSAIoctl`.
    public func ioControl(_ code: Int32, input: [UInt8]?, outputCapacity: Int,
                          in space: any ProviderAddressSpace = UnmanagedHeap.shared) throws(WinsockError) -> [UInt8] {
        let request = try SSLControlRequest.decode(code: code, input: input, in: space)
        func answer(_ bytes: [UInt8]) throws(WinsockError) -> [UInt8] {
            guard outputCapacity >= bytes.count else {
                throw WinsockError(.invalidArgument, "\(SSLControlRequest.codeName(code)) needs an output buffer of \(bytes.count) bytes, got \(outputCapacity)")
            }
            return bytes
        }

        switch request {
        case .bytesAvailable:
            return try answer(LittleEndian.bytes(UInt32(clamping: try bytesAvailable())))
        case .performHandshake(let handshakeName):
            try performHandshake(name: handshakeName)
            return []
        case .getConnectionInfo:
            return try answer(try connectionInfo().structure)
        case .getCapabilities:
            return try answer(LittleEndian.bytes(SSL_CAP_CLIENT))
        case .setFlags(let flags):
            try setSSLFlags(flags)
            return []
        case .getFlags:
            return try answer(LittleEndian.bytes(sslFlags))
        case .setProtocols(let structure):
            try setProtocols(try ProtocolSelection(structure: structure))
            return []
        case .getProtocols:
            return try answer(protocols.structure)
        case .setValidateCertificateHook(let function, let argument):
            try setCertificateHook(resolving: { () throws(WinsockError) in
                function == 0 ? nil : try space.certificateHook(function: function, argument: argument)
            })
            return []
        case .getValidateCertificateHook:
            let hook = certificateHook
            return try answer(LittleEndian.bytes(hook?.function ?? 0, size: space.pointerSize)
                + LittleEndian.bytes(hook?.argument ?? 0, size: space.pointerSize))
        case .setPeerName(let peer):
            try setPeerName(peer)
            return []
        }
    }
}
