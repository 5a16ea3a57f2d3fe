import Testing
import WinsockSSL
import WinsockSSLTesting

// `ProcessResources` counts what the process holds; these tests make sure the counts stay right when the
// kernel's socket tables are long.

/// Connected pairs to a listener: the client ends and the accepted ends, all kept open.
private func connectedPairs(_ count: Int, to listener: ListeningSocket) throws -> [StreamSocket] {
    var sockets: [StreamSocket] = []
    for _ in 0..<count {
        let client = try StreamSocket(family: .ipv4)
        try client.connect(to: listener.localEndpoint, timeout: .seconds(10))
        sockets.append(client)
        sockets.append(try listener.accept(timeout: .seconds(10)))
    }
    return sockets
}

@Test func socketDescriptorsCountsEverySocketWithMoreThanTwoHundredSocketsOpen() throws {
    // 2 × 110 sockets plus a listener fill /proc/self/net/tcp far past the 4 KiB that a single read returns.
    let crowd = try ListeningSocket()
    defer { crowd.close() }
    let crowdSockets = try connectedPairs(110, to: crowd)
    defer { crowdSockets.forEach { $0.close() } }

    let target = try ListeningSocket()
    defer { target.close() }
    let port = target.localEndpoint.port
    let kept = try connectedPairs(1, to: target)

    #expect(ProcessResources.socketDescriptors(port: crowd.localEndpoint.port) == 221)
    #expect(ProcessResources.socketDescriptors(port: port) == 3)
    kept.forEach { $0.close() }
    target.close()
    #expect(ProcessResources.socketDescriptors(port: port) == 0)
}

@Test func socketDescriptorsIgnoresOtherPorts() throws {
    let listener = try ListeningSocket()
    defer { listener.close() }
    let other = try ListeningSocket()
    defer { other.close() }
    let pairs = try connectedPairs(2, to: other)
    defer { pairs.forEach { $0.close() } }
    #expect(ProcessResources.socketDescriptors(port: listener.localEndpoint.port) == 1)
    #expect(ProcessResources.socketDescriptors(port: other.localEndpoint.port) == 5)
}
