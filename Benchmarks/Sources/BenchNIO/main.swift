import BenchSupport
import Glibc
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

// The swift-nio-ssl peer: a NIO client with NIOSSLClientHandler, one event loop thread, written the
// way NIO programs usually are (handlers, a line decoder, back-pressure through writability).
//
//   BenchNIO HOST TLS_PORT SMTP_PORT CA.pem WORKLOAD SIZE
//
// Same workloads and JSON output as C/client.c.

/// Fires `handshake` when the TLS handshake has completed.
final class HandshakeWatcher: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let handshake: EventLoopPromise<Void>
    init(_ handshake: EventLoopPromise<Void>) { self.handshake = handshake }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted? = event as? TLSUserEvent { handshake.succeed(()) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        handshake.fail(error)
        context.close(promise: nil)
    }
}

/// Sends `size` bytes in 64 KiB writes, paced by the channel's writability, then counts `size` bytes back.
final class BulkHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let size: Int
    let done: EventLoopPromise<(Double, Double)>
    var payload: ByteBuffer
    var sent = 0
    var received = 0
    var started = (0.0, 0.0)

    init(size: Int, done: EventLoopPromise<(Double, Double)>) {
        self.size = size
        self.done = done
        payload = ByteBuffer(repeating: 0x79, count: chunk)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted? = event as? TLSUserEvent {
            started = (now(), cpuSeconds())
            context.write(wrapOutboundOut(ByteBuffer(string: "BULK \(size)\n")), promise: nil)
            pump(context)
        }
    }

    func pump(_ context: ChannelHandlerContext) {
        while sent < size && context.channel.isWritable {
            let n = min(chunk, size - sent)
            context.writeAndFlush(wrapOutboundOut(n == chunk ? payload : payload.getSlice(at: 0, length: n)!), promise: nil)
            sent += n
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        pump(context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        received += unwrapInboundIn(data).readableBytes
        if received == size { done.succeed((now() - started.0, cpuSeconds() - started.1)) }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        done.fail(error)
        context.close(promise: nil)
    }
}

/// Splits the byte stream into lines (without the CRLF), as NIO programs do with a ByteToMessageDecoder.
struct LineDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: 0x0a) else { return .needMoreData }
        let length = newline - buffer.readerIndex
        var line = buffer.readSlice(length: length + 1)!
        line.moveWriterIndex(to: line.writerIndex - (length > 0 && line.getInteger(at: line.readerIndex + length - 1, as: UInt8.self) == 0x0d ? 2 : 1))
        context.fireChannelRead(wrapInboundOut(line))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}

/// Counts the lines of the LINES workload.
final class LineCounter: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let size: Int
    let done: EventLoopPromise<(Double, Int, Int, Int)>
    var started = 0.0
    var bytes = 0, lines = 0, check = 0

    init(size: Int, done: EventLoopPromise<(Double, Int, Int, Int)>) {
        self.size = size
        self.done = done
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted? = event as? TLSUserEvent {
            started = now()
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "LINES \(size)\n")), promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let line = unwrapInboundIn(data)
        bytes += line.readableBytes + 2
        lines += 1
        if line.readableBytes > 4 { check += Int(line.getInteger(at: line.readerIndex + 4, as: UInt8.self)!) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        done.succeed((now() - started, bytes, lines, check))
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // The server's close_notify followed by the TCP close is the normal end here.
        context.close(promise: nil)
    }
}

/// One SMTP STARTTLS session: banner, EHLO, STARTTLS, handshake (NIOSSLClientHandler added in front), EHLO, QUIT.
final class SMTPSession: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    enum Step { case banner, ehlo, startTLS, secureEHLO, quit }
    let sslContext: NIOSSLContext
    let done: EventLoopPromise<Void>
    var step = Step.banner

    init(sslContext: NIOSSLContext, done: EventLoopPromise<Void>) {
        self.sslContext = sslContext
        self.done = done
    }

    func send(_ context: ChannelHandlerContext, _ text: String) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let line = unwrapInboundIn(data)
        guard line.readableBytes >= 4, line.getInteger(at: line.readerIndex + 3, as: UInt8.self) == 0x20 else { return }
        let code = Int(line.getString(at: line.readerIndex, length: 3)!)!
        switch (step, code) {
        case (.banner, 220):
            step = .ehlo
            send(context, "EHLO client.localhost\r\n")
        case (.ehlo, 250):
            step = .startTLS
            send(context, "STARTTLS\r\n")
        case (.startTLS, 220):
            step = .secureEHLO
            do {
                let tls = try NIOSSLClientHandler(context: sslContext, serverHostname: "localhost")
                try context.pipeline.syncOperations.addHandler(tls, position: .first)
            } catch {
                done.fail(error)
                return
            }
            send(context, "EHLO client.localhost\r\n")
        case (.secureEHLO, 250):
            step = .quit
            send(context, "QUIT\r\n")
        case (.quit, 221):
            context.close().cascade(to: done)
        default:
            done.fail(ChannelError.inappropriateOperationForState)
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        done.fail(error)
        context.close(promise: nil)
    }
}

