import Foundation
internal import Glibc

/// What this process holds — open descriptors, resident memory, the TCP sockets on a given port — for
/// regression tests that check a port gives back everything it took:
///
/// ```swift
/// let server = try ScriptedSTARTTLSServer(...)
/// try runThePortedCode(port: server.port)
/// server.stop()   // its listener is on the port too
/// #expect(ProcessResources.settle { ProcessResources.socketDescriptors(port: server.port) == 0 })
/// ```
///
/// A socket the port released without closing it was closed by its `deinit` and is not counted; use
/// `UnclosedSocketCheck` to find those.
///
/// Prefer `socketDescriptors(port:)` to comparing `openDescriptors` before and after: `swift test` runs
/// other tests in the same process at the same time, and their descriptors come and go meanwhile.
public enum ProcessResources {
    /// Entries of `/proc/self/fd` (the directory listing's own descriptor excluded).
    public static var openDescriptors: Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.count ?? 1) - 1
    }

    /// glibc's `malloc_trim`, which `<malloc.h>` declares and Swift's Glibc module does not import.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = dlsym(nil, "malloc_trim").map {
        unsafeBitCast($0, to: (@convention(c) (Int) -> Int32).self)
    }

    /// True in a build made with `--sanitize=address` or `--sanitize=thread`, whose allocators keep freed
    /// memory (ASan's quarantine, TSan's shadow), so resident memory says nothing about leaks there.
    public static let underSanitizer = dlsym(nil, "__asan_init") != nil || dlsym(nil, "__tsan_init") != nil

    /// Resident set size in bytes, from `/proc/self/statm`, after glibc has handed back the free memory it
    /// keeps in its per-thread arenas (`malloc_trim`), so what is counted is memory still in use.
    public static var residentBytes: Int {
        _ = mallocTrim?(0)
        guard let text = readWholeFile("/proc/self/statm") else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// `bytes` as "12.3 MiB", for messages.
    public static func mebibytes(_ bytes: Int) -> String {
        String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }

    /// Descriptors of this process that are TCP sockets with `port` at either end (listeners included).
    ///
    /// The kernel lists every TCP socket of the network namespace in `/proc/self/net/tcp` (other processes'
    /// and `TIME_WAIT` leftovers too), so the file is read to its end however long it is.
    public static func socketDescriptors(port: UInt16) -> Int {
        var inodes = Set<String>()
        for file in ["/proc/self/net/tcp", "/proc/self/net/tcp6"] {
            guard let text = readWholeFile(file) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                guard fields.count > 9 else { continue }
                let ports = [fields[1], fields[2]].compactMap { $0.split(separator: ":").last.flatMap { UInt16($0, radix: 16) } }
                if ports.contains(port) { inodes.insert(String(fields[9])) }
            }
        }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return 0 }
        return entries.count { entry in
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(entry)"),
                  target.hasPrefix("socket:[") else { return false }
            return inodes.contains(String(target.dropFirst(8).dropLast()))
        }
    }

    /// The whole of a `/proc` file, read with `read(2)` until end of file; nil when it cannot be opened.
    ///
    /// `/proc` files report a size of 0 and hand out their text a page or so per `read`; Foundation's
    /// `String(contentsOfFile:)` stopped after the first 4,050 of 25,650 bytes of `/proc/self/net/tcp`
    /// (Swift 6.3.1), which made a kept socket invisible once the namespace held ~27 TCP sockets.
    /// Maps to `open`, `read` and `close`.
    static func readWholeFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { _ = close(descriptor) }
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            contents += chunk[..<count]
        }
        return String(decoding: contents, as: UTF8.self)
    }

    /// Waits (at most `bound`) until `condition` holds; descriptors of closed connections go away at once,
    /// but a server thread may still be closing its end.
    @discardableResult
    public static func settle(within bound: Duration = .seconds(5), until condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now.advanced(by: bound)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return condition()
    }
}
