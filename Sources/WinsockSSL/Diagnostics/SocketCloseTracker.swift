internal import Foundation
internal import Runtime

/// Held by a socket object so that `UnclosedSocketCheck` learns whether it was closed before it went away.
///
/// Creating one costs nothing unless a check is on; the socket calls `closed()` from its `Close`.
public final class SocketCloseTracker: Sendable {
    private let kind: String
    private let checks: [UnclosedSocketCheck]
    private let creation: Locked<Backtrace?>
    private let closedFlag = Locked(false)

    /// The innermost frames are all a report needs (the creating call is a few frames up). Asking for the
    /// outermost frames too (`top`, 16 by default) walks the whole stack, which crashed when it ran into the
    /// frames of a Swift Testing task (Swift 6.3.1: a bad pointer dereference inside `Backtrace.capture`).
    private static let framesKept = 24

    /// The process's loaded images, listed once. `Backtrace.capture` lists them on every call unless given
    /// them, by reading `/proc/self/maps` and then each mapping's first bytes; a mapping that another thread
    /// unmaps in between (a thread stack, a malloc arena) made that read crash (Swift 6.3.1, seen with every
    /// socket of a parallel `swift test` run watched). Listing once keeps that window to one moment per process;
    /// the images that matter, the program and its libraries, do not move.
    private static let images = ImageMap.capture()

    /// Starts tracking a socket of the given kind; `kind` names it in reports ("System.Net.Sockets.Socket").
    public init(_ kind: String) {
        self.kind = kind
        checks = UnclosedSocketCheck.watching
        creation = Locked(checks.isEmpty ? nil : try? Backtrace.capture(limit: Self.framesKept, top: 0, images: Self.images))
        for check in checks { check.started(self) }
    }

    deinit {
        guard !checks.isEmpty, !isClosed else { return }
        let report = report(released: true)
        for check in checks { check.released(report) }
    }

    /// Marks the socket closed; call it from every path that closes the socket on the program's request.
    public func closed() {
        closedFlag.withLock { $0 = true }
    }

    var isClosed: Bool { closedFlag.withLock { $0 } }

    func report(released: Bool) -> UnclosedSocketCheck.UnclosedSocket {
        let place = creation.withLock { backtrace in backtrace.flatMap(Self.creationSite) }
        return UnclosedSocketCheck.UnclosedSocket(kind: kind, createdAt: place?.location, function: place?.function,
                                                  wasReleased: released)
    }

    /// The first frame of the program's own code: one outside this package's library sources.
    private static func creationSite(_ backtrace: Backtrace) -> (location: String?, function: String?)? {
        guard let frames = backtrace.symbolicated()?.frames else { return nil }
        let libraryFolders = ["/Sources/WinsockSSL/", "/Sources/NetCF/"]
        var firstNamed: String?
        for frame in frames {
            guard let symbol = frame.symbol else { continue }
            guard let source = symbol.sourceLocation else {
                if firstNamed == nil, !symbol.name.hasPrefix("WinsockSSL."), !symbol.name.hasPrefix("NetCF.") {
                    firstNamed = symbol.name
                }
                continue
            }
            if libraryFolders.contains(where: { source.path.contains($0) }) { continue }
            return (relative(source.path) + ":\(source.line)", symbol.name)
        }
        return firstNamed.map { (nil, $0) }
    }

    private static func relative(_ path: String) -> String {
        let directory = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(directory) ? String(path.dropFirst(directory.count)) : path
    }
}