let arguments = CommandLine.arguments
guard arguments.count == 7 else { fail("usage: BenchNIO HOST TLS_PORT SMTP_PORT CA.pem WORKLOAD SIZE") }
let host = arguments[1]
let tlsPort = Int(arguments[2])!
let smtpPort = Int(arguments[3])!
let caPath = arguments[4]
let workload = arguments[5]
let size = Int(arguments[6])!

do {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    var configuration = TLSConfiguration.makeClientConfiguration()
    configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caPath))
    configuration.certificateVerification = .fullVerification
    let sslContext = try NIOSSLContext(configuration: configuration)

    /// A TLS connection whose pipeline is the TLS handler followed by `handlers()`.
    func connect(_ handlers: @escaping @Sendable (Channel) -> [ChannelHandler]) throws -> Channel {
        try ClientBootstrap(group: group)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let tls = try NIOSSLClientHandler(context: sslContext, serverHostname: "localhost")
                    try channel.pipeline.syncOperations.addHandler(tls)
                    try channel.pipeline.syncOperations.addHandlers(handlers(channel))
                }
            }
            .connect(host: host, port: tlsPort).wait()
    }

    func connectAndHandshake() throws -> Channel {
        let loop = group.next()
        let handshake = loop.makePromise(of: Void.self)
        let channel = try ClientBootstrap(group: loop)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let tls = try NIOSSLClientHandler(context: sslContext, serverHostname: "localhost")
                    try channel.pipeline.syncOperations.addHandlers([tls, HandshakeWatcher(handshake)])
                }
            }
            .connect(host: host, port: tlsPort).wait()
        try handshake.futureResult.wait()
        return channel
    }

    switch workload {
    case "bulk":
        let done = group.next().makePromise(of: (Double, Double).self)
        let channel = try connect { _ in [BulkHandler(size: size, done: done)] }
        let (seconds, cpu) = try done.futureResult.wait()
        try? channel.close().wait()
        emit([("seconds", "\(seconds)"), ("cpu", "\(cpu)"), ("bytes", "\(2 * size)")])
    case "handshakes":
        try? connectAndHandshake().close().wait()
        let t0 = now()
        for _ in 0..<size {
            let channel = try connectAndHandshake()
            try? channel.close().wait()
        }
        emit([("seconds", "\(now() - t0)"), ("count", "\(size)")])
    case "starttls":
        try? connectAndHandshake().close().wait()
        let t0 = now()
        for _ in 0..<size {
            let loop = group.next()
            let done = loop.makePromise(of: Void.self)
            _ = try ClientBootstrap(group: loop)
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandlers([
                            ByteToMessageHandler(LineDecoder()), SMTPSession(sslContext: sslContext, done: done),
                        ])
                    }
                }
                .connect(host: host, port: smtpPort).wait()
            try done.futureResult.wait()
        }
        emit([("seconds", "\(now() - t0)"), ("count", "\(size)")])
    case "lines":
        let done = group.next().makePromise(of: (Double, Int, Int, Int).self)
        _ = try connect { _ in [ByteToMessageHandler(LineDecoder()), LineCounter(size: size, done: done)] }
        let (seconds, bytes, lines, check) = try done.futureResult.wait()
        emit([("seconds", "\(seconds)"), ("bytes", "\(bytes)"), ("lines", "\(lines)"), ("check", "\(check)")])
    case "idle":
        try? connectAndHandshake().close().wait()
        let before = residentKB()
        var channels: [Channel] = []
        channels.reserveCapacity(size)
        for _ in 0..<size {
            let channel = try connectAndHandshake()
            try channel.writeAndFlush(ByteBuffer(string: "IDLE\n")).wait()
            channels.append(channel)
        }
        let after = residentKB()
        for channel in channels { try? channel.close().wait() }
        emit([("rss_before_kb", "\(before)"), ("rss_after_kb", "\(after)"), ("count", "\(size)")])
    default:
        fail("unknown workload \(workload)")
    }
    try group.syncShutdownGracefully()
} catch {
    fail("\(error)")
}
